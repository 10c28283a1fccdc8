import { isHttpPathDown } from "../../db/neon-fallback.ts";

const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections: the server is full, not the request wrong; retrying later works
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

const unavailableMessages =
  /connection terminated|timeout exceeded when trying to connect|websocket|socket hang up|connection refused|not queryable|server closed the connection|Client has encountered a connection error/i;

/** Walks the cause chain (Drizzle wraps driver errors) looking for "could not talk to Postgres" rather than "Postgres said no". */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    if (typeof current !== "object") return false;
    // The WebSocket driver rejects with the socket's error event when it cannot connect at all.
    if (typeof Event !== "undefined" && current instanceof Event) return true;
    if (isHttpPathDown(current)) return true;
    const { code, message, cause, severity } = current as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      severity?: unknown;
    };
    if (typeof code === "string" && unavailableCodes.has(code)) return true;
    if (typeof message === "string" && severity === undefined && unavailableMessages.test(message)) return true;
    current = cause;
  }
  return false;
}

/** The Postgres SQLSTATE of a failed query, through Drizzle's wrapping. */
export function postgresCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    if (typeof current !== "object") return undefined;
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = cause;
  }
  return undefined;
}

/**
 * Class 22, "data exception": a value Postgres cannot take (NUL in text, a
 * number or date out of its type's range, a malformed literal). Inputs are
 * validated before any query, so this is the last resort for a field the
 * rules missed: the request was wrong, not the server.
 */
export function isDataException(error: unknown): boolean {
  return postgresCode(error)?.startsWith("22") ?? false;
}

/** restrict_violation (ON DELETE RESTRICT) and foreign_key_violation (NO ACTION). */
const STILL_REFERENCED = new Set(["23001", "23503"]);

/**
 * Runs a delete that a foreign key may refuse because other records, such as
 * payments, still point at the row: the caller's conflict, answered with its
 * own code, never a 500.
 */
export async function deleteUnlessReferenced<T>(remove: () => Promise<T>, conflict: () => Error): Promise<T> {
  try {
    return await remove();
  } catch (error) {
    if (STILL_REFERENCED.has(postgresCode(error) ?? "")) throw conflict();
    throw error;
  }
}
