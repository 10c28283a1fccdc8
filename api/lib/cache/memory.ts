import type { Clock } from "../clock.ts";
import type { Cache } from "./cache.ts";

interface Entry {
  json: string;
  expiresAt: number;
}

/** The embedded default and tests: one map per process (per isolate on Workers), bounded in size. */
export function memoryCache(clock: Clock, maxEntries = 10_000): Cache {
  const entries = new Map<string, Entry>();
  return {
    async get<T>(key: string) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= clock.now().getTime()) {
        entries.delete(key);
        return undefined;
      }
      return JSON.parse(entry.json) as T;
    },
    async set(key, value, ttlSeconds) {
      if (entries.size >= maxEntries && !entries.has(key)) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      // Stored as JSON so callers get copies and the same shapes Redis would return.
      entries.set(key, { json: JSON.stringify(value), expiresAt: clock.now().getTime() + ttlSeconds * 1000 });
    },
    async delete(...keys) {
      for (const key of keys) entries.delete(key);
    },
    async ping() {},
  };
}
