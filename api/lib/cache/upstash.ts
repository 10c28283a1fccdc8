import type { Redis } from "@upstash/redis";
import type { Logger } from "../logger.ts";
import type { SharedCache } from "./cache.ts";

export interface UpstashCacheOptions {
  /** Put before every key, the generation's included, so deployments (or test files) sharing one Redis stay apart. */
  keyPrefix?: string;
}

/** Keeps the key only if no purge bumped the generation since the caller read it; one round trip, atomic. */
const SET_IF_GENERATION = `
if (redis.call("GET", KEYS[2]) or "0") ~= ARGV[3] then return 0 end
redis.call("SET", KEYS[1], ARGV[1], "EX", ARGV[2])
return 1`;

export function upstashCache(redis: Redis, logger: Logger, options: UpstashCacheOptions = {}): SharedCache {
  const prefix = options.keyPrefix ?? "";
  const generationKey = `${prefix}cache:generation`;
  const degrade = (operation: string) => (error: unknown) => {
    logger.log("warn", "cache unavailable", { operation, error: String(error) });
    return undefined;
  };
  return {
    async get<T>(key: string) {
      const value = await redis.get<T>(prefix + key).catch(degrade("get"));
      return value ?? undefined;
    },
    async getWithTtl<T>(key: string) {
      const found = await redis.pipeline().get<T>(prefix + key).pttl(prefix + key).exec<[T | null, number]>().catch(
        degrade("get"),
      );
      if (!found || found[0] === null) return undefined;
      return { value: found[0], ttlMs: found[1] };
    },
    async set(key, value, ttlSeconds) {
      await redis.set(prefix + key, value, { ex: ttlSeconds }).catch(degrade("set"));
    },
    async setIfGeneration(key, value, ttlSeconds, generation) {
      // JSON, which `get` parses back as it does what `set` stored.
      const args = [JSON.stringify(value), String(ttlSeconds), String(generation)];
      await redis.eval(SET_IF_GENERATION, [prefix + key, generationKey], args).catch(degrade("set"));
    },
    async delete(...keys) {
      if (keys.length === 0) return;
      // The keys go before the generation moves: an isolate that sees the new generation cannot refill the old value.
      await redis.pipeline().del(...keys.map((key) => prefix + key)).incr(generationKey).exec().catch(
        degrade("delete"),
      );
    },
    async generation() {
      return Number(await redis.get<number>(generationKey) ?? 0);
    },
    async ping() {
      await redis.ping();
    },
  };
}
