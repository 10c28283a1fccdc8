/**
 * The results of `npm run bench` (bench.json) and their renderings: the
 * Markdown the README links to and the plain table printed at the end. Every
 * target gets a line that says met or not met, with the number (readme.ts).
 */
import { databaseFacts, OLD_PLATFORM } from "./report.ts";
import type { Machine } from "./report.ts";
import type { LoadResult } from "./load.ts";
import { type Measured, roundTripLegend, roundTripTable } from "./round-trips-report.ts";
import type { StepRoundTrips } from "./round-trips.ts";
import type { FarRegion, Overhead, SearchRun, Settings, WriteCheck } from "./scenarios.ts";
import type { ServerKind } from "./stack.ts";
import { ms } from "./stats.ts";

export const TARGETS = {
  /** Journey throughput, as a multiple of the old platform's 157 req/s, at p99 within its 51 ms. */
  throughputMultiple: 5,
  /** What the journey's throughput aims for beyond the target. */
  throughputGoal: 10,
  /** The app's throughput on a cached course read (API, page) as a share of a bare Hono handler's. */
  overheadShare: 0.6,
} as const;

export interface ServerResults {
  server: ServerKind;
  /** The journey in an open loop at rising multiples of the old 157 req/s, until p99 > 51 ms (JOURNEY_RATE_MULTIPLES). */
  journeyRates?: LoadResult[];
  /** The journey's users back to back: capacity, with queueing in every latency. */
  journey?: LoadResult;
  search: SearchRun[];
  /** The cached course read from the API. */
  overhead?: Overhead;
  /** The cached course page (HTML): only where the runtime renders pages (workerd). */
  pageOverhead?: Overhead;
  /** Round trips to Upstash and Postgres per journey step, on a fresh server (round-trips.ts). */
  roundTrips?: StepRoundTrips[];
  /** The journey at the old 157 req/s with latency added to every round trip to the data. */
  farRegion?: FarRegion;
  writes?: { enroll: WriteCheck; complete: WriteCheck };
  /** The first lines with "error" the server logged (LOG_LEVEL=error). */
  serverErrors: string[];
}

export interface BenchSummary {
  command: string;
  startedAt: string;
  minutes: number;
  courses: number;
  /** Rows of the run's database before the load (learners, enrollments, …). */
  rows: Record<string, number>;
  settings: Settings;
  machine: Machine;
  servers: ServerResults[];
}

const verdict = (met: boolean) => (met ? "met" : "NOT MET");

/** "nothing lost", or what went wrong: acknowledged writes missing, or rows written behind error answers. */
export function writeVerdict(write: WriteCheck): string {
  const lost = Math.max(0, write.acknowledged - write.rowsAdded);
  const behindErrors = Math.max(0, write.rowsAdded - write.acknowledged - write.unanswered);
  const verdicts = [lost > 0 ? `${lost} acknowledged LOST` : "nothing lost"];
  if (behindErrors > 0) verdicts.push(`${behindErrors} written behind an error answer`);
  return verdicts.join(", ");
}
const rps = (run: LoadResult) => run.rps.toFixed(0);
const failures = (run: LoadResult) => `${run.non2xx} / ${run.errors}`;
export const percent = (share: number) => `${(share * 100).toFixed(0)} %`;

/** One row per measured figure: scenario, server, req/s, p50, p95, p99, non-2xx / errors, old platform, verdict. */
export function overallRows(summary: BenchSummary): string[][] {
  const rows: string[][] = [];
  const { users, searchRate } = summary.settings;
  const latency = (run: LoadResult) => [ms(run.latency.p50), ms(run.latency.p95), ms(run.latency.p99)];
  const old = `${OLD_PLATFORM.rps} req/s, p99 ${OLD_PLATFORM.p99Ms} ms`;
  for (const result of summary.servers) {
    const { server, journey } = result;
    rows.push(...journeyRateRows(server, result.journeyRates ?? [], latency));
    if (journey) {
      rows.push([
        `learner journey, ${users} users back to back`,
        server,
        rps(journey),
        ...latency(journey),
        failures(journey),
        old,
        `capacity ${(journey.rps / OLD_PLATFORM.rps).toFixed(1)}× the old load; latency is queueing for it`,
      ]);
    }
    for (const search of result.search) {
      const { run } = search;
      rows.push([
        `search at ${searchRate} req/s, ${search.courses.toLocaleString("en-US")} courses`,
        server,
        rps(run),
        ...latency(run),
        failures(run),
        `p99 ${OLD_PLATFORM.searchP99Ms} ms`,
        `p99 ≤ ${OLD_PLATFORM.searchP99Ms} ms ${
          verdict(run.latency.p99 <= OLD_PLATFORM.searchP99Ms && run.errors === 0)
        }`,
      ]);
    }
    const overheads: [string, string, Overhead | undefined][] = [
      ["cached course read (API)", "bare Hono, the API's bytes", result.overhead],
      ["cached course page", "bare Hono, the page's bytes", result.pageOverhead],
    ];
    for (const [name, bareName, overhead] of overheads) {
      if (!overhead) continue;
      const { api, bare, ratio } = overhead;
      rows.push([name, server, rps(api), ...latency(api), failures(api), "", ""]);
      rows.push([
        bareName,
        server,
        rps(bare),
        ...latency(bare),
        failures(bare),
        "",
        `app ${percent(ratio)} of bare — ≥ ${percent(TARGETS.overheadShare)} ${
          verdict(ratio >= TARGETS.overheadShare)
        }`,
      ]);
    }
    if (result.farRegion) {
      const { latencyMs, run } = result.farRegion;
      rows.push([
        `learner journey at ${run.targetRps} req/s, data ${latencyMs} ms away each way`,
        server,
        rps(run),
        ...latency(run),
        failures(run),
        `${OLD_PLATFORM.rps} req/s, p99 ${OLD_PLATFORM.p99Ms} ms`,
        "what a learner far from the data waits",
      ]);
    }
    for (const write of result.writes ? [result.writes.enroll, result.writes.complete] : []) {
      const { run } = write;
      rows.push([
        `${write.table === "enrollments" ? "enroll" : "complete lesson"}, ${users} users`,
        server,
        rps(run),
        ...latency(run),
        failures(run),
        "",
        `${write.acknowledged} acknowledged` +
        (write.unanswered > 0 ? ` + ${write.unanswered} unanswered` : "") +
        `, ${write.rowsAdded} rows added — ${writeVerdict(write)}`,
      ]);
    }
  }
  return rows;
}

/** Whether a run at a fixed rate kept the old platform's p99 with every request answered 2xx. */
const heldOldLatency = (run: LoadResult) => run.latency.p99 <= OLD_PLATFORM.p99Ms && run.non2xx + run.errors === 0;

const multiple = (run: LoadResult) => (run.targetRps ?? 0) / OLD_PLATFORM.rps;

/** The journey's rate ladder read: the highest rate that held the old latency, and the first that did not. */
export function ladder(runs: LoadResult[]) {
  const best = runs.filter(heldOldLatency).at(-1);
  return { best, failed: runs.find((run) => !heldOldLatency(run)), bestMultiple: best ? multiple(best) : 0 };
}

/** The old test's load, the highest multiple of it that held p99 ≤ 51 ms, and the first that did not. */
function journeyRateRows(
  server: string,
  runs: LoadResult[],
  latency: (run: LoadResult) => string[],
): string[][] {
  if (runs.length === 0) return [];
  const { best, failed, bestMultiple } = ladder(runs);
  const row = (run: LoadResult, name: string, target: string) => [
    `learner journey at ${run.targetRps} req/s${name}`,
    server,
    rps(run),
    ...latency(run),
    failures(run),
    `${OLD_PLATFORM.rps} req/s, p99 ${OLD_PLATFORM.p99Ms} ms`,
    target,
  ];
  const first = runs[0]!;
  const headline =
    `highest rate at p99 ≤ ${OLD_PLATFORM.p99Ms} ms: ${bestMultiple}× — ≥ ${TARGETS.throughputMultiple}× ` +
    `${verdict(bestMultiple >= TARGETS.throughputMultiple)} (goal ${TARGETS.throughputGoal}×)`;
  const firstVerdict = `p99 ≤ ${OLD_PLATFORM.p99Ms} ms ${verdict(heldOldLatency(first))}`;
  const bestIsLater = best !== undefined && best !== first;
  const rows = [row(first, " (the old test's load)", bestIsLater ? firstVerdict : `${firstVerdict}; ${headline}`)];
  if (bestIsLater) rows.push(row(best, ` (${multiple(best)}×)`, headline));
  if (failed && failed !== first) {
    rows.push(row(failed, ` (${multiple(failed)}×)`, `p99 ≤ ${OLD_PLATFORM.p99Ms} ms NOT MET: the ladder stops`));
  }
  return rows;
}

const HEADER = [
  "scenario",
  "server",
  "req/s",
  "p50 ms",
  "p95 ms",
  "p99 ms",
  "non-2xx / errors",
  "old platform",
  "target",
];

/** The overall table in Markdown. */
export function overallTable(summary: BenchSummary): string[] {
  const table = [
    HEADER,
    HEADER.map((_, column) => (column >= 2 && column <= 6 ? "--:" : "---")),
    ...overallRows(summary),
  ];
  return table.map((row) => `| ${row.join(" | ")} |`);
}

/** The table for a terminal: columns padded, numbers right-aligned. */
export function plainTable(summary: BenchSummary): string {
  const rows = [HEADER, ...overallRows(summary)];
  const widths = HEADER.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const numeric = new Set([2, 3, 4, 5]);
  return rows.map((row) =>
    row.map((cell, column) => numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))
      .join("  ").trimEnd()
  ).join("\n");
}

/** The journey by step, per server: answers, failures and latency of `runOf`'s run. */
function journeySteps(summary: BenchSummary, runOf: (result: ServerResults) => LoadResult | undefined): string[] {
  const lines: string[] = [];
  for (const result of summary.servers) {
    const { server } = result;
    const journey = runOf(result);
    if (!journey) continue;
    if (lines.length === 0) {
      lines.push(
        "| server | journey step | answers | non-2xx | p50 | p95 | p99 |",
        "| --- | --- | --: | --: | --: | --: | --: |",
      );
    }
    for (const [step, { statusCodes, latency }] of Object.entries(journey.steps)) {
      const answers = Object.values(statusCodes).reduce((sum, n) => sum + n, 0);
      const non2xx = Object.entries(statusCodes).filter(([code]) => !code.startsWith("2"))
        .map(([code, n]) => `${n}×${code}`).join(", ") || "0";
      lines.push(
        `| ${server} | ${step} | ${answers} | ${non2xx} | ${ms(latency.p50)} | ${ms(latency.p95)} | ${
          ms(latency.p99)
        } |`,
      );
    }
  }
  return lines;
}

/** What a reader must know to trust a figure: a busy machine, a lagging generator, runs cut short, server errors. */
function notes(summary: BenchSummary): string[] {
  const lines: string[] = [];
  const { seconds } = summary.settings;
  for (const result of summary.servers) {
    const runs: [string, LoadResult | undefined][] = [
      ...(result.journeyRates ?? []).map((run): [string, LoadResult] => [`journey at ${run.targetRps} req/s`, run]),
      ["journey", result.journey],
      ...result.search.map((search): [string, LoadResult] => [`search ${search.courses}`, search.run]),
      ["cached course read", result.overhead?.api],
      ["bare Hono, course read", result.overhead?.bare],
      ["cached course page", result.pageOverhead?.api],
      ["bare Hono, course page", result.pageOverhead?.bare],
      [`journey, data ${result.farRegion?.latencyMs} ms away`, result.farRegion?.run],
      ["enroll", result.writes?.enroll.run],
      ["complete lesson", result.writes?.complete.run],
    ];
    for (const [name, run] of runs) {
      if (!run) continue;
      const where = `${result.server}, ${name}`;
      if (run.cpu.seconds.other > 0.05 * summary.machine.nproc * run.seconds) {
        lines.push(
          `${where}: other processes used ${run.cpu.seconds.other.toFixed(1)} CPU s (best of ${run.attempts}).`,
        );
      }
      if ((run.maxSendLagMs ?? 0) > 20) {
        lines.push(`${where}: the generator sent up to ${ms(run.maxSendLagMs!)} ms late.`);
      }
      if (run.mode === "closed" && run.seconds < seconds - 1) {
        lines.push(`${where}: ran ${run.seconds.toFixed(1)} s, the prepared requests ran out.`);
      }
    }
    for (const line of result.serverErrors) lines.push(`${result.server} logged: \`${line.slice(0, 200)}\``);
  }
  return lines.map((line) => `- ${line}`);
}

/** "deno 2.9.6 (stable, …)" → "2.9.6", "workerd 2026-11-17" → "2026-11-17". */
const version = (line: string) => line.split(" ")[1] ?? line;

/**
 * Round trips of this run, beside those of `before` (the code before issue 15) when given; none when this run did
 * not count them.
 */
export function roundTripRuns(summary: BenchSummary, before?: BenchSummary): Measured[] {
  if (!summary.servers.some((result) => result.roundTrips?.length)) return [];
  const after: Measured = { label: before ? "after" : "this run", servers: summary.servers };
  return before ? [{ label: "before", servers: before.servers }, after] : [after];
}

/** The far-region run's setting, when the run has one. */
const farLatencyMs = (summary: BenchSummary) =>
  summary.servers.find((result) => result.farRegion)?.farRegion?.latencyMs;

export function summaryMarkdown(summary: BenchSummary, before?: BenchSummary): string {
  const { machine: m } = summary;
  const rows = Object.entries(summary.rows).map(([what, n]) => `${n.toLocaleString("en-US")} ${what}`).join(", ");
  const steps = journeySteps(summary, (result) => result.journey);
  const farSteps = journeySteps(summary, (result) => result.farRegion?.run);
  const roundTrips = roundTripTable(roundTripRuns(summary, before));
  const runNotes = notes(summary);
  const loaded = overallRows(summary).length > 0;
  return [
    "### Lectern benchmark",
    "",
    "```sh",
    summary.command,
    "```",
    "",
    `${summary.startedAt.slice(0, 10)}, commit ${m.commit}, ${summary.minutes.toFixed(1)} minutes. Machine: ` +
    `${m.nproc} cores (${m.cpu}), ${m.memoryGiB} GiB; Node ${m.node}, Deno ${version(m.deno)}, workerd ` +
    `${version(m.workerd)} (wrangler ${m.wrangler}), ${databaseFacts(m)}, Redis through the Upstash REST emulator, ` +
    `autocannon ${m.autocannon}.`,
    "",
    loaded ? loadSettings(summary, rows) : `Database: ${rows}.`,
    "",
    ...(loaded ? [...overallTable(summary), ""] : []),
    ...(steps.length > 0 ? ["The journey by step (ms):", "", ...steps, ""] : []),
    ...(roundTrips.length > 0
      ? [
        "Round trips per request, by journey step:",
        "",
        roundTripLegend(before?.machine.commit),
        "",
        ...roundTrips,
        "",
      ]
      : []),
    ...(farSteps.length > 0
      ? [
        `The journey at ${OLD_PLATFORM.rps} req/s with the data far away: ${farLatencyMs(summary)} ms added each ` +
        "way to every message to and from Postgres (WebSocket sessions and HTTP queries) and Upstash, by step (ms):",
        "",
        ...farSteps,
        "",
      ]
      : []),
    ...(runNotes.length > 0 ? ["Notes on the runs:", "", ...runNotes, ""] : []),
  ].join("\n");
}

/** How the load runs were made. */
function loadSettings(summary: BenchSummary, rows: string): string {
  const s = summary.settings;
  return `Database: ${rows}. The server is pinned to CPU 0, the load generator to CPU 1; Postgres, Redis, the ` +
    `WebSocket bridge, the HTTP query endpoint (where the app has one) and the Upstash emulator (standing in for ` +
    `Neon's proxies and Upstash, remote services) are not pinned. Each run: ${s.warmupSeconds} s warm-up, then ` +
    `${s.seconds} s measured (writes: no warm-up). Journey: ${s.users} users in a closed loop, each signed in as one ` +
    `of ${s.learners} learners, playing home → catalog page → search → course page → lesson → complete lesson → ` +
    `notifications. Search: open loop at ${s.searchRate} req/s. Overhead: ${s.connections} connections on one ` +
    `cached course read (the API, and on workerd the course page: the Deno entry serves the API alone), then on a ` +
    `bare Hono handler sending the same bytes. Writes: ${s.users} users, each ` +
    "request a fresh enrollment or lesson, rows counted in the database before and after. Latency is of 2xx " +
    "answers; requests unanswered after 10 s count as errors.";
}
