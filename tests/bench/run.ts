/**
 * `npm run bench`: Lectern against the old platform's numbers, on this
 * machine. Copies the seeded catalog (`lectern_bench_<N>`, seeded by
 * database.ts when missing) into `lectern_bench_<N>_run`, gives its learners
 * an inbox, then for each server — the built Worker in workerd, the Deno
 * entry — with PostgreSQL and Redis (through the Upstash REST emulator and
 * the production clients):
 *
 *   1. journey:  `--users` learners running home → catalog → search → course → lesson → complete → notifications;
 *   2. search:   a fixed request rate, at N courses and at each of `--search-courses`;
 *   3. overhead: a cached course page against a bare Hono handler sending the same bytes;
 *   4. writes:   enroll and lesson-complete at `--users` concurrency, acknowledged 2xx counted against new rows.
 *
 * Writes tests/bench/results/bench.{json,md,svg} and prints the table.
 *
 *   node tests/bench/run.ts [--courses 10000] [--search-courses 100000] [--duration 15] [--warmup 5]
 *     [--users 200] [--connections 50] [--search-rate 22] [--learners 1000] [--servers workerd,deno]
 *     [--scenarios journey,search,overhead,writes] [--reseed] [--out tests/bench/results/bench] [--update-readme]
 *   node tests/bench/run.ts --render [--update-readme]   (re-renders the .md and .svg, and the README, from the .json)
 *
 * --update-readme rewrites the results block of README.md's Performance section (between its bench:start and
 * bench:end comments) with this run's table and targets.
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the Postgres server, BENCH_REDIS_URL
 * (default redis://127.0.0.1:6379/13) the Redis database, which is flushed before each server starts.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { connectPostgres } from "../../db/connect.ts";
import { benchChart } from "./chart.ts";
import { holdFreshBuild, log, positive, reproduceCommand, runMain, writeFormatted } from "./cli.ts";
import { warnWithoutPooler } from "./pooler.ts";
import {
  addLearnerInboxes,
  benchDatabaseUrl,
  cloneBenchDatabase,
  DEFAULT_SERVER_URL,
  postgresVersion,
  prepareBenchDatabase,
  rowCounts,
} from "./database.ts";
import { machineFacts } from "./report.ts";
import { bareHono, cachedCourse, journey, journeyAtRates, searchAtRate, type Settings, writes } from "./scenarios.ts";
import { type ServerKind, SERVERS, startStack } from "./stack.ts";
import { type BenchSummary, plainTable, readmeBlock, type ServerResults, summaryMarkdown } from "./summary.ts";
import { buildWorkload, type Workload } from "./workload.ts";

process.chdir(fileURLToPath(new URL("../..", import.meta.url)));

const SCENARIOS = ["journey", "search", "overhead", "writes"] as const;
type ScenarioName = (typeof SCENARIOS)[number];

const { values } = parseArgs({
  options: {
    courses: { type: "string", default: "10000" },
    "search-courses": { type: "string", default: "" },
    duration: { type: "string", default: "15" },
    warmup: { type: "string", default: "5" },
    users: { type: "string", default: "200" },
    connections: { type: "string", default: "50" },
    // The old platform's 157 req/s spread over the journey's 7 steps: its search share.
    "search-rate": { type: "string", default: "22" },
    learners: { type: "string", default: "1000" },
    servers: { type: "string", default: SERVERS.join(",") },
    scenarios: { type: "string", default: SCENARIOS.join(",") },
    reseed: { type: "boolean", default: false },
    out: { type: "string", default: "tests/bench/results/bench" },
    render: { type: "boolean", default: false },
    "update-readme": { type: "boolean", default: false },
  },
});

function listOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  return value.split(",").map((name) => {
    if (!(allowed as readonly string[]).includes(name)) throw new Error(`--${flag}: unknown ${name}`);
    return name as T;
  });
}

const courses = positive("courses", values.courses, 1_000_000);
const searchCourses = values["search-courses"].split(",").filter(Boolean)
  .map((value) => positive("search-courses", value, 1_000_000)).filter((count) => count !== courses);
const settings: Settings = {
  warmupSeconds: positive("warmup", values.warmup, 120),
  seconds: positive("duration", values.duration, 300),
  users: positive("users", values.users, 1000),
  connections: positive("connections", values.connections, 500),
  searchRate: positive("search-rate", values["search-rate"], 10_000),
  learners: positive("learners", values.learners, 100_000),
};
const servers = listOf<ServerKind>("servers", values.servers, SERVERS);
const chosen = new Set(listOf<ScenarioName>("scenarios", values.scenarios, SCENARIOS));
const serverUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL;
const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/13";
const closers = new Set<() => Promise<void>>();

/** The README's generated results sit between these two lines, in its Performance section. */
const README_START = "<!-- bench:start (npm run bench -- --update-readme writes this part) -->";
const README_END = "<!-- bench:end -->";

function updatedReadme(summary: BenchSummary): string {
  const readme = readFileSync("README.md", "utf8");
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} … ${README_END} block`);
  const block = readmeBlock(summary, values.out);
  return `${readme.slice(0, start + README_START.length)}\n\n${block}\n\n${readme.slice(end)}`;
}

function write(summary: BenchSummary): void {
  writeFormatted({
    [`${values.out}.json`]: `${JSON.stringify(summary, null, 2)}\n`,
    [`${values.out}.md`]: summaryMarkdown(summary),
    [`${values.out}.svg`]: benchChart(summary),
    ...(values["update-readme"] ? { "README.md": updatedReadme(summary) } : {}),
  });
  console.log(`\n${plainTable(summary)}\n`);
  log(`wrote ${values.out}.json, .md and .svg`);
}

/** The seeded catalog of `count` courses (seeded when missing), its workload, and the Postgres version. */
async function seededCatalog(count: number): Promise<{ workload: Workload; postgres: string }> {
  const database = await prepareBenchDatabase(serverUrl, count, !values.reseed, log);
  try {
    return { workload: await buildWorkload(database.db), postgres: await postgresVersion(database) };
  } finally {
    await database.close();
  }
}

/** Everything at `courses` against one server: a stack with Redis on the run's database, then the bare baseline. */
async function measureServer(kind: ServerKind, databaseUrl: string, workload: Workload): Promise<ServerResults> {
  const result: ServerResults = { server: kind, search: [], serverErrors: [] };
  const database = await connectPostgres(databaseUrl);
  closers.add(database.close);
  const stack = await startStack(kind, { databaseUrl, redisUrl });
  let cached: Awaited<ReturnType<typeof cachedCourse>> | undefined;
  try {
    log(`${kind} ready at ${stack.origin}`);
    // Read-only scenarios first, on the seeded rows; then the ones that write.
    if (chosen.has("search")) result.search.push(await searchAtRate(stack, workload, courses, settings, log));
    if (chosen.has("overhead")) cached = await cachedCourse(stack, workload, settings, log);
    if (chosen.has("journey")) {
      result.journeyRates = await journeyAtRates(stack, database, workload, settings, log);
      result.journey = await journey(stack, database, workload, settings, log);
    }
    if (chosen.has("writes")) result.writes = await writes(stack, database, settings, log);
    result.serverErrors = stack.errorsSince(0).slice(0, 5);
  } finally {
    await stack.stop();
    await database.close();
    closers.delete(database.close);
  }
  if (cached) {
    // After the API has stopped: the baseline has the core to itself, as the API had.
    const bare = await bareHono(kind, cached.slug, cached.body, settings, log);
    const { slug, body, run: api } = cached;
    result.overhead = { slug, bytes: Buffer.byteLength(body), api, bare, ratio: api.rps / bare.rps };
  }
  return result;
}

/** Search alone on a larger seeded catalog (read-only: no copy needed). */
async function searchAt(count: number, kind: ServerKind): Promise<ServerResults["search"][number]> {
  const { workload } = await seededCatalog(count);
  const stack = await startStack(kind, { databaseUrl: benchDatabaseUrl(serverUrl, count).url, redisUrl });
  try {
    return await searchAtRate(stack, workload, count, settings, log);
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  if (values.render) {
    const summary = JSON.parse(readFileSync(`${values.out}.json`, "utf8")) as BenchSummary;
    write(summary);
    return;
  }
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const { workload, postgres } = await seededCatalog(courses);
  // Now: the commit is the one measured, even if the lead commits while the run goes on.
  const machine = machineFacts(postgres);
  const run = await cloneBenchDatabase(serverUrl, courses);
  const database = await connectPostgres(run.url);
  let rows: Record<string, number>;
  try {
    log(`${run.name}: ${await addLearnerInboxes(database)} notifications added for the learners`);
    rows = await rowCounts(database);
  } finally {
    await database.close();
  }
  log(`${run.name}: ${JSON.stringify(rows)}`);

  // Only workerd runs the build; Deno runs the sources.
  warnWithoutPooler(log);
  const releaseBuild = servers.includes("workerd") ? await holdFreshBuild() : async () => {};
  const results: ServerResults[] = [];
  try {
    for (const kind of servers) {
      const result = await measureServer(kind, run.url, workload);
      if (chosen.has("search")) { for (const count of searchCourses) result.search.push(await searchAt(count, kind)); }
      results.push(result);
    }
  } finally {
    await releaseBuild();
  }
  write({
    command: reproduceCommand("bench"),
    startedAt,
    minutes: (performance.now() - started) / 60_000,
    courses,
    rows,
    settings,
    machine,
    servers: results,
  });
}

runMain(main, async () => {
  await Promise.allSettled([...closers].map((close) => close()));
});
