/**
 * Every change the studio sends goes through one queue, one request at a time, in the order the teacher made
 * them — so a reorder can never reach the server before the lesson it moves exists.
 *
 * - Edits of one thing (a course's details, a lesson, a module's title) are patches under one key: a later patch
 *   merges into the one still waiting, and typing is debounced, so a paragraph is one request, not fifty.
 * - A request that fails for a reason that may pass (no network, 5xx, 429) stays at the head of the queue and is
 *   retried with backoff, and at once when the browser says it is online again: nothing typed offline is lost.
 * - A request the server refuses (422, 403, 404, 409) is dropped and its error reported to whoever queued it; it
 *   would fail the same way however often it were retried.
 */

export type SaveState = "saved" | "saving" | "offline" | "failed";

export interface SaveStatus {
  state: SaveState;
  /** Operations not yet acknowledged by the server, the one in flight included. */
  pending: number;
  /** The server's words for the last refused change, until the next success. */
  error?: string;
}

interface Operation {
  key: string;
  /** Fields of a patch, merged while the operation waits; undefined for one-off operations. */
  patch: Record<string, unknown> | undefined;
  send: (patch: Record<string, unknown>) => Promise<unknown>;
  readyAt: number;
  settle: { resolve: (value: unknown) => void; reject: (error: unknown) => void }[];
}

export interface SaveQueueOptions {
  /** True for errors a retry cannot fix (the request itself was refused). */
  isPermanent: (error: unknown) => boolean;
  describe: (error: unknown) => string;
  isOnline?: () => boolean;
  now?: () => number;
}

const MAX_BACKOFF_MS = 30_000;

export class SaveQueue {
  private readonly options: Required<SaveQueueOptions>;
  private readonly waiting: Operation[] = [];
  private inFlight: Operation | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private status: SaveStatus = { state: "saved", pending: 0 };
  private readonly listeners = new Set<(status: SaveStatus) => void>();

  constructor(options: SaveQueueOptions) {
    this.options = {
      isOnline: () => typeof navigator === "undefined" || navigator.onLine,
      now: () => Date.now(),
      ...options,
    };
  }

  /**
   * Queues fields of `key` to be sent by `send` after `delayMs` of quiet; resolves when they are saved. Fields
   * queued again under the same key before then travel in the same request.
   */
  patch<P extends object, T>(key: string, fields: P, send: (patch: P) => Promise<T>, delayMs = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const settle = { resolve: resolve as (value: unknown) => void, reject };
      const readyAt = this.options.now() + delayMs;
      // Patches of one key share one shape; the queue itself only merges their fields.
      const sendAny = send as unknown as Operation["send"];
      const waiting = this.waiting.find((operation) => operation.key === key && operation.patch);
      if (waiting) {
        waiting.patch = { ...waiting.patch, ...(fields as Record<string, unknown>) };
        waiting.send = sendAny;
        waiting.readyAt = readyAt;
        waiting.settle.push(settle);
      } else {
        this.waiting.push({
          key,
          patch: { ...(fields as Record<string, unknown>) },
          send: sendAny,
          readyAt,
          settle: [settle],
        });
      }
      this.kick();
    });
  }

  /** Queues a one-off request (create, delete, reorder) behind everything already queued. */
  run<T>(key: string, send: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const settle = { resolve: resolve as (value: unknown) => void, reject };
      this.waiting.push({ key, patch: undefined, send, readyAt: this.options.now(), settle: [settle] });
      this.kick();
    });
  }

  /** Sends debounced patches now: the page is being hidden or left. */
  flush(): void {
    for (const operation of this.waiting) operation.readyAt = 0;
    this.kick();
  }

  /** The network is back: retry at once instead of waiting out the backoff. */
  retryNow(): void {
    this.attempt = 0;
    this.flush();
  }

  /** Resolves once nothing is waiting or in flight: for actions (publish) that must see every edit saved first. */
  settled(): Promise<void> {
    this.flush();
    return new Promise((resolve) => {
      const unsubscribe = this.subscribe((status) => {
        if (status.pending > 0 || status.state === "saving") return;
        queueMicrotask(() => unsubscribe());
        resolve();
      });
    });
  }

  hasUnsaved(): boolean {
    return this.inFlight !== undefined || this.waiting.length > 0;
  }

  subscribe(listener: (status: SaveStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  private publish(next: Omit<SaveStatus, "pending">) {
    this.status = { ...next, pending: this.waiting.length + (this.inFlight ? 1 : 0) };
    for (const listener of this.listeners) listener(this.status);
  }

  private kick(delayMs?: number) {
    if (this.inFlight) return;
    clearTimeout(this.timer);
    const head = this.waiting[0];
    if (!head) {
      if (this.status.state !== "failed" && this.status.state !== "saved") this.publish({ state: "saved" });
      return;
    }
    const wait = delayMs ?? Math.max(0, head.readyAt - this.options.now());
    if (this.status.state === "saved") this.publish({ state: "saving" });
    else this.publish({ ...this.status });
    this.timer = setTimeout(() => void this.sendHead(), wait);
  }

  private async sendHead() {
    const operation = this.waiting.shift();
    if (!operation) return;
    this.inFlight = operation;
    if (this.status.state !== "offline") this.publish({ state: "saving" });
    try {
      const result = await operation.send(operation.patch ?? {});
      this.inFlight = undefined;
      this.attempt = 0;
      for (const { resolve } of operation.settle) resolve(result);
      this.publish({ state: this.waiting.length > 0 ? "saving" : "saved" });
    } catch (error) {
      this.inFlight = undefined;
      if (this.options.isPermanent(error)) {
        for (const { reject } of operation.settle) reject(error);
        this.publish({ state: "failed", error: this.options.describe(error) });
      } else {
        this.requeue(operation);
        this.attempt++;
        const state = this.options.isOnline() ? "failed" : "offline";
        this.publish({ state, error: state === "failed" ? this.options.describe(error) : undefined });
        this.kick(Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.attempt - 1)));
        return;
      }
    }
    this.kick();
  }

  /** Back to the head; newer fields queued for the same key while it was in flight win over the failed ones. */
  private requeue(operation: Operation) {
    const newer = operation.patch && this.waiting.find((other) => other.key === operation.key && other.patch);
    if (newer) {
      this.waiting.splice(this.waiting.indexOf(newer), 1);
      operation.patch = { ...operation.patch, ...newer.patch };
      operation.send = newer.send;
      operation.settle.push(...newer.settle);
    }
    this.waiting.unshift(operation);
  }
}
