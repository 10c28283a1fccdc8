import type { Clock } from "../../../api/lib/clock.ts";

export const SITE = "http://lectern.test";

/** What the app sends on a public catalog answer: browsers revalidate, shared caches keep 5 minutes + 10 stale. */
export const PUBLIC_HEADERS = {
  "Cache-Control": "public, max-age=0, s-maxage=300",
  "CDN-Cache-Control": "max-age=300, stale-while-revalidate=600",
  "Cache-Tag": "catalog,course:c1",
  "Content-Type": "application/json",
};

export function fakeClock(start = Date.parse("2026-12-01T09:00:00Z")): Clock & { advance(seconds: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (seconds) => (now += seconds * 1000) };
}

/** An origin that answers `body()` with `headers` and remembers each request it was given. */
export function countingOrigin(
  body: () => string = () => "answer",
  headers: Record<string, string> = PUBLIC_HEADERS,
  status = 200,
) {
  const requests: Request[] = [];
  const origin = async (request: Request) => {
    requests.push(request);
    return new Response(body(), { status, headers });
  };
  return { origin, requests, calls: () => requests.length };
}

/** A promise with its resolver, for origins the test answers when it chooses. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

export function get(path: string, headers: Record<string, string> = {}, method = "GET"): Request {
  return new Request(`${SITE}${path}`, { method, headers });
}
