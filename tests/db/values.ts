import { sql } from "drizzle-orm";

/**
 * A value of each kind the app reads, dates and intervals among them (which
 * drizzle's drivers leave as Postgres text): every path to the database must
 * give Drizzle these alike.
 */
export const everyKind = sql.raw(
  `select '2026-01-02 03:04:05.678+00'::timestamptz as at, '2026-01-02 03:04:05'::timestamp as local,
          '2026-01-02'::date as day, '1 day 02:00:00'::interval as span, '03:04:05'::time as clock,
          1.50::numeric as price, 9007199254740993::int8 as big, '{"a": 1}'::json as json, '{"b": [1]}'::jsonb as jsonb,
          array[1, 2] as ints, array['2026-01-02 03:04:05+00'::timestamptz] as stamps,
          array['2026-01-02'::date] as days, '\\x01ff'::bytea as bytes, true as yes, null::text as nothing,
          '0193a4b2-0000-7000-8000-000000000001'::uuid as id`,
);
