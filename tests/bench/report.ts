import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import type { DbScenarioResult } from "./db-timing.ts";
import type { E2eRow } from "./e2e.ts";
import { ms } from "./stats.ts";
import { PGBOUNCER, poolerAvailable } from "./pooler.ts";

/** The old platform's numbers the issue asks us to beat (its whole-site load test, and its search). */
export const OLD_PLATFORM = { rps: 157, p99Ms: 51, searchP99Ms: 35 } as const;
export const SEARCH_DB_P99_TARGET_MS = 5;

export interface Machine {
  nproc: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  deno: string;
  workerd: string;
  wrangler: string;
  autocannon: string;
  postgres: string;
  /** PgBouncer's version when the servers went through it; absent in results from before it was used. */
  pooler?: string;
  commit: string;
}

/** "PostgreSQL 15.x through PgBouncer 1.x": what the servers' queries went through. */
export function databaseFacts(m: Machine): string {
  return m.pooler ? `${m.postgres} through ${m.pooler} (transaction pooling)` : m.postgres;
}

const firstLineOf = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { encoding: "utf8" });
  return (result.stdout || result.stderr || "unknown").trim().split("\n")[0]!;
};

const packageVersion = (name: string) =>
  (JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")) as { version: string }).version;

/** Whether the code under test (the app, its database code, the build inputs) is exactly the commit. */
function appIsCommitted(): boolean {
  const paths = ["api", "db", "site/src", "wrangler.toml", "package-lock.json"];
  const status = spawnSync("git", ["status", "--porcelain", "--", ...paths], { encoding: "utf8" });
  return status.status === 0 && status.stdout.trim() === "";
}

export function machineFacts(postgres: string): Machine {
  const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown";
  return {
    nproc: availableParallelism(),
    cpu: model.trim(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    deno: firstLineOf("node_modules/.bin/deno", ["--version"]),
    workerd: firstLineOf("node_modules/.bin/workerd", ["--version"]),
    wrangler: packageVersion("wrangler"),
    autocannon: packageVersion("autocannon"),
    postgres: postgres.split(" on ")[0] ?? postgres,
    pooler: poolerAvailable() ? firstLineOf(PGBOUNCER, ["--version"]) : "no pooler (direct connections)",
    commit: firstLineOf("git", ["rev-parse", "--short", "HEAD"]) + (appIsCommitted() ? "" : " + uncommitted changes"),
  };
}

export interface BenchResults {
  courses: number;
  command: string;
  startedAt: string;
  seedSeconds: number | undefined;
  /** The machine's load before the database timing, in % of one core. */
  dbBusyBeforePercent: number;
  settings: { dbPasses: number; warmupSeconds: number; seconds: number; connections: number; rate: number };
  machine: Machine;
  database: DbScenarioResult[];
  e2e: E2eRow[];
  e2eSkipped: string | undefined;
}

const verdict = (met: boolean) => (met ? "**met**" : "**not met**");
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : "–");

function databaseTable(results: BenchResults): string[] {
  const lines = [
    "| scenario | queries | p50 | p95 | p99 | max | max, any pass | over 5 ms | planning p50 | Seq Scan on courses |",
    "| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |",
  ];
  for (const row of results.database) {
    const { execution: e } = row;
    lines.push(
      `| ${row.scenario} | ${row.queries} | ${ms(e.p50)} | ${ms(e.p95)} | ${ms(e.p99)} | ${ms(e.max)} | ` +
        `${ms(row.allSamples.max)} | ${row.overThreshold} | ${ms(row.planning.p50)} | ` +
        `${row.seqScanOnCourses} of ${row.queries} |`,
    );
  }
  const search = results.database.find((row) => row.scenario === "search");
  if (search && Object.keys(search.byKind).length > 0) {
    lines.push(
      "",
      "Search by kind of term:",
      "",
      "| term | queries | p50 | p99 | max |",
      "| --- | --: | --: | --: | --: |",
    );
    for (const [kind, summary] of Object.entries(search.byKind)) {
      lines.push(`| ${kind} | ${summary.count} | ${ms(summary.p50)} | ${ms(summary.p99)} | ${ms(summary.max)} |`);
    }
    lines.push("", `Slowest searches: ${search.slowest.map((slow) => `\`${slow.label}\` ${ms(slow.ms)}`).join(", ")}.`);
  }
  return lines;
}

/** What a reader must know to trust a row: runs cut short, a lagging generator, a busy machine. */
function e2eNotes(results: BenchResults): string[] {
  const notes: string[] = [];
  const { seconds } = results.settings;
  for (const row of results.e2e) {
    for (const [name, run] of [["closed", row.closed], ["1 conn.", row.single], ["rate", row.atRate]] as const) {
      const where = `${row.server} ${row.scenario} (${name})`;
      if (run.seconds < seconds - 1 && run.mode === "closed") {
        notes.push(`${where} ran ${run.seconds.toFixed(1)} s: the courses not yet requested ran out.`);
      }
      if ((run.maxSendLagMs ?? 0) > 20) {
        notes.push(`${where}: the generator sent up to ${ms(run.maxSendLagMs!)} ms late (CPU 1 shared with Postgres).`);
      }
      if (run.cpu.seconds.other > 0.05 * results.machine.nproc * run.seconds) {
        notes.push(
          `${where}: other processes used ${run.cpu.seconds.other.toFixed(1)} CPU s (after ${run.attempts} tries).`,
        );
      }
    }
    if (row.serverErrors.length > 0) {
      notes.push(`${row.server} ${row.scenario}: server logged \`${row.serverErrors[0]!.slice(0, 160)}\``);
    }
  }
  return notes.map((note) => `- ${note}`);
}

function e2eTable(results: BenchResults): string[] {
  const { connections, rate } = results.settings;
  const lines = [
    `| server | scenario | req/s (${connections} conn.) | p50 | p99 | p50 (1 conn.) | p99 (1 conn.) | ` +
    `p50 at ${rate}/s | p99 at ${rate}/s | non-2xx / errors | CPU s: server / PG / other | old p99 | ` +
    `p99 at ${rate}/s ÷ old | req/s ÷ old |`,
    "| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |",
  ];
  for (const row of results.e2e) {
    const { closed, single, atRate } = row;
    const old = row.scenario === "search" ? OLD_PLATFORM.searchP99Ms : OLD_PLATFORM.p99Ms;
    const runs = [closed, single, atRate];
    const failures = `${runs.reduce((n, run) => n + run.non2xx, 0)} / ${runs.reduce((n, run) => n + run.errors, 0)}`;
    const { server, postgres, other } = closed.cpu.seconds;
    lines.push(
      `| ${row.server} | ${row.scenario} | ${closed.rps.toFixed(0)} | ${ms(closed.latency.p50)} | ` +
        `${ms(closed.latency.p99)} | ${ms(single.latency.p50)} | ${ms(single.latency.p99)} | ` +
        `${ms(atRate.latency.p50)} | ${ms(atRate.latency.p99)} | ${failures} | ` +
        `${server.toFixed(1)} / ${postgres.toFixed(1)} / ${other.toFixed(1)} | ${old} | ` +
        `${ratio(atRate.latency.p99 / old)} | ${ratio(closed.rps / OLD_PLATFORM.rps)} |`,
    );
  }
  return lines;
}

function targets(results: BenchResults): string[] {
  const search = results.database.find((row) => row.scenario === "search");
  const lines: string[] = [];
  if (search) {
    lines.push(
      `- Search, database p99 ≤ ${SEARCH_DB_P99_TARGET_MS} ms at ${results.courses} courses: ` +
        `${ms(search.execution.p99)} ms — ${verdict(search.execution.p99 <= SEARCH_DB_P99_TARGET_MS)}.`,
    );
  }
  for (const row of results.e2e.filter((row) => row.scenario === "search")) {
    const p99 = row.atRate.latency.p99;
    lines.push(
      `- Search end to end on ${row.server}, p99 at the old platform's ${results.settings.rate} req/s: ` +
        `${ms(p99)} ms vs its ${OLD_PLATFORM.searchP99Ms} ms — ${verdict(p99 < OLD_PLATFORM.searchP99Ms / 2)} ` +
        `(taken as under half); at saturation (${results.settings.connections} connections) p99 ` +
        `${ms(row.closed.latency.p99)} ms at ${row.closed.rps.toFixed(0)} req/s.`,
    );
  }
  return lines;
}

/** "deno 2.9.6 (stable, …)" → "2.9.6", "workerd 2026-11-17" → "2026-11-17". */
const version = (line: string) => line.split(" ")[1] ?? line;

export function markdown(results: BenchResults): string {
  const { machine: m, settings: s } = results;
  const lines = [
    `### Catalog benchmark: ${results.courses.toLocaleString("en-US")} courses`,
    "",
    "```sh",
    results.command,
    "```",
    "",
    `${
      results.startedAt.slice(0, 10)
    }, commit ${m.commit}. Machine: ${m.nproc} cores (${m.cpu}), ${m.memoryGiB} GiB; ` +
    `Node ${m.node}, Deno ${version(m.deno)}, workerd ${version(m.workerd)} (wrangler ${m.wrangler}), ${
      databaseFacts(m)
    }, ` +
    `autocannon ${m.autocannon}.` +
    (results.seedSeconds === undefined ? "" : ` Seeding took ${results.seedSeconds.toFixed(0)} s.`),
    "",
    `**Database execution time** (ms): \`EXPLAIN (ANALYZE, FORMAT JSON)\` of the SQL the app builds, ` +
    `warmed by one pass, then ${s.dbPasses} pass${
      s.dbPasses === 1 ? "" : "es"
    } over each fixed list; the percentiles are over each query's ` +
    "median. A course page is its three queries (summary by slug, modules, lessons), summed. Planning time " +
    "comes on top of execution.",
    "",
    ...databaseTable(results),
    "",
  ];
  if (results.e2e.length > 0) {
    lines.push(
      `**End to end** (ms), through the HTTP API: server pinned to CPU 0, load generator ` +
        `to CPU 1, Postgres and the WebSocket bridge unpinned. Closed loop: autocannon, ${s.connections} connections, ${s.warmupSeconds} s ` +
        `warm-up then ${s.seconds} s; then one connection for ${s.seconds} s (latency without queueing); then an ` +
        `open loop at ${s.rate} req/s (the old platform's throughput) for ${s.seconds} s. Requests unanswered ` +
        `after 10 s count as errors. "CPU s" is what the server with the bridge, Postgres, and everything else on ` +
        `the machine used during the ${s.seconds} s closed run (the load generator is left out). ` +
        `The old platform: ${OLD_PLATFORM.rps} req/s overall at p99 ${OLD_PLATFORM.p99Ms} ms; search p99 ` +
        `${OLD_PLATFORM.searchP99Ms} ms.`,
      "",
      ...e2eTable(results),
      "",
    );
    const notes = e2eNotes(results);
    if (notes.length > 0) lines.push("Notes on the runs:", "", ...notes, "");
  } else if (results.e2eSkipped) {
    lines.push(`End to end: skipped (${results.e2eSkipped}).`, "");
  }
  lines.push("Targets:", "", ...targets(results), "");
  return lines.join("\n");
}
