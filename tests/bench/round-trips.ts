/**
 * Round trips per request: each step of the learner journey (and an
 * anonymous course read, API and page) is sent a few times, one request at a
 * time, on a server started with empty caches, and after each request the
 * relays' counts are read once they stop moving (deferred work included):
 * calls to Upstash, Postgres sessions opened over WebSocket, queries over
 * them, and requests and queries to the HTTP query endpoint. The first
 * request finds the caches as the steps before it left them; the last is warm.
 */
import type { Database } from "../../db/client.ts";
import { accessTokens, JOURNEY_STEPS, learnerJourneys } from "./learners.ts";
import type { HttpRequest, Target } from "./load.ts";
import type { RemoteCounts } from "./remote.ts";
import type { ServerKind, Stack } from "./stack.ts";
import { coursePath, type Workload } from "./workload.ts";

export interface RoundTripCount {
  upstashCalls: number;
  /** Commands in those calls: more than the calls when the client pipelines. */
  upstashCommands: number;
  /** Postgres sessions opened over WebSocket. */
  connections: number;
  /** Query and Execute messages sent over WebSocket sessions. */
  wsQueries: number;
  /** Requests to the HTTP query endpoint, and the queries they carried (a batch carries several). */
  httpRequests: number;
  httpQueries: number;
}

export interface StepRoundTrips {
  step: string;
  /** "GET /api/v1/…", as sent. */
  request: string;
  signedIn: boolean;
  /** Status of each request. */
  statuses: number[];
  /** One per request sent, in order: the first (cold), then the repeats (warm). */
  counts: RoundTripCount[];
}

/** Requests per step: the first, then repeats until the caches settle (a refresh after the first, say). */
export const REQUESTS_PER_STEP = 3;
/** Counts are read when they have not moved for this long after an answer (deferred work has finished). */
const QUIET_MS = 250;
const SETTLE_LIMIT_MS = 5_000;

export const ANONYMOUS_COURSE = "course, anonymous (API)";
export const ANONYMOUS_COURSE_PAGE = "course page, anonymous (HTML)";

interface Step {
  step: string;
  target: HttpRequest;
  token?: string;
}

const sameCounts = (a: RemoteCounts, b: RemoteCounts) => JSON.stringify(a) === JSON.stringify(b);

async function settledCounts(stack: Stack): Promise<RemoteCounts> {
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  let last = await stack.counts();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    const next = await stack.counts();
    if (sameCounts(last, next) || Date.now() > deadline) return next;
    last = next;
  }
}

function difference(before: RemoteCounts, after: RemoteCounts): RoundTripCount {
  return {
    upstashCalls: after.upstash.calls - before.upstash.calls,
    upstashCommands: after.upstash.commands - before.upstash.commands,
    connections: after.postgres.connections - before.postgres.connections,
    wsQueries: after.postgres.queries - before.postgres.queries,
    httpRequests: (after.http?.requests ?? 0) - (before.http?.requests ?? 0),
    httpQueries: (after.http?.queries ?? 0) - (before.http?.queries ?? 0),
  };
}

const asRequest = (target: Target): HttpRequest =>
  typeof target === "string" ? { method: "GET", path: target } : target;

/** The journey of one learner, then an anonymous course read (and, where the runtime renders pages, its page). */
async function steps(stack: Stack, database: Database, workload: Workload): Promise<Step[]> {
  const load = await learnerJourneys(database, workload, { learners: 1, journeys: 1 });
  const tokens = await accessTokens(stack.vars, load.userIds);
  const journey = JOURNEY_STEPS.map((step, index): Step => {
    const target = asRequest(load.requests[index]!);
    return { step, target, ...(target.auth === undefined ? {} : { token: tokens[target.auth]! }) };
  });
  // Courses no other step reads, so their first request is a miss everywhere.
  const [apiSlug, pageSlug] = workload.coldSlugs;
  if (!apiSlug || !pageSlug) throw new Error("the catalog has too few courses for the round-trip count");
  const extra: Step[] = [{ step: ANONYMOUS_COURSE, target: { method: "GET", path: coursePath(apiSlug) } }];
  if (rendersPages(stack.kind)) {
    const path = `/courses/${encodeURIComponent(pageSlug)}`;
    extra.push({ step: ANONYMOUS_COURSE_PAGE, target: { method: "GET", path, accept: "text/html" } });
  }
  return [...journey, ...extra];
}

/** Only the Worker serves the site's pages; the Deno entry serves the API alone. */
export const rendersPages = (kind: ServerKind) => kind === "workerd";

async function send(origin: string, step: Step): Promise<number> {
  const { method, path, body, accept = "application/json" } = step.target;
  const headers: Record<string, string> = { accept };
  if (step.token) headers.authorization = `Bearer ${step.token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${origin}${path}`, { method, headers, body, signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  return response.status;
}

/** The round trips of every step, on a stack started with `network` (so its relays count) and empty caches. */
export async function countRoundTrips(
  stack: Stack,
  database: Database,
  workload: Workload,
  log: (line: string) => void,
): Promise<StepRoundTrips[]> {
  const results: StepRoundTrips[] = [];
  let before = await settledCounts(stack);
  for (const step of await steps(stack, database, workload)) {
    const result: StepRoundTrips = {
      step: step.step,
      request: `${step.target.method} ${step.target.path}`,
      signedIn: step.token !== undefined,
      statuses: [],
      counts: [],
    };
    for (let i = 0; i < REQUESTS_PER_STEP; i++) {
      result.statuses.push(await send(stack.origin, step));
      const after = await settledCounts(stack);
      result.counts.push(difference(before, after));
      before = after;
    }
    log(`  ${stack.kind} ${step.step}: ${result.counts.map(describe).join(" | ")} (${result.statuses.join(", ")})`);
    results.push(result);
  }
  return results;
}

/** Round trips to Postgres at the least: an HTTP query request, a session's start-up, each query of a session. */
export const postgresRoundTrips = (count: RoundTripCount) => count.httpRequests + count.connections + count.wsQueries;

function describe(count: RoundTripCount): string {
  return `Upstash ${count.upstashCalls} (${count.upstashCommands} cmd), PG conn ${count.connections}, ` +
    `queries ${count.httpQueries} HTTP (${count.httpRequests} req) + ${count.wsQueries} WS`;
}
