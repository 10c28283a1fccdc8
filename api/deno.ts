import { createApp } from "./app.ts";
import { ConfigError, environmentWarning, parseConfig } from "./env.ts";
import { sharedCacheFront } from "./lib/response-cache/serve.ts";
import { runtimeDeps } from "./runtime.ts";

function loadConfig() {
  try {
    return parseConfig(Deno.env.toObject());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    Deno.exit(78);
  }
}

const config = loadConfig();
const peers = new WeakMap<Request, string>();
const deps = runtimeDeps(config, { poolPerRequest: false, clientIp: (request) => peers.get(request) });
const app = createApp(deps);
const warning = environmentWarning(config);
if (warning) deps.logger.log("warn", warning);
const front = sharedCacheFront(deps.responseCache, config.publicUrl);
const port = Number(Deno.env.get("PORT") ?? 8000);
const graceMs = Number(Deno.env.get("SHUTDOWN_GRACE_MS") ?? 10_000);

const server = Deno.serve({
  port,
  hostname: Deno.env.get("HOST") ?? "127.0.0.1",
  onListen: ({ hostname, port }) => {
    deps.logger.log("info", "listening", { runtime: "deno", url: `http://${hostname}:${port}` });
  },
}, (request, info) => {
  const peer = info.remoteAddr.transport === "tcp" ? info.remoteAddr.hostname : undefined;
  // The cache may hand the app a request of its own (a HEAD as a GET, without validators): same peer.
  return front.serve(request, async (forwarded) => {
    if (peer) peers.set(forwarded, peer);
    return app.fetch(forwarded);
  });
});

/** SIGTERM: stop accepting, let in-flight requests finish within the grace period, then close the pool. */
Deno.addSignalListener("SIGTERM", async () => {
  deps.logger.log("info", "shutting down", { graceMs });
  const timer = setTimeout(() => Deno.exit(1), graceMs);
  await server.shutdown();
  await deps.database.close();
  clearTimeout(timer);
  Deno.exit(0);
});
