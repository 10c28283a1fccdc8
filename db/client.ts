import { neon } from "@neondatabase/serverless";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzleHttp } from "drizzle-orm/neon-http";
import { drizzle as drizzlePool } from "drizzle-orm/neon-serverless";
import { type NeonPool, openPool, type PoolOptions } from "./neon-pool.ts";
import { routeHttp } from "./neon-routes.ts";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;

/** What both drivers' raw query results have in common: the rows. */
export interface RowsResultHKT extends PgQueryResultHKT {
  type: QueryRows<this["row"]>;
}

interface QueryRows<Row> {
  rows: Row[];
  rowCount?: number | null;
}

export type Db = PgDatabase<RowsResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either the database or an open transaction: services that compose take this. */
export type Executor = Db | Tx;

export interface Database {
  readonly db: Db;
  close(): Promise<void>;
}

export interface NeonOptions extends PoolOptions {
  /**
   * Where one-shot queries go over HTTP (Neon's `/sql` protocol: one round
   * trip, no connection to set up): a local server speaking it
   * (db/sql-http-server.ts) for a Postgres that is not Neon. Unset: Neon's own
   * endpoint for *.neon.tech, the WebSocket pool for anything else.
   */
  httpEndpoint?: string | undefined;
}

/**
 * Drizzle over Neon's serverless driver: one-shot queries over HTTP where
 * there is an endpoint, transactions on a WebSocket `Pool` (interactive
 * transactions need a session). The pool is opened by the first transaction
 * only, so on Workers, where a pool must live within one request and the
 * caller opens a database per request, a request that only reads opens no
 * WebSocket at all.
 */
export function connectNeon(options: NeonOptions): Database {
  if (!options.httpEndpoint && !new URL(options.url).hostname.endsWith(".neon.tech")) {
    const pool = openPool(options);
    const db = drizzlePool({ client: pool.pool, schema }) as unknown as Db;
    return { db: withTransactions(db, safeTransactions(() => pool)), close: () => pool.end() };
  }
  let pool: NeonPool | undefined;
  let closed = false;
  const database = connectNeonHttp({
    url: options.url,
    httpEndpoint: options.httpEndpoint,
    transaction: safeTransactions(() => {
      if (closed) throw new Error("the database was closed: no transaction can start");
      return (pool ??= openPool(options));
    }),
  });
  return {
    db: database.db,
    close: async () => {
      closed = true;
      await pool?.end();
    },
  };
}

export interface NeonHttpOptions {
  url: string;
  /** The `/sql` endpoint; Neon's own when unset. */
  httpEndpoint: string | undefined;
  /** Runs the transactions: the HTTP protocol has batches, not interactive transactions. */
  transaction: Db["transaction"];
}

/** Drizzle over the HTTP driver, one per database and isolate: it holds no connection, so requests can share it. */
const httpDatabases = new Map<string, Db>();

/** One-shot queries over Neon's HTTP protocol; transactions handed to `options.transaction`. */
export function connectNeonHttp(options: NeonHttpOptions): Database {
  if (options.httpEndpoint) routeHttp(options.url, options.httpEndpoint);
  let shared = httpDatabases.get(options.url);
  if (!shared) {
    // drizzle's neon-http driver makes the driver's type parsers return dates and intervals as Postgres text
    // (globally), as its WebSocket driver does per query: results have one shape through either path.
    shared = drizzleHttp({ client: neon(options.url), schema }) as unknown as Db;
    httpDatabases.set(options.url, shared);
  }
  return { db: withTransactions(shared, options.transaction), close: async () => {} };
}

/**
 * `db` with its transactions run by `transaction`. Drizzle's `db.transaction`
 * asks the database's session, as the migrator (db/migrate.ts) does directly,
 * and every other method reaches the session as `this.session` too, so a view
 * with a session of its own is enough. A view, not a new database: building
 * one walks the whole schema (~0.2 ms), which a Worker would pay per request.
 */
function withTransactions(db: Db, transaction: Db["transaction"]): Db {
  const { session } = db as unknown as { session: object };
  const own = Object.assign(Object.create(session) as object, { transaction });
  return Object.create(db, { session: { value: own } }) as Db;
}

/**
 * Drizzle's pooled transaction leaks its client when BEGIN itself fails and
 * hands a dead client back to the pool after a connection error, so after a
 * database restart the pool slowly fills with clients that never work. Here
 * the transaction runs on a client we check out, and we release it — always,
 * and destroyed if its connection was lost.
 */
function safeTransactions(pool: () => NeonPool): Db["transaction"] {
  return (async (work, config) =>
    await pool().withClient((client) => {
      const single = drizzlePool({ client, schema }) as unknown as Db;
      return single.transaction(work, config);
    })) as Db["transaction"];
}
