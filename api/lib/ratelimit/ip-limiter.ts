/** The global limit's window. The Workers binding's `period` in wrangler.toml must be the same. */
export const IP_LIMIT_WINDOW_SECONDS = 60;

export interface IpLimitPolicy {
  limit: number;
  windowSeconds: number;
}

export interface IpLimitDecision {
  allowed: boolean;
  /** Requests left in the window, when the limiter can tell. */
  remaining?: number;
  /** Seconds until the window has moved on enough to allow again, when the limiter can tell. */
  resetSeconds?: number;
}

/**
 * The global per-client limit, counted where the request runs, with no network
 * round trip: the Workers Rate Limiting binding on Workers (./binding.ts), a
 * bounded in-process window elsewhere (./memory.ts). `hit` may throw (a binding
 * error); the global limit then fails open. Counters that must be exact across
 * the world (per account, per email address) are `RateLimiter`'s, not this.
 */
export interface IpLimiter {
  readonly policy: IpLimitPolicy;
  hit(key: string): Promise<IpLimitDecision>;
}
