import type { Redis } from "@upstash/redis";
import type { Logger } from "../logger.ts";
import type { Cache } from "./cache.ts";

export function upstashCache(redis: Redis, logger: Logger): Cache {
  const degrade = (operation: string) => (error: unknown) => {
    logger.log("warn", "cache unavailable", { operation, error: String(error) });
    return undefined;
  };
  return {
    async get<T>(key: string) {
      const value = await redis.get<T>(key).catch(degrade("get"));
      return value ?? undefined;
    },
    async set(key, value, ttlSeconds) {
      await redis.set(key, value, { ex: ttlSeconds }).catch(degrade("set"));
    },
    async delete(...keys) {
      if (keys.length > 0) await redis.del(...keys).catch(degrade("delete"));
    },
    async ping() {
      await redis.ping();
    },
  };
}
