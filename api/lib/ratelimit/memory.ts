import type { Clock } from "../clock.ts";
import type { RateLimiter, RateLimitRule } from "./ratelimit.ts";

/**
 * The same approximated sliding window as Upstash's: the previous fixed
 * window's count, weighted by how much of it still overlaps, plus the current
 * one. Per process, so only for the embedded default and tests.
 */
export function memoryRateLimiter(clock: Clock): RateLimiter {
  const windows = new Map<string, number>();
  const usage = (rule: RateLimitRule, key: string) => {
    const windowMs = rule.windowSeconds * 1000;
    const now = clock.now().getTime();
    const current = Math.floor(now / windowMs);
    const prefix = `${rule.name}:${key}:`;
    const previousCount = windows.get(prefix + (current - 1)) ?? 0;
    const currentCount = windows.get(prefix + current) ?? 0;
    const overlap = 1 - (now % windowMs) / windowMs;
    return {
      prefix,
      current,
      currentCount,
      used: Math.floor(previousCount * overlap) + currentCount,
      resetAt: (current + 1) * windowMs,
    };
  };
  return {
    async hit(rule, key) {
      const { prefix, current, currentCount, used, resetAt } = usage(rule, key);
      if (used >= rule.limit) return { allowed: false, limit: rule.limit, remaining: 0, resetAt };
      windows.set(prefix + current, currentCount + 1);
      windows.delete(prefix + (current - 2));
      return { allowed: true, limit: rule.limit, remaining: rule.limit - used - 1, resetAt };
    },
    async remaining(rule, key) {
      return Math.max(0, rule.limit - usage(rule, key).used);
    },
  };
}
