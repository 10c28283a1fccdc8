import { type FullQueryResults, type NeonQueryFunction, types } from "@neondatabase/serverless";
import type { Logger } from "../api/lib/logger.ts";
import { type NeonPool, queryPrepared } from "./neon-pool.ts";

/** How long one-shot queries go straight to the pool once the HTTP path has failed, before HTTP is tried again. */
export const HTTP_RETRY_AFTER_MS = 5_000;

/** What drizzle's neon-http session calls for each one-shot query: it always asks for full results. */
export type OneShotQuery = (
  query: string,
  params: unknown[],
  options: { arrayMode: boolean },
) => Promise<FullQueryResults<boolean>>;

/**
 * Whether one database's HTTP path is down, in this isolate. Every database
 * opened on it shares this (on Workers, one per request), so that after a
 * failure the next requests go straight to the pool instead of each paying
 * for a failed fetch first.
 */
export interface HttpPathState {
  down: boolean;
  /** While down: when one query may try HTTP again. */
  retryAt: number;
}

export function httpPathState(): HttpPathState {
  return { down: false, retryAt: 0 };
}

export interface FallbackOptions {
  /** The HTTP driver for the database. */
  http: NeonQueryFunction<false, false>;
  /** The database's WebSocket pool, opened when first asked for: on Workers, the request's own. */
  pool: () => NeonPool;
  state: HttpPathState;
  /** Told once per switch: to the pool, and back to HTTP. */
  logger: Logger;
  retryAfterMs: number;
}

/**
 * One-shot queries over HTTP, and over the WebSocket pool when the HTTP path
 * cannot be reached (a failed fetch, or a 5xx from the endpoint): a read is
 * sent again over the pool, and so is a write whose request never left (the
 * connection was refused); a write that may have run is not, and fails as
 * before. Postgres' own errors (a unique violation, a full server) came over
 * a working path, so they surface as they are. After a failure, queries go
 * straight to the pool for `retryAfterMs`; then one query tries HTTP again
 * while the others keep to the pool.
 */
export function queryWithFallback(options: FallbackOptions): OneShotQuery {
  const { state, logger, retryAfterMs } = options;
  const switchToPool = (error: unknown) => {
    state.retryAt = Date.now() + retryAfterMs;
    if (state.down) return;
    state.down = true;
    logger.log("warn", "the HTTP query path failed: one-shot queries go over the WebSocket pool", {
      error: describe(error),
      retryAfterMs,
    });
  };
  const switchToHttp = () => {
    if (!state.down) return;
    state.down = false;
    logger.log("info", "the HTTP query path answers again: one-shot queries go over HTTP");
  };
  return async (query, params, { arrayMode }) => {
    if (state.down && Date.now() < state.retryAt) return await overPool(options.pool(), query, params, arrayMode);
    const probing = state.down;
    if (probing) state.retryAt = Date.now() + retryAfterMs;
    try {
      const result = await options.http.query(query, params, { arrayMode, fullResults: true });
      if (probing) switchToHttp();
      return result;
    } catch (error) {
      if (!isHttpPathDown(error)) {
        if (probing) switchToHttp();
        throw error;
      }
      switchToPool(error);
      if (!neverSent(error) && !isRead(query)) throw error;
      return await overPool(options.pool(), query, params, arrayMode);
    }
  };
}

/**
 * The pool's answer in the HTTP driver's shape. The values go through the
 * same type parsers the HTTP driver uses (the driver's global ones, which
 * drizzle's neon-http driver sets to leave dates, timestamps and intervals as
 * Postgres text), so Drizzle maps them alike.
 */
async function overPool(
  pool: NeonPool,
  query: string,
  params: unknown[],
  arrayMode: boolean,
): Promise<FullQueryResults<boolean>> {
  const result = await pool.withClient((client) =>
    queryPrepared<never>(client, { text: query, values: params, rowMode: arrayMode ? "array" : undefined, types })
  );
  return {
    command: result.command,
    // As Postgres counted: the HTTP endpoint passes the same number (or null) on.
    rowCount: result.rowCount as number,
    fields: result.fields,
    rows: result.rows,
    rowAsArray: arrayMode,
  };
}

/** The HTTP driver's words for an endpoint that answered with a 5xx: it, or the database behind it, is down. */
const serverError = /^Server error \(HTTP status 5\d\d\)/;

/**
 * The HTTP driver's error for a path that did not work: its fetch failed (it
 * keeps the failure as `sourceError`; nothing is kept when the endpoint
 * answered), or the endpoint answered with a 5xx.
 */
export function isHttpPathDown(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== "NeonDbError") return false;
  return (error as { sourceError?: unknown }).sourceError !== undefined || serverError.test(error.message);
}

/** Failures to connect at all: Node's codes, and Deno's words. */
const connectCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const connectMessages = /tcp connect error|connection refused/i;

/** Whether the failed fetch never reached the endpoint, so the statement cannot have run. */
function neverSent(error: unknown): boolean {
  let current = (error as { sourceError?: unknown }).sourceError;
  for (let depth = 0; typeof current === "object" && current !== null && depth < 4; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string" && connectCodes.has(code)) return true;
    if (typeof message === "string" && connectMessages.test(message)) return true;
    current = cause;
  }
  return false;
}

/**
 * A statement that only reads, so running it twice is harmless: a select, or
 * a with-query with no data-modifying word in it. Anything else counts as a
 * write, including a locking `select … for update`; a read taken for a write
 * only fails as it did before there was a fallback.
 */
function isRead(query: string): boolean {
  return /^\s*(select|with)\b/i.test(query) && !/\b(insert|update|delete|merge)\b/i.test(query);
}

function describe(error: unknown): string {
  const source = (error as { sourceError?: unknown }).sourceError;
  const cause = source instanceof Error && source.cause instanceof Error ? `: ${source.cause.message}` : "";
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}
