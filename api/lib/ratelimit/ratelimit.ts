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

/**
 * Sliding-window limiter for counters that must be exact across every isolate
 * (Upstash in production): failed sign-ins per account, mails per address.
 * `hit` throws when its store is unreachable; each caller decides what that
 * means (password-reset mail fails closed). The global per-client limit is
 * not one of these: see ./ip-limiter.ts.
 */
export interface RateLimiter {
  hit(rule: RateLimitRule, key: string): Promise<RateLimitDecision>;
  /** How many hits are left, without counting one: for limits on failures, checked before the attempt. */
  remaining(rule: RateLimitRule, key: string): Promise<number>;
}
