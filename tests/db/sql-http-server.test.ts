import { neon, type NeonQueryFunction } from "@neondatabase/serverless";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { isDatabaseUnavailable } from "../../api/lib/db-errors.ts";
import { silentLogger } from "../../api/lib/logger.ts";
import { connectNeon, type Executor } from "../../db/client.ts";
import { users } from "../../db/schema/index.ts";
import { temporaryEmbeddedDatabase } from "../support/runtime-database.ts";
import { routeHttp } from "../../db/neon-routes.ts";
import { type EmbeddedDatabase, openPglite } from "../../db/pglite.ts";
import { type SqlHttpServer, startSqlHttpServer } from "../../db/sql-http-server.ts";
import { sharedDatabase } from "../../api/deps.ts";
import { createTestApp } from "../support/app.ts";
import { insertUser } from "../support/factories.ts";
import { freePort } from "../support/servers.ts";
import { everyKind } from "./values.ts";

interface Served {
  /** The database's connection string, which the driver sends. */
  url: string;
  /** The bridge the server's pool goes through, for the app's pool too; none for a PGlite in this process. */
  wsProxy: string | undefined;
  server: SqlHttpServer;
  close(): Promise<void>;
}

/** Every value exactly as the server sent it. */
const asText = { getTypeParser: () => (value: string) => value };

const backends: { name: string; bridged: boolean; start(): Promise<Served> }[] = [
  {
    name: "an in-process PGlite",
    bridged: false,
    start: async () => {
      const embedded = await openPglite();
      const url = `postgres://postgres@pglite-${crypto.randomUUID().slice(0, 8)}.invalid/postgres`;
      const server = await startSqlHttpServer({ url, pglite: embedded.pg });
      return {
        url,
        wsProxy: undefined,
        server,
        close: async () => {
          await server.close();
          await embedded.close();
        },
      };
    },
  },
  {
    name: "PGlite's socket server, through the WebSocket bridge",
    bridged: true,
    start: async () => {
      const embedded = await temporaryEmbeddedDatabase("lectern-sql-http-");
      const server = await startSqlHttpServer({ url: embedded.databaseUrl, wsProxy: embedded.wsProxy });
      return {
        url: embedded.databaseUrl,
        wsProxy: embedded.wsProxy,
        server,
        close: async () => {
          await server.close();
          await embedded.close();
        },
      };
    },
  },
];
const postgres = inject("postgres");
if (postgres) {
  backends.push({
    name: "PostgreSQL, through the WebSocket bridge",
    bridged: true,
    start: async () => {
      const server = await startSqlHttpServer({ url: postgres.url, wsProxy: postgres.wsProxy, maxConnections: 4 });
      return { url: postgres.url, wsProxy: postgres.wsProxy, server, close: () => server.close() };
    },
  });
}

describe.each(backends)("the HTTP query server over $name", ({ bridged, start }) => {
  let served: Served;
  let sql: NeonQueryFunction<false, false>;
  const table = `sql_http_${crypto.randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    served = await start();
    routeHttp(served.url, served.server.url);
    sql = neon(served.url);
    await sql.query(`create table ${table} (id int primary key, note text)`);
  });

  afterAll(async () => {
    await sql?.query(`drop table if exists ${table}`);
    await served?.close();
  });

  const count = async () => (await sql.query(`select count(*)::int as n from ${table}`))[0]!.n as number;

  it("answers with every value as Postgres text, and the fields' types", async () => {
    const result = await sql.query(
      `select 1.50::numeric as numeric, 9007199254740993::int8 as int8, '{"a": [1, 2]}'::jsonb as jsonb,
              '{"a":1}'::json as json, array[1, 2] as ints, array['x', null] as texts, '\\x0102ff'::bytea as bytes,
              true as bool, null::int as nothing, '2026-01-02 03:04:05.678'::timestamp as timestamp,
              '2026-01-02'::date as date, '1 day 02:00:00'::interval as interval`,
      [],
      { arrayMode: true, fullResults: true, types: asText },
    );
    expect(result.command).toBe("SELECT");
    expect(result.rowCount).toBe(1);
    expect(result.fields.map((field) => [field.name, field.dataTypeID])).toEqual([
      ["numeric", 1700],
      ["int8", 20],
      ["jsonb", 3802],
      ["json", 114],
      ["ints", 1007],
      ["texts", 1009],
      ["bytes", 17],
      ["bool", 16],
      ["nothing", 23],
      ["timestamp", 1114],
      ["date", 1082],
      ["interval", 1186],
    ]);
    expect(result.rows).toEqual([[
      "1.50",
      "9007199254740993",
      '{"a": [1, 2]}',
      '{"a":1}',
      "{1,2}",
      "{x,NULL}",
      "\\x0102ff",
      "t",
      null,
      "2026-01-02 03:04:05.678",
      "2026-01-02",
      "1 day 02:00:00",
    ]]);
  });

  it("takes the driver's parameters and lets it parse the answer, in object and array mode", async () => {
    const at = new Date("2026-01-02T03:04:05.678Z");
    const [row] = await sql`select ${{ a: [1, "two"] }}::jsonb as json, ${Buffer.from([1, 2, 255])}::bytea as bytes,
      ${[1, 2, 3]}::int[] as ints, ${at}::timestamptz = '2026-01-02T03:04:05.678Z'::timestamptz as same_time,
      ${null}::text as nothing, ${"it's"}::text as quoted, ${12.5}::numeric as numeric`;
    expect(row).toEqual({
      json: { a: [1, "two"] },
      bytes: Buffer.from([1, 2, 255]),
      ints: [1, 2, 3],
      same_time: true,
      nothing: null,
      quoted: "it's",
      numeric: "12.5",
    });
    expect(await sql.query("select 1 as a, 'x' as b", [], { arrayMode: true })).toEqual([[1, "x"]]);
  });

  it("runs a batch in one transaction with the isolation, read-only and deferrable modes asked for", async () => {
    const settings = () => [
      sql`select current_setting('transaction_isolation') as isolation`,
      sql`select current_setting('transaction_read_only') as read_only`,
      sql`select current_setting('transaction_deferrable') as deferrable`,
    ];
    const strict = await sql.transaction(settings(), {
      isolationLevel: "Serializable",
      readOnly: true,
      deferrable: true,
    });
    expect(strict).toEqual([[{ isolation: "serializable" }], [{ read_only: "on" }], [{ deferrable: "on" }]]);
    const repeatable = await sql.transaction(settings(), { isolationLevel: "RepeatableRead", readOnly: false });
    expect(repeatable).toEqual([[{ isolation: "repeatable read" }], [{ read_only: "off" }], [{ deferrable: "off" }]]);
    const readOnlyWrite = sql.transaction([sql.query(`insert into ${table} values (1, 'read only')`)], {
      readOnly: true,
    });
    await expect(readOnlyWrite).rejects.toMatchObject({ name: "NeonDbError", code: "25006" });
  });

  it("rolls a batch back when any statement fails, with Postgres' error fields", async () => {
    const failing = sql.transaction([
      sql.query(`insert into ${table} values (1, 'first')`),
      sql.query(`insert into ${table} values (1, 'again')`),
    ]);
    await expect(failing).rejects.toMatchObject({
      name: "NeonDbError",
      code: "23505",
      severity: "ERROR",
      constraint: `${table}_pkey`,
      table,
      detail: "Key (id)=(1) already exists.",
    });
    expect(await count()).toBe(0);
    const [written] = await sql.transaction([
      sql.query(`insert into ${table} values (2, 'kept') returning note`),
      sql.query(`select count(*)::int as n from ${table}`),
    ]);
    expect(written).toEqual([{ note: "kept" }]);
    expect(await count()).toBe(1);
  });

  it("passes one-shot errors on as Neon does: code, position, message", async () => {
    await expect(sql`select 1 / ${0}::int`).rejects.toMatchObject({ code: "22012", message: "division by zero" });
    await expect(sql.query(`select missing from ${table}`)).rejects.toMatchObject({ code: "42703", position: "8" });
  });

  it("refuses a text of several statements before running any, as Neon's prepared statements do", async () => {
    const before = await count();
    await expect(sql.query(`insert into ${table} values (7, 'a'); insert into ${table} values (8, 'b')`)).rejects
      .toMatchObject({ code: "42601" });
    expect(await count()).toBe(before);
  });

  it("counts requests, statements and transactions", async () => {
    const before = served.server.counts();
    await sql`select 1`;
    await sql.transaction([sql`select 1`, sql`select 2`]);
    expect(served.server.counts()).toEqual({
      requests: before.requests + 2,
      queries: before.queries + 3,
      transactions: before.transactions + 1,
    });
  });

  it.runIf(bridged)("gives Drizzle the same rows over HTTP as over the WebSocket pool", async () => {
    const options = { url: served.url, wsProxy: served.wsProxy };
    const overHttp = connectNeon({ ...options, httpEndpoint: served.server.url });
    const overPool = connectNeon(options);
    try {
      const viaHttp = (await overHttp.db.execute(everyKind)).rows;
      expect(viaHttp).toEqual((await overPool.db.execute(everyKind)).rows);
      expect(viaHttp[0]).toMatchObject({
        at: expect.any(String),
        price: "1.50",
        big: "9007199254740993",
        ints: [1, 2],
      });
      const user = await insertUser(overHttp.db);
      const byId = (db: Executor) => db.select().from(users).where(eq(users.id, user.id));
      const [fromHttp] = await byId(overHttp.db);
      expect(fromHttp).toEqual(user);
      expect(await byId(overPool.db)).toEqual([fromHttp]);
      expect(await overHttp.db.transaction((tx) => byId(tx))).toEqual([fromHttp]);
    } finally {
      await overHttp.close();
      await overPool.close();
    }
  });

  it("answers a connection string for another database with 400, which the driver reports", async () => {
    const other = new URL(served.url);
    other.pathname = "/another";
    routeHttp(other.toString(), served.server.url);
    await expect(neon(other.toString())`select 1`).rejects.toMatchObject({
      name: "NeonDbError",
      message: expect.stringContaining("does not name the database this server serves"),
    });
  });
});

describe("the HTTP query server, given requests the driver never sends", () => {
  const url = "postgres://postgres@pglite-requests.invalid/postgres";
  let embedded: EmbeddedDatabase;
  let server: SqlHttpServer;
  const neonHeaders = (connectionString: string) => ({
    "Neon-Connection-String": connectionString,
    "Neon-Raw-Text-Output": "true",
    "Neon-Array-Mode": "true",
  });

  beforeAll(async () => {
    embedded = await openPglite();
    server = await startSqlHttpServer({ url, pglite: embedded.pg, maxBodyBytes: 4_096 });
  });

  afterAll(async () => {
    await server?.close();
    await embedded?.close();
  });

  async function post(body: string, headers: Record<string, string> = neonHeaders(url), path = "/sql") {
    const response = await fetch(new URL(path, server.url), { method: "POST", headers, body });
    return { status: response.status, body: await response.json() as { message: string } };
  }

  it("refuses each with a clear message and the right status, and keeps serving", async () => {
    const query = JSON.stringify({ query: "select 1", params: [] });
    const { "Neon-Connection-String": _, ...withoutUrl } = neonHeaders(url);
    expect(await post(query, withoutUrl)).toEqual({
      status: 400,
      body: { message: "the Neon-Connection-String header is missing" },
    });
    expect((await post(query, neonHeaders("not a url"))).body.message).toContain("not a postgres:// URL");
    expect((await post(query, { ...neonHeaders(url), "Neon-Raw-Text-Output": "false" })).body.message)
      .toContain("Neon-Raw-Text-Output must be true");
    expect(await post("{not json")).toEqual({ status: 400, body: { message: "the body is not JSON" } });
    expect((await post(JSON.stringify({ sql: "select 1" }))).status).toBe(400);
    expect((await post(JSON.stringify({ query: "select $1", params: [{ nested: true }] }))).body.message)
      .toContain("params must be");
    expect((await post(JSON.stringify({ queries: "select 1" }))).body.message).toContain("queries must be an array");
    const batch = JSON.stringify({ queries: [{ query: "select 1", params: [] }] });
    expect((await post(batch, { ...neonHeaders(url), "Neon-Batch-Isolation-Level": "Chaos" })).body.message)
      .toContain("Neon-Batch-Isolation-Level must be one of");
    expect((await post(batch, { ...neonHeaders(url), "Neon-Batch-Read-Only": "yes" })).status).toBe(400);
    expect((await post(query, neonHeaders(url), "/other")).status).toBe(404);
    expect((await fetch(server.url)).status).toBe(405);
    expect(await post(JSON.stringify({ query: "select 1 as one", params: [] }))).toMatchObject({
      status: 200,
      body: { rows: [["1"]] },
    });
  });

  it("refuses a body larger than its bound with 413", async () => {
    const body = JSON.stringify({ query: "select $1", params: ["x".repeat(5_000)] });
    expect(await post(body)).toMatchObject({ status: 413, body: { message: "the body is larger than 4096 bytes" } });
    expect((await post(JSON.stringify({ query: "select 1", params: [] }))).status).toBe(200);
  });
});

describe("a database opened per request, as a Worker opens one", () => {
  it("reads over HTTP without a WebSocket, and opens the pool only for a transaction", async () => {
    const embedded = await openPglite();
    const url = `postgres://postgres@pglite-${crypto.randomUUID().slice(0, 8)}.invalid/postgres`;
    const server = await startSqlHttpServer({ url, pglite: embedded.pg });
    try {
      // Nothing listens behind this bridge address: any WebSocket would fail.
      const database = connectNeon({ url, httpEndpoint: server.url, wsProxy: `127.0.0.1:${await freePort()}/v2` });
      const reads = await Promise.all([1, 2, 3].map((n) => database.db.execute(`select ${n} as n`)));
      expect(reads.map((read) => read.rows)).toEqual([[{ n: 1 }], [{ n: 2 }], [{ n: 3 }]]);
      const transaction = database.db.transaction((tx) => tx.execute("select 1")).catch((error: unknown) => error);
      expect(isDatabaseUnavailable(await transaction)).toBe(true);
      await database.close();
      expect(server.counts()).toEqual({ requests: 3, queries: 3, transactions: 0 });
    } finally {
      await server.close();
      await embedded.close();
    }
  });
});

describe("the app over the HTTP query path, when it fails", () => {
  it("answers 503 database_unavailable when neither the HTTP query server nor the pool can be reached", async () => {
    const url = `postgres://app@unreachable-${crypto.randomUUID().slice(0, 8)}.invalid/app`;
    const database = connectNeon({
      url,
      httpEndpoint: `http://127.0.0.1:${await freePort()}/sql`,
      wsProxy: `127.0.0.1:${await freePort()}/v2`,
      logger: silentLogger,
    });
    const { app } = await createTestApp({ database: sharedDatabase(database) });
    const response = await app.request("/api/v1/courses");
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: "database_unavailable" });
  });

  it("answers 503 database_unavailable when the server cannot reach its database, nor can the pool", async () => {
    const deadEnd = `127.0.0.1:${await freePort()}`;
    const url = `postgres://app@${deadEnd}/app`;
    const server = await startSqlHttpServer({ url, wsProxy: `${deadEnd}/v2` });
    try {
      // The pool's way to the database is down too.
      const database = connectNeon({ url, httpEndpoint: server.url, wsProxy: `${deadEnd}/v2`, logger: silentLogger });
      const failure = await database.db.execute("select 1").catch((error: unknown) => error);
      expect(isDatabaseUnavailable(failure)).toBe(true);
      const { app } = await createTestApp({ database: sharedDatabase(database) });
      const response = await app.request("/api/v1/courses");
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ code: "database_unavailable" });
    } finally {
      await server.close();
    }
  });
});
