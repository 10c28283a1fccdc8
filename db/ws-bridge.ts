import { createConnection } from "node:net";
import { WebSocketServer } from "ws";

export interface WsBridge {
  /** What `NeonOptions.wsProxy` takes: `host:port/v2`. */
  readonly proxy: string;
  close(): Promise<void>;
}

export interface WsBridgeOptions {
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  /**
   * Lets one connection at a time talk to the server, from its request until
   * the server is idle again (ReadyForQuery outside a transaction). For a
   * server with one session behind many sockets — PGlite's — which otherwise
   * interleaves two clients' Parse/Bind/Execute and answers one with the
   * other's statement.
   */
  oneAtATime?: boolean;
}

/**
 * Lets Neon's WebSocket driver reach a plain Postgres: each WebSocket becomes
 * one TCP connection to `target`. The target is fixed, whatever address the
 * client asks for, so the bridge is never an open proxy.
 */
export async function startWsBridge(
  target: { host: string; port: number },
  options: WsBridgeOptions = {},
): Promise<WsBridge> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: options.port ?? 0 });
  const turns = options.oneAtATime ? new Turns() : undefined;
  server.on("connection", (socket) => {
    // No Nagle: the driver pipelines small messages (Parse, Bind, Execute, Sync); held back waiting for an ACK that
    // Postgres delays, a query's last message would stall for tens of milliseconds.
    const tcp = createConnection({ ...target, noDelay: true });
    const turn = turns?.join();
    const replies = new MessageReader();
    tcp.on("data", (data: Buffer) => {
      socket.send(data);
      if (turn && replies.push(data).some((message) => isIdle(message))) turn.end();
    });
    tcp.on("close", () => socket.close());
    tcp.on("error", () => socket.terminate());
    const forward = (data: Buffer) => {
      // A socket still connecting queues writes (and the end) in order.
      tcp.write(data);
      // Postgres hangs up after a Terminate; PGlite's socket server does not, and the driver waits for
      // the server to go, so without this every closed pool would keep its connections (and slots).
      if (endsWithTerminate(data)) tcp.end();
    };
    // Chained, so a connection's frames keep their order while it waits for its turn.
    let sent = Promise.resolve();
    socket.on("message", (data: Buffer) => {
      if (!turn) return forward(data);
      sent = sent.then(() => turn.begin()).then(() => forward(data));
    });
    const leave = () => {
      turn?.leave();
      tcp.destroy();
    };
    socket.on("close", leave);
    socket.on("error", leave);
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

const READY_FOR_QUERY = 0x5a;
const IDLE = 0x49;
const SSL_REFUSED = 0x4e;

/** ReadyForQuery with status "idle": the server finished a request and no transaction is open. */
const isIdle = (message: Buffer) => message[0] === READY_FOR_QUERY && message[5] === IDLE;

/** Splits the server's byte stream into protocol messages (a type byte, then a length that counts itself). */
class MessageReader {
  #pending: Buffer = Buffer.alloc(0);
  #started = false;

  push(data: Buffer): Buffer[] {
    // The one unframed reply: a lone "N" refusing an SSLRequest, before anything else.
    if (!this.#started && data.length === 1 && data[0] === SSL_REFUSED) return [];
    this.#started = true;
    this.#pending = this.#pending.length === 0 ? data : Buffer.concat([this.#pending, data]);
    const messages: Buffer[] = [];
    while (this.#pending.length >= 5) {
      const end = 1 + this.#pending.readInt32BE(1);
      if (this.#pending.length < end) break;
      messages.push(this.#pending.subarray(0, end));
      this.#pending = this.#pending.subarray(end);
    }
    return messages;
  }
}

/** Who may talk to the server now: one connection at a time, first come first served. */
class Turns {
  #holder: object | undefined;
  #waiting: { who: object; start: () => void }[] = [];

  join() {
    const who = {};
    return {
      /** Waits for this connection's turn (at once if it already has it). */
      begin: () =>
        this.#holder === who || this.#holder === undefined
          ? Promise.resolve(void (this.#holder = who))
          : new Promise<void>((start) => this.#waiting.push({ who, start })),
      end: () => this.#release(who),
      leave: () => {
        this.#waiting = this.#waiting.filter((entry) => entry.who !== who);
        this.#release(who);
      },
    };
  }

  #release(who: object) {
    if (this.#holder !== who) return;
    const next = this.#waiting.shift();
    this.#holder = next?.who;
    next?.start();
  }
}
