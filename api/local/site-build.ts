import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { runTool, type Tool } from "./processes.ts";

/** Everything the built Worker is made from. */
const SOURCES = ["site/src", "site/public", "site/astro.config.mjs", "api", "db", "wrangler.toml", "package-lock.json"];
/** What `wrangler dev` runs: the bundle, and the redirect that points Wrangler at it. */
const OUTPUTS = ["site/dist/server/entry.mjs", "site/dist/server/wrangler.json", ".wrangler/deploy/config.json"];
const SKIPPED_DIRS = new Set(["node_modules", "dist", ".astro", ".wrangler"]);

/** True when a build exists and no source changed after it. */
export function siteBuildIsFresh(): boolean {
  if (!OUTPUTS.every((path) => existsSync(path))) return false;
  const builtAt = Math.min(...OUTPUTS.map((path) => statSync(path).mtimeMs));
  return SOURCES.every((source) => newestChange(source) < builtAt);
}

export function buildSite(env: NodeJS.ProcessEnv): Tool {
  return runTool("astro", ["build", "--root", "site"], env);
}

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory() && SKIPPED_DIRS.has(entry.name)) continue;
    newest = Math.max(newest, newestChange(join(path, entry.name)));
  }
  return newest;
}
