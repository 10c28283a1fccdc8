/** The studio's save queue on its own (no browser): merging, order, retries and refusals, on fake timers. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SaveQueue, type SaveStatus } from "../../../../site/src/islands/teach/autosave/save-queue.ts";

class Refused extends Error {}

let online = true;
let states: SaveStatus["state"][];

function newQueue() {
  const queue = new SaveQueue({
    isPermanent: (error) => error instanceof Refused,
    describe: (error) => String((error as Error).message),
    isOnline: () => online,
    now: () => Date.now(),
  });
  states = [];
  queue.subscribe((status) => states.push(status.state));
  return queue;
}

beforeEach(() => {
  vi.useFakeTimers();
  online = true;
});
afterEach(() => {
  vi.useRealTimers();
});

describe("save queue", () => {
  it("merges patches of one key typed within the delay into one request", async () => {
    const queue = newQueue();
    const sent: object[] = [];
    const send = (patch: object) => Promise.resolve(sent.push(patch));
    const first = queue.patch("course", { title: "One" }, send, 500);
    await vi.advanceTimersByTimeAsync(300);
    const second = queue.patch("course", { subtitle: "Two" }, send, 500);
    await vi.advanceTimersByTimeAsync(300);
    expect(sent).toEqual([]);
    expect(queue.hasUnsaved()).toBe(true);
    await vi.advanceTimersByTimeAsync(300);
    expect(sent).toEqual([{ title: "One", subtitle: "Two" }]);
    expect(await first).toBe(1);
    expect(await second).toBe(1);
    expect(queue.hasUnsaved()).toBe(false);
    expect(states.at(-1)).toBe("saved");
  });

  it("sends one request at a time, in the order they were queued", async () => {
    const queue = newQueue();
    const log: string[] = [];
    const slow = (name: string) => () =>
      new Promise<void>((resolve) => {
        log.push(`start ${name}`);
        setTimeout(() => {
          log.push(`end ${name}`);
          resolve();
        }, 100);
      });
    void queue.run("add-module", slow("add"));
    void queue.run("reorder", slow("reorder"));
    await vi.runAllTimersAsync();
    expect(log).toEqual(["start add", "end add", "start reorder", "end reorder"]);
  });

  it("keeps a change that failed for want of a network and sends it, with later edits, when back online", async () => {
    const queue = newQueue();
    const sent: object[] = [];
    let reachable = false;
    const send = (patch: object) =>
      reachable ? Promise.resolve(sent.push(patch)) : Promise.reject(new TypeError("Failed to fetch"));
    online = false;
    const saved = queue.patch("lesson:1", { body: "<p>a</p>" }, send);
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)).toBe("offline");
    void queue.patch("lesson:1", { title: "Later" }, send);
    online = true;
    reachable = true;
    queue.retryNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([{ body: "<p>a</p>", title: "Later" }]);
    await expect(saved).resolves.toBe(1);
    expect(states.at(-1)).toBe("saved");
  });

  it("retries with backoff on its own while the failures may pass", async () => {
    const queue = newQueue();
    let attempts = 0;
    const saved = queue.run("publish", () => ++attempts < 3 ? Promise.reject(new Error("503")) : Promise.resolve("ok"));
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)).toBe("failed");
    await vi.advanceTimersByTimeAsync(1000 + 2000);
    await expect(saved).resolves.toBe("ok");
    expect(attempts).toBe(3);
  });

  it("drops a change the server refuses, reports it, and goes on with the rest", async () => {
    const queue = newQueue();
    const refused = queue.run("rename", () => Promise.reject(new Refused("title is too short")));
    const next = queue.run("add", () => Promise.resolve("added"));
    const refusal = expect(refused).rejects.toThrow("title is too short");
    await vi.runAllTimersAsync();
    await refusal;
    await expect(next).resolves.toBe("added");
    expect(states).toContain("failed");
    expect(states.at(-1)).toBe("saved");
  });

  it("tells when everything queued is saved, sending debounced edits at once", async () => {
    const queue = newQueue();
    const sent: object[] = [];
    void queue.patch("course", { title: "Soon" }, (patch) => Promise.resolve(sent.push(patch)), 10_000);
    let settled = false;
    void queue.settled().then(() => settled = true);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([{ title: "Soon" }]);
    expect(settled).toBe(true);
  });
});
