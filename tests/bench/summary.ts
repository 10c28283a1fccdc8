/**
 * The results of `npm run bench` (bench.json) and their renderings: the
 * Markdown the README links to and the plain table printed at the end. Every
 * target of issue 9 gets a line that says met or not met, with the number.
 */
import { databaseFacts, OLD_PLATFORM } from "./report.ts";
import type { Machine } from "./report.ts";
import type { LoadResult } from "./load.ts";
import type { Overhead, SearchRun, Settings, WriteCheck } from "./scenarios.ts";
import type { ServerKind } from "./stack.ts";
import { ms } from "./stats.ts";

export const TARGETS = {
  /** Journey throughput, as a multiple of the old platform's 157 req/s, at p99 within its 51 ms. */
  throughputMultiple: 10,
  /** The API's throughput on a cached course page as a share of a bare Hono handler's. */
  overheadShare: 0.6,
} as const;

export interface ServerResults {
  server: ServerKind;
  /** The journey in an open loop at rising multiples of the old 157 req/s, until p99 > 51 ms (JOURNEY_RATE_MULTIPLES). */
  journeyRates?: LoadResult[];
  /** The journey's users back to back: capacity, with queueing in every latency. */
  journey?: LoadResult;
  search: SearchRun[];
  overhead?: Overhead;
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
function writeVerdict(write: WriteCheck): string {
  const lost = Math.max(0, write.acknowledged - write.rowsAdded);
  const behindErrors = Math.max(0, write.rowsAdded - write.acknowledged - write.unanswered);
  const verdicts = [lost > 0 ? `${lost} acknowledged LOST` : "nothing lost"];
  if (behindErrors > 0) verdicts.push(`${behindErrors} written behind an error answer`);
  return verdicts.join(", ");
}
const rps = (run: LoadResult) => run.rps.toFixed(0);
const failures = (run: LoadResult) => `${run.non2xx} / ${run.errors}`;
const percent = (share: number) => `${(share * 100).toFixed(0)} %`;

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
    if (result.overhead) {
      const { api, bare, ratio } = result.overhead;
      rows.push(["cached course page", server, rps(api), ...latency(api), failures(api), "", ""]);
      rows.push([
        "bare Hono, same bytes",
        server,
        rps(bare),
        ...latency(bare),
        failures(bare),
        "",
        `API ${percent(ratio)} of bare — ≥ ${percent(TARGETS.overheadShare)} ${
          verdict(ratio >= TARGETS.overheadShare)
        }`,
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
    verdict(bestMultiple >= TARGETS.throughputMultiple);
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

function journeySteps(summary: BenchSummary): string[] {
  const lines: string[] = [];
  for (const { server, journey } of summary.servers) {
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
      ["cached course page", result.overhead?.api],
      ["bare Hono", result.overhead?.bare],
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

export function summaryMarkdown(summary: BenchSummary): string {
  const { machine: m, settings: s } = summary;
  const rows = Object.entries(summary.rows).map(([what, n]) => `${n.toLocaleString("en-US")} ${what}`).join(", ");
  const table = [
    HEADER,
    HEADER.map((_, column) => (column >= 2 && column <= 6 ? "--:" : "---")),
    ...overallRows(summary),
  ];
  const steps = journeySteps(summary);
  const runNotes = notes(summary);
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
    `Database: ${rows}. The server is pinned to CPU 0, the load generator to CPU 1; Postgres, Redis, the ` +
    `WebSocket bridge and the Upstash emulator (standing in for Neon's proxy and Upstash, remote services) are not pinned. Each run: ${s.warmupSeconds} s warm-up, then ` +
    `${s.seconds} s measured (writes: no warm-up). Journey: ${s.users} users in a closed loop, each signed in as one ` +
    `of ${s.learners} learners, playing home → catalog page → search → course page → lesson → complete lesson → ` +
    `notifications. Search: open loop at ${s.searchRate} req/s. Overhead: ${s.connections} connections on one ` +
    `cached course page, then on a bare Hono handler sending the same bytes. Writes: ${s.users} users, each ` +
    "request a fresh enrollment or lesson, rows counted in the database before and after. Latency is of 2xx " +
    "answers; requests unanswered after 10 s count as errors.",
    "",
    ...table.map((row) => `| ${row.join(" | ")} |`),
    "",
    ...(steps.length > 0 ? ["The journey by step (ms):", "", ...steps, ""] : []),
    ...(runNotes.length > 0 ? ["Notes on the runs:", "", ...runNotes, ""] : []),
  ].join("\n");
}

/** Each target of issue 9, met or not, with the number measured: for the README, generated so it cannot drift. */
export function targetLines(summary: BenchSummary): string[] {
  const lines: string[] = [];
  for (const { server, journeyRates, journey, search, overhead, writes } of summary.servers) {
    if (journeyRates && journeyRates.length > 0) {
      const { best, failed, bestMultiple } = ladder(journeyRates);
      const [first] = journeyRates;
      lines.push(
        `${server}, learner journey at the old test's ${OLD_PLATFORM.rps} req/s: p99 ${ms(first!.latency.p99)} ms ` +
          `(old ${OLD_PLATFORM.p99Ms} ms). Highest rate held at p99 ≤ ${OLD_PLATFORM.p99Ms} ms: ` +
          (best ? `${best.targetRps} req/s (${bestMultiple}×, p99 ${ms(best.latency.p99)} ms)` : "none") +
          (failed ? `; at ${failed.targetRps} req/s p99 was ${ms(failed.latency.p99)} ms` : "") +
          `; target ≥ ${TARGETS.throughputMultiple}×: **${
            bestMultiple >= TARGETS.throughputMultiple ? "met" : "not met"
          }**.`,
      );
    }
    if (journey) {
      lines.push(
        `${server}, learner journey with ${summary.settings.users} users back to back (capacity): ` +
          `${journey.rps.toFixed(0)} req/s, ${(journey.rps / OLD_PLATFORM.rps).toFixed(1)}× the old ` +
          `${OLD_PLATFORM.rps}.`,
      );
    }
    for (const { courses, run } of search) {
      const met = run.latency.p99 <= OLD_PLATFORM.searchP99Ms && run.errors === 0;
      lines.push(
        `${server}, search at ${summary.settings.searchRate} req/s over ${courses.toLocaleString("en-US")} courses: ` +
          `p99 ${ms(run.latency.p99)} ms (old ${OLD_PLATFORM.searchP99Ms} ms)` +
          (run.errors > 0 ? `, ${run.errors} unanswered` : "") + `: **${met ? "met" : "not met"}**.`,
      );
    }
    if (overhead) {
      lines.push(
        `${server}, cached course page: ${overhead.api.rps.toFixed(0)} req/s, ${percent(overhead.ratio)} of a bare ` +
          `Hono handler's ${overhead.bare.rps.toFixed(0)} req/s; target ≥ ${percent(TARGETS.overheadShare)}: ` +
          `**${overhead.ratio >= TARGETS.overheadShare ? "met" : "not met"}**.`,
      );
    }
    if (writes) {
      const checks = [writes.enroll, writes.complete].map((check) =>
        `${check.table === "enrollments" ? "enroll" : "complete lesson"} ${check.run.rps.toFixed(0)} req/s, ` +
        `${check.acknowledged} acknowledged, ${check.run.non2xx} refused, ${check.rowsAdded} rows added: ` +
        `**${writeVerdict(check)}**`
      );
      lines.push(`${server}, writes at ${summary.settings.users} users: ${checks.join("; ")}.`);
    }
  }
  return lines.map((line) => `- ${line}`);
}

/** The README's generated part: the overall table, the targets, and how it was made. */
export function readmeBlock(summary: BenchSummary, resultsPath: string): string {
  const { machine: m } = summary;
  const table = [
    HEADER,
    HEADER.map((_, column) => (column >= 2 && column <= 6 ? "--:" : "---")),
    ...overallRows(summary),
  ];
  return [
    "```sh",
    summary.command,
    "```",
    "",
    `${summary.startedAt.slice(0, 10)}, commit ${m.commit}, ${summary.minutes.toFixed(0)} minutes; ${m.nproc} cores ` +
    `(${m.cpu}), ${
      databaseFacts({ ...m, postgres: m.postgres.split(" (")[0]! })
    }, Redis through the Upstash REST emulator. Details, the journey by step ` +
    `and notes on each run: [${resultsPath}.md](${resultsPath}.md).`,
    "",
    `![Lectern against the old platform](${resultsPath}.svg)`,
    "",
    ...table.map((row) => `| ${row.join(" | ")} |`),
    "",
    ...targetLines(summary),
  ].join("\n");
}
