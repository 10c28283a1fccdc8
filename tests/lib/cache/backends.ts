import type { Redis } from "@upstash/redis";
import type { SharedCache } from "../../../api/lib/cache/cache.ts";
import { upstashCache } from "../../../api/lib/cache/upstash.ts";
import type { Clock } from "../../../api/lib/clock.ts";
import { silentLogger } from "../../../api/lib/logger.ts";
import { createRedis } from "../../../api/lib/redis.ts";
import { testRedis } from "../../support/app.ts";

/** A shared cache the tests can count and break: what "Redis" is to the tier under test. */
export interface Backend {
  remote: SharedCache;
  /** Calls that cross the network. */
  calls(): number;
  setDown(down: boolean): void;
}

export interface BackendKind {
  name: string;
  create(clock: Clock): Backend;
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  private time = Date.parse("2026-12-01T12:00:00Z");
  now() {
    return new Date(this.time);
  }
  advance(ms: number) {
    this.time += ms;
  }
}

/** Upstash's semantics in memory, on the tier's clock, for the embedded pass. */
export function fakeShared(clock: Clock): Backend {
  const values = new Map<string, { json: string; expiresAt: number }>();
  let generation = 0;
  let calls = 0;
  let down = false;
  const reachable = () => {
    calls++;
    return !down;
  };
  const unreachable = () => new Error("fake Redis is down");
  const live = (key: string) => {
    const entry = values.get(key);
    return entry && entry.expiresAt > clock.now().getTime() ? entry : undefined;
  };
  const put = (key: string, value: unknown, ttlSeconds: number) =>
    values.set(key, { json: JSON.stringify(value), expiresAt: clock.now().getTime() + ttlSeconds * 1000 });
  const remote: SharedCache = {
    async get<T>(key: string) {
      const entry = reachable() ? live(key) : undefined;
      return entry && JSON.parse(entry.json) as T;
    },
    async getWithTtl<T>(key: string) {
      const entry = reachable() ? live(key) : undefined;
      return entry && { value: JSON.parse(entry.json) as T, ttlMs: entry.expiresAt - clock.now().getTime() };
    },
    async set(key, value, ttlSeconds) {
      if (reachable()) put(key, value, ttlSeconds);
    },
    async setIfGeneration(key, value, ttlSeconds, seen) {
      if (reachable() && seen === generation) put(key, value, ttlSeconds);
    },
    async delete(...keys) {
      if (!reachable()) return;
      for (const key of keys) values.delete(key);
      generation++;
    },
    async generation() {
      if (!reachable()) throw unreachable();
      return generation;
    },
    async ping() {
      if (!reachable()) throw unreachable();
    },
  };
  return { remote, calls: () => calls, setDown: (value) => (down = value) };
}

/** The real Upstash cache through the emulator, its client wrapped to count calls and to fail like a dead Redis. */
export function countedUpstash(redis: Redis): Backend {
  const dead = createRedis({ url: "http://127.0.0.1:9", token: "none", timeoutMs: 500 });
  let calls = 0;
  let down = false;
  const counted = new Proxy(redis, {
    get(_target, property) {
      const client = down ? dead : redis;
      const value = Reflect.get(client, property);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls++;
        return value.apply(client, args);
      };
    },
  });
  const remote = upstashCache(counted, silentLogger, { keyPrefix: `tiered-test-${crypto.randomUUID()}:` });
  return { remote, calls: () => calls, setDown: (value) => (down = value) };
}

/** The fake always; real Upstash too in the real-service pass. */
export function backendKinds(): BackendKind[] {
  const redis = testRedis();
  const kinds: BackendKind[] = [{ name: "fake shared cache", create: fakeShared }];
  if (redis) kinds.push({ name: "Upstash", create: () => countedUpstash(redis) });
  return kinds;
}

/** A remote call whose next answer a test can hold back after Redis gave it, as a slow network would. */
export function holdable<A extends unknown[], R>(call: (...args: A) => Promise<R>) {
  let gate: { answered(): void; released: Promise<void>; release(): void } | undefined;
  let armed = false;
  return {
    call: async (...args: A) => {
      const held = armed ? gate : undefined;
      armed = false;
      const answer = await call(...args);
      if (held) {
        held.answered();
        await held.released;
      }
      return answer;
    },
    /** Holds the next call's answer (until `release`, if ever); resolves once Redis has given it. */
    hold(): Promise<void> {
      return new Promise((answered) => {
        let release = () => {};
        const released = new Promise<void>((resolve) => (release = resolve));
        gate = { answered: () => answered(), released, release };
        armed = true;
      });
    },
    release: () => gate?.release(),
  };
}
