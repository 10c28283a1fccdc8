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
 * Requests rotate through the given list, shared by all connections, so every
 * query is used; with `maxRequests` at most the list's length no request is
 * sent twice (the run ends early when they run out), which keeps a cache cold
 * and a write fresh. With `journeyLength` L > 1 the list is made of journeys
 * of L steps: each connection (one user) plays a whole journey in order, then
 * takes the next, and results are also kept per step. Requests unanswered
 * after 10 s count as errors.
 */
import { Agent, request as httpRequest } from "node:http";
import { createRequire } from "node:module";
import { cpuSnapshot, type CpuUse, cpuUse } from "./cpu.ts";
import { summarize, type Summary } from "./stats.ts";

/** A request to send; a bare string is a GET of that path. */
export type Target = string | HttpRequest;

export interface HttpRequest {
  method: "GET" | "POST";
  path: string;
  /** Index into the spec's `tokens`: sent as a Bearer token. */
  auth?: number;
  /** JSON, sent with Content-Type: application/json. */
  body?: string;
  /** The Accept header (default application/json): text/html for a page. */
  accept?: string;
}

export interface Phase {
  requests: Target[];
  /** Steps per journey (default 1): `requests` is then journey after journey, `journeyLength` entries each. */
  journeyLength?: number;
  seconds: number;
  /** Requests at most (always bounded by `seconds` too). */
  maxRequests?: number;
}

export type MeasurePhase =
  & Phase
  & ({ mode: "closed"; connections: number } | { mode: "rate"; rps: number; maxSockets: number });

export interface LoadSpec {
  origin: string;
  /** Access tokens the requests refer to by index (sent once, not with every request). */
  tokens?: string[];
  /** A name per journey step, for the per-step breakdown (default: "all"). */
  stepNames?: string[];
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
  /** Per journey step (named by the spec's `stepNames`): answers by status, and 2xx latency. */
  steps: Record<string, { statusCodes: Record<string, number>; latency: Summary }>;
  /** Distinct requests (or journeys) sent. */
  distinctRequests: number;
  /**
   * Closed loop: requests still unanswered when the run ended (autocannon stops without waiting for them). The
   * server may yet complete them: a write run must allow for their rows.
   */
  inFlightAtEnd: number;
  /** For rate runs: how late the generator sent its latest request (ms); near zero means it kept up. */
  maxSendLagMs: number | undefined;
  cpu: CpuUse;
  /** The machine's load just before the run, in % of one core (set by the caller). */
  busyBeforePercent?: number;
  /** Runs it took to get one on a quiet enough machine (set by the caller). */
  attempts?: number;
}

interface StepTally {
  latencies: number[];
  statusCodes: Record<string, number>;
}

interface Tally {
  steps: StepTally[];
  errors: number;
}

const REQUEST_TIMEOUT_MS = 10_000;

const newTally = (): Tally => ({ steps: [], errors: 0 });

function record(tally: Tally, step: number, status: number, milliseconds: number): void {
  const stepTally = tally.steps[step] ??= { latencies: [], statusCodes: {} };
  stepTally.statusCodes[status] = (stepTally.statusCodes[status] ?? 0) + 1;
  if (status >= 200 && status < 300) stepTally.latencies.push(milliseconds);
}

function sumCounts(counts: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const count of counts) {
    for (const [status, n] of Object.entries(count)) total[status] = (total[status] ?? 0) + n;
  }
  return total;
}

/** Method, path, headers and body of a target, as both load modes send it. */
function resolve(target: Target, tokens: readonly string[]) {
  const request: HttpRequest = typeof target === "string" ? { method: "GET", path: target } : target;
  const headers: Record<string, string> = { accept: request.accept ?? "application/json" };
  if (request.auth !== undefined) headers.authorization = `Bearer ${tokens[request.auth]}`;
  if (request.body !== undefined) headers["content-type"] = "application/json";
  return {
    method: request.method,
    path: request.path,
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  };
}

// autocannon ships no types; this is the part of its API used here.
interface AutocannonRequest {
  method: string;
  path?: string;
  setupRequest(request: AutocannonRequestData, context: JourneyContext): AutocannonRequestData;
  onResponse(status: number, body: string, context: JourneyContext): void;
}
interface AutocannonRequestData {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
/** Per connection, cleared by autocannon when the connection starts its sequence of steps over. */
interface JourneyContext {
  journey?: number;
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

/** Journeys handed out in turn to whichever connection starts one next. */
function journeys(phase: Phase) {
  const length = phase.journeyLength ?? 1;
  const count = Math.floor(phase.requests.length / length);
  if (count < 1) throw new Error(`fewer requests (${phase.requests.length}) than one journey (${length})`);
  let next = 0;
  return {
    length,
    take: () => next++ % count,
    step: (journey: number, step: number) => phase.requests[journey * length + step]!,
    used: () => Math.min(next, count),
  };
}

async function closedLoop(spec: LoadSpec, phase: Phase, connections: number, tally: Tally) {
  const rotation = journeys(phase);
  const tokens = spec.tokens ?? [];
  // autocannon reports an answer right after the request's onResponse, synchronously: this carries its step over.
  let answeredStep = 0;
  // autocannon builds each request just before sending it (a connection's first one as it connects).
  let sent = 0;
  const steps = Array.from({ length: rotation.length }, (_, step): AutocannonRequest => ({
    method: "GET",
    setupRequest: (request, context) => {
      sent++;
      if (step === 0 || context.journey === undefined) context.journey = rotation.take();
      return { ...request, ...resolve(rotation.step(context.journey, step), tokens) };
    },
    onResponse: () => (answeredStep = step),
  }));
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon({
      url: spec.origin,
      connections: phase.maxRequests === undefined ? connections : Math.min(connections, phase.maxRequests),
      duration: phase.seconds,
      ...(phase.maxRequests === undefined ? {} : { maxOverallRequests: phase.maxRequests }),
      timeout: REQUEST_TIMEOUT_MS / 1000,
      headers: {},
      requests: steps,
    }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on(
      "response",
      (_client, status, _bytes, milliseconds) => record(tally, answeredStep, status, milliseconds),
    );
  });
  tally.errors += result.errors;
  const answered = tally.steps.reduce(
    (sum, step) => sum + Object.values(step.statusCodes).reduce((a, b) => a + b, 0),
    0,
  );
  return {
    seconds: result.duration,
    distinct: rotation.used(),
    inFlight: Math.max(0, sent - answered - result.errors),
  };
}

/**
 * Open loop: journeys are not played per user here, each request is sent on
 * its own schedule, in the list's order; with `journeyLength` results are
 * still kept per step (the step is the request's place in its journey).
 */
async function openLoop(spec: LoadSpec, phase: Phase, rps: number, maxSockets: number, tally: Tally) {
  const { hostname, port } = new URL(spec.origin);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const rotation = journeys({ ...phase, journeyLength: 1 });
  const journeyLength = phase.journeyLength ?? 1;
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
    const index = rotation.take();
    const step = index % journeyLength;
    pending++;
    let done = false;
    const end = (status: number | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (status === undefined) tally.errors++;
      else record(tally, step, status, performance.now() - sentAt);
      settle();
    };
    const { body, ...options } = resolve(rotation.step(index, 0), spec.tokens ?? []);
    const request = httpRequest({ agent, hostname, port, ...options }, (res) => {
      res.resume();
      res.once("end", () => end(res.statusCode ?? 0));
      res.once("error", () => end(undefined));
    });
    request.end(body);
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
  // Every request is answered or timed out before the open loop returns.
  return { seconds: (performance.now() - start) / 1000, distinct: rotation.used(), maxLag, inFlight: 0 };
}

/**
 * autocannon ends a run without waiting for the requests in flight; the
 * server still answers them after it, so the measurement waits this long for
 * the warm-up's backlog to drain rather than queue behind it.
 */
const WARMUP_DRAIN_MS = 3_000;

async function run(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmup) {
    await closedLoop(spec, spec.warmup, spec.warmup.connections, newTally());
    await new Promise((resolve) => setTimeout(resolve, WARMUP_DRAIN_MS));
  }
  const tally = newTally();
  const { measure } = spec;
  const before = cpuSnapshot(spec.serverGroups, process.pid);
  const outcome = measure.mode === "closed"
    ? { ...await closedLoop(spec, measure, measure.connections, tally), maxLag: undefined }
    : await openLoop(spec, measure, measure.rps, measure.maxSockets, tally);
  const cpu = cpuUse(before, cpuSnapshot(spec.serverGroups, process.pid));
  const statusCodes = sumCounts(tally.steps.map((step) => step.statusCodes));
  const latencies = tally.steps.flatMap((step) => step.latencies);
  const responses = Object.values(statusCodes).reduce((sum, count) => sum + count, 0);
  const steps = Object.fromEntries(tally.steps.map((step, index) => [
    spec.stepNames?.[index] ?? (tally.steps.length === 1 ? "all" : `step ${index + 1}`),
    { statusCodes: step.statusCodes, latency: summarize(step.latencies) },
  ]));
  return {
    mode: measure.mode,
    connections: measure.mode === "closed" ? measure.connections : undefined,
    targetRps: measure.mode === "rate" ? measure.rps : undefined,
    seconds: outcome.seconds,
    responses,
    ok: latencies.length,
    non2xx: responses - latencies.length,
    errors: tally.errors,
    statusCodes,
    rps: responses / outcome.seconds,
    latency: summarize(latencies),
    steps,
    distinctRequests: outcome.distinct,
    inFlightAtEnd: outcome.inFlight,
    maxSendLagMs: outcome.maxLag,
    cpu,
  };
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const spec = JSON.parse(Buffer.concat(chunks).toString("utf8")) as LoadSpec;
const result = await run(spec);
process.stdout.write(`${JSON.stringify(result)}\n`);
