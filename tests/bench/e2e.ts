import { waitForQuiet } from "./cpu.ts";
import { describeRun, runLoad } from "./generator.ts";
import type { LoadResult, LoadSpec } from "./load.ts";
import { type ServerKind, startStack } from "./stack.ts";
import { coursePath, coursesPath, type Workload } from "./workload.ts";

export { type ServerKind, SERVERS } from "./stack.ts";

export interface E2eOptions {
  databaseUrl: string;
  warmupSeconds: number;
  seconds: number;
  connections: number;
  /** Requests per second of the fixed-rate run (the old platform's throughput). */
  rate: number;
  /** Scenario names to run (all when undefined). */
  only: string[] | undefined;
  log(line: string): void;
}

export interface E2eRow {
  server: ServerKind;
  scenario: string;
  /** Closed loop: `connections` clients back to back — the server's capacity. */
  closed: LoadResult;
  /** One connection: latency without queueing. */
  single: LoadResult;
  /** Open loop at `rate` requests per second: latency at the old platform's load. */
  atRate: LoadResult;
  /** The server's error log lines during the scenario (LOG_LEVEL=error), the first few. */
  serverErrors: string[];
}

const COLD_WARMUP_REQUESTS = 500;

interface Scenario {
  name: string;
  paths: string[];
  /** Paths must not repeat: the run takes fresh ones from here and stops when they run out. */
  cold?: boolean;
}

function scenarios(workload: Workload): Scenario[] {
  return [
    { name: "search", paths: workload.search.map(coursesPath) },
    { name: "filtered list", paths: workload.list.map(coursesPath) },
    { name: "course by slug (cached)", paths: workload.slugs.map(coursePath) },
    { name: "course by slug (uncached)", paths: workload.coldSlugs.map(coursePath), cold: true },
  ];
}

const SINGLE_MAX_COLD = 3000;

async function runScenario(origin: string, serverGroups: number[], scenario: Scenario, options: E2eOptions) {
  const { warmupSeconds, seconds, connections, rate } = options;
  const load = (spec: Omit<LoadSpec, "origin" | "serverGroups">, repeatable = true) =>
    runLoad({ origin, serverGroups, ...spec }, repeatable);
  const closed = (requests: string[], clients: number, maxRequests?: number) => ({
    mode: "closed" as const,
    connections: clients,
    requests,
    seconds,
    ...(maxRequests === undefined ? {} : { maxRequests }),
  });
  const atRate = (requests: string[], maxRequests?: number) => ({
    mode: "rate" as const,
    rps: rate,
    maxSockets: connections,
    requests,
    seconds,
    ...(maxRequests === undefined ? {} : { maxRequests }),
  });
  if (!scenario.cold) {
    const { paths } = scenario;
    return {
      closed: await load({
        warmup: { requests: paths, seconds: warmupSeconds, connections },
        measure: closed(paths, connections),
      }),
      single: await load({ measure: closed(paths, 1) }),
      atRate: await load({ measure: atRate(paths) }),
    };
  }
  // Uncached: every request a course this server has not served yet (each server starts with an empty cache).
  const take = (() => {
    let used = 0;
    return (count: number) => scenario.paths.slice(used, used += count);
  })();
  const warm = take(COLD_WARMUP_REQUESTS);
  const forRate = take(Math.ceil(rate * seconds));
  const forSingle = take(SINGLE_MAX_COLD);
  const forClosed = take(scenario.paths.length);
  if (forClosed.length < connections * 10) throw new Error("too few courses for the uncached runs: seed more");
  return {
    closed: await load({
      warmup: { requests: warm, seconds: warmupSeconds, connections, maxRequests: warm.length },
      measure: closed(forClosed, connections, forClosed.length),
    }, false),
    single: await load({ measure: closed(forSingle, 1, forSingle.length) }, false),
    atRate: await load({ measure: atRate(forRate, forRate.length) }, false),
  };
}

/** Runs every scenario against one server: the bridge and the server on CPU 0, the load on CPU 1. */
export async function measureServer(kind: ServerKind, workload: Workload, options: E2eOptions): Promise<E2eRow[]> {
  const stack = await startStack(kind, { databaseUrl: options.databaseUrl });
  try {
    options.log(`${kind} ready at ${stack.origin}`);
    const rows: E2eRow[] = [];
    const chosen = scenarios(workload).filter((scenario) => !options.only || options.only.includes(scenario.name));
    for (const scenario of chosen) {
      const logged = stack.outputLength();
      const runs = await runScenario(stack.origin, stack.groups, scenario, options);
      await waitForQuiet(30); // requests the load abandoned may still be running: their errors belong here
      const serverErrors = stack.errorsSince(logged).slice(0, 5);
      options.log(`  ${kind} ${scenario.name}, ${options.connections} connections: ${describeRun(runs.closed)}`);
      options.log(`  ${kind} ${scenario.name}, 1 connection: ${describeRun(runs.single)}`);
      options.log(`  ${kind} ${scenario.name}, at ${options.rate}/s: ${describeRun(runs.atRate)}`);
      for (const line of serverErrors) options.log(`  server: ${line.slice(0, 300)}`);
      rows.push({ server: kind, scenario: scenario.name, ...runs, serverErrors });
    }
    return rows;
  } finally {
    await stack.stop();
  }
}
