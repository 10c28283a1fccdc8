import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import type { FailureStreak, RateLimiter, RateLimitRule, StreakRule } from "./ratelimit.ts";

/**
 * A group's streaks are one hash, `<member>:n` and `<member>:at` per member,
 * so clearing the group is one DEL. Recording adds a failure and starts the
 * streak afresh when its last failure is older than the rule forgets, in one
 * step, so concurrent failures all count. Both scripts answer integers, never
 * strings: the REST client decodes string replies as base64, and a server
 * that does not encode them (the Upstash emulator) then turns "10" into junk.
 */
const READ_STREAK = `
return {
  tonumber(redis.call('HGET', KEYS[1], ARGV[1] .. ':n') or '0'),
  tonumber(redis.call('HGET', KEYS[1], ARGV[1] .. ':at') or '0')
}
`;

const RECORD_FAILURE = `
local count = tonumber(redis.call('HGET', KEYS[1], ARGV[1] .. ':n') or '0')
local lastAt = tonumber(redis.call('HGET', KEYS[1], ARGV[1] .. ':at') or '0')
if tonumber(ARGV[2]) - lastAt > tonumber(ARGV[3]) then count = 0 end
count = count + 1
redis.call('HSET', KEYS[1], ARGV[1] .. ':n', tostring(count), ARGV[1] .. ':at', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return count
`;

const streakKey = (rule: StreakRule, group: string) => `streak:${rule.name}:${group}`;

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
    async reset(rule, key) {
      await limiterFor(rule).resetUsedTokens(key);
    },
    async streak(rule, group, member, now) {
      const [count, lastAt] = await redis.eval<string[], [number, number]>(READ_STREAK, [streakKey(rule, group)], [
        member,
      ]);
      const streak: FailureStreak = { count: Number(count), lastAt: Number(lastAt) };
      return streak.count > 0 && now - streak.lastAt <= rule.forgetAfterSeconds * 1000 ? streak : undefined;
    },
    async recordFailure(rule, group, member, now) {
      const count = await redis.eval<string[], number>(RECORD_FAILURE, [streakKey(rule, group)], [
        member,
        String(now),
        String(rule.forgetAfterSeconds * 1000),
      ]);
      return { count: Number(count), lastAt: now };
    },
    async clearStreaks(rule, group, member) {
      if (member === undefined) await redis.del(streakKey(rule, group));
      else await redis.hdel(streakKey(rule, group), `${member}:n`, `${member}:at`);
    },
  };
}
