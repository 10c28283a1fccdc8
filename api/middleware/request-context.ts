import type { Context, ExecutionContext, MiddlewareHandler } from "hono";
import type { AppDeps, AppEnv, Deps } from "../deps.ts";
import { deliverOutbox } from "../lib/mail/outbox.ts";
import { purgeQuietly, responseCacheFor } from "../lib/response-cache/serve.ts";

function executionContext(c: Context): ExecutionContext | undefined {
  // Workers always pass bindings with the ExecutionContext; without them there is none, and asking Hono for it
  // builds and throws an Error on every request, which showed in Deno's profile.
  if (c.env === undefined) return undefined;
  try {
    return c.executionCtx;
  } catch {
    // No ExecutionContext outside Workers: deferred work is awaited before answering.
    return undefined;
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
    const ctx = executionContext(c);
    const background = ctx && ((work: Promise<unknown>) => ctx.waitUntil(work));
    const deferred: Promise<unknown>[] = [];
    const defer = (work: Promise<unknown>) => {
      deferred.push(work.catch((error) => app.logger.log("error", "deferred work failed", { error: String(error) })));
    };
    const deps: Deps = {
      db: database.db,
      cache: app.cache,
      limiter: app.limiter,
      clock: app.clock,
      config: app.config,
      logger: app.logger,
      mailer: app.mailer,
      payments: app.payments,
      defer,
      dispatchEmails: (ids) => {
        const emailIds = ids.filter((id): id is string => Boolean(id));
        if (emailIds.length === 0) return;
        defer(app.emailQueue ? app.emailQueue.send({ emailIds }) : deliverOutbox(deps, emailIds));
      },
      purgeTags: (tags) => purgeQuietly(responseCacheFor(ctx, app.responseCache), app.logger, tags),
    };
    c.set("deps", deps);
    try {
      await next();
    } finally {
      // Deferred work uses this request's database (delivering an email, then marking it sent), and may defer more:
      // the database closes once all of it has settled. On Workers that is after the answer, inside waitUntil.
      const closing = (async () => {
        while (deferred.length > 0) await Promise.all(deferred.splice(0));
        await database.close();
      })().catch(() => {});
      if (background) background(closing);
      else await closing;
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
