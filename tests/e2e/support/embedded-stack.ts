/**
 * The platform as `npm start` runs it, for the browser tests and the site
 * benchmark: an embedded PGlite in a temporary directory, migrated and seeded
 * with the demo data, and `wrangler dev` over the production build on a free
 * port.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeEnvFile } from "../../../api/local/worker-vars.ts";
import { startEmbeddedDatabase } from "../../../db/embedded.ts";
import { seedDemo } from "../../../db/seed.ts";
import { freePort, startServer } from "../../support/servers.ts";

export interface EmbeddedStack {
  url: string;
  /** Stops the server and removes the database; E2E_SERVER_LOG=1 prints the server's output first. */
  stop(): Promise<void>;
}

export async function startEmbeddedStack(): Promise<EmbeddedStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "lectern-e2e-"));
  const database = await startEmbeddedDatabase({ dataDir });
  await seedDemo(database.db);

  const port = await freePort();
  const envFile = `.wrangler/test/e2e-${process.pid}.env`;
  writeEnvFile(envFile, {
    DATABASE_URL: database.databaseUrl,
    DATABASE_WS_PROXY: database.wsProxy,
    DATABASE_HTTP_PROXY: database.httpEndpoint,
    APP_ENV: "development",
    DEV_MAILBOX: "on",
    MAIL_PROVIDER: "outbox",
    PAYMENT_PROVIDER: "local",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    JWT_SECRET: `e2e-${crypto.randomUUID()}-${crypto.randomUUID()}`,
    LOG_LEVEL: "warn",
    // Every page and island comes from one address; the per-IP limit is tested elsewhere.
    RATE_LIMIT_PER_MINUTE: "100000",
  });
  const server = await startServer(
    "node_modules/.bin/wrangler",
    ["dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--env-file", envFile]
      .concat("--show-interactive-dev-session=false"),
    {
      env: { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
      port,
      readyPath: "/health/ready",
      timeoutMs: 120_000,
    },
  );

  return {
    url: server.url,
    async stop() {
      const code = await server.stop();
      if (process.env.E2E_SERVER_LOG) console.log(server.output());
      // 143 is how wrangler itself exits on the SIGTERM sent to stop it.
      else if (code !== 0 && code !== 143 && code !== "SIGTERM") console.warn(`wrangler dev exited with ${code}`);
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(envFile, { force: true });
    },
  };
}
