import type { ExecutionContext } from "hono";
import { createApp } from "./app.ts";
import type { AppDeps, Deps, EmailJob, EmailQueue } from "./deps.ts";
import { ConfigError, parseConfig } from "./env.ts";
import { problemBody } from "./lib/errors.ts";
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
  });
  isolate = { env, deps, app: createApp(deps) };
  return isolate;
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
 * cannot do).
 */
export async function withServices<T>(env: WorkerEnv, work: (deps: Deps) => Promise<T>): Promise<T> {
  const { deps } = isolateFor(env);
  const database = deps.database.open();
  try {
    return await work({
      ...deps,
      db: database.db,
      // Pages only read, and batch and cron work deliver their own emails: nothing here queues more work.
      defer: (task) => void task.catch(() => {}),
      dispatchEmails: () => {},
    });
  } finally {
    await database.close();
  }
}

/** The Queue consumer: email jobs, delivered through the outbox. */
export function handleEmailBatch(
  batch: { messages: readonly QueueMessage<EmailJob>[] },
  env: WorkerEnv,
): Promise<void> {
  return withServices(env, (deps) => consumeEmailJobs(deps, batch.messages));
}

/** The Cron Trigger: purges and the outbox sweep. */
export async function handleScheduled(env: WorkerEnv): Promise<void> {
  await withServices(env, runScheduledMaintenance);
}
