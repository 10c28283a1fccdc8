import { IP_LIMIT_WINDOW_SECONDS, type IpLimiter } from "./ip-limiter.ts";

/** The Workers Rate Limiting binding (`[[ratelimits]]` in wrangler.toml), as far as the global limit uses it. */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * The global limit on Workers: counted by the Cloudflare location that runs
 * the request, approximately, with no network round trip. The budget is the
 * binding's `simple` setting in wrangler.toml; `policy` only states it in the
 * headers, so RATE_LIMIT_PER_MINUTE must equal `simple.limit` there.
 *
 * The binding answers only yes or no. A success says nothing of what is left
 * or when the window turns, so those headers are left out rather than guessed;
 * a refusal has nothing left, and is lifted within one period at most, which
 * is what RateLimit-Reset and Retry-After then say.
 */
export function bindingIpLimiter(binding: RateLimitBinding, limitPerMinute: number): IpLimiter {
  const policy = { limit: limitPerMinute, windowSeconds: IP_LIMIT_WINDOW_SECONDS };
  return {
    policy,
    async hit(key) {
      const { success } = await binding.limit({ key });
      return success ? { allowed: true } : { allowed: false, remaining: 0, resetSeconds: policy.windowSeconds };
    },
  };
}
