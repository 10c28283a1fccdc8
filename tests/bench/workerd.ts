/**
 * Runs a built Worker in one `workerd serve`, the way Cloudflare's runtime
 * runs it, without `wrangler dev`'s tooling in front. wrangler dev puts a
 * proxy Worker in a second workerd and streams the inspector: measured here,
 * a trivial Worker answered about 250 req/s under it against about 9,700 under
 * plain workerd, so under wrangler dev a benchmark measures the dev tooling.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Child, spawnPinned } from "./processes.ts";

const WORKERD = "node_modules/.bin/workerd";

export interface WorkerBuild {
  /** The directory of the built modules. */
  directory: string;
  /** The entry module, relative to `directory`. */
  main: string;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** Plain-text bindings: the config's [vars], then the run's. */
  vars: Record<string, string>;
}

/** The Astro build's Worker (site/dist/server), with its wrangler.json's date, flags and vars. */
export function astroWorkerBuild(vars: Record<string, string>): WorkerBuild {
  const directory = resolve("site/dist/server");
  const config = JSON.parse(readFileSync(join(directory, "wrangler.json"), "utf8")) as {
    main: string;
    compatibility_date: string;
    compatibility_flags?: string[];
    vars?: Record<string, string>;
  };
  return {
    directory,
    main: config.main,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    // Without the Queue binding (a Cloudflare service), mail goes out inline, as on the embedded default.
    vars: { ...config.vars, EMAIL_DELIVERY: "inline", ...vars },
  };
}

/** A one-file Worker bundled by wrangler (as `wrangler deploy` would) into `outdir`. */
export function bundleWorker(entry: string, compatibilityDate: string, outdir: string): WorkerBuild {
  const configFile = join(outdir, "wrangler.json");
  writeFileSync(
    configFile,
    JSON.stringify({ name: "bench", main: resolve(entry), compatibility_date: compatibilityDate }),
  );
  const wrangler = spawnSync(
    process.execPath,
    ["node_modules/.bin/wrangler", "deploy", "--dry-run", "--outdir", join(outdir, "bundle"), "--config", configFile],
    { encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
  if (wrangler.status !== 0) throw new Error(`bundling ${entry} failed:\n${wrangler.stdout}${wrangler.stderr}`);
  const main = readdirSync(join(outdir, "bundle")).find((file) => file.endsWith(".js"));
  if (!main) throw new Error(`wrangler wrote no module for ${entry}`);
  return { directory: join(outdir, "bundle"), main, compatibilityDate, compatibilityFlags: [], vars: {} };
}

function modulesOf(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.m?js$/.test(file))
    .sort();
}

/** workerd's config: the Worker on 127.0.0.1:`port`, allowed to reach local services (Postgres' bridge, Upstash). */
function capnpConfig(build: WorkerBuild, port: number, linkName: string): string {
  const text = (value: string) => JSON.stringify(value);
  const modules = modulesOf(build.directory)
    // The entry first: workerd treats the first module as the main one.
    .sort((a, b) => Number(b === build.main) - Number(a === build.main))
    .map((file) => `(name = ${text(file)}, esModule = embed ${text(join(linkName, file))})`);
  const bindings = Object.entries(build.vars).map(([name, value]) => `(name = ${text(name)}, text = ${text(value)})`);
  return [
    `using Workerd = import "/workerd/workerd.capnp";`,
    `const config :Workerd.Config = (`,
    `  services = [`,
    `    (name = "main", worker = .worker),`,
    `    (name = "internet", network = (allow = ["public", "private", "local"])),`,
    `  ],`,
    `  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],`,
    `);`,
    `const worker :Workerd.Worker = (`,
    `  modules = [${modules.join(", ")}],`,
    `  compatibilityDate = ${text(build.compatibilityDate)},`,
    `  compatibilityFlags = [${build.compatibilityFlags.map(text).join(", ")}],`,
    `  bindings = [${bindings.join(", ")}],`,
    `);`,
    ``,
  ].join("\n");
}

/** Starts `workerd serve` for `build` on `port`, pinned to `cpu`. */
export function startWorkerd(build: WorkerBuild, port: number, scratch: string, cpu: number): Child {
  // Embedded paths are relative to the config file: a link puts the build next to it.
  const linkName = `worker-${port}`;
  symlinkSync(build.directory, join(scratch, linkName));
  const configFile = join(scratch, `workerd-${port}.capnp`);
  writeFileSync(configFile, capnpConfig(build, port, linkName));
  return spawnPinned("workerd", resolve(WORKERD), ["serve", "--verbose", configFile], { cpu });
}
