import type { Clock } from "../clock.ts";
import { IP_LIMIT_WINDOW_SECONDS, type IpLimiter } from "./ip-limiter.ts";
import type { FailureStreak, RateLimiter, RateLimitRule, StreakRule } from "./ratelimit.ts";

/** Far more clients than one server sees in a window; past it the least recently counted are forgotten. */
const MAX_KEYS_PER_RULE = 50_000;

interface Counter {
  /** The fixed window (epoch ms ÷ window length) the counts below belong to. */
  window: number;
  current: number;
  previous: number;
}

export interface MemoryRateLimiter extends RateLimiter {
  /** Counters held, over all rules. */
  trackedKeys(): number;
}

/** A counter's counts as of `window`, moved on by however many windows passed since it was last counted. */
function countsIn(counter: Counter | undefined, window: number): { current: number; previous: number } {
  if (counter?.window === window) return counter;
  if (counter?.window === window - 1) return { current: 0, previous: counter.current };
  return { current: 0, previous: 0 };
}

/**
 * The same approximated sliding window as Upstash's: the previous fixed
 * window's count, weighted by how much of it still overlaps, plus the current
 * one. Per process: the embedded default, the global limit off Workers, tests.
 *
 * Memory is bounded. A rule's counters sit in a Map in the order they were last
 * counted, so those two windows old reach the front, where each hit drops them;
 * and past `maxKeys` the least recently counted key is forgotten (its client
 * starts afresh) rather than a flood of distinct keys growing the map.
 */
export function memoryRateLimiter(clock: Clock, maxKeys = MAX_KEYS_PER_RULE): MemoryRateLimiter {
  const rules = new Map<string, Map<string, Counter>>();
  const countersOf = (rule: RateLimitRule) => {
    const id = `${rule.name}:${rule.windowSeconds}`;
    let counters = rules.get(id);
    if (!counters) {
      counters = new Map();
      rules.set(id, counters);
    }
    return counters;
  };
  const usage = (rule: RateLimitRule, key: string) => {
    const windowMs = rule.windowSeconds * 1000;
    const now = clock.now().getTime();
    const window = Math.floor(now / windowMs);
    const { current, previous } = countsIn(countersOf(rule).get(key), window);
    const overlap = 1 - (now % windowMs) / windowMs;
    return {
      window,
      current,
      previous,
      used: Math.floor(previous * overlap) + current,
      resetAt: (window + 1) * windowMs,
    };
  };
  const evict = (counters: Map<string, Counter>, window: number) => {
    for (const [key, counter] of counters) {
      if (counter.window >= window - 1 && counters.size <= maxKeys) return;
      counters.delete(key);
    }
  };
  const streakGroups = new Map<string, Map<string, Map<string, FailureStreak>>>();
  const groupsOf = (rule: StreakRule) => {
    let groups = streakGroups.get(rule.name);
    if (!groups) {
      groups = new Map();
      streakGroups.set(rule.name, groups);
    }
    return groups;
  };
  const live = (rule: StreakRule, streak: FailureStreak | undefined, now: number) =>
    streak && now - streak.lastAt <= rule.forgetAfterSeconds * 1000 ? streak : undefined;
  return {
    async hit(rule, key) {
      const { window, current, previous, used, resetAt } = usage(rule, key);
      const allowed = used < rule.limit;
      const counters = countersOf(rule);
      // Re-inserted even when refused, so the order stays "last counted" and an active client is not evicted first.
      counters.delete(key);
      counters.set(key, { window, previous, current: allowed ? current + 1 : current });
      evict(counters, window);
      return { allowed, limit: rule.limit, remaining: allowed ? rule.limit - used - 1 : 0, resetAt };
    },
    async remaining(rule, key) {
      return Math.max(0, rule.limit - usage(rule, key).used);
    },
    async reset(rule, key) {
      countersOf(rule).delete(key);
    },
    async streak(rule, group, member, now) {
      return live(rule, groupsOf(rule).get(group)?.get(member), now);
    },
    async recordFailure(rule, group, member, now) {
      const groups = groupsOf(rule);
      const members = groups.get(group) ?? new Map<string, FailureStreak>();
      const streak = { count: (live(rule, members.get(member), now)?.count ?? 0) + 1, lastAt: now };
      members.set(member, streak);
      // Last recorded at the back, as with the windows: past `maxKeys` groups the least recently failed is forgotten.
      groups.delete(group);
      groups.set(group, members);
      for (const key of groups.keys()) {
        if (groups.size <= maxKeys) break;
        groups.delete(key);
      }
      return streak;
    },
    async clearStreaks(rule, group, member) {
      const groups = groupsOf(rule);
      if (member === undefined) groups.delete(group);
      else groups.get(group)?.delete(member);
    },
    trackedKeys() {
      let total = 0;
      for (const counters of rules.values()) total += counters.size;
      for (const groups of streakGroups.values()) total += groups.size;
      return total;
    },
  };
}

/** The global limit off Workers: exact for this process, counted in memory. */
export function memoryIpLimiter(clock: Clock, limitPerMinute: number): IpLimiter {
  const limiter = memoryRateLimiter(clock);
  const rule: RateLimitRule = { name: "ip", limit: limitPerMinute, windowSeconds: IP_LIMIT_WINDOW_SECONDS };
  return {
    policy: { limit: rule.limit, windowSeconds: rule.windowSeconds },
    async hit(key) {
      const decision = await limiter.hit(rule, key);
      const resetSeconds = Math.max(1, Math.ceil((decision.resetAt - clock.now().getTime()) / 1000));
      return { allowed: decision.allowed, remaining: decision.remaining, resetSeconds };
    },
  };
}
