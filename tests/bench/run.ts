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
 *   3. overhead: a cached course read, from the API and (workerd) as the course page, against a bare Hono
 *                handler sending the same bytes;
 *   4. writes:   enroll and lesson-complete at `--users` concurrency, acknowledged 2xx counted against new rows;
 *   5. round-trips: on a fresh server, each journey step sent a few times, one at a time, and the round trips to
 *                Upstash and Postgres each request made counted (round-trips.ts);
 *   6. far-region: the journey at the old 157 req/s with `--latency-ms` added each way to every round trip to
 *                Postgres and Upstash.
 *
 * Writes tests/bench/results/bench.{json,md,svg} and prints the table. The round trips are shown beside those in
 * tests/bench/results/round-trips-before.json (the code before issue 15, measured with `--scenarios round-trips
 * --out tests/bench/results/round-trips-before` on that commit) when it exists.
 *
 *   node tests/bench/run.ts [--courses 10000] [--search-courses 100000] [--duration 15] [--warmup 5]
 *     [--users 200] [--connections 50] [--search-rate 22] [--learners 1000] [--servers workerd,deno]
 *     [--scenarios round-trips,journey,search,overhead,writes,far-region] [--latency-ms 40] [--reseed]
 *     [--out tests/bench/results/bench] [--update-readme]
 *   node tests/bench/run.ts --render [--update-readme]   (re-renders the .md and .svg, and the README, from the .json)
 *
 * --update-readme rewrites the results block of README.md's Performance section (between its bench:start and
 * bench:end comments) with this run's tables and targets.
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the Postgres server, BENCH_REDIS_URL
 * (default redis://127.0.0.1:6379/13) the Redis database, which is flushed before each server starts.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { connectPostgres } from "../../db/connect.ts";
import { benchChart } from "./chart.ts";
import { holdFreshBuild, log, positive, reproduceCommand, runMain, writeFormatted } from "./cli.ts";
import { warnWithoutPooler } from "./pooler.ts";
import { updatedReadme } from "./readme.ts";
import { countRoundTrips, rendersPages } from "./round-trips.ts";
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
import {
  bareHono,
  cachedCourse,
  type CachedRead,
  farJourney,
  journey,
  journeyAtRates,
  searchAtRate,
  type Settings,
  writes,
} from "./scenarios.ts";
import { type ServerKind, SERVERS, type Stack, startStack } from "./stack.ts";
import { ROUND_TRIPS_BEFORE, roundTripTable } from "./round-trips-report.ts";
import {
  type BenchSummary,
  overallRows,
  plainTable,
  roundTripRuns,
  type ServerResults,
  summaryMarkdown,
} from "./summary.ts";
import { buildWorkload, type Workload } from "./workload.ts";

process.chdir(fileURLToPath(new URL("../..", import.meta.url)));

const SCENARIOS = ["round-trips", "journey", "search", "overhead", "writes", "far-region"] as const;
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
    "latency-ms": { type: "string", default: "40" },
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
const latencyMs = positive("latency-ms", values["latency-ms"], 1000);
const servers = listOf<ServerKind>("servers", values.servers, SERVERS);
const chosen = new Set(listOf<ScenarioName>("scenarios", values.scenarios, SCENARIOS));
const serverUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL;
const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/13";
const closers = new Set<() => Promise<void>>();

function roundTripsBefore(): BenchSummary | undefined {
  if (values.out === ROUND_TRIPS_BEFORE || !existsSync(`${ROUND_TRIPS_BEFORE}.json`)) return undefined;
  return JSON.parse(readFileSync(`${ROUND_TRIPS_BEFORE}.json`, "utf8")) as BenchSummary;
}

function write(summary: BenchSummary): void {
  const before = roundTripsBefore();
  // A run of the round trips alone has nothing to draw.
  const charted = summary.servers.some((result) =>
    result.journeyRates?.length || result.search.length || result.overhead
  );
  writeFormatted({
    [`${values.out}.json`]: `${JSON.stringify(summary, null, 2)}\n`,
    [`${values.out}.md`]: summaryMarkdown(summary, before),
    ...(charted ? { [`${values.out}.svg`]: benchChart(summary) } : {}),
    ...(values["update-readme"]
      ? { "README.md": updatedReadme(readFileSync("README.md", "utf8"), summary, values.out, before) }
      : {}),
  });
  const roundTrips = roundTripTable(roundTripRuns(summary, before));
  if (overallRows(summary).length > 0) console.log(`\n${plainTable(summary)}\n`);
  if (roundTrips.length > 0) console.log(`\nRound trips, first request → warm:\n${roundTrips.join("\n")}\n`);
  log(`wrote ${values.out}.json, .md${charted ? " and .svg" : ""}`);
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

/** Runs `work` on a stack of its own (started with `network`, when given), then stops it. */
async function onStack<T>(
  kind: ServerKind,
  databaseUrl: string,
  network: { latencyMs: number } | undefined,
  work: (stack: Stack) => Promise<T>,
): Promise<{ value: T; errors: string[] }> {
  const stack = await startStack(kind, { databaseUrl, redisUrl, ...(network ? { network } : {}) });
  try {
    log(`${kind} ready at ${stack.origin}${network ? `, round trips counted, ${network.latencyMs} ms each way` : ""}`);
    return { value: await work(stack), errors: stack.errorsSince(0) };
  } finally {
    await stack.stop();
  }
}

/**
 * Everything at `courses` against one server: the round trips on a fresh stack that counts them; the load on a
 * stack with Redis on the run's database, then the bare baselines; then the journey with the data far away.
 */
async function measureServer(kind: ServerKind, databaseUrl: string, workload: Workload): Promise<ServerResults> {
  const result: ServerResults = { server: kind, search: [], serverErrors: [] };
  const database = await connectPostgres(databaseUrl);
  closers.add(database.close);
  const cached: { api?: CachedRead; page?: CachedRead } = {};
  try {
    if (chosen.has("round-trips")) {
      const counted = await onStack(
        kind,
        databaseUrl,
        { latencyMs: 0 },
        (stack) => countRoundTrips(stack, database, workload, log),
      );
      result.roundTrips = counted.value;
      result.serverErrors.push(...counted.errors);
    }
    const loads = ["search", "overhead", "journey", "writes"] as const;
    if (loads.some((name) => chosen.has(name))) {
      const loaded = await onStack(kind, databaseUrl, undefined, async (stack) => {
        // Read-only scenarios first, on the seeded rows; then the ones that write.
        if (chosen.has("search")) result.search.push(await searchAtRate(stack, workload, courses, settings, log));
        if (chosen.has("overhead")) {
          cached.api = await cachedCourse(stack, workload, settings, false, log);
          if (rendersPages(kind)) cached.page = await cachedCourse(stack, workload, settings, true, log);
        }
        if (chosen.has("journey")) {
          result.journeyRates = await journeyAtRates(stack, database, workload, settings, log);
          result.journey = await journey(stack, database, workload, settings, log);
        }
        if (chosen.has("writes")) result.writes = await writes(stack, database, settings, log);
      });
      result.serverErrors.push(...loaded.errors);
    }
    // After the API has stopped: the baseline has the core to itself, as the API had.
    if (cached.api) result.overhead = await bareHono(kind, cached.api, settings, log);
    if (cached.page) result.pageOverhead = await bareHono(kind, cached.page, settings, log);
    if (chosen.has("far-region")) {
      const far = await onStack(
        kind,
        databaseUrl,
        { latencyMs },
        (stack) => farJourney(stack, database, workload, settings, latencyMs, log),
      );
      result.farRegion = far.value;
      result.serverErrors.push(...far.errors);
    }
  } finally {
    await database.close();
    closers.delete(database.close);
  }
  result.serverErrors = result.serverErrors.slice(0, 5);
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
