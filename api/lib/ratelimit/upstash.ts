import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import type { RateLimiter, RateLimitRule } from "./ratelimit.ts";

/**
 * @upstash/ratelimit is pinned to 2.0.8: from 2.1 its scripts carry
 * `#!lua flags=allow-key-locking`, which Redis 7.0 (this project's CI and any
 * self-hosted Redis 7.0 behind an Upstash-compatible proxy) rejects.
 */
export function upstashRateLimiter(redis: Redis): RateLimiter {
  const limiters = new Map<string, Ratelimit>();
  const limiterFor = (rule: RateLimitRule) => {
    const id = `${rule.name}:${rule.limit}:${rule.windowSeconds}`;
    let limiter = limiters.get(id);
    if (!limiter) {
      limiter = new Ratelimit({
        redis,
        prefix: `rl:${rule.name}`,
        limiter: Ratelimit.slidingWindow(rule.limit, `${rule.windowSeconds} s`),
        // No silent "allow on timeout": an unreachable Redis must surface so the caller can choose.
        timeout: 0,
        analytics: false,
        ephemeralCache: false,
      });
      limiters.set(id, limiter);
    }
    return limiter;
  };
  return {
    async hit(rule, key) {
      const result = await limiterFor(rule).limit(key);
      return { allowed: result.success, limit: result.limit, remaining: result.remaining, resetAt: result.reset };
    },
    async remaining(rule, key) {
      return Math.max(0, (await limiterFor(rule).getRemaining(key)).remaining);
    },
  };
}
