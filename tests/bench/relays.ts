/**
 * The network between the server and its remote services, as the benchmark
 * plays it: relays that count what crosses them (round trips to Upstash and
 * to Postgres) and can hold every message for a while each way, as the link
 * to a region far away would. On this machine the services answer in well
 * under a millisecond; from a learner's edge to the data's region a round
 * trip takes tens to hundreds.
 */
import { Agent, createServer as createHttpServer, request as httpRequest } from "node:http";
import { createConnection, createServer as createTcpServer, type Server, type Socket } from "node:net";

export interface Relay {
  /** Where clients connect instead of the target: `http://127.0.0.1:PORT` or the TCP port. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Runs `send` after `delayMs`, or at once. Timers of one duration fire in the order they were set, so what a
 * connection sends keeps its order.
 */
function delayer(delayMs: number): (send: () => void) => void {
  return delayMs > 0 ? (send) => void setTimeout(send, delayMs) : (send) => send();
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("relay is not listening on TCP");
  return address.port;
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

const SIMPLE_QUERY = 0x51; // 'Q'
const EXECUTE = 0x45; // 'E': a statement of the extended protocol (Parse, Bind, Execute, Sync) runs
/** The StartupMessage's protocol version 3.0; SSLRequest and GSSENCRequest carry other codes and come before it. */
const PROTOCOL_3 = 196_608;

/**
 * Counts the queries in a client's byte stream: every Query and Execute message after the startup. Messages before
 * the startup (SSLRequest, StartupMessage) have no type byte; after it every message is a type byte and a length.
 */
class QueryCounter {
  #pending: Buffer = Buffer.alloc(0);
  #started = false;

  push(data: Buffer): number {
    this.#pending = this.#pending.length === 0 ? data : Buffer.concat([this.#pending, data]);
    let queries = 0;
    for (;;) {
      if (!this.#started) {
        if (this.#pending.length < 8) break;
        const length = this.#pending.readInt32BE(0);
        if (this.#pending.length < length) break;
        this.#started = this.#pending.readInt32BE(4) === PROTOCOL_3;
        this.#pending = this.#pending.subarray(length);
        continue;
      }
      if (this.#pending.length < 5) break;
      const end = 1 + this.#pending.readInt32BE(1);
      if (this.#pending.length < end) break;
      if (this.#pending[0] === SIMPLE_QUERY || this.#pending[0] === EXECUTE) queries++;
      this.#pending = this.#pending.subarray(end);
    }
    return queries;
  }
}

/** What a Postgres link counts: sessions opened through it, and queries sent over them. */
export interface PostgresCounts {
  connections: number;
  queries: number;
}

/** A TCP relay to Postgres (or PgBouncer) that counts sessions and queries and delays each batch each way. */
export async function startPostgresLink(
  target: { host: string; port: number },
  delayMs: number,
): Promise<Relay & { counts(): PostgresCounts }> {
  const counts: PostgresCounts = { connections: 0, queries: 0 };
  const later = delayer(delayMs);
  const sockets = new Set<Socket>();
  const server = createTcpServer({ noDelay: true }, (client) => {
    counts.connections++;
    const upstream = createConnection({ ...target, noDelay: true });
    const queries = new QueryCounter();
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    }
    client.on("data", (data: Buffer) => {
      counts.queries += queries.push(data);
      later(() => upstream.write(data));
    });
    upstream.on("data", (data: Buffer) => later(() => client.write(data)));
    client.on("end", () => later(() => upstream.end()));
    upstream.on("end", () => later(() => client.end()));
    const hangUp = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", hangUp);
    upstream.on("error", hangUp);
  });
  const port = await listen(server);
  return {
    url: `127.0.0.1:${port}`,
    port,
    counts: () => ({ ...counts }),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return closeServer(server);
    },
  };
}

/**
 * An HTTP relay in front of `target` (an origin): each request is read whole, shown to `onRequest` (to count what
 * it carries), held `delayMs`, sent on, and its answer held `delayMs` again.
 */
export async function startHttpRelay(
  target: string,
  delayMs: number,
  onRequest: (path: string, body: Buffer) => void = () => {},
): Promise<Relay> {
  const { hostname, port: targetPort } = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const later = delayer(delayMs);
  const server = createHttpServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = incoming.url ?? "/";
      onRequest(path, body);
      const headers = { ...incoming.headers, host: `${hostname}:${targetPort}` };
      later(() => {
        const forwarded = httpRequest(
          { agent, hostname, port: targetPort, method: incoming.method, path, headers },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on("data", (chunk: Buffer) => parts.push(chunk));
            answer.on("end", () =>
              later(() => {
                const { connection: _, "transfer-encoding": __, ...kept } = answer.headers;
                outgoing.writeHead(answer.statusCode ?? 502, kept).end(Buffer.concat(parts));
              }));
          },
        );
        forwarded.on("error", (error) => later(() => outgoing.writeHead(502).end(error.message)));
        forwarded.end(body);
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => {
      agent.destroy();
      server.closeAllConnections();
      return closeServer(server);
    },
  };
}
