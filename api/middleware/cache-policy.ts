import type { MiddlewareHandler } from "hono";
import { enforceCachePolicy } from "../lib/http-cache.ts";

/** Every answer leaves through here: only tagged public answers to anonymous reads stay storable. */
export const cachePolicy: MiddlewareHandler = async function cachePolicyMiddleware(c, next) {
  await next();
  enforceCachePolicy(c.req.raw, c.res);
};
