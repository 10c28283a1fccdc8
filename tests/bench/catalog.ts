/**
 * `npm run bench:catalog`: the catalog's performance at scale. Seeds a
 * benchmark database (`lectern_bench_<N>` on the machine's PostgreSQL), times
 * the database work of search, filtered lists and course pages with EXPLAIN
 * ANALYZE over fixed query lists, then loads the HTTP API — the built Worker
 * in workerd, and the Deno entry — from a separate process, and writes the
 * numbers to tests/bench/results/catalog-<N>.{json,md}.
 *
 *   node tests/bench/catalog.ts [--courses 10000] [--keep] [--duration 15] [--warmup 5]
 *     [--connections 50] [--rate 157] [--db-passes 3] [--servers workerd,deno] [--skip-e2e]
 *     [--skip-db] [--scenarios "search,filtered list,course by slug (cached),course by slug (uncached)"]
 *   node tests/bench/catalog.ts --courses N --render   (re-renders catalog-N.md from catalog-N.json)
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server; only the
 * lectern_bench_* database on it is ever dropped or written.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { holdFreshBuild, log, positive, reproduceCommand, runMain, writeFormatted } from "./cli.ts";
import { warnWithoutPooler } from "./pooler.ts";
import { DEFAULT_SERVER_URL, postgresVersion, prepareBenchDatabase } from "./database.ts";
import { measureDatabase } from "./db-timing.ts";
import { type E2eRow, measureServer, type ServerKind, SERVERS } from "./e2e.ts";
import { waitForQuiet } from "./cpu.ts";
import { type BenchResults, machineFacts, markdown } from "./report.ts";
import { buildWorkload } from "./workload.ts";

process.chdir(fileURLToPath(new URL("../..", import.meta.url)));

const { values } = parseArgs({
  options: {
    courses: { type: "string", default: "10000" },
    keep: { type: "boolean", default: false },
    duration: { type: "string", default: "15" },
    warmup: { type: "string", default: "5" },
    connections: { type: "string", default: "50" },
    rate: { type: "string", default: "157" },
    "db-passes": { type: "string", default: "3" },
    servers: { type: "string", default: SERVERS.join(",") },
    "skip-e2e": { type: "boolean", default: false },
    scenarios: { type: "string" },
    "skip-db": { type: "boolean", default: false },
    render: { type: "boolean", default: false },
  },
});

const courses = positive("courses", values.courses, 1_000_000);
const settings = {
  dbPasses: positive("db-passes", values["db-passes"], 20),
  warmupSeconds: positive("warmup", values.warmup, 120),
  seconds: positive("duration", values.duration, 300),
  connections: positive("connections", values.connections, 500),
  rate: positive("rate", values.rate, 100_000),
};
const servers = values.servers.split(",").map((name) => {
  if (!(SERVERS as readonly string[]).includes(name)) throw new Error(`--servers: unknown server ${name}`);
  return name as ServerKind;
});
/** E2E scenarios by name, comma-separated: search, filtered list, course by slug (cached), … (uncached). */
const only = values.scenarios?.split(",").map((name) => name.trim());
const serverUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL;
let closeDatabase: (() => Promise<void>) | undefined;

const resultsFile = (ext: string) => `tests/bench/results/catalog-${courses}.${ext}`;

/** Writes the JSON and the markdown, and prints the markdown. */
function write(results: BenchResults): void {
  writeFormatted({
    [resultsFile("json")]: `${JSON.stringify(results, null, 2)}\n`,
    [resultsFile("md")]: markdown(results),
  });
  console.log(`\n${readFileSync(resultsFile("md"), "utf8")}`);
}

async function main(): Promise<void> {
  if (values.render) {
    // Only re-renders the markdown of an earlier run (after a change to report.ts).
    write(JSON.parse(readFileSync(resultsFile("json"), "utf8")) as BenchResults);
    return;
  }
  const startedAt = new Date().toISOString();
  const database = await prepareBenchDatabase(serverUrl, courses, values.keep, log);
  closeDatabase = database.close;
  const workload = await buildWorkload(database.db);
  log(`workload: ${workload.search.length} searches, ${workload.list.length} lists, ${workload.slugs.length} slugs`);
  const dbBusyBeforePercent = await waitForQuiet(120);
  const dbResults = values["skip-db"] ? [] : await measureDatabase(database.db, workload, settings.dbPasses);
  for (const row of dbResults) {
    log(`db ${row.scenario}: p50 ${row.execution.p50.toFixed(2)} ms, p99 ${row.execution.p99.toFixed(2)} ms`);
  }
  const machine = machineFacts(await postgresVersion(database));
  // The benchmark's own pool and bridge must not compete with the servers.
  await database.close();
  closeDatabase = undefined;

  const e2e: E2eRow[] = [];
  if (!values["skip-e2e"]) {
    warnWithoutPooler(log);
    const releaseBuild = await holdFreshBuild();
    try {
      for (const server of servers) {
        e2e.push(...await measureServer(server, workload, { databaseUrl: database.url, ...settings, only, log }));
      }
    } finally {
      await releaseBuild();
    }
  }

  const results: BenchResults = {
    courses,
    command: reproduceCommand("bench:catalog"),
    startedAt,
    seedSeconds: database.seedSeconds,
    dbBusyBeforePercent,
    settings,
    machine,
    database: dbResults,
    e2e,
    e2eSkipped: values["skip-e2e"] ? "--skip-e2e" : undefined,
  };
  write(results);
  log(`wrote tests/bench/results/catalog-${courses}.json and .md`);
}

runMain(main, async () => await closeDatabase?.());
