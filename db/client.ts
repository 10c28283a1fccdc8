import { neon, type NeonQueryFunction } from "@neondatabase/serverless";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzleHttp } from "drizzle-orm/neon-http";
import { drizzle as drizzlePool } from "drizzle-orm/neon-serverless";
import { jsonLogger, type Logger } from "../api/lib/logger.ts";
import {
  type FallbackOptions,
  HTTP_RETRY_AFTER_MS,
  type HttpPathState,
  httpPathState,
  type OneShotQuery,
  queryWithFallback,
} from "./neon-fallback.ts";
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
  /** Where switches between the HTTP path and the pool are told; JSON lines on the console unless set. */
  logger?: Logger | undefined;
  /** How long one-shot queries keep to the pool after the HTTP path failed; 5 s unless set. */
  httpRetryAfterMs?: number | undefined;
}

const consoleLogger = jsonLogger("info");

/**
 * Drizzle over Neon's serverless driver: one-shot queries over HTTP where
 * there is an endpoint, transactions on a WebSocket `Pool` (interactive
 * transactions need a session). The pool is opened by the first transaction
 * only, so on Workers, where a pool must live within one request and the
 * caller opens a database per request, a request that only reads opens no
 * WebSocket at all. While the HTTP path is down, one-shot queries take the
 * same pool (see `queryWithFallback`), and it closes with the database.
 */
export function connectNeon(options: NeonOptions): Database {
  if (!options.httpEndpoint && !new URL(options.url).hostname.endsWith(".neon.tech")) {
    const pool = openPool(options);
    const db = drizzlePool({ client: pool.pool, schema }) as unknown as Db;
    return { db: withSession(db, { transaction: safeTransactions(() => pool) }), close: () => pool.end() };
  }
  let pool: NeonPool | undefined;
  let closed = false;
  const openedPool = () => {
    if (closed) throw new Error("the database was closed: no query can start on its pool");
    return (pool ??= openPool(options));
  };
  const database = connectNeonHttp({
    url: options.url,
    httpEndpoint: options.httpEndpoint,
    transaction: safeTransactions(openedPool),
    fallback: {
      pool: openedPool,
      logger: options.logger ?? consoleLogger,
      retryAfterMs: options.httpRetryAfterMs ?? HTTP_RETRY_AFTER_MS,
    },
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
  /** Where one-shot queries go while the HTTP path is down; unset, they fail with it. */
  fallback?: Omit<FallbackOptions, "http" | "state"> | undefined;
}

/**
 * Drizzle over the HTTP driver, and whether its path is down, one per database
 * and isolate: it holds no connection, so requests can share it.
 */
const httpDatabases = new Map<string, { db: Db; http: NeonQueryFunction<false, false>; state: HttpPathState }>();

/** One-shot queries over Neon's HTTP protocol; transactions handed to `options.transaction`. */
export function connectNeonHttp(options: NeonHttpOptions): Database {
  if (options.httpEndpoint) routeHttp(options.url, options.httpEndpoint);
  let shared = httpDatabases.get(options.url);
  if (!shared) {
    const http = neon(options.url);
    // drizzle's neon-http driver makes the driver's type parsers return dates and intervals as Postgres text
    // (globally), as its WebSocket driver does per query: results have one shape through either path.
    shared = { db: drizzleHttp({ client: http, schema }) as unknown as Db, http, state: httpPathState() };
    httpDatabases.set(options.url, shared);
  }
  const { db, http, state } = shared;
  const oneShot = options.fallback && queryWithFallback({ ...options.fallback, http, state });
  return {
    db: withSession(db, { transaction: options.transaction, ...(oneShot && oneShotSession(db, oneShot)) }),
    close: async () => {},
  };
}

/**
 * What drizzle's neon-http session runs one-shot queries with: prepared
 * queries call `client.query`, raw ones `clientQuery`. Batches stay on the
 * shared session's HTTP driver, whose `transaction` they need.
 */
function oneShotSession(db: Db, query: OneShotQuery): object {
  const { session } = db as unknown as { session: { batch(queries: unknown[]): Promise<unknown> } };
  return { client: { query }, clientQuery: query, batch: (queries: unknown[]) => session.batch(queries) };
}

/**
 * `db` with parts of its session replaced. Drizzle's `db.transaction` asks the
 * database's session, as the migrator (db/migrate.ts) does directly, and
 * every query builder reaches the session as `this.session` too, so a view
 * with a session of its own is enough (only the relational `db.query`, which
 * the app does not use, keeps the shared one). A view, not a new database:
 * building one walks the whole schema (~0.2 ms), which a Worker would pay per
 * request.
 */
function withSession(db: Db, replaced: { transaction: Db["transaction"] } & object): Db {
  const { session } = db as unknown as { session: object };
  const own = Object.assign(Object.create(session) as object, replaced);
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
