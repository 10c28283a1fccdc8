import {
  Client,
  type CustomTypesConfig,
  Pool,
  type PoolClient,
  type QueryResult,
  type QueryResultRow,
} from "@neondatabase/serverless";
import { coalesceWebSocketWrites } from "./coalescing-websocket.ts";
import { routeWebSocket } from "./neon-routes.ts";

export interface PoolOptions {
  url: string;
  /**
   * `host:port/path` of a WebSocket-to-TCP bridge. Set for any Postgres that is
   * not Neon (the embedded PGlite server, CI's PostgreSQL).
   */
  wsProxy?: string | undefined;
  maxConnections?: number;
}

/** Neon's WebSocket `Pool`, with connections that are never handed out again once lost. */
export interface NeonPool {
  readonly pool: Pool;
  /** Runs `work` on a connection of its own and gives it back: destroyed if its connection was lost. */
  withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

export function openPool(options: PoolOptions): NeonPool {
  coalesceWebSocketWrites();
  if (options.wsProxy) routeWebSocket(options.url, options.wsProxy);
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
  return {
    pool,
    withClient: async (work) => {
      const client = await pool.connect();
      try {
        return await work(client);
      } finally {
        client.release(lost.has(client) ? new Error("connection lost") : undefined);
      }
    },
    end: () => pool.end(),
  };
}

export interface PreparedQueryConfig {
  text: string;
  values: unknown[];
  /** Rows as arrays of values; unset, as objects by column name. */
  rowMode?: "array" | undefined;
  types: CustomTypesConfig;
}

type QueryCallback<Row extends QueryResultRow> = (error: Error | null, result: QueryResult<Row>) => void;
const PgQuery = (Client as unknown as { Query: new (config: object) => object }).Query;

/**
 * pg sends a statement without parameters as a simple Query, which runs every
 * statement in the text; Neon's HTTP endpoint prepares each query (the
 * extended protocol), so Postgres refuses a text of several statements before
 * running any. This query always takes the extended path too.
 */
class PreparedQuery extends PgQuery {
  requiresPreparation(): boolean {
    return true;
  }
}

/** Runs one statement on `client` as Neon's HTTP endpoint runs it: prepared, whatever its parameters. */
export function queryPrepared<Row extends QueryResultRow>(
  client: PoolClient,
  config: PreparedQueryConfig,
): Promise<QueryResult<Row>> {
  return new Promise((resolve, reject) => {
    const callback: QueryCallback<Row> = (error, result) => error ? reject(error) : resolve(result);
    client.query(new PreparedQuery({ ...config, callback }) as never);
  });
}
