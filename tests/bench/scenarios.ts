/**
 * The scenarios of `npm run bench`, each against a running stack: the
 * learner journey (the old platform's test), search at a fixed rate, the
 * cached course read (API and page) against a bare Hono handler, and writes
 * under concurrency checked against the database.
 */
import type { Database } from "../../db/client.ts";
import { describeRun, runLoad } from "./generator.ts";
import {
  accessTokens,
  countRows,
  freshEnrollments,
  JOURNEY_STEPS,
  learnerJourneys,
  type SignedInLoad,
  unfinishedLessons,
  type WriteTable,
} from "./learners.ts";
import type { HttpRequest, LoadResult, LoadSpec } from "./load.ts";
import { OLD_PLATFORM } from "./report.ts";
import { type ServerKind, type Stack, startStack } from "./stack.ts";
import { coursePath, coursesPath, type Workload } from "./workload.ts";

export interface Settings {
  warmupSeconds: number;
  seconds: number;
  /** Concurrent users of the journey and the write runs (the old platform's test had 200). */
  users: number;
  /** Connections of the overhead runs (enough to saturate one core). */
  connections: number;
  /** Requests per second of the fixed-rate search run. */
  searchRate: number;
  /** Distinct learners the journey's users sign in as. */
  learners: number;
}

export interface SearchRun {
  courses: number;
  run: LoadResult;
}

export interface Overhead {
  slug: string;
  /** What was requested (absent in results from before the page was measured: the API's course path). */
  path?: string;
  bytes: number;
  api: LoadResult;
  bare: LoadResult;
  /** The API's throughput as a share of the bare handler's. */
  ratio: number;
}

export interface WriteCheck {
  table: WriteTable;
  /** Distinct writes prepared; the run stops early if it sends them all. */
  prepared: number;
  run: LoadResult;
  /** Answers that said a row was written: 201 for enroll, 2xx for complete. */
  acknowledged: number;
  rowsAdded: number;
  /** Requests sent without an answer: in flight when the run ended, or timed out. Their rows may or may not exist. */
  unanswered: number;
  /** Acknowledged writes missing from the database: must be 0. */
  lost: number;
  /** Rows no 2xx or unanswered request accounts for: written although the answer was an error. */
  writtenDespiteError: number;
  /** Nothing lost and nothing written behind an error answer. */
  verified: boolean;
}

type Log = (line: string) => void;

/** Writes prepared per second of the run: above what one core has been seen to sustain. */
const WRITES_PER_SECOND_BOUND = 4000;
/** Journeys prepared: runs longer than these wrap around (repeated completions are idempotent). */
const JOURNEYS = 6000;

async function signedIn(stack: Stack, load: SignedInLoad): Promise<Pick<LoadSpec, "tokens">> {
  return { tokens: await accessTokens(stack.vars, load.userIds) };
}

/** Scenario 1: `users` learners, each playing journeys back to back (closed loop). */
export async function journey(
  stack: Stack,
  database: Database,
  workload: Workload,
  settings: Settings,
  log: Log,
): Promise<LoadResult> {
  const load = await learnerJourneys(database, workload, { learners: settings.learners, journeys: JOURNEYS });
  const { requests } = load;
  const run = await runLoad({
    origin: stack.origin,
    serverGroups: stack.groups,
    ...await signedIn(stack, load),
    stepNames: [...JOURNEY_STEPS],
    warmup: {
      requests,
      journeyLength: JOURNEY_STEPS.length,
      seconds: settings.warmupSeconds,
      connections: settings.users,
    },
    measure: {
      seconds: settings.seconds,
      mode: "closed",
      connections: settings.users,
      requests,
      journeyLength: JOURNEY_STEPS.length,
    },
  });
  log(`  ${stack.kind} journey, ${settings.users} users (${load.userIds.length} learners): ${describeRun(run)}`);
  return run;
}

/** Multiples of the old platform's 157 req/s the journey is offered, in order (see journeyAtRates). */
export const JOURNEY_RATE_MULTIPLES = [1, 2, 3, 4, 6, 8, 10] as const;

/** The journey's requests in an open loop at `rps`, warmed up first when `warm`. */
function journeyAtRate(stack: Stack, load: SignedInLoad, tokens: Pick<LoadSpec, "tokens">, options: {
  settings: Settings;
  rps: number;
  warm: boolean;
}): Promise<LoadResult> {
  const { requests } = load;
  const { settings } = options;
  const journeyLength = JOURNEY_STEPS.length;
  return runLoad({
    origin: stack.origin,
    serverGroups: stack.groups,
    ...tokens,
    ...(options.warm
      ? { warmup: { requests, journeyLength, seconds: settings.warmupSeconds, connections: settings.users } }
      : {}),
    stepNames: [...JOURNEY_STEPS],
    measure: {
      seconds: settings.seconds,
      mode: "rate",
      rps: options.rps,
      maxSockets: settings.users,
      requests,
      journeyLength,
    },
  });
}

/**
 * Scenario 1, as the old test ran: its 200 users (who paused between pages)
 * offered 157 req/s, and the p99 of 51 ms was measured at that load. Here the
 * journey's requests, in the journey's mix, are sent in an open loop at rising
 * multiples of that rate until the p99 exceeds 51 ms or a request fails: the
 * last rate that held is the throughput at the old platform's latency.
 */
export async function journeyAtRates(
  stack: Stack,
  database: Database,
  workload: Workload,
  settings: Settings,
  log: Log,
): Promise<LoadResult[]> {
  const load = await learnerJourneys(database, workload, { learners: settings.learners, journeys: JOURNEYS });
  const tokens = await signedIn(stack, load);
  const runs: LoadResult[] = [];
  for (const multiple of JOURNEY_RATE_MULTIPLES) {
    const rps = multiple * OLD_PLATFORM.rps;
    const run = await journeyAtRate(stack, load, tokens, { settings, rps, warm: runs.length === 0 });
    log(`  ${stack.kind} journey at ${rps} req/s (${multiple}× the old load): ${describeRun(run)}`);
    runs.push(run);
    if (run.latency.p99 > OLD_PLATFORM.p99Ms || run.non2xx > 0 || run.errors > 0) break;
  }
  return runs;
}

/**
 * The journey at the old platform's 157 req/s on a stack whose every round trip to Postgres and Upstash is held
 * `latencyMs` each way: what a learner far from the data's region waits.
 */
export async function farJourney(
  stack: Stack,
  database: Database,
  workload: Workload,
  settings: Settings,
  latencyMs: number,
  log: Log,
): Promise<FarRegion> {
  const load = await learnerJourneys(database, workload, { learners: settings.learners, journeys: JOURNEYS });
  const run = await journeyAtRate(stack, load, await signedIn(stack, load), {
    settings,
    rps: OLD_PLATFORM.rps,
    warm: true,
  });
  log(
    `  ${stack.kind} journey at ${OLD_PLATFORM.rps} req/s, ${latencyMs} ms each way to the data: ${describeRun(run)}`,
  );
  return { latencyMs, run };
}

export interface FarRegion {
  /** Added to every message to and from Postgres and Upstash, each way. */
  latencyMs: number;
  run: LoadResult;
}

/** Scenario 2: search at a fixed rate (open loop), after a gentle warm-up. */
export async function searchAtRate(
  stack: Stack,
  workload: Workload,
  courses: number,
  settings: Settings,
  log: Log,
): Promise<SearchRun> {
  const requests = workload.search.map(coursesPath);
  const run = await runLoad({
    origin: stack.origin,
    serverGroups: stack.groups,
    warmup: { requests, seconds: settings.warmupSeconds, connections: 2 },
    measure: {
      seconds: settings.seconds,
      mode: "rate",
      rps: settings.searchRate,
      maxSockets: settings.users,
      requests,
    },
  });
  log(`  ${stack.kind} search at ${settings.searchRate}/s, ${courses} courses: ${describeRun(run)}`);
  return { courses, run };
}

function closedOn(stack: Stack, target: HttpRequest, settings: Settings): LoadSpec {
  return {
    origin: stack.origin,
    serverGroups: stack.groups,
    warmup: { requests: [target], seconds: settings.warmupSeconds, connections: settings.connections },
    measure: {
      seconds: settings.seconds,
      mode: "closed",
      connections: settings.connections,
      requests: [target],
    },
  };
}

export interface CachedRead {
  slug: string;
  target: HttpRequest;
  body: string;
  contentType: string;
  run: LoadResult;
}

/**
 * Scenario 3, the app's half: one course, anonymous, from the API (`page` false) or as the site's course page;
 * returns the bytes for the bare half.
 */
export async function cachedCourse(
  stack: Stack,
  workload: Workload,
  settings: Settings,
  page: boolean,
  log: Log,
): Promise<CachedRead> {
  const slug = workload.slugs[0]!;
  const target: HttpRequest = page
    ? { method: "GET", path: `/courses/${encodeURIComponent(slug)}`, accept: "text/html" }
    : { method: "GET", path: coursePath(slug) };
  const response = await fetch(`${stack.origin}${target.path}`, {
    headers: { accept: target.accept ?? "application/json" },
  });
  if (!response.ok) throw new Error(`${target.path}: ${response.status} ${await response.text()}`);
  const body = await response.text();
  const contentType = response.headers.get("content-type") ?? "application/json";
  const run = await runLoad(closedOn(stack, target, settings));
  log(`  ${stack.kind} cached ${page ? "course page" : "course read"} (${body.length} bytes): ${describeRun(run)}`);
  return { slug, target, body, contentType, run };
}

/** Scenario 3, the baseline: the bare Hono handler on the same runtime, sending the same bytes for the same path. */
export async function bareHono(kind: ServerKind, read: CachedRead, settings: Settings, log: Log): Promise<Overhead> {
  const stack = await startStack(kind, { bareBody: read.body, contentType: read.contentType });
  try {
    const bare = await runLoad(closedOn(stack, read.target, settings));
    log(`  ${kind} bare Hono, ${read.target.path}: ${describeRun(bare)}`);
    const { slug, target, body, run: api } = read;
    return { slug, path: target.path, bytes: Buffer.byteLength(body), api, bare, ratio: api.rps / bare.rps };
  } finally {
    await stack.stop();
  }
}

/** Requests may outlive the generator's 10 s timeout; their writes land this long after, at most. */
const SETTLE_MS = 3_000;

async function writeRun(
  stack: Stack,
  database: Database,
  table: WriteTable,
  load: SignedInLoad,
  settings: Settings,
  log: Log,
): Promise<WriteCheck> {
  const before = await countRows(database, table);
  const run = await runLoad({
    origin: stack.origin,
    serverGroups: stack.groups,
    ...await signedIn(stack, load),
    measure: {
      seconds: settings.seconds,
      mode: "closed",
      connections: settings.users,
      requests: load.requests,
      maxRequests: load.requests.length,
    },
  }, false);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const rowsAdded = await countRows(database, table) - before;
  const acknowledged = table === "enrollments" ? run.statusCodes["201"] ?? 0 : run.ok;
  const unanswered = run.errors + run.inFlightAtEnd;
  const lost = Math.max(0, acknowledged - rowsAdded);
  const writtenDespiteError = Math.max(0, rowsAdded - acknowledged - unanswered);
  const verified = lost === 0 && writtenDespiteError === 0;
  log(
    `  ${stack.kind} ${table}: ${describeRun(run)}; acknowledged ${acknowledged} (+${unanswered} unanswered), ` +
      `rows added ${rowsAdded}, lost ${lost}, written despite an error answer ${writtenDespiteError}`,
  );
  return {
    table,
    prepared: load.requests.length,
    run,
    acknowledged,
    rowsAdded,
    unanswered,
    lost,
    writtenDespiteError,
    verified,
  };
}

/** Scenario 4: enroll, then lesson-complete, `users` at a time, each write fresh; rows counted before and after. */
export async function writes(stack: Stack, database: Database, settings: Settings, log: Log) {
  const count = settings.seconds * WRITES_PER_SECOND_BOUND;
  const enroll = await writeRun(stack, database, "enrollments", await freshEnrollments(database, count), settings, log);
  const complete = await writeRun(
    stack,
    database,
    "lesson_progress",
    await unfinishedLessons(database, count),
    settings,
    log,
  );
  return { enroll, complete };
}
