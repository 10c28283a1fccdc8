import type { MiddlewareHandler } from "hono";
import type { AppDeps, AppEnv } from "../deps.ts";
import { AppError } from "../lib/errors.ts";
import { clientKey } from "../lib/ratelimit/client-key.ts";
import type { IpLimitDecision, IpLimitPolicy } from "../lib/ratelimit/ip-limiter.ts";

/**
 * RateLimit-Policy and -Limit always; -Remaining and -Reset only when the
 * limiter knows them (the Workers binding does not on a success: see
 * api/lib/ratelimit/binding.ts).
 */
export function rateLimitHeaders(decision: IpLimitDecision, policy: IpLimitPolicy): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Policy": `${policy.limit};w=${policy.windowSeconds}`,
    "RateLimit-Limit": String(policy.limit),
  };
  if (decision.remaining !== undefined) headers["RateLimit-Remaining"] = String(Math.max(0, decision.remaining));
  if (decision.resetSeconds !== undefined) headers["RateLimit-Reset"] = String(decision.resetSeconds);
  return headers;
}

/**
 * The global per-client limit (an IPv6 client by its /64), counted with no
 * network round trip. It fails open: when the limiter errs, serving learners
 * matters more than counting them.
 */
export function globalRateLimit(app: AppDeps): MiddlewareHandler<AppEnv> {
  const { policy } = app.ipLimiter;
  return async function globalRateLimitMiddleware(c, next) {
    const key = clientKey(app.clientIp(c.req.raw));
    c.set("clientKey", key);
    let decision: IpLimitDecision;
    try {
      decision = await app.ipLimiter.hit(key);
    } catch (error) {
      app.logger.log("warn", "rate limiter unavailable, allowing", { error: String(error) });
      return next();
    }
    const headers = rateLimitHeaders(decision, policy);
    if (!decision.allowed) {
      throw new AppError(429, "rate_limited", `More than ${policy.limit} requests a minute from this address.`, {
        headers: { ...headers, "Retry-After": String(decision.resetSeconds ?? policy.windowSeconds) },
      });
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  };
}
