import type { Clock } from "../clock.ts";
import { isPersonalRequest } from "../http-cache.ts";
import type { Logger } from "../logger.ts";
import { ifNoneMatchHits, notModified, withHeaders } from "./http.ts";
import { type Freshness, freshnessOf, InvalidCacheTagError, purgeableTags, tagsOf } from "./policy.ts";
import type { ResponseCache } from "./response-cache.ts";

export interface MemoryResponseCacheOptions {
  clock: Clock;
  logger: Logger;
  /** Bodies, headers and keys of every stored answer together; least recently used answers go first. */
  maxBytes?: number;
  /** Larger answers are served but not stored. */
  maxEntryBytes?: number;
}

/**
 * What each answer carries to say where it came from, for tests and the benchmark (Cloudflare's own is
 * `Cf-Cache-Status`): HIT (stored and fresh), STALE (stored, served while one refresh runs), MISS (the origin
 * answered, or a fill already under way did), BYPASS (not a request a shared cache may answer).
 */
export const CACHE_STATUS_HEADER = "X-Cache";

const MiB = 1024 * 1024;
/** Fields Cloudflare consumes and never sends on, and ones each answer gets afresh. */
const NOT_STORED = new Set(["cache-tag", "cloudflare-cdn-cache-control", "age", CACHE_STATUS_HEADER.toLowerCase()]);
/** Above this many tags remembered for fills under way, any fill older than the latest purge is not stored. */
const MAX_PURGES_REMEMBERED = 4096;
/** Header values cannot hold these, so variant keys cannot collide. */
const FIELD_SEPARATOR = "\n";
const ABSENT = "\u0000";

interface Entry {
  key: string;
  url: string;
  /** The request fields named by `Vary` (lower case), whose values are part of `key`. */
  vary: string[];
  /**
   * What every answer from this entry starts from; only ever passed as init, which copies it. One copy per hit
   * costs far less than building the fields one by one (in workerd each is a call into the runtime).
   */
  headers: Headers;
  body: Uint8Array<ArrayBuffer>;
  etag: string | null;
  tags: string[];
  bytes: number;
  /** When the answer was received, and the `Age` it already had then (RFC 9111 §4.2.3). */
  receivedAt: number;
  initialAgeSeconds: number;
  freshUntil: number;
  staleUntil: number;
}

type Filled = { entry: Entry } | { response: Response };
type Origin = (request: Request) => Promise<Response>;

/**
 * The shared response cache for runtimes without Workers Cache (Deno, `wrangler dev`, `workerd serve`, tests):
 * one per process or isolate. It stores what `freshnessOf` allows for anonymous GET and HEAD requests, keyed by
 * the full URL and the request fields the answer's `Vary` names; serves it with `Age` while fresh, and while in
 * its `stale-while-revalidate` window (with one refresh in the background); answers `If-None-Match` itself;
 * makes concurrent misses of one key wait for a single origin call; and drops answers by `Cache-Tag`.
 */
export function memoryResponseCache(options: MemoryResponseCacheOptions): ResponseCache {
  const { clock, logger } = options;
  const maxBytes = options.maxBytes ?? 32 * MiB;
  const maxEntryBytes = Math.min(options.maxEntryBytes ?? 1 * MiB, maxBytes);

  /** In least-recently-used order: a hit moves its entry to the end. */
  const entries = new Map<string, Entry>();
  /** Per URL: the fields its stored answers vary on, and their keys. */
  const variants = new Map<string, { vary: string[]; keys: Set<string> }>();
  const keysByTag = new Map<string, Set<string>>();
  let storedBytes = 0;

  /** Origin calls under way, by key; waiters get the stored entry, or undefined when there is none to share. */
  const fills = new Map<string, Promise<Entry | undefined>>();
  let fillsRunning = 0;
  /** Purges are numbered; a fill started before a purge of one of its answer's tags must not store that answer. */
  let purgeCount = 0;
  let purgedAt = new Map<string, number>();
  let forgottenBefore = 0;

  const now = () => clock.now().getTime();

  function keyOf(url: string, vary: readonly string[], request: Request): string {
    if (vary.length === 0) return url;
    return [url, ...vary.map((name) => request.headers.get(name) ?? ABSENT)].join(FIELD_SEPARATOR);
  }

  function remove(entry: Entry): void {
    if (entries.get(entry.key) !== entry) return;
    entries.delete(entry.key);
    storedBytes -= entry.bytes;
    const ofUrl = variants.get(entry.url);
    ofUrl?.keys.delete(entry.key);
    if (ofUrl?.keys.size === 0) variants.delete(entry.url);
    for (const tag of entry.tags) {
      const keys = keysByTag.get(tag);
      keys?.delete(entry.key);
      if (keys?.size === 0) keysByTag.delete(tag);
    }
  }

  function store(entry: Entry): void {
    const ofUrl = variants.get(entry.url);
    // An answer that varies on other fields than the stored ones replaces them all: their keys no longer apply.
    if (ofUrl && ofUrl.vary.join() !== entry.vary.join()) {
      for (const key of [...ofUrl.keys]) remove(entries.get(key)!);
    }
    const previous = entries.get(entry.key);
    if (previous) remove(previous);
    entries.set(entry.key, entry);
    storedBytes += entry.bytes;
    const urlVariants = variants.get(entry.url) ?? { vary: entry.vary, keys: new Set<string>() };
    urlVariants.keys.add(entry.key);
    variants.set(entry.url, urlVariants);
    for (const tag of entry.tags) {
      const keys = keysByTag.get(tag) ?? new Set<string>();
      keys.add(entry.key);
      keysByTag.set(tag, keys);
    }
    for (const oldest of entries.values()) {
      if (storedBytes <= maxBytes) break;
      remove(oldest);
    }
  }

  function purgedSince(started: number, tags: readonly string[]): boolean {
    return started < forgottenBefore || tags.some((tag) => (purgedAt.get(tag) ?? 0) > started);
  }

  async function toEntry(request: Request, response: Response, freshness: Freshness): Promise<Entry> {
    const body = new Uint8Array(await response.arrayBuffer());
    const receivedAt = now();
    const fields = [...response.headers].filter(([name]) => !NOT_STORED.has(name));
    const vary = (response.headers.get("vary") ?? "").split(",").map((name) => name.trim().toLowerCase())
      .filter(Boolean).sort();
    const key = keyOf(request.url, vary, request);
    const tags = tagsOf(response.headers);
    const initialAgeSeconds = Number(response.headers.get("age")) || 0;
    const freshUntil = receivedAt + freshness.freshMs - initialAgeSeconds * 1000;
    const bytes = body.byteLength + key.length + tags.reduce((sum, tag) => sum + tag.length, 0) +
      fields.reduce((sum, [name, value]) => sum + name.length + value.length, 0);
    const headers = new Headers(fields);
    // A HEAD gets the length of the body it is not sent, as a GET would.
    headers.set("Content-Length", String(body.byteLength));
    return {
      key,
      url: request.url,
      vary,
      headers,
      body,
      etag: response.headers.get("etag"),
      tags,
      bytes,
      receivedAt,
      initialAgeSeconds,
      freshUntil,
      staleUntil: freshUntil + freshness.staleWhileRevalidateMs,
    };
  }

  /** A GET without validators, so the origin answers in full whatever the client already holds. */
  function fillRequest(request: Request): Request {
    const conditional = request.headers.has("if-none-match") || request.headers.has("if-modified-since");
    if (request.method === "GET" && !conditional) return request;
    const headers = new Headers(request.headers);
    headers.delete("if-none-match");
    headers.delete("if-modified-since");
    return new Request(request.url, { method: "GET", headers });
  }

  /** One origin call for `key`, which concurrent misses of the key wait for; stores its answer when allowed. */
  function fill(request: Request, key: string, origin: Origin): Promise<Filled> {
    const started = purgeCount;
    fillsRunning++;
    const filling = (async (): Promise<Filled> => {
      try {
        const response = await origin(fillRequest(request));
        const freshness = freshnessOf(response);
        const declaredLength = Number(response.headers.get("content-length") ?? 0);
        if (!freshness || declaredLength > maxEntryBytes) return { response };
        const entry = await toEntry(request, response, freshness);
        if (entry.bytes <= maxEntryBytes && !purgedSince(started, entry.tags)) store(entry);
        return { entry };
      } finally {
        if (--fillsRunning === 0) purgedAt = new Map();
      }
    })();
    const shared = filling.then((filled) => ("entry" in filled ? filled.entry : undefined), () => undefined);
    fills.set(key, shared);
    void shared.then(() => {
      if (fills.get(key) === shared) fills.delete(key);
    });
    return filling;
  }

  /** The stored answer for `request`, as this client gets it. */
  function answer(entry: Entry, request: Request, status: string): Response {
    const age = String(entry.initialAgeSeconds + Math.max(0, Math.floor((now() - entry.receivedAt) / 1000)));
    if (ifNoneMatchHits(request, entry.etag)) {
      return notModified(entry.headers, { Age: age, [CACHE_STATUS_HEADER]: status });
    }
    const response = new Response(request.method === "HEAD" ? null : entry.body, {
      status: 200,
      headers: entry.headers,
    });
    response.headers.set("Age", age);
    response.headers.set(CACHE_STATUS_HEADER, status);
    return response;
  }

  /** An answer that was not stored, passed on with the edits Cloudflare makes. */
  function passOn(response: Response, request: Request, status: string): Response {
    const forClient = request.method === "HEAD" && response.body ? new Response(null, response) : response;
    if (forClient !== response) void response.body?.cancel();
    return withHeaders(forClient, (headers) => {
      headers.delete("cache-tag");
      headers.delete("cloudflare-cdn-cache-control");
      headers.set(CACHE_STATUS_HEADER, status);
    });
  }

  /** A fill's answer that was not stored: the fill withheld the client's validators, so they are honoured here. */
  function passOnFilled(response: Response, request: Request): Response {
    if (response.status !== 200 || !ifNoneMatchHits(request, response.headers.get("etag"))) {
      return passOn(response, request, "MISS");
    }
    void response.body?.cancel();
    return notModified(response.headers, { [CACHE_STATUS_HEADER]: "MISS" });
  }

  /** Runs one refresh of a stale entry past the response. A refused refresh (5xx, thrown) keeps serving stale. */
  function revalidate(request: Request, stale: Entry, origin: Origin, background?: (work: Promise<unknown>) => void) {
    if (fills.has(stale.key)) return;
    const work = fill(request, stale.key, origin).then(
      (filled) => {
        if ("entry" in filled) return;
        void filled.response.body?.cancel();
        // The answer is no longer one to share (unpublished, made private): the stale copy must go now.
        if (filled.response.status < 500) remove(stale);
      },
      (error) => logger.log("warn", "response cache refresh failed", { url: request.url, error: String(error) }),
    );
    background?.(work);
  }

  function shareable(request: Request): boolean {
    return (request.method === "GET" || request.method === "HEAD") && !isPersonalRequest(request.headers) &&
      !request.headers.has("upgrade");
  }

  return {
    async serve(request, origin, background) {
      if (!shareable(request)) {
        const response = await origin(request);
        // An upgrade's 101 cannot be rebuilt, and its headers are the runtime's.
        return request.headers.has("upgrade") ? response : passOn(response, request, "BYPASS");
      }
      const key = keyOf(request.url, variants.get(request.url)?.vary ?? [], request);
      const stored = entries.get(key);
      if (stored) {
        const at = now();
        if (at < stored.staleUntil) {
          entries.delete(key);
          entries.set(key, stored);
          if (at < stored.freshUntil) return answer(stored, request, "HIT");
          revalidate(request, stored, origin, background);
          return answer(stored, request, "STALE");
        }
        remove(stored);
      }
      const underway = fills.get(key);
      if (underway) {
        const shared = await underway;
        if (shared && keyOf(request.url, shared.vary, request) === shared.key) return answer(shared, request, "MISS");
        return passOn(await origin(request), request, "MISS");
      }
      const filled = await fill(request, key, origin);
      return "entry" in filled ? answer(filled.entry, request, "MISS") : passOnFilled(filled.response, request);
    },

    async purge(tags) {
      const { valid, invalid } = purgeableTags(tags);
      purgeCount++;
      if (fillsRunning > 0) {
        for (const tag of valid) purgedAt.set(tag, purgeCount);
        if (purgedAt.size > MAX_PURGES_REMEMBERED) {
          purgedAt = new Map();
          forgottenBefore = purgeCount;
        }
      }
      // Requests from now on must not wait for an answer the origin may have given before this purge.
      fills.clear();
      for (const tag of valid) {
        for (const key of [...keysByTag.get(tag) ?? []]) remove(entries.get(key)!);
      }
      if (invalid.length > 0) throw new InvalidCacheTagError(invalid);
    },
  };
}
