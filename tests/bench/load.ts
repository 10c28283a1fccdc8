/**
 * The load generator, run as its own process (pinned to the CPU the server
 * does not use): reads a LoadSpec as JSON on stdin, warms up, measures, and
 * prints a LoadResult as JSON on stdout. Two ways to load:
 *
 * - closed: autocannon with a fixed number of connections, each sending its
 *   next request when the last one is answered — the server's capacity;
 * - rate: an open-loop generator at a fixed rate (autocannon's own rate limit
 *   sends each second's quota in a burst), for latency at a given load.
 *
 * Paths rotate through the given list, shared by all connections, so every
 * query is used; with `maxRequests` at most the list's length no path is sent
 * twice (the run ends early when they run out), which keeps a cache cold.
 * Requests unanswered after 10 s count as errors.
 */
import { Agent, get } from "node:http";
import { createRequire } from "node:module";
import { cpuSnapshot, type CpuUse, cpuUse } from "./cpu.ts";
import { summarize, type Summary } from "./stats.ts";

export interface Phase {
  paths: string[];
  seconds: number;
  /** Requests at most (always bounded by `seconds` too). */
  maxRequests?: number;
}

export type MeasurePhase =
  & Phase
  & ({ mode: "closed"; connections: number } | { mode: "rate"; rps: number; maxSockets: number });

export interface LoadSpec {
  origin: string;
  /** Process groups of the server under test, for the CPU accounting. */
  serverGroups: number[];
  warmup?: Phase & { connections: number };
  measure: MeasurePhase;
}

export interface LoadResult {
  mode: "closed" | "rate";
  connections: number | undefined;
  targetRps: number | undefined;
  seconds: number;
  responses: number;
  ok: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  rps: number;
  /** Milliseconds, answered 2xx requests only. */
  latency: Summary;
  distinctPaths: number;
  /** For rate runs: how late the generator sent its latest request (ms); near zero means it kept up. */
  maxSendLagMs: number | undefined;
  cpu: CpuUse;
  /** The machine's load just before the run, in % of one core (set by the caller). */
  busyBeforePercent?: number;
  /** Runs it took to get one on a quiet enough machine (set by the caller). */
  attempts?: number;
}

interface Tally {
  latencies: number[];
  statusCodes: Record<string, number>;
  errors: number;
}

const REQUEST_TIMEOUT_MS = 10_000;

const newTally = (): Tally => ({ latencies: [], statusCodes: {}, errors: 0 });

function record(tally: Tally, status: number, milliseconds: number): void {
  tally.statusCodes[status] = (tally.statusCodes[status] ?? 0) + 1;
  if (status >= 200 && status < 300) tally.latencies.push(milliseconds);
}

// autocannon ships no types; this is the part of its API used here.
interface AutocannonRequest {
  method: string;
  path?: string;
  setupRequest(request: { path?: string }): { path?: string };
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  maxOverallRequests?: number;
  timeout: number;
  headers: Record<string, string>;
  requests: AutocannonRequest[];
}
interface AutocannonInstance {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: "reqError", listener: (error: Error) => void): void;
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (
  options: AutocannonOptions,
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

function rotation(paths: string[]) {
  let next = 0;
  return { take: () => paths[next++ % paths.length]!, used: () => Math.min(next, paths.length) };
}

async function closedLoop(origin: string, phase: Phase, connections: number, tally: Tally) {
  const paths = rotation(phase.paths);
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon({
      url: origin,
      connections: phase.maxRequests === undefined ? connections : Math.min(connections, phase.maxRequests),
      duration: phase.seconds,
      ...(phase.maxRequests === undefined ? {} : { maxOverallRequests: phase.maxRequests }),
      timeout: REQUEST_TIMEOUT_MS / 1000,
      headers: { accept: "application/json" },
      requests: [{
        method: "GET",
        setupRequest: (request) => ({ ...request, path: paths.take() }),
      }],
    }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on("response", (_client, status, _bytes, milliseconds) => record(tally, status, milliseconds));
  });
  tally.errors += result.errors;
  return { seconds: result.duration, distinct: paths.used() };
}

async function openLoop(origin: string, phase: Phase, rps: number, maxSockets: number, tally: Tally) {
  const { hostname, port } = new URL(origin);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const paths = rotation(phase.paths);
  const limit = Math.min(phase.maxRequests ?? Infinity, Math.floor(phase.seconds * rps));
  const interval = 1000 / rps;
  const start = performance.now();
  let sent = 0;
  let pending = 0;
  let maxLag = 0;
  let finished: () => void = () => {};
  const allAnswered = new Promise<void>((resolve) => (finished = resolve));
  const settle = () => {
    pending--;
    if (pending === 0 && sent >= limit) finished();
  };
  const fire = () => {
    const sentAt = performance.now();
    pending++;
    let done = false;
    const end = (status: number | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (status === undefined) tally.errors++;
      else record(tally, status, performance.now() - sentAt);
      settle();
    };
    const request = get(
      { agent, hostname, port, path: paths.take(), headers: { accept: "application/json" } },
      (res) => {
        res.resume();
        res.once("end", () => end(res.statusCode ?? 0));
        res.once("error", () => end(undefined));
      },
    );
    // Counted from the moment it is due, queued behind busy sockets included: an overloaded server must not stall the run.
    const timer = setTimeout(() => request.destroy(new Error("timeout")), REQUEST_TIMEOUT_MS);
    request.once("error", () => end(undefined));
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < limit && start + sent * interval <= now) {
        maxLag = Math.max(maxLag, now - (start + sent * interval));
        sent++;
        fire();
      }
      if (sent >= limit) return resolve();
      setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    tick();
  });
  if (pending > 0) await allAnswered;
  agent.destroy();
  return { seconds: (performance.now() - start) / 1000, distinct: paths.used(), maxLag };
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmup) await closedLoop(spec.origin, spec.warmup, spec.warmup.connections, newTally());
  const tally = newTally();
  const { measure } = spec;
  const before = cpuSnapshot(spec.serverGroups, process.pid);
  const outcome = measure.mode === "closed"
    ? { ...await closedLoop(spec.origin, measure, measure.connections, tally), maxLag: undefined }
    : await openLoop(spec.origin, measure, measure.rps, measure.maxSockets, tally);
  const cpu = cpuUse(before, cpuSnapshot(spec.serverGroups, process.pid));
  const responses = Object.values(tally.statusCodes).reduce((sum, count) => sum + count, 0);
  return {
    mode: measure.mode,
    connections: measure.mode === "closed" ? measure.connections : undefined,
    targetRps: measure.mode === "rate" ? measure.rps : undefined,
    seconds: outcome.seconds,
    responses,
    ok: tally.latencies.length,
    non2xx: responses - tally.latencies.length,
    errors: tally.errors,
    statusCodes: tally.statusCodes,
    rps: responses / outcome.seconds,
    latency: summarize(tally.latencies),
    distinctPaths: outcome.distinct,
    maxSendLagMs: outcome.maxLag,
    cpu,
  };
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const spec = JSON.parse(Buffer.concat(chunks).toString("utf8")) as LoadSpec;
const result = await run(spec);
process.stdout.write(`${JSON.stringify(result)}\n`);
