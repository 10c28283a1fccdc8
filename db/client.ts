import { neonConfig, Pool } from "@neondatabase/serverless";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/neon-serverless";
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

export interface NeonOptions {
  url: string;
  /**
   * `host:port/path` of a WebSocket-to-TCP bridge. Set for any Postgres that is
   * not Neon (the embedded PGlite server, CI's PostgreSQL): Neon's own proxy
   * speaks TLS and pipelines the start-up, a plain bridge to Postgres does not.
   */
  wsProxy?: string | undefined;
  maxConnections?: number;
}

/**
 * Drizzle over Neon's serverless driver (WebSocket Pool, so interactive
 * transactions work). On Workers a Pool must live within one request, so the
 * caller opens one per request and closes it after the response.
 */
export function connectNeon(options: NeonOptions): Database {
  if (options.wsProxy) {
    const proxy = options.wsProxy;
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
  });
  const lost = new WeakSet<object>();
  // A client that loses its socket (a restart, a network cut) emits "error"; unheard, that would crash the
  // process. The query it was running rejects anyway; the client is remembered as lost so it is not reused.
  pool.on("error", () => {});
  pool.on("connect", (client: { on(event: string, listener: () => void): unknown }) => {
    client.on("error", () => lost.add(client));
    client.on("end", () => lost.add(client));
  });
  const db = drizzle({ client: pool, schema }) as unknown as Db;
  return { db: withSafeTransactions(db, pool, lost), close: () => pool.end() };
}

/**
 * Drizzle's pooled transaction leaks its client when BEGIN itself fails and
 * hands a dead client back to the pool after a connection error, so after a
 * database restart the pool slowly fills with clients that never work. Here
 * the transaction runs on a client we check out, and we release it — always,
 * and destroyed if its connection was lost.
 */
function withSafeTransactions(db: Db, pool: Pool, lost: WeakSet<object>): Db {
  db.transaction = (async (work, config) => {
    const client = await pool.connect();
    try {
      const single = drizzle({ client, schema }) as unknown as Db;
      return await single.transaction(work, config);
    } finally {
      client.release(lost.has(client) ? new Error("connection lost") : undefined);
    }
  }) as Db["transaction"];
  return db;
}
