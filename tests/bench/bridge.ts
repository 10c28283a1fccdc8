/**
 * The WebSocket-to-TCP bridge the server's Neon driver reaches Postgres
 * through, as its own process (standing in for Neon's proxy, it is not the
 * server's CPU, and the CPU accounting counts it apart). Prints its proxy
 * address, then runs until SIGTERM. Usage: node tests/bench/bridge.ts HOST PORT
 */
import { startWsBridge } from "../../db/ws-bridge.ts";

const [host = "127.0.0.1", port = "5432"] = process.argv.slice(2);
const bridge = await startWsBridge({ host, port: Number(port) });
console.log(bridge.proxy);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    void bridge.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}
