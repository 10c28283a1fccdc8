import { createConnection } from "node:net";
import { WebSocketServer } from "ws";

export interface WsBridge {
  /** What `NeonOptions.wsProxy` takes: `host:port/v2`. */
  readonly proxy: string;
  close(): Promise<void>;
}

/**
 * Lets Neon's WebSocket driver reach a plain Postgres: each WebSocket becomes
 * one TCP connection to `target`. The target is fixed, whatever address the
 * client asks for, so the bridge is never an open proxy.
 */
export async function startWsBridge(target: { host: string; port: number }, port = 0): Promise<WsBridge> {
  const server = new WebSocketServer({ host: "127.0.0.1", port });
  server.on("connection", (socket) => {
    const tcp = createConnection(target);
    tcp.on("data", (data) => socket.send(data));
    tcp.on("close", () => socket.close());
    tcp.on("error", () => socket.terminate());
    socket.on("message", (data: Buffer) => {
      // A socket still connecting queues writes (and the end) in order.
      tcp.write(data);
      // Postgres hangs up after a Terminate; PGlite's socket server does not, and the driver waits for
      // the server to go, so without this every closed pool would keep its connections (and slots).
      if (endsWithTerminate(data)) tcp.end();
    });
    socket.on("close", () => tcp.destroy());
    socket.on("error", () => tcp.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("ws bridge is not listening on TCP");
  return {
    proxy: `127.0.0.1:${address.port}/v2`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);

function endsWithTerminate(data: Buffer): boolean {
  return data.length >= TERMINATE.length && data.subarray(data.length - TERMINATE.length).equals(TERMINATE);
}
