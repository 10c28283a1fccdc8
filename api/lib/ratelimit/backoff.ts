import type { FailureStreak, StreakRule } from "./ratelimit.ts";

export interface BackoffRule extends StreakRule {
  /** Failures in a row that cost nothing: typos. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; each further failure doubles it. */
  baseSeconds: number;
  maxSeconds: number;
}

/**
 * Whole seconds the member must still wait before its next attempt (0: it may
 * try now). After `freeFailures` failures in a row, the n-th further failure
 * buys a wait of baseSeconds·2ⁿ⁻¹, capped at maxSeconds, counted from that
 * failure.
 */
export function backoffSeconds(rule: BackoffRule, streak: FailureStreak | undefined, now: number): number {
  if (!streak || streak.count <= rule.freeFailures) return 0;
  const doublings = Math.min(streak.count - rule.freeFailures - 1, 30);
  const waitMs = Math.min(rule.maxSeconds, rule.baseSeconds * 2 ** doublings) * 1000;
  return Math.max(0, Math.ceil((streak.lastAt + waitMs - now) / 1000));
}
