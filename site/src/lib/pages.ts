/**
 * What on-demand pages share: cache policies, the site's own origin, and
 * reading through the API's services in-process (a Worker cannot fetch its
 * own origin) with failures turned into a status the page can show instead
 * of a crash.
 */
import { env } from "cloudflare:workers";
import type { Deps } from "../../../api/deps.ts";
import { isDataException } from "../../../api/lib/db-errors.ts";
import { AppError } from "../../../api/lib/errors.ts";
import { PRIVATE_CACHE, sharePublicly } from "../../../api/lib/http-cache.ts";
import { publicOrigin, withServices } from "../../../api/worker-api.ts";

export { cacheTag } from "../../../api/lib/http-cache.ts";
export { PRIVATE_CACHE };

/** A page that is the same for everyone: shared caches keep it until a write purges one of `tags`. */
export function sharePage(response: { headers: Headers }, tags: readonly string[]): void {
  sharePublicly(response.headers, tags);
}

/** Absolute URLs (canonical, Open Graph, JSON-LD, sitemap) come from PUBLIC_URL, never from the request's Host. */
export function siteOrigin(): string {
  return publicOrigin(env);
}

export function absoluteUrl(path: string): string {
  return new URL(path, siteOrigin()).href;
}

export type Failure = "not_found" | "bad_request" | "unavailable";
export type Loaded<T> = { ok: true; value: T } | { ok: false; failure: Failure };

const STATUS: Record<Failure, { status: number; statusText: string }> = {
  not_found: { status: 404, statusText: "Not Found" },
  bad_request: { status: 400, statusText: "Bad Request" },
  unavailable: { status: 503, statusText: "Service Unavailable" },
};

export async function load<T>(work: (deps: Deps) => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await withServices(env, work) };
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return { ok: false, failure: "not_found" };
    if (error instanceof AppError && error.status < 500) return { ok: false, failure: "bad_request" };
    // The API's last resort, as its error handler has it: a value Postgres cannot take is the address's fault.
    if (isDataException(error)) return { ok: false, failure: "bad_request" };
    console.error(JSON.stringify({ level: "error", message: "page data unavailable", error: String(error) }));
    return { ok: false, failure: "unavailable" };
  }
}

/**
 * Sets the response's status and caching for a failed load: errors are never cached at the edge. Astro starts
 * every response as "200 OK" and leaves the text alone when only the number changes ("404 OK").
 */
export function applyFailure(response: ResponseInit & { headers: Headers }, failure: Failure): void {
  Object.assign(response, STATUS[failure]);
  response.headers.set("Cache-Control", PRIVATE_CACHE);
  if (failure === "unavailable") response.headers.set("Retry-After", "5");
}
