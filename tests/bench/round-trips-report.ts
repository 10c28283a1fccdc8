/**
 * The round-trip counts (round-trips.ts) as tables — this run's, or this
 * run's beside a run of the code before it — and as the targets:
 * none to Upstash or Postgres for a cached public read (every request also
 * checks the rate limit, so that covers the check too), at most one to
 * Postgres for an uncached one-shot read.
 */
import {
  ANONYMOUS_COURSE,
  postgresRoundTrips,
  REQUESTS_PER_STEP,
  type RoundTripCount,
  type StepRoundTrips,
} from "./round-trips.ts";

/** Round trips of one server, as stored in bench.json. */
export interface ServerRoundTrips {
  server: string;
  roundTrips?: StepRoundTrips[];
}

/** The code a table of round trips was measured on, for its header: "before (ff84282)". */
export interface Measured {
  label: string;
  servers: ServerRoundTrips[];
}

const first = (step: StepRoundTrips) => step.counts[0]!;
const warm = (step: StepRoundTrips) => step.counts.at(-1)!;
const arrow = (cold: string, hot: string) => `${cold} → ${hot}`;

const upstash = (count: RoundTripCount) =>
  count.upstashCommands === count.upstashCalls
    ? String(count.upstashCalls)
    : `${count.upstashCalls} (${count.upstashCommands} cmd)`;
const queries = (count: RoundTripCount) => `${count.httpQueries} + ${count.wsQueries}`;

type Cell = (count: RoundTripCount) => string;
const COLUMNS: [string, Cell][] = [
  ["Upstash calls", upstash],
  ["Postgres sessions opened", (count) => String(count.connections)],
  ["Postgres queries, HTTP + WebSocket", queries],
  ["Postgres round trips", (count) => String(postgresRoundTrips(count))],
];

const cell = (step: StepRoundTrips | undefined, format: Cell) =>
  step ? arrow(format(first(step)), format(warm(step))) : "–";

/** Steps in journey order, each with every server's count side by side. */
function rows(runs: Measured[]): { step: string; server: string; counts: (StepRoundTrips | undefined)[] }[] {
  const order: { step: string; server: string }[] = [];
  const seen = new Set<string>();
  for (const run of runs) {
    for (const { server, roundTrips = [] } of run.servers) {
      for (const { step } of roundTrips) {
        if (!seen.has(`${step}\n${server}`)) order.push({ step, server });
        seen.add(`${step}\n${server}`);
      }
    }
  }
  const stepIndex = (step: string) => order.findIndex((row) => row.step === step);
  order.sort((a, b) => stepIndex(a.step) - stepIndex(b.step));
  return order.map(({ step, server }) => ({
    step,
    server,
    counts: runs.map((run) =>
      run.servers.find((result) => result.server === server)?.roundTrips?.find((s) => s.step === step)
    ),
  }));
}

/**
 * A Markdown table: a row per step and server, each figure "first request → warm request"; with several runs
 * (before, after), each figure once per run.
 */
export function roundTripTable(runs: Measured[]): string[] {
  if (!runs.some((run) => run.servers.some((server) => server.roundTrips?.length))) return [];
  const headers = COLUMNS.flatMap(([name]) => runs.length === 1 ? [name] : runs.map((run) => `${name}, ${run.label}`));
  const lines = [
    `| journey step | server | ${headers.join(" | ")} |`,
    `| --- | --- | ${headers.map(() => "--:").join(" | ")} |`,
  ];
  for (const row of rows(runs)) {
    const cells = COLUMNS.flatMap(([, format]) => row.counts.map((step) => cell(step, format)));
    lines.push(`| ${row.step} | ${row.server} | ${cells.join(" | ")} |`);
  }
  return lines;
}

/** Where the round trips of the code before issue 15 are kept (.json, .md), to be shown beside each run's. */
export const ROUND_TRIPS_BEFORE = "tests/bench/results/round-trips-before";

/** How to read the table; `beforeCommit` names the code of the "before" columns. */
export function roundTripLegend(beforeCommit?: string): string {
  const runs = beforeCommit
    ? ` "Before" is commit ${beforeCommit}, the code before issue 15 (\`${ROUND_TRIPS_BEFORE}.md\`); "after" is this run.`
    : "";
  return `Each figure is "first request → warm request" (the last of ${REQUESTS_PER_STEP} identical requests), ` +
    "one at a time, counted by relays in front of Upstash and Postgres once deferred work has finished. Upstash calls " +
    "are HTTP round trips (with the commands in them when the client pipelines); Postgres sessions are WebSockets " +
    "opened to the bridge; queries are those of the HTTP query endpoint and the Query and Execute messages over " +
    "the sessions; round trips are HTTP query requests + sessions opened + queries over sessions, at the least." +
    runs;
}

const verdict = (met: boolean) => (met ? "**met**" : "**not met**");

/** The round-trip targets, per server: met or not, with the counts that decide it. */
export function roundTripTargets(servers: ServerRoundTrips[]): string[] {
  const lines: string[] = [];
  for (const { server, roundTrips } of servers) {
    if (!roundTrips?.length) continue;
    const publicReads = roundTrips.filter((step) => !step.signedIn && step.request.startsWith("GET "));
    const offenders = publicReads.filter((step) => warm(step).upstashCalls > 0 || postgresRoundTrips(warm(step)) > 0);
    lines.push(
      `${server}, cached public reads and the rate-limit check they make (the warm request of ` +
        `${publicReads.map((step) => step.step).join(", ")}): ` +
        (offenders.length === 0
          ? "no round trip to Upstash or Postgres"
          : offenders.map((step) =>
            `${step.step} ${warm(step).upstashCalls} to Upstash, ${postgresRoundTrips(warm(step))} to Postgres`
          ).join("; ")) +
        `; target none: ${verdict(offenders.length === 0)}.`,
    );
    const course = roundTrips.find((step) => step.step === ANONYMOUS_COURSE);
    if (course) {
      const count = first(course);
      const trips = postgresRoundTrips(count);
      lines.push(
        `${server}, uncached one-shot read (${ANONYMOUS_COURSE}, first request): ${trips} round trip` +
          `${trips === 1 ? "" : "s"} to Postgres (${count.httpRequests} HTTP query request` +
          `${count.httpRequests === 1 ? "" : "s"}, ${count.connections} session${count.connections === 1 ? "" : "s"}` +
          ` opened, ${count.wsQueries} quer${count.wsQueries === 1 ? "y" : "ies"} over sessions); target at most ` +
          `1: ${verdict(trips <= 1)}.`,
      );
    }
  }
  return lines.map((line) => `- ${line}`);
}
