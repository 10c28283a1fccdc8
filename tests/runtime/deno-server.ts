import type { ServerDatabase } from "../support/runtime-database.ts";
import { freePort, type RunningServer, startServer } from "../support/servers.ts";

export const DENO = "node_modules/.bin/deno";
export const DENO_ARGS = ["run", "--allow-net", "--allow-env", "--allow-read", "--allow-sys", "api/deno.ts"];

/** The Deno entry on `database`, serving (and caching for) its own address, with settings that `vars` may replace. */
export async function startDeno(database: ServerDatabase, vars: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  return await startServer(DENO, DENO_ARGS, {
    env: {
      ...database.env,
      PORT: String(port),
      APP_ENV: "development",
      LOG_LEVEL: "warn",
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...vars,
    },
    port,
    readyPath: "/health/live",
  });
}
