import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../deps.ts";

/**
 * CORS for the site's own origins only. A foreign origin gets no CORS headers
 * at all (not even Allow-Credentials), so the browser keeps its answers from
 * the calling page.
 */
export function corsForOrigins(origins: readonly string[]): MiddlewareHandler<AppEnv> {
  const allowed = new Set(origins);
  const allow = cors({
    origin: (origin) => origin,
    credentials: true,
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ["Content-Type", "Authorization", "Idempotency-Key", "X-Request-Id"],
    exposeHeaders: [
      "X-Request-Id",
      "Retry-After",
      "RateLimit-Limit",
      "RateLimit-Remaining",
      "RateLimit-Reset",
      "RateLimit-Policy",
      "ETag",
    ],
    maxAge: 600,
  });
  return async function corsMiddleware(c, next) {
    if (allowed.has(c.req.header("Origin") ?? "")) return allow(c, next);
    await next();
    c.header("Vary", "Origin", { append: true });
  };
}
