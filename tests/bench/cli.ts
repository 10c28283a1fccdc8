/**
 * What the benchmark commands (catalog.ts, run.ts) share: argument checks,
 * stopping cleanly on Ctrl-C, a built Worker that nobody rebuilds under the
 * running benchmark, and formatted result files.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { siteBuildIsFresh } from "../../api/local/site-build.ts";
import { type Child, finish, firstLine, spawnPinned, stopAll } from "./processes.ts";

export const log = (line: string) => console.error(`[bench] ${line}`);

/** A whole number from 1 to `max` given as --name, or an error that says so. */
export function positive(name: string, value: string, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > max) throw new Error(`--${name} takes 1 to ${max}, not ${value}`);
  return number;
}

/** The command that reproduces this run, for the results: `npm run <script> -- <the arguments given>`. */
export function reproduceCommand(script: string): string {
  const args = process.argv.slice(2).map((arg) => (/^[\w./,=-]+$/.test(arg) ? arg : `"${arg}"`)).join(" ");
  return `npm run ${script}${args ? ` -- ${args}` : ""}`;
}

/**
 * Runs `main`, then exits; on an error or a signal, stops every child process
 * first and runs `cleanup` (closing database pools).
 */
export function runMain(main: () => Promise<void>, cleanup: () => Promise<unknown> = async () => {}): void {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      stopping = true;
      log(`${signal}: stopping`);
      void Promise.allSettled([stopAll(), cleanup()]).finally(() => process.exit(130));
    });
  }
  main().then(
    () => process.exit(0),
    async (error: unknown) => {
      if (stopping) return; // a signal stopped the children under it: the signal handler exits
      console.error(error instanceof Error ? error.stack ?? error.message : error);
      await Promise.allSettled([stopAll(), cleanup()]);
      process.exit(1);
    },
  );
}

/** Builders of site/dist take it exclusively (`flock /tmp/lectern-site.lock npm run build`). */
const SITE_LOCK = "/tmp/lectern-site.lock";

function sharedSiteLock(): Promise<Child> {
  const child = spawnPinned(
    "site lock",
    "flock",
    ["--shared", SITE_LOCK, "sh", "-c", "echo locked; exec sleep 86400"],
    {
      cpu: undefined,
    },
  );
  // Waits as long as a build holds the lock.
  return firstLine(child, 15 * 60_000).then(() => child);
}

/**
 * Builds the Worker if it is stale, then holds a shared lock on the build
 * until the returned release is called: each server of a run loads site/dist
 * when it starts, and a rebuild in the middle of a run would mix two builds.
 */
export async function holdFreshBuild(): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const lock = await sharedSiteLock();
    if (siteBuildIsFresh()) return () => lock.stop();
    await lock.stop();
    log("the Worker bundle is stale or missing: building it");
    const build = spawnPinned("site build", "flock", [SITE_LOCK, "npm", "run", "build"], { cpu: undefined });
    const code = await finish(build, 15 * 60_000);
    if (code !== 0) throw new Error(`npm run build failed (exit code ${code}):\n${build.output().slice(-3000)}`);
  }
  throw new Error("the Worker bundle keeps changing: someone is editing the app while the benchmark starts");
}

/** Writes result files, formatted as `deno fmt --check` wants them (tests/ is checked). */
export function writeFormatted(files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    writeFileSync(path, content);
  }
  const formattable = Object.keys(files).filter((path) => /\.(json|md|svg)$/.test(path));
  spawnSync("node_modules/.bin/deno", ["fmt", "--quiet", ...formattable], { stdio: "inherit" });
}
