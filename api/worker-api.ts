import type { ExecutionContext } from "hono";
import { createApp } from "./app.ts";
import type { AppDeps, Deps, EmailJob, EmailQueue } from "./deps.ts";
import { ConfigError, parseConfig } from "./env.ts";
import { problemBody } from "./lib/errors.ts";
import type { RateLimitBinding } from "./lib/ratelimit/binding.ts";
import { purgeQuietly, responseCacheFor } from "./lib/response-cache/serve.ts";
import { runtimeDeps } from "./runtime.ts";
import { runScheduledMaintenance } from "./maintenance.ts";
import { consumeEmailJobs, type QueueMessage } from "./notifications/email-consumer.ts";

export type WorkerEnv = Record<string, unknown>;

interface Isolate {
  env: WorkerEnv;
  deps: AppDeps;
  app: ReturnType<typeof createApp>;
}

let isolate: Isolate | undefined;

/** Configuration is parsed once per isolate (Workers hand every request the same env object). */
function isolateFor(env: WorkerEnv): Isolate {
  if (isolate?.env === env) return isolate;
  const config = parseConfig(env);
  const emailQueue = env.EMAIL_QUEUE as EmailQueue | undefined;
  if (config.mail.delivery === "queue" && !emailQueue) {
    throw new ConfigError([{
      variable: "EMAIL_DELIVERY",
      message: "is queue but the Worker has no EMAIL_QUEUE binding",
    }]);
  }
  const deps = runtimeDeps(config, {
    poolPerRequest: true,
    clientIp: (request) => request.headers.get("CF-Connecting-IP") ?? undefined,
    emailQueue,
    // Production counts in the colo through the binding. Local runs keep RATE_LIMIT_PER_MINUTE in process: wrangler
    // dev emulates the binding with wrangler.toml's fixed 100 a minute, which one browser test can spend alone.
    ipRateLimiter: config.env === "production" ? env.IP_RATE_LIMITER as RateLimitBinding | undefined : undefined,
  });
  isolate = { env, deps, app: createApp(deps) };
  return isolate;
}

/** The isolate's dependencies for the Worker's entry, or undefined when configuration is bad (`handleApi` answers that). */
export function isolateDeps(env: WorkerEnv): AppDeps | undefined {
  try {
    return isolateFor(env).deps;
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}

function badConfiguration(error: ConfigError): Response {
  console.error(JSON.stringify({ level: "error", message: error.message }));
  const body = problemBody(
    { status: 500, code: "bad_configuration", message: error.message, errors: undefined },
    crypto.randomUUID(),
  );
  return Response.json(body, { status: 500, headers: { "Content-Type": "application/problem+json" } });
}

/** The Worker's API half: /api and /health through Hono, with configuration errors answered, not thrown. */
export async function handleApi(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
  let app: Isolate["app"];
  try {
    app = isolateFor(env).app;
  } catch (error) {
    if (error instanceof ConfigError) return badConfiguration(error);
    throw error;
  }
  return app.fetch(request, env, ctx);
}

/**
 * Runs `work` with the services' dependencies outside an API request: queue
 * batches, cron, and on-demand Astro pages, which read through the same
 * services as the API instead of fetching their own origin (which a Worker
 * cannot do). Purges go to the invocation's Workers Cache when `ctx` has one.
 */
export async function withServices<T>(env: WorkerEnv, work: (deps: Deps) => Promise<T>, ctx?: unknown): Promise<T> {
  const { deps } = isolateFor(env);
  const database = deps.database.open();
  const deferred: Promise<unknown>[] = [];
  try {
    return await work({
      ...deps,
      db: database.db,
      // Pages only read, and batch and cron work deliver their own emails; whatever is deferred still finishes before
      // the database closes, as the caller awaits all of this.
      defer: (task) => {
        deferred.push(
          task.catch((error) => deps.logger.log("error", "deferred work failed", { error: String(error) })),
        );
      },
      dispatchEmails: () => {},
      purgeTags: (tags) => purgeQuietly(responseCacheFor(ctx, deps.responseCache), deps.logger, tags),
    });
  } finally {
    await Promise.all(deferred);
    await database.close();
  }
}

/** The site's own origin (PUBLIC_URL), for absolute URLs in pages: never the request's Host. */
export function publicOrigin(env: WorkerEnv): string {
  return new URL(isolateFor(env).deps.config.publicUrl).origin;
}

/** The Queue consumer: email jobs, delivered through the outbox. */
export function handleEmailBatch(
  batch: { messages: readonly QueueMessage<EmailJob>[] },
  env: WorkerEnv,
  ctx?: unknown,
): Promise<void> {
  return withServices(env, (deps) => consumeEmailJobs(deps, batch.messages), ctx);
}

/** The Cron Trigger: purges and the outbox sweep. */
export async function handleScheduled(env: WorkerEnv, ctx?: unknown): Promise<void> {
  await withServices(env, runScheduledMaintenance, ctx);
}
