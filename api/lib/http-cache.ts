import type { Context } from "hono";

/**
 * Who may keep an answer, and under which names it is purged.
 *
 * Public answers are the same for everyone and live in shared caches (Workers
 * Cache, the in-process response cache) until a write purges their tags.
 * Browsers revalidate every time (max-age=0; the API's ETags make that a 304),
 * so a teacher's change reaches their own next page view too. Shared caches
 * keep an answer 5 minutes and may serve it stale for 10 more while they fetch
 * a fresh one; that is the bound on a purge that was lost, not on freshness.
 * The stale window goes in `CDN-Cache-Control`, which only shared caches read
 * (RFC 9213): in `Cache-Control` browsers would serve stale pages too.
 */
const PUBLIC_CACHE = "public, max-age=0, s-maxage=300";
const CDN_CACHE = "max-age=300, stale-while-revalidate=600";
/** Anything about one person, any write, any error: never stored anywhere. */
export const PRIVATE_CACHE = "private, no-store";

export const cacheTag = {
  /** Every list: catalog and category answers and pages, categories, home, sitemap, robots. */
  catalog: "catalog",
  course: (id: string) => `course:${id}`,
  category: (slug: string) => `category:${slug}`,
  teacher: (id: string) => `teacher:${id}`,
} as const;

/** Marks an answer shareable by every cache, purged by any of `tags` (pages set their response's headers). */
export function sharePublicly(headers: Pick<Headers, "set">, tags: readonly string[]): void {
  headers.set("Cache-Control", PUBLIC_CACHE);
  headers.set("CDN-Cache-Control", CDN_CACHE);
  headers.set("Cache-Tag", tags.join(","));
}

/** The same for a Hono handler, before it builds its answer. */
export function sharePublicAnswer(c: Context, tags: readonly string[]): void {
  sharePublicly({ set: (name, value) => c.header(name, value) }, tags);
}

/** A request that says who is asking: its answer is that person's, whatever the handler decided. */
export function isPersonalRequest(headers: Headers): boolean {
  return headers.has("Authorization") || headers.has("Cookie");
}

function isShareable(request: Request, response: Response): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  if (response.status !== 200 && response.status !== 304) return false;
  if (isPersonalRequest(request.headers) || response.headers.has("Set-Cookie")) return false;
  const policy = response.headers.get("Cache-Control") ?? "";
  return /(^|,)\s*public\s*(,|$)/i.test(policy) && response.headers.has("Cache-Tag");
}

const SHARED_CACHE_HEADERS = ["CDN-Cache-Control", "Cloudflare-CDN-Cache-Control", "Cache-Tag"];
const RATE_LIMIT_HEADERS = ["RateLimit-Policy", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"];

/**
 * The last word on every answer: unless it is a tagged public answer to an
 * anonymous read, nothing may store it. So a route that forgets to choose is
 * private, and a public route asked with credentials answers privately. A
 * storable answer loses what was about this one request (its rate-limit counts).
 */
export function enforceCachePolicy(request: Request, response: Response): void {
  if (isShareable(request, response)) {
    // A stored answer goes to other clients, whose counts these are not.
    for (const name of RATE_LIMIT_HEADERS) response.headers.delete(name);
    return;
  }
  keepPrivate(response.headers);
}

/** Takes every shared-cache directive off an answer: private, no-store (a stricter no-store stays), no tags. */
export function keepPrivate(headers: Headers): void {
  const policy = headers.get("Cache-Control");
  if (!policy || !/no-store/i.test(policy)) headers.set("Cache-Control", PRIVATE_CACHE);
  for (const name of SHARED_CACHE_HEADERS) headers.delete(name);
}
