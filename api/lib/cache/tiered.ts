import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import type { Cache, SharedCache } from "./cache.ts";
import { type InFlight, inFlight, isAlive, waitFor } from "./in-flight.ts";

export interface TieredCacheOptions {
  clock: Clock;
  logger: Logger;
  /** N, the staleness bound: how long one read of the purge generation vouches for the local entries. */
  checkIntervalMs?: number;
  maxEntries?: number;
  /** Counted as JSON characters: about bytes, as V8 keeps Latin-1 strings one byte a character. */
  maxBytes?: number;
  /** The remote's deadline for one call (REDIS_TIMEOUT_MS): a call shared by requests is given twice that to end. */
  remoteTimeoutMs?: number | undefined;
}

interface Entry {
  json: string;
  expiresAt: number;
}

/**
 * An in-isolate tier in front of the shared cache, so a hot object costs no network call.
 *
 * The bound: no isolate serves an object from its tier more than N (`checkIntervalMs`, 1 s) after the `delete` that
 * removed it reached Redis. A `delete` removes the keys in Redis and then bumps a generation there. A tier serves its
 * entries only until N after it *started* a read of that generation (a read that finds it changed empties the tier):
 * a read that did not see a purge started before the purge, so the trust it gave ends within N of it. Reads wait for
 * that check once per N, concurrent ones sharing it: the only network call a hot hit makes. When the generation cannot be read
 * (Redis down) the tier empties and serves nothing until it can, since a stale object is worse than a miss that
 * reaches Postgres. A local entry never outlives the TTL Redis gives the key, and a value loaded before a purge is
 * stored neither here nor in Redis after it (`SharedCache.setIfGeneration`). Memory is bounded by entries and bytes,
 * least recently used out first. Concurrent misses for one key share one remote read, for as long as it can be alive
 * (`in-flight.ts`).
 */
export function tieredCache(remote: SharedCache, options: TieredCacheOptions): Cache {
  const { clock, logger } = options;
  const checkIntervalMs = options.checkIntervalMs ?? 1_000;
  const maxEntries = options.maxEntries ?? 1_000;
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const callLifetimeMs = 2 * (options.remoteTimeoutMs ?? 1_000);
  const now = () => clock.now().getTime();

  /** Least recently used first: a hit moves its entry to the end. */
  const entries = new Map<string, Entry>();
  let bytes = 0;
  /** The generation the local entries belong to; undefined after a failed check, when nothing local is trusted. */
  let generation: number | undefined;
  let checkedUntil = 0;
  let checking: InFlight<boolean> | undefined;
  /** Numbers the checks, so the answer of one that a newer check replaced is ignored. */
  let checks = 0;
  /** Counts local deletes, so a check under way during one does not vouch for the tier. */
  let purges = 0;
  /** Remote reads under way: concurrent misses for one key make one call. */
  const reads = new Map<string, InFlight<string | undefined>>();
  /** The generation each missed key was looked up under: its fill must lose to any purge since. */
  const misses = new Map<string, number | undefined>();

  function remove(key: string) {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.json.length;
  }

  function dropAll() {
    entries.clear();
    bytes = 0;
    reads.clear();
  }

  function store(key: string, json: string, expiresAt: number) {
    if (generation === undefined || expiresAt <= now() || json.length > maxBytes) return;
    remove(key);
    entries.set(key, { json, expiresAt });
    bytes += json.length;
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break;
      remove(oldest);
    }
  }

  async function check(id: number, started: number): Promise<boolean> {
    const purgesBefore = purges;
    try {
      const current = await remote.generation();
      if (id !== checks) return false;
      if (current !== generation) {
        dropAll();
        generation = current;
      }
      if (purges === purgesBefore) checkedUntil = started + checkIntervalMs;
      return true;
    } catch (error) {
      if (id !== checks) return false;
      dropAll();
      generation = undefined;
      // No new attempt before N: while Redis is down, requests pay its timeout once, in the remote read.
      checkedUntil = started + checkIntervalMs;
      logger.log("warn", "cache generation unavailable", { error: String(error) });
      return false;
    } finally {
      if (id === checks) checking = undefined;
    }
  }

  function trusted(): boolean | Promise<boolean> {
    const at = now();
    if (at < checkedUntil) return generation !== undefined;
    if (!checking || !isAlive(checking, at)) checking = inFlight(check(++checks, at), at, callLifetimeMs);
    return waitFor(checking, at, false);
  }

  function read(key: string): Promise<string | undefined> {
    const at = now();
    const pending = reads.get(key);
    if (pending && isAlive(pending, at)) return waitFor(pending, at, undefined);
    const call: InFlight<string | undefined> = inFlight(
      remote.getWithTtl(key).then((found) => {
        // Not stored when a purge (a local delete, or a check that saw the generation move) came while under way.
        const current = reads.get(key) === call;
        if (current) reads.delete(key);
        if (!found) return undefined;
        const json = JSON.stringify(found.value);
        if (current) store(key, json, at + found.ttlMs);
        return json;
      }),
      at,
      callLifetimeMs,
    );
    reads.set(key, call);
    return waitFor(call, at, undefined);
  }

  function rememberMiss(key: string, seen: number | undefined) {
    misses.delete(key);
    if (misses.size >= maxEntries) {
      const oldest = misses.keys().next();
      if (!oldest.done) misses.delete(oldest.value);
    }
    misses.set(key, seen);
  }

  return {
    async get<T>(key: string) {
      if (await trusted()) {
        const entry = entries.get(key);
        if (entry && entry.expiresAt > now()) {
          entries.delete(key);
          entries.set(key, entry);
          return JSON.parse(entry.json) as T;
        }
        remove(key);
      }
      const seen = generation;
      const json = await read(key);
      if (json !== undefined) return JSON.parse(json) as T;
      rememberMiss(key, seen);
      return undefined;
    },
    async set(key, value, ttlSeconds) {
      await trusted();
      const filling = misses.has(key) ? misses.get(key) : generation;
      misses.delete(key);
      // Looked up while Redis was unreachable: whether a purge came since cannot be told, so neither tier keeps it.
      if (filling === undefined) return;
      if (filling === generation) store(key, JSON.stringify(value), now() + ttlSeconds * 1000);
      await remote.setIfGeneration(key, value, ttlSeconds, filling);
    },
    async delete(...keys) {
      if (keys.length === 0) return;
      await remote.delete(...keys);
      for (const key of keys) {
        remove(key);
        reads.delete(key);
      }
      // This isolate just moved the generation: it re-reads it (and empties its tier) before trusting the tier again.
      purges++;
      checkedUntil = 0;
    },
    ping: () => remote.ping(),
  };
}
