import type { MiddlewareHandler } from "hono";

/**
 * Hono hands only Error instances to onError and rethrows anything else. The
 * Neon driver rejects with the WebSocket's ErrorEvent when it cannot connect,
 * which would escape as an uncaught exception; wrapped, it becomes a 503.
 */
export const wrapThrownValues: MiddlewareHandler = async function wrapThrownValues(_c, next) {
  try {
    await next();
  } catch (thrown) {
    if (thrown instanceof Error) throw thrown;
    throw new Error(`non-Error thrown: ${Object.prototype.toString.call(thrown)}`, { cause: thrown });
  }
};
