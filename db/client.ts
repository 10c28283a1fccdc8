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
  // An idle client that loses its socket must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  return { db: drizzle({ client: pool, schema }) as unknown as Db, close: () => pool.end() };
}
