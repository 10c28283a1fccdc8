import { InvalidCacheTagError, purgeableTags } from "./policy.ts";
import type { ResponseCache } from "./response-cache.ts";

/** What `ctx.cache` offers a Worker with `[cache] enabled = true`, as far as purging by tag needs it. */
export interface WorkersCache {
  purge(options: { tags: string[] }): Promise<{
    success: boolean;
    errors?: readonly { code?: number; message?: string }[];
  }>;
}

/** Cloudflare's limit on tags (operations) in one purge request. */
const TAGS_PER_PURGE = 100;

/**
 * Workers Cache (https://developers.cloudflare.com/workers/cache/): Cloudflare
 * answers from the Worker's cache before the Worker runs, so a request that
 * reaches `serve` is a miss, a bypass or a refresh, and goes to the origin;
 * Cloudflare stores what it answers by the same headers the in-process cache
 * reads. Purges go to the platform, which resolves `{ success: false }`
 * (rate limited, for one) instead of rejecting: that is turned into a rejection.
 */
export function platformResponseCache(cache: WorkersCache): ResponseCache {
  return {
    serve: (request, origin) => origin(request),
    async purge(tags) {
      const { valid, invalid } = purgeableTags(tags);
      for (let start = 0; start < valid.length; start += TAGS_PER_PURGE) {
        const result = await cache.purge({ tags: valid.slice(start, start + TAGS_PER_PURGE) });
        if (!result.success) {
          const reasons = (result.errors ?? []).map((error) => `${error.code ?? "?"}: ${error.message ?? ""}`);
          throw new Error(`Workers Cache refused the purge (${reasons.join("; ") || "no reason given"})`);
        }
      }
      if (invalid.length > 0) throw new InvalidCacheTagError(invalid);
    },
  };
}

/**
 * The Worker's cache when this invocation has one. Standalone workerd and
 * `wrangler dev` leave `ctx.cache` undefined (their `cloudflare:workers`
 * exports a `cache` without `purge`), so locally this is undefined.
 */
export function workersCacheOf(ctx: unknown): WorkersCache | undefined {
  const cache = (ctx as { cache?: { purge?: unknown } } | undefined)?.cache;
  return typeof cache?.purge === "function" ? cache as WorkersCache : undefined;
}
