import type { MiddlewareHandler } from "hono";
import type { AppDeps, AppEnv } from "../deps.ts";
import { AppError } from "../lib/errors.ts";
import type { RateLimitDecision, RateLimitRule } from "../lib/ratelimit/ratelimit.ts";

export function rateLimitHeaders(
  decision: RateLimitDecision,
  rule: RateLimitRule,
  now: number,
): Record<string, string> {
  const resetSeconds = Math.max(0, Math.ceil((decision.resetAt - now) / 1000));
  return {
    "RateLimit-Policy": `${rule.limit};w=${rule.windowSeconds}`,
    "RateLimit-Limit": String(decision.limit),
    "RateLimit-Remaining": String(Math.max(0, decision.remaining)),
    "RateLimit-Reset": String(resetSeconds),
  };
}

/**
 * The global per-IP sliding window. It fails open: when the limiter's store is
 * down, serving learners matters more than counting them.
 */
export function globalRateLimit(app: AppDeps): MiddlewareHandler<AppEnv> {
  const rule: RateLimitRule = { name: "ip", limit: app.config.rateLimitPerMinute, windowSeconds: 60 };
  return async function globalRateLimitMiddleware(c, next) {
    const ip = app.clientIp(c.req.raw) ?? "unknown";
    let decision: RateLimitDecision;
    try {
      decision = await app.limiter.hit(rule, ip);
    } catch (error) {
      app.logger.log("warn", "rate limiter unavailable, allowing", { error: String(error) });
      return next();
    }
    const headers = rateLimitHeaders(decision, rule, app.clock.now().getTime());
    if (!decision.allowed) {
      throw new AppError(429, "rate_limited", `More than ${rule.limit} requests a minute from this address.`, {
        headers: { ...headers, "Retry-After": headers["RateLimit-Reset"] ?? "60" },
      });
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  };
}
