import { keepPrivate } from "../http-cache.ts";
import type { Logger } from "../logger.ts";
import { withTimeout } from "../timeout.ts";
import { withHeaders } from "./http.ts";
import { platformResponseCache, workersCacheOf } from "./platform.ts";
import type { ResponseCache } from "./response-cache.ts";

/** A purge that has not answered by then is counted as failed: it must not hold up the write's answer. */
const PURGE_TIMEOUT_MS = 2_000;

/**
 * The cache an invocation's answers are stored in and its purges go to:
 * Workers Cache when the platform gives the invocation one (`ctx.cache`),
 * otherwise the process's (or isolate's) in-process cache.
 */
export function responseCacheFor(ctx: unknown, inProcess: ResponseCache): ResponseCache {
  const platform = workersCacheOf(ctx);
  return platform ? platformResponseCache(platform) : inProcess;
}

/** The host of an absolute URL, without parsing the rest of it: this runs on every request. */
function hostOf(url: string): string {
  const start = url.indexOf("//") + 2;
  const end = url.indexOf("/", start);
  return (end === -1 ? url.slice(start) : url.slice(start, end)).toLowerCase();
}

/**
 * What both entries (Worker, Deno) put in front of the app. Only requests for
 * the site's own host (`PUBLIC_URL`'s) may be answered from or stored in a
 * shared cache: any other host's answer leaves private and untagged. Workers
 * Cache keys answers by path, not host, so an answer rendered for a forged or
 * secondary host (workers.dev) would otherwise be served to the site.
 */
export function sharedCacheFront(cache: ResponseCache, publicUrl: string) {
  const siteHost = new URL(publicUrl).host;
  return {
    async serve(
      request: Request,
      origin: (request: Request) => Promise<Response>,
      background?: (work: Promise<unknown>) => void,
    ): Promise<Response> {
      if (hostOf(request.url) === siteHost) return cache.serve(request, origin, background);
      return withHeaders(await origin(request), keepPrivate);
    },
  };
}

/**
 * `Deps.purgeTags`: after a write commits, drops the answers it changed. Waits
 * for the purge, tries once more if it fails, then logs and gives up: a lost
 * purge leaves an answer stale until its TTL, and must never fail the write.
 */
export async function purgeQuietly(cache: ResponseCache, logger: Logger, tags: readonly string[]): Promise<void> {
  if (tags.length === 0) return;
  const attempt = () => withTimeout(cache.purge(tags), PURGE_TIMEOUT_MS, "the response cache purge");
  try {
    await attempt();
  } catch (first) {
    try {
      await attempt();
    } catch (error) {
      logger.log("error", "response cache purge failed", { tags, error: String(error), firstError: String(first) });
    }
  }
}
