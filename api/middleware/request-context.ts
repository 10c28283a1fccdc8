import type { Context, MiddlewareHandler } from "hono";
import type { AppDeps, AppEnv } from "../deps.ts";

function afterResponse(c: Context, work: Promise<unknown>): Promise<unknown> | undefined {
  try {
    c.executionCtx.waitUntil(work);
    return undefined;
  } catch {
    // No ExecutionContext outside Workers: finish the work before answering.
    return work;
  }
}

/**
 * Gives each request its services' dependencies (with a database opened for
 * this request), closes that database after the response, and writes one
 * structured access-log line.
 */
export function requestContext(app: AppDeps): MiddlewareHandler<AppEnv> {
  return async function requestContextMiddleware(c, next) {
    const started = performance.now();
    const database = app.database.open();
    c.set("deps", {
      db: database.db,
      cache: app.cache,
      limiter: app.limiter,
      clock: app.clock,
      config: app.config,
      logger: app.logger,
    });
    try {
      await next();
    } finally {
      await afterResponse(c, database.close().catch(() => {}));
      app.logger.log(c.res.status >= 500 ? "error" : "info", "request", {
        requestId: c.var.requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      });
    }
  };
}
