export interface RateLimitRule {
  /** Namespaces the counters, so rules never share keys. */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch milliseconds when the window has moved on enough to allow again. */
  resetAt: number;
}

/** Failures in a row of one member of a group (one client address of one account), for backoff: see ./backoff.ts. */
export interface FailureStreak {
  count: number;
  /** Epoch milliseconds of the latest failure. */
  lastAt: number;
}

export interface StreakRule {
  /** Namespaces the streaks, so rules never share keys. */
  name: string;
  /** A streak whose latest failure is older than this starts again from nothing. */
  forgetAfterSeconds: number;
}

/**
 * Counters that must be exact across every isolate (Upstash in production):
 * sliding windows for failed sign-ins per account and mails per address, and
 * failure streaks for backoff. Every method throws when its store is
 * unreachable; each caller decides what that means (password-reset mail fails
 * closed). The global per-client limit is not one of these: see ./ip-limiter.ts.
 */
export interface RateLimiter {
  hit(rule: RateLimitRule, key: string): Promise<RateLimitDecision>;
  /** How many hits are left, without counting one: for limits on failures, checked before the attempt. */
  remaining(rule: RateLimitRule, key: string): Promise<number>;
  /** Forgets the key's hits. */
  reset(rule: RateLimitRule, key: string): Promise<void>;
  /** The member's streak as of `now`, if it has a live one. */
  streak(rule: StreakRule, group: string, member: string, now: number): Promise<FailureStreak | undefined>;
  /** Adds a failure to the member's streak (started afresh if forgotten), atomically. */
  recordFailure(rule: StreakRule, group: string, member: string, now: number): Promise<FailureStreak>;
  /** Ends one member's streak, or with no member every streak of the group. */
  clearStreaks(rule: StreakRule, group: string, member?: string): Promise<void>;
}
