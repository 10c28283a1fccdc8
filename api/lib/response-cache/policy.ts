/**
 * What a shared cache may do with an answer, read from its headers the way
 * Workers Cache reads them (RFC 9111 for a shared cache, RFC 9213 for the
 * CDN-targeted fields), so the in-process cache keeps what Cloudflare keeps.
 */

/** The most specific field with a value wins, and then `Cache-Control` is ignored (RFC 9213 §2.1). */
const POLICY_FIELDS = ["cloudflare-cdn-cache-control", "cdn-cache-control", "cache-control"] as const;

/** How long a stored answer is fresh, and how long after that it may be served while one refresh runs. */
export interface Freshness {
  freshMs: number;
  staleWhileRevalidateMs: number;
}

/** Directive names (lower case) and their values, unquoted; "" for a directive without one. First occurrence wins. */
function parseDirectives(field: string): Map<string, string> {
  const directives = new Map<string, string>();
  for (const match of field.matchAll(/([^\s=,]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^\s,]*))?/g)) {
    const name = match[1]!.toLowerCase();
    const value = match[2] ?? "";
    if (!directives.has(name)) directives.set(name, value.startsWith('"') ? value.slice(1, -1) : value);
  }
  return directives;
}

function deltaSeconds(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * The freshness of an answer a shared cache may store, or undefined when it
 * may not: only 200s, never with `Set-Cookie` or `Vary: *`, never `private`,
 * `no-store` or `no-cache`, and only with an explicit lifetime (`s-maxage`,
 * else `max-age`). Cloudflare would also store answers without any policy
 * for a heuristic two hours; here they are not stored, which is why every
 * answer of the app names its policy. `s-maxage`, `must-revalidate` and
 * `proxy-revalidate` forbid serving stale (RFC 9111 §5.2.2.10), so with them
 * `stale-while-revalidate` does nothing, on Cloudflare as here.
 */
export function freshnessOf(response: Response): Freshness | undefined {
  if (response.status !== 200 || response.headers.has("set-cookie")) return undefined;
  if (/(^|,)\s*\*\s*(,|$)/.test(response.headers.get("vary") ?? "")) return undefined;
  const field = POLICY_FIELDS.map((name) => response.headers.get(name)?.trim()).find(Boolean);
  if (!field) return undefined;
  const directives = parseDirectives(field);
  if (directives.has("private") || directives.has("no-store") || directives.has("no-cache")) return undefined;
  const lifetime = deltaSeconds(directives.get("s-maxage")) ?? deltaSeconds(directives.get("max-age"));
  if (lifetime === undefined) return undefined;
  const mustRevalidate = ["s-maxage", "must-revalidate", "proxy-revalidate"].some((name) => directives.has(name));
  const staleWindow = mustRevalidate ? 0 : deltaSeconds(directives.get("stale-while-revalidate")) ?? 0;
  if (lifetime + staleWindow === 0) return undefined;
  return { freshMs: lifetime * 1000, staleWhileRevalidateMs: staleWindow * 1000 };
}

/** Cloudflare's rules for a tag: printable ASCII without spaces (or commas, which separate them), ≤ 1024 characters. */
const VALID_TAG = /^[\x21-\x2b\x2d-\x7e]{1,1024}$/;
/** Cloudflare keeps about 1,000 tags per answer (16 KB of header). */
const MAX_TAGS_PER_ANSWER = 1000;

/** The tags an answer is stored under: its `Cache-Tag` list, lower-cased (tags match in any case), bad ones dropped. */
export function tagsOf(headers: Headers): string[] {
  const names = (headers.get("cache-tag") ?? "").split(",").map((tag) => tag.trim().toLowerCase());
  return [...new Set(names.filter((tag) => VALID_TAG.test(tag)))].slice(0, MAX_TAGS_PER_ANSWER);
}

/** Tags to purge, lower-cased and without repeats; those no answer can carry are set apart, to be reported. */
export function purgeableTags(tags: readonly string[]): { valid: string[]; invalid: string[] } {
  const valid = new Set<string>();
  const invalid: string[] = [];
  for (const tag of tags) {
    if (VALID_TAG.test(tag)) valid.add(tag.toLowerCase());
    else invalid.push(tag);
  }
  return { valid: [...valid], invalid };
}

/** Raised after the valid tags of a purge were purged, naming the ones that could not be. */
export class InvalidCacheTagError extends Error {
  readonly tags: readonly string[];

  constructor(tags: readonly string[]) {
    super(`not valid cache tags (printable ASCII, no spaces or commas, 1 to 1024 characters): ${JSON.stringify(tags)}`);
    this.name = "InvalidCacheTagError";
    this.tags = tags;
  }
}
