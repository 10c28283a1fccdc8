/**
 * The README's benchmark block, generated so it cannot drift from the
 * results: the overall table, the round trips per journey step beside those
 * of the code before issue 15, and every target of issue 15 met or not, with
 * the number measured.
 */
import { databaseFacts, OLD_PLATFORM } from "./report.ts";
import { roundTripLegend, roundTripTable, roundTripTargets } from "./round-trips-report.ts";
import { rendersPages } from "./round-trips.ts";
import type { LoadResult } from "./load.ts";
import {
  type BenchSummary,
  ladder,
  overallTable,
  percent,
  roundTripRuns,
  type ServerResults,
  TARGETS,
  writeVerdict,
} from "./summary.ts";
import { ms } from "./stats.ts";

/** The README's generated results sit between these two lines, in its Performance section. */
const README_START = "<!-- bench:start (npm run bench -- --update-readme writes this part) -->";
const README_END = "<!-- bench:end -->";

const verdict = (met: boolean) => `**${met ? "met" : "not met"}**`;

function journeyLines(server: string, runs: LoadResult[]): string[] {
  const { best, failed, bestMultiple } = ladder(runs);
  const first = runs[0]!;
  const heldAtOldLoad = first.latency.p99 <= OLD_PLATFORM.p99Ms && first.non2xx + first.errors === 0;
  return [
    `${server}, learner journey at the old test's ${OLD_PLATFORM.rps} req/s: p99 ${ms(first.latency.p99)} ms ` +
    `(old ${OLD_PLATFORM.p99Ms} ms); target ≤ ${OLD_PLATFORM.p99Ms} ms: ${verdict(heldAtOldLoad)}.`,
    `${server}, highest rate held at p99 ≤ ${OLD_PLATFORM.p99Ms} ms: ` +
    (best ? `${best.targetRps} req/s (${bestMultiple}×, p99 ${ms(best.latency.p99)} ms)` : "none") +
    (failed ? `; at ${failed.targetRps} req/s p99 was ${ms(failed.latency.p99)} ms` : "; the ladder's top") +
    `; target ≥ ${TARGETS.throughputMultiple}×: ${verdict(bestMultiple >= TARGETS.throughputMultiple)}, goal ` +
    `${TARGETS.throughputGoal}×: ${verdict(bestMultiple >= TARGETS.throughputGoal)}.`,
  ];
}

function overheadLines(result: ServerResults): string[] {
  const { server, overhead, pageOverhead } = result;
  const lines: string[] = [];
  const reads = [["course read (API)", overhead], ["course page", pageOverhead]] as const;
  for (const [name, read] of reads) {
    if (!read) continue;
    lines.push(
      `${server}, cached ${name}: ${read.api.rps.toFixed(0)} req/s, ${percent(read.ratio)} of a bare Hono ` +
        `handler's ${read.bare.rps.toFixed(0)} req/s sending the same ${read.bytes} bytes on ${server}; target ≥ ` +
        `${percent(TARGETS.overheadShare)}: ${verdict(read.ratio >= TARGETS.overheadShare)}.`,
    );
  }
  if (overhead && !rendersPages(result.server)) {
    lines.push(
      `${server}, cached course page: not measured, the Deno entry serves the API alone (pages are the Worker's).`,
    );
  }
  return lines;
}

function farRegionLine(result: ServerResults): string[] {
  if (!result.farRegion) return [];
  const { latencyMs, run } = result.farRegion;
  const steps = Object.entries(run.steps)
    .map(([step, { latency }]) => `${step} ${ms(latency.p50)} / ${ms(latency.p99)}`)
    .join(", ");
  return [
    `${result.server}, learner journey at ${run.targetRps} req/s with Postgres and Upstash ${latencyMs} ms away ` +
    `each way: p50 ${ms(run.latency.p50)} ms, p99 ${ms(run.latency.p99)} ms, ${run.non2xx} non-2xx, ` +
    `${run.errors} unanswered; by step, p50 / p99 ms: ${steps}.`,
  ];
}

/** Each target, met or not, with the number measured. */
export function targetLines(summary: BenchSummary): string[] {
  const lines: string[] = [];
  for (const result of summary.servers) {
    const { server, journeyRates, journey, search, writes } = result;
    if (journeyRates?.length) lines.push(...journeyLines(server, journeyRates));
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
          (run.errors > 0 ? `, ${run.errors} unanswered` : "") + `: ${verdict(met)}.`,
      );
    }
    lines.push(...overheadLines(result));
    if (writes) {
      const checks = [writes.enroll, writes.complete].map((check) =>
        `${check.table === "enrollments" ? "enroll" : "complete lesson"} ${check.run.rps.toFixed(0)} req/s, ` +
        `${check.acknowledged} acknowledged, ${check.run.non2xx} refused, ${check.rowsAdded} rows added: ` +
        `**${writeVerdict(check)}**`
      );
      lines.push(`${server}, writes at ${summary.settings.users} users: ${checks.join("; ")}.`);
    }
    lines.push(...farRegionLine(result));
  }
  return [...lines.map((line) => `- ${line}`), ...roundTripTargets(summary.servers)];
}

/** The generated part: how it was made, the overall table, the round trips (before and after), the targets. */
function readmeBlock(summary: BenchSummary, resultsPath: string, before: BenchSummary | undefined): string {
  const { machine: m } = summary;
  const roundTrips = roundTripTable(roundTripRuns(summary, before));
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
    ...overallTable(summary),
    "",
    ...(roundTrips.length > 0
      ? [`Round trips per request, by journey step. ${roundTripLegend(before?.machine.commit)}`, "", ...roundTrips, ""]
      : []),
    ...targetLines(summary),
  ].join("\n");
}

/** `readme` with its generated block replaced by this run's. */
export function updatedReadme(
  readme: string,
  summary: BenchSummary,
  resultsPath: string,
  before: BenchSummary | undefined,
): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} … ${README_END} block`);
  const block = readmeBlock(summary, resultsPath, before);
  return `${readme.slice(0, start + README_START.length)}\n\n${block}\n\n${readme.slice(end)}`;
}
