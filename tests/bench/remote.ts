/**
 * The server's remote services as one process of their own (standing in for
 * Neon's proxies and Upstash's edge, their CPU is not the server's, and the
 * CPU accounting counts it apart): the WebSocket bridge the Neon driver opens
 * sessions through, Neon's HTTP query endpoint when the app has one
 * (db/sql-http-server.ts), and — with --links — counting relays on every
 * path to the data: Postgres behind the bridge, the HTTP query endpoint, and
 * the Upstash REST emulator, each holding messages --latency-ms each way.
 *
 * Prints one JSON line, the addresses the server is given (RemoteAddresses),
 * then runs until SIGTERM; GET <control>/counts answers RemoteCounts.
 *
 *   node tests/bench/remote.ts --database-url URL [--upstash URL] [--links] [--latency-ms 0]
 */
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import type { SqlHttpCounts, SqlHttpServer, startSqlHttpServer } from "../../db/sql-http-server.ts";
import { startWsBridge } from "../../db/ws-bridge.ts";
import { type Relay, startHttpRelay, startPostgresLink } from "./relays.ts";

export interface RemoteAddresses {
  /** DATABASE_WS_PROXY. */
  wsProxy: string;
  /** DATABASE_HTTP_PROXY, when the app has an HTTP query path. */
  sqlHttpUrl?: string;
  /** UPSTASH_REDIS_REST_URL: the emulator's, or the relay's in front of it. */
  upstashUrl?: string;
  /** GET <control>/counts: RemoteCounts. */
  control: string;
}

/** Round trips so far: counted only with --links. */
export interface RemoteCounts {
  upstash: { calls: number; commands: number };
  /** The WebSocket path: sessions the bridge opened, Query and Execute messages sent over them. */
  postgres: { connections: number; queries: number };
  /** The HTTP query server's own counts; absent where the app has no HTTP query path. */
  http?: SqlHttpCounts;
}

/** Loaded only where it exists: the benchmark also measures the code from before the app had an HTTP query path. */
const SQL_HTTP_MODULE = new URL("../../db/sql-http-server.ts", import.meta.url);
/** Connections of the HTTP query server to Postgres (through PgBouncer, when the run has it). */
const SQL_HTTP_CONNECTIONS = 20;

/**
 * Neon's HTTP query endpoint, with a WebSocket bridge of its own to the database: its sessions are Neon's, not the
 * app's, so the link behind the app's bridge does not count them.
 */
async function startSqlHttp(
  databaseUrl: string,
  postgres: { host: string; port: number },
): Promise<{ server: SqlHttpServer; close(): Promise<void> } | undefined> {
  if (!existsSync(SQL_HTTP_MODULE)) return undefined;
  const module = await import(SQL_HTTP_MODULE.href) as { startSqlHttpServer: typeof startSqlHttpServer };
  const bridge = await startWsBridge(postgres);
  const server = await module.startSqlHttpServer({
    url: databaseUrl,
    wsProxy: bridge.proxy,
    maxConnections: SQL_HTTP_CONNECTIONS,
  });
  return {
    server,
    close: async () => {
      await server.close();
      await bridge.close();
    },
  };
}

/** Upstash's REST API takes one command per request, or an array of them at /pipeline and /multi-exec. */
function upstashCommands(path: string, body: Buffer): number {
  if (!/^\/(pipeline|multi-exec)\b/.test(path)) return 1;
  try {
    const commands: unknown = JSON.parse(body.toString("utf8"));
    return Array.isArray(commands) ? commands.length : 1;
  } catch {
    return 1;
  }
}

const { values } = parseArgs({
  options: {
    "database-url": { type: "string" },
    upstash: { type: "string" },
    links: { type: "boolean", default: false },
    "latency-ms": { type: "string", default: "0" },
  },
});
if (!values["database-url"]) throw new Error("--database-url is required");
const databaseUrl = values["database-url"];
const latencyMs = Number(values["latency-ms"]);
const { hostname, port } = new URL(databaseUrl);
const postgres = { host: hostname, port: Number(port || 5432) };

const closers: (() => Promise<void>)[] = [];
const upstash = { calls: 0, commands: 0 };
const link = values.links ? await startPostgresLink(postgres, latencyMs) : undefined;
if (link) closers.push(link.close);
const bridge = await startWsBridge(link ? { host: "127.0.0.1", port: link.port } : postgres);
closers.push(bridge.close);

const sqlHttp = await startSqlHttp(databaseUrl, postgres);
let sqlHttpUrl = sqlHttp?.server.url;
if (sqlHttp) {
  closers.push(sqlHttp.close);
  if (values.links) {
    const server = new URL(sqlHttp.server.url);
    const relay: Relay = await startHttpRelay(server.origin, latencyMs);
    closers.push(relay.close);
    sqlHttpUrl = `${relay.url}${server.pathname}`;
  }
}

let upstashUrl = values.upstash;
if (upstashUrl && values.links) {
  const relay = await startHttpRelay(upstashUrl, latencyMs, (path, body) => {
    upstash.calls++;
    upstash.commands += upstashCommands(path, body);
  });
  closers.push(relay.close);
  upstashUrl = relay.url;
}

const counts = (): RemoteCounts => ({
  upstash: { ...upstash },
  postgres: link?.counts() ?? { connections: 0, queries: 0 },
  ...(sqlHttp ? { http: sqlHttp.server.counts() } : {}),
});
const control = createServer((request, response) => {
  if (request.url !== "/counts") return void response.writeHead(404).end();
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(counts()));
});
await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
const address = control.address();
if (address === null || typeof address === "string") throw new Error("control server is not listening on TCP");

const addresses: RemoteAddresses = {
  wsProxy: bridge.proxy,
  ...(sqlHttpUrl ? { sqlHttpUrl } : {}),
  ...(upstashUrl ? { upstashUrl } : {}),
  control: `http://127.0.0.1:${address.port}`,
};
console.log(JSON.stringify(addresses));

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    void Promise.allSettled(closers.reverse().map((close) => close())).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}
