/**
 * Starts the platform the way `npm start` does, once for the whole browser
 * suite: an embedded PGlite in a temporary directory, migrated and seeded with
 * the demo data, and `wrangler dev` over the production build on a free port.
 * Test files reach it through `inject("e2e")` (see ./stack.ts).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { siteBuildIsFresh } from "../../../api/local/site-build.ts";
import { writeEnvFile } from "../../../api/local/worker-vars.ts";
import { startEmbeddedDatabase } from "../../../db/embedded.ts";
import { seedDemo } from "../../../db/seed.ts";
import { freePort, startServer } from "../../support/servers.ts";

declare module "vitest" {
  export interface ProvidedContext {
    e2e: { url: string };
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync("site/dist/server/entry.mjs")) {
    throw new Error("No Worker bundle: run `npm run build` before `npm run test:e2e`.");
  }
  if (!siteBuildIsFresh()) console.warn("e2e: site/dist is older than some sources; the tests run the built code.");

  const dataDir = mkdtempSync(join(tmpdir(), "lectern-e2e-"));
  const database = await startEmbeddedDatabase({ dataDir });
  await seedDemo(database.db);

  const port = await freePort();
  const envFile = `.wrangler/test/e2e-${process.pid}.env`;
  writeEnvFile(envFile, {
    DATABASE_URL: database.databaseUrl,
    DATABASE_WS_PROXY: database.wsProxy,
    APP_ENV: "development",
    MAIL_PROVIDER: "outbox",
    PAYMENT_PROVIDER: "local",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    JWT_SECRET: `e2e-${crypto.randomUUID()}-${crypto.randomUUID()}`,
    LOG_LEVEL: "warn",
    // Every page and island of the suite comes from one address; the per-IP limit is tested elsewhere.
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
  project.provide("e2e", { url: server.url });

  return async () => {
    const code = await server.stop();
    if (process.env.E2E_SERVER_LOG) console.log(server.output());
    else if (code !== 0 && code !== "SIGTERM") console.warn(`wrangler dev exited with ${code}`);
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(envFile, { force: true });
  };
}
