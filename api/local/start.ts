/**
 * `npm start` (and `npm run dev` with --dev): the whole platform on one
 * machine with nothing to install. Without DATABASE_URL it serves an embedded
 * PGlite, seeded on its first run; then it runs the Worker — `wrangler dev`
 * over the production build, or `astro dev` with live reload — and stops it
 * all, database last, on Ctrl-C.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { banner } from "./banner.ts";
import { provideDatabase } from "./database.ts";
import { assertPortFree, runTool, type Tool, toolEnv, waitUntilReady } from "./processes.ts";
import { buildSite, siteBuildIsFresh } from "./site-build.ts";
import { localWorkerVars, writeEnvFile } from "./worker-vars.ts";

const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 120_000;

process.chdir(fileURLToPath(new URL("../..", import.meta.url)));

const mode = process.argv.includes("--dev") ? "dev" : "start";
const port = Number(process.env.PORT ?? 8787);
const origin = `http://${HOST}:${port}`;
const envFile = resolve(".wrangler/local/worker.env");

/** Run in reverse on shutdown, so the Worker stops before the database it uses. */
const cleanups: (() => Promise<void>)[] = [];
let stopping: Promise<never> | undefined;

function shutdown(exitCode: number): Promise<never> {
  stopping ??= (async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => console.error("while stopping:", error));
    }
    process.exit(exitCode);
  })();
  return stopping;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (stopping) {
      // A second Ctrl-C: give up on a clean stop (processes.ts kills what is left).
      process.exit(130);
    }
    console.log(`\nStopping (${signal})…`);
    void shutdown(0);
  });
}

function track(tool: Tool): Tool {
  cleanups.push(tool.stop);
  return tool;
}

async function startWranglerDev(vars: Record<string, string>): Promise<Tool> {
  if (siteBuildIsFresh()) {
    console.log("site/dist is newer than every source: skipping the build.");
  } else {
    const code = await track(buildSite(toolEnv())).exited;
    if (code !== 0) throw new Error(`astro build failed (exit code ${code})`);
  }
  writeEnvFile(envFile, vars);
  const args = ["dev", "--local", "--ip", HOST, "--port", String(port), "--env-file", envFile];
  return track(runTool("wrangler", [...args, "--show-interactive-dev-session=false"], toolEnv()));
}

function startAstroDev(vars: Record<string, string>): Tool {
  if (existsSync(".dev.vars")) {
    console.warn("Warning: .dev.vars exists, and the Cloudflare Vite plugin then ignores the settings passed here.");
  }
  // The Vite plugin has no env-file option; it reads the Worker's vars from the process environment when asked to.
  const env = toolEnv({ ...vars, CLOUDFLARE_INCLUDE_PROCESS_ENV: "true" });
  return track(runTool("astro", ["dev", "--root", "site", "--host", HOST, "--port", String(port)], env));
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  await assertPortFree(port, HOST);
  const database = await provideDatabase(process.env.DATABASE_URL);
  cleanups.push(database.close);
  const vars = localWorkerVars({
    databaseUrl: database.databaseUrl,
    wsProxy: database.wsProxy,
    httpProxy: database.httpProxy,
    publicUrl: process.env.PUBLIC_URL ?? origin,
  });
  const server = mode === "dev" ? startAstroDev(vars) : await startWranglerDev(vars);
  await waitUntilReady(`${origin}/health/ready`, server, READY_TIMEOUT_MS);
  const redisUrl = process.env.UPSTASH_REDIS_REST_URL;
  console.log(banner({
    url: origin,
    mode,
    database: database.description,
    cache: redisUrl ? `Upstash (${new URL(redisUrl).host})` : "in memory, per isolate",
    demoAccounts: database.demoAccounts,
    secondsToReady: (performance.now() - startedAt) / 1000,
  }));
  const code = await server.exited;
  if (!stopping) {
    console.error(`${server.name} exited (code ${code}); stopping.`);
    await shutdown(code || 1);
  }
}

main().catch(async (error: unknown) => {
  if (stopping) return;
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
});
