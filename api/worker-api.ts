import type { ExecutionContext } from "hono";
import { createApp } from "./app.ts";
import type { AppDeps, Deps } from "./deps.ts";
import { ConfigError, parseConfig } from "./env.ts";
import { problemBody } from "./lib/errors.ts";
import { runtimeDeps } from "./runtime.ts";

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
  const deps = runtimeDeps(config, {
    poolPerRequest: true,
    clientIp: (request) => request.headers.get("CF-Connecting-IP") ?? undefined,
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
 * Runs `work` with the services' dependencies for one page render, so
 * on-demand Astro pages read through the same services as the API instead of
 * fetching their own origin (which a Worker cannot do).
 */
export async function withServices<T>(env: WorkerEnv, work: (deps: Deps) => Promise<T>): Promise<T> {
  const { deps } = isolateFor(env);
  const database = deps.database.open();
  try {
    return await work({ ...deps, db: database.db, defer: (task) => void task.catch(() => {}) });
  } finally {
    await database.close();
  }
}
