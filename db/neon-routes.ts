import { neonConfig } from "@neondatabase/serverless";

/**
 * Where the Neon driver sends each database's WebSocket and HTTP traffic.
 * `neonConfig` is global, so a second database in the same process (tests,
 * the local server next to the app) would otherwise redirect the first one's
 * traffic; the driver hands both functions the host and port of the
 * connection string, so each database gets its own route by those. Databases
 * without a route go where the driver would send them: to Neon.
 */
const wsProxies = new Map<string, string>();
const httpEndpoints = new Map<string, string>();

let installed = false;

function routeKey(host: string, port: number | string | undefined): string {
  return `${host}:${port || 5432}`;
}

function keyOfUrl(url: string): string {
  const { hostname, port } = new URL(url);
  return routeKey(hostname, port);
}

function install(): void {
  if (installed) return;
  installed = true;
  const neonWsProxy = neonConfig.wsProxy;
  const neonFetchEndpoint = neonConfig.fetchEndpoint;
  neonConfig.wsProxy = (host, port) => {
    const proxy = wsProxies.get(routeKey(host, port));
    if (proxy !== undefined) return `${proxy}?address=${host}:${port}`;
    return typeof neonWsProxy === "function" ? neonWsProxy(host, port) : `${neonWsProxy}?address=${host}:${port}`;
  };
  neonConfig.fetchEndpoint = (host, port, options) =>
    httpEndpoints.get(routeKey(host, port)) ??
      (typeof neonFetchEndpoint === "function" ? neonFetchEndpoint(host, port, options) : neonFetchEndpoint);
}

/**
 * Sends the WebSocket connections of `databaseUrl` through a plain bridge
 * (`host:port/path`). Neon's proxy speaks TLS and pipelines the start-up; a
 * bridge to a plain Postgres does neither, so those are switched off too.
 */
export function routeWebSocket(databaseUrl: string, proxy: string): void {
  install();
  wsProxies.set(keyOfUrl(databaseUrl), proxy);
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

/** Sends the HTTP queries of `databaseUrl` to `endpoint` (a server speaking Neon's `/sql` protocol). */
export function routeHttp(databaseUrl: string, endpoint: string): void {
  install();
  httpEndpoints.set(keyOfUrl(databaseUrl), endpoint);
}
