/**
 * The server side of a benchmark run, started and stopped as one: the API
 * (the built Worker in workerd, or the Deno entry) or the bare Hono baseline,
 * its remote services (remote.ts: the WebSocket bridge its Neon driver reaches
 * Postgres through, and Neon's HTTP query endpoint where the app has one; via
 * PgBouncer, as Neon's pooled endpoint, when Debian's pgbouncer is installed),
 * and — when a Redis is given — the Upstash REST emulator the production cache
 * and rate limiter talk to. With `network`, every round trip to Postgres and
 * Upstash passes a relay that counts it and holds it `latencyMs` each way.
 * The server is pinned to SERVER_CPU, the load generator to LOAD_CPU; the
 * backing services are not pinned: Postgres, Redis, the remote services
 * (standing in for Neon's proxies, which run on Neon's machines; the
 * WebSocket framing itself stays in the server, in the driver) and the
 * emulator (standing in for Upstash, a remote service whose CPU a Worker
 * never pays for). The CPU accounting still counts the remote services and the
 * emulator as the server's (they are the stack's process groups).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { poolerAvailable, startPooler } from "./pooler.ts";
import type { RemoteAddresses, RemoteCounts } from "./remote.ts";
import { astroWorkerBuild, bundleWorker, startWorkerd } from "./workerd.ts";
import { type Child, firstLine, freePort, spawnPinned, waitUntilReady } from "./processes.ts";

export const SERVER_CPU = 0;
export const LOAD_CPU = 1;
export const SERVERS = ["workerd", "deno"] as const;
export type ServerKind = (typeof SERVERS)[number];

/** Same secret for every server of a run, so the benchmark can sign access tokens the servers accept. */
export const BENCH_JWT_SECRET = "lectern-bench-jwt-secret-0123456789abcdef0123";

const NODE = process.execPath;
const READY_TIMEOUT_MS = 120_000;
/** wrangler.toml's: must not be newer than the workerd in the tree. */
const COMPATIBILITY_DATE = "2026-10-01";
const BARE_ENTRY = "tests/bench/bare-hono.ts";
// deno-lint-ignore no-control-regex
const ANSI_ESCAPES = /\u001b\[[0-9;]*m/g;

export type StackOptions =
  /** The API; with a redis:// URL its cache and rate limiter go through the Upstash emulator to that Redis. */
  | { databaseUrl: string; redisUrl?: string; network?: Network }
  /** Instead of the API: the bare Hono baseline, answering every GET with these bytes. */
  | { bareBody: string; contentType: string };

/** Round trips to Postgres and Upstash through counting relays, each held `latencyMs` each way (0: counted only). */
export interface Network {
  latencyMs: number;
}

export interface Stack {
  kind: ServerKind;
  origin: string;
  /** The environment the API was started with (to sign tokens it accepts). */
  vars: Record<string, string>;
  /** Process groups of the server side, for the CPU accounting. */
  groups: number[];
  /** Lines with "error" the server printed after `mark` (a length of its output). */
  errorsSince(mark: number): string[];
  outputLength(): number;
  /** Round trips to the remote services so far (queries and Upstash calls only with `network`). */
  counts(): Promise<RemoteCounts>;
  stop(): Promise<void>;
}

async function startRemote(
  databaseUrl: string,
  upstashUrl: string | undefined,
  network: Network | undefined,
): Promise<{ child: Child; addresses: RemoteAddresses }> {
  const args = ["tests/bench/remote.ts", "--database-url", databaseUrl];
  if (upstashUrl) args.push("--upstash", upstashUrl);
  if (network) args.push("--links", "--latency-ms", String(network.latencyMs));
  const child = spawnPinned("remote services", NODE, args, { cpu: undefined });
  try {
    return { child, addresses: JSON.parse(await firstLine(child, 30_000)) as RemoteAddresses };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

async function remoteCounts(control: string): Promise<RemoteCounts> {
  const response = await fetch(`${control}/counts`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`remote services' counts: ${response.status}`);
  return await response.json() as RemoteCounts;
}

/** The Upstash REST emulator in front of `redisUrl`, answering PING. */
async function startUpstash(redisUrl: string): Promise<{ child: Child; url: string; token: string }> {
  const port = await freePort();
  const token = `bench-${crypto.randomUUID()}`;
  const child = spawnPinned("upstash emulator", "node_modules/.bin/upstash-redis-server", [], {
    cpu: undefined,
    env: { ...process.env, URS_TOKEN: token, PORT: String(port), REDIS_URL: redisUrl },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await upstashCommand({ url, token }, ["PING"]).then(() => true, () => false)) return { child, url, token };
    await new Promise((done) => setTimeout(done, 100));
  }
  await child.stop();
  throw new Error(`the Upstash emulator did not start:\n${child.output().slice(-2000)}`);
}

async function upstashCommand(upstash: { url: string; token: string }, command: string[]): Promise<unknown> {
  const response = await fetch(upstash.url, {
    method: "POST",
    headers: { Authorization: `Bearer ${upstash.token}` },
    body: JSON.stringify(command),
    signal: AbortSignal.timeout(2_000),
  });
  if (!response.ok) throw new Error(`${command[0]}: ${response.status} ${await response.text()}`);
  return response.json();
}

function apiVars(databaseUrl: string, remote: RemoteAddresses, origin: string): Record<string, string> {
  return {
    APP_ENV: "development",
    // wrangler.toml's [vars] are production's (Resend, Stripe): replaced as `npm start` does (api/local/worker-vars.ts).
    MAIL_PROVIDER: "outbox",
    PAYMENT_PROVIDER: "local",
    DATABASE_URL: databaseUrl,
    DATABASE_WS_PROXY: remote.wsProxy,
    ...(remote.sqlHttpUrl ? { DATABASE_HTTP_PROXY: remote.sqlHttpUrl } : {}),
    // The origin the load is sent to: the response cache answers only for the site's own host.
    PUBLIC_URL: origin,
    // The global per-IP limit would otherwise answer the load (all from 127.0.0.1) with 429s; it is still checked.
    RATE_LIMIT_PER_MINUTE: "1000000000",
    LOG_LEVEL: "error",
    JWT_SECRET: BENCH_JWT_SECRET,
  };
}

function startDeno(entry: string, vars: Record<string, string>, port: number) {
  const args = ["run", "--allow-net", "--allow-env", "--allow-read", "--allow-sys", entry];
  // A clean environment: Deno reads all of it, and the shell's DATABASE_URL or Upstash settings must not leak in.
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...vars, PORT: String(port) };
  return spawnPinned("deno", "node_modules/.bin/deno", args, { cpu: SERVER_CPU, env: { ...env, HOST: "127.0.0.1" } });
}

/** The API as production builds it: workerd runs the Astro build's Worker; Deno runs its entry. */
function startApi(kind: ServerKind, vars: Record<string, string>, port: number, scratch: string) {
  if (kind === "deno") return startDeno("api/deno.ts", vars, port);
  return startWorkerd(astroWorkerBuild(vars), port, scratch, SERVER_CPU);
}

/** The bare Hono baseline on the same runtime: a Worker of its own, or the same module under Deno. */
function startBare(kind: ServerKind, body: string, contentType: string, port: number, scratch: string) {
  const vars = { BODY_BASE64: Buffer.from(body).toString("base64"), CONTENT_TYPE: contentType };
  if (kind === "deno") return startDeno(BARE_ENTRY, vars, port);
  return startWorkerd({ ...bundleWorker(BARE_ENTRY, COMPATIBILITY_DATE, scratch), vars }, port, scratch, SERVER_CPU);
}

/** Starts the server side; on failure, stops whatever of it had started. */
export async function startStack(kind: ServerKind, options: StackOptions): Promise<Stack> {
  const scratch = mkdtempSync(join(tmpdir(), "lectern-bench-"));
  const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
  process.once("exit", removeScratch); // also when Ctrl-C ends the run
  const children: Child[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await child.stop();
    removeScratch();
    process.off("exit", removeScratch);
  };
  try {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    let vars: Record<string, string> = {};
    let server: Child;
    let control: string | undefined;
    if ("bareBody" in options) {
      server = await startBare(kind, options.bareBody, options.contentType, port, scratch);
    } else {
      let databaseUrl = options.databaseUrl;
      if (poolerAvailable()) {
        const pooler = await startPooler(databaseUrl, scratch);
        children.push(pooler.child);
        databaseUrl = pooler.url;
      }
      const upstash = options.redisUrl ? await startUpstash(options.redisUrl) : undefined;
      if (upstash) {
        children.push(upstash.child);
        // Every server starts with an empty cache: what one run cached must not flatter the next.
        await upstashCommand(upstash, ["FLUSHDB"]);
      }
      const remote = await startRemote(databaseUrl, upstash?.url, options.network);
      children.push(remote.child);
      control = remote.addresses.control;
      vars = apiVars(databaseUrl, remote.addresses, origin);
      if (upstash) {
        Object.assign(vars, {
          UPSTASH_REDIS_REST_URL: remote.addresses.upstashUrl ?? upstash.url,
          UPSTASH_REDIS_REST_TOKEN: upstash.token,
        });
      }
      server = await startApi(kind, vars, port, scratch);
    }
    children.push(server);
    await waitUntilReady(`${origin}/health/ready`, server, READY_TIMEOUT_MS);
    return {
      kind,
      origin,
      vars,
      groups: children.map((child) => child.process.pid).filter((pid): pid is number => pid !== undefined),
      outputLength: () => server.output().length,
      counts: () =>
        control ? remoteCounts(control) : Promise.reject(new Error("the bare baseline has no remote services")),
      errorsSince: (mark) =>
        server.output().slice(mark).replace(ANSI_ESCAPES, "").split("\n").filter((line) => /error/i.test(line)),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
