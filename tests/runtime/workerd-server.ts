import { siteBuildIsFresh } from "../../api/local/site-build.ts";
import { writeEnvFile } from "../../api/local/worker-vars.ts";
import type { ServerDatabase } from "../support/runtime-database.ts";
import { freePort, type RunningServer, startServer } from "../support/servers.ts";

export function requireFreshBuild(): void {
  if (!siteBuildIsFresh()) throw new Error("The Worker bundle is missing or stale: run `npm run build` first.");
}

/** The built Worker under `wrangler dev`, on `database`, with development settings that `vars` may replace. */
export async function startWorkerd(
  database: ServerDatabase,
  vars: Record<string, string> = {},
): Promise<RunningServer> {
  const port = await freePort();
  const envFile = `.wrangler/test/worker-${process.pid}-${port}.env`;
  writeEnvFile(envFile, {
    ...database.env,
    APP_ENV: "development",
    DEV_MAILBOX: "on",
    MAIL_PROVIDER: "outbox",
    PAYMENT_PROVIDER: "local",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    JWT_SECRET: "workerd-smoke-test-secret-0123456789abcdef",
    LOG_LEVEL: "warn",
    ...vars,
  });
  return await startServer(
    "node_modules/.bin/wrangler",
    [
      "dev",
      "--local",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--env-file",
      envFile,
      "--show-interactive-dev-session=false",
    ],
    {
      env: { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
      port,
      readyPath: "/health/live",
      timeoutMs: 90_000,
    },
  );
}
