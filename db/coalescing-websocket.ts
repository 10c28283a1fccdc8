import { neonConfig } from "@neondatabase/serverless";

/**
 * The driver writes each Postgres message to its WebSocket separately and, to
 * send a query's messages (Parse, Bind, Execute, Sync) as one frame, holds
 * them back with `setTimeout(0)`. Outside Workers that timer is a real wait:
 * at least 1 ms in Node and, nested, 4 ms in Deno, on every query of a
 * transaction (an 8-statement transaction took 18 ms in Node and 32 ms in
 * Deno against 5 ms here). Sent one by one instead, the frames meet Nagle's
 * algorithm on Deno's socket and it is worse (280 ms). So the frames a query
 * writes in one turn are joined in a microtask: one frame, and no timer.
 */
function coalescing(Base: typeof WebSocket): typeof WebSocket {
  return class CoalescingWebSocket extends Base {
    #pending: Uint8Array[] = [];

    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      if (!(data instanceof Uint8Array)) return super.send(data);
      this.#pending.push(data);
      if (this.#pending.length === 1) queueMicrotask(() => this.#flush());
    }

    #flush(): void {
      const chunks = this.#pending;
      this.#pending = [];
      if (chunks.length === 1) return super.send(chunks[0]!);
      const joined = new Uint8Array(chunks.reduce((length, chunk) => length + chunk.byteLength, 0));
      let offset = 0;
      for (const chunk of chunks) {
        joined.set(chunk, offset);
        offset += chunk.byteLength;
      }
      super.send(joined);
    }
  };
}

let configured = false;

/**
 * Installs the coalescing WebSocket for the driver's pools, once. Not on
 * Workers, where the timer costs nothing (time does not advance while a
 * request runs) and the driver's own WebSocket handling is what Neon tests.
 */
export function coalesceWebSocketWrites(): void {
  if (configured) return;
  configured = true;
  if (typeof WebSocket === "undefined" || globalThis.navigator?.userAgent === "Cloudflare-Workers") return;
  neonConfig.webSocketConstructor = coalescing(WebSocket);
  neonConfig.coalesceWrites = false;
}
