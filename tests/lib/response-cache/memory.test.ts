import { describe, expect, it } from "vitest";
import { silentLogger } from "../../../api/lib/logger.ts";
import { memoryResponseCache } from "../../../api/lib/response-cache/memory.ts";
import { InvalidCacheTagError } from "../../../api/lib/response-cache/policy.ts";
import { countingOrigin, deferred, fakeClock, get, PUBLIC_HEADERS } from "./support.ts";

function setUp(options: { maxBytes?: number; maxEntryBytes?: number } = {}) {
  const clock = fakeClock();
  return { clock, cache: memoryResponseCache({ clock, logger: silentLogger, ...options }) };
}

const withPolicy = (policy: Record<string, string>) => ({ "Content-Type": "text/plain", "Cache-Tag": "t", ...policy });

describe("the in-process response cache", () => {
  describe("storing and serving", () => {
    it("answers a repeat from the store, with Age, and without the Cache-Tag clients never see", async () => {
      const { cache, clock } = setUp();
      const { origin, calls } = countingOrigin();
      const first = await cache.serve(get("/api/v1/courses"), origin);
      expect(first.headers.get("X-Cache")).toBe("MISS");
      expect(first.headers.has("Cache-Tag")).toBe(false);
      expect(await first.text()).toBe("answer");

      clock.advance(7);
      const second = await cache.serve(get("/api/v1/courses"), origin);
      expect(calls()).toBe(1);
      expect(second.status).toBe(200);
      expect(second.headers.get("X-Cache")).toBe("HIT");
      expect(second.headers.get("Age")).toBe("7");
      expect(second.headers.get("Content-Type")).toBe("application/json");
      expect(second.headers.has("Cache-Tag")).toBe(false);
      expect(await second.text()).toBe("answer");
    });

    it("keys by the full URL: another query string is another answer", async () => {
      const { cache } = setUp();
      const { origin, calls } = countingOrigin();
      await cache.serve(get("/api/v1/courses?sort=new"), origin);
      await cache.serve(get("/api/v1/courses?sort=top"), origin);
      await cache.serve(get("/api/v1/courses?sort=new"), origin);
      expect(calls()).toBe(2);
    });

    it("fetches again once the shared lifetime (s-maxage over max-age) is over", async () => {
      const { cache, clock } = setUp();
      let version = 1;
      const { origin, calls } = countingOrigin(
        () => `v${version}`,
        withPolicy({ "Cache-Control": "max-age=5, s-maxage=60" }),
      );
      await cache.serve(get("/"), origin);
      version = 2;
      clock.advance(59);
      expect(await (await cache.serve(get("/"), origin)).text()).toBe("v1");
      clock.advance(1);
      const expired = await cache.serve(get("/"), origin);
      expect(expired.headers.get("X-Cache")).toBe("MISS");
      expect(await expired.text()).toBe("v2");
      expect(calls()).toBe(2);
    });

    it("turns a HEAD miss into a GET fill, answers it without a body, and serves the GET that follows", async () => {
      const { cache } = setUp();
      const { origin, requests } = countingOrigin();
      const head = await cache.serve(get("/courses/a", {}, "HEAD"), origin);
      expect(head.status).toBe(200);
      expect(head.body).toBeNull();
      expect(head.headers.get("Content-Length")).toBe(String("answer".length));
      expect(requests[0]!.method).toBe("GET");
      const body = await cache.serve(get("/courses/a"), origin);
      expect(body.headers.get("X-Cache")).toBe("HIT");
      expect(await body.text()).toBe("answer");
    });
  });

  describe("what is never stored", () => {
    const notStored: [string, Record<string, string>, number?][] = [
      ["private", withPolicy({ "Cache-Control": "private, max-age=300" })],
      ["no-store", withPolicy({ "Cache-Control": "public, s-maxage=300, no-store" })],
      ["no-cache", withPolicy({ "Cache-Control": "public, s-maxage=300, no-cache" })],
      ["an answer without an explicit lifetime", withPolicy({ "Cache-Control": "public" })],
      ["an answer without any policy", withPolicy({})],
      ["an answer setting a cookie", withPolicy({ "Cache-Control": "public, s-maxage=300", "Set-Cookie": "a=b" })],
      ["Vary: *", withPolicy({ "Cache-Control": "public, s-maxage=300", Vary: "*" })],
      ["a CDN-Cache-Control no-store over a public Cache-Control", {
        ...PUBLIC_HEADERS,
        "CDN-Cache-Control": "no-store",
      }],
      ["a 404, even marked public", PUBLIC_HEADERS, 404],
    ];
    it.each(notStored)("%s", async (_, headers, status = 200) => {
      const { cache } = setUp();
      const { origin, calls } = countingOrigin(() => "x", headers, status);
      await cache.serve(get("/a"), origin);
      const second = await cache.serve(get("/a"), origin);
      expect(calls()).toBe(2);
      expect(second.headers.get("X-Cache")).toBe("MISS");
      expect(second.status).toBe(status);
    });

    it("lets Cloudflare-CDN-Cache-Control, then CDN-Cache-Control, overrule Cache-Control (RFC 9213)", async () => {
      const { cache } = setUp();
      const { origin, calls } = countingOrigin(() => "x", {
        "Cache-Control": "private, no-store",
        "CDN-Cache-Control": "no-store",
        "Cloudflare-CDN-Cache-Control": "max-age=60",
      });
      await cache.serve(get("/a"), origin);
      const second = await cache.serve(get("/a"), origin);
      expect(calls()).toBe(1);
      expect(second.headers.has("Cloudflare-CDN-Cache-Control")).toBe(false);
    });

    it.each([["Authorization", "Bearer token"], ["Cookie", "refresh_token=x"]])(
      "neither serves nor stores for a request with %s",
      async (name, value) => {
        const { cache } = setUp();
        const { origin, calls } = countingOrigin();
        await cache.serve(get("/api/v1/courses"), origin);
        const personal = await cache.serve(get("/api/v1/courses", { [name]: value }), origin);
        expect(personal.headers.get("X-Cache")).toBe("BYPASS");
        expect(personal.headers.has("Cache-Tag")).toBe(false);
        await cache.serve(get("/api/v1/other", { [name]: value }), origin);
        await cache.serve(get("/api/v1/other", { [name]: value }), origin);
        expect(calls()).toBe(4);
      },
    );

    it("passes writes through untouched by the store", async () => {
      const { cache } = setUp();
      const { origin, calls } = countingOrigin();
      await cache.serve(get("/api/v1/courses"), origin);
      const write = await cache.serve(get("/api/v1/courses", {}, "POST"), origin);
      expect(write.headers.get("X-Cache")).toBe("BYPASS");
      expect(calls()).toBe(2);
    });
  });

  describe("stale-while-revalidate", () => {
    it("serves the stale answer at once while one background refresh replaces it", async () => {
      const { cache, clock } = setUp();
      let version = 1;
      const { origin, calls } = countingOrigin(() => `v${version}`);
      await cache.serve(get("/"), origin);
      version = 2;
      clock.advance(301);
      const refreshes: Promise<unknown>[] = [];
      const stale = await cache.serve(get("/"), origin, (work) => refreshes.push(work));
      const alsoStale = await cache.serve(get("/"), origin, (work) => refreshes.push(work));
      expect(stale.headers.get("X-Cache")).toBe("STALE");
      expect(await stale.text()).toBe("v1");
      expect(await alsoStale.text()).toBe("v1");
      expect(refreshes).toHaveLength(1);
      await Promise.all(refreshes);
      expect(calls()).toBe(2);
      const fresh = await cache.serve(get("/"), origin);
      expect(fresh.headers.get("X-Cache")).toBe("HIT");
      expect(await fresh.text()).toBe("v2");
    });

    it("waits for the origin once the stale window is over too", async () => {
      const { cache, clock } = setUp();
      const { origin, calls } = countingOrigin();
      await cache.serve(get("/"), origin);
      clock.advance(901);
      expect((await cache.serve(get("/"), origin)).headers.get("X-Cache")).toBe("MISS");
      expect(calls()).toBe(2);
    });

    it("never serves stale when s-maxage or must-revalidate forbid it (RFC 9111, as on Cloudflare)", async () => {
      for (
        const policy of [
          "public, s-maxage=60, stale-while-revalidate=600",
          "max-age=60, must-revalidate, stale-while-revalidate=600",
        ]
      ) {
        const { cache, clock } = setUp();
        const { origin, calls } = countingOrigin(() => "x", withPolicy({ "Cache-Control": policy }));
        await cache.serve(get("/"), origin);
        clock.advance(61);
        expect((await cache.serve(get("/"), origin)).headers.get("X-Cache"), policy).toBe("MISS");
        expect(calls()).toBe(2);
      }
    });

    it("drops the stale copy when the refresh finds the answer no longer public, keeps it through a 5xx", async () => {
      const { cache, clock } = setUp();
      const refreshes: Promise<unknown>[] = [];
      const background = (work: Promise<unknown>) => refreshes.push(work);
      let status = 200;
      const origin = async () => new Response("x", { status, headers: status === 200 ? PUBLIC_HEADERS : {} });
      await cache.serve(get("/a"), origin);
      await cache.serve(get("/b"), origin);
      clock.advance(301);
      status = 503;
      await cache.serve(get("/a"), origin, background);
      status = 404;
      await cache.serve(get("/b"), origin, background);
      await Promise.all(refreshes);
      expect((await cache.serve(get("/a"), origin, background)).headers.get("X-Cache")).toBe("STALE");
      const gone = await cache.serve(get("/b"), origin, background);
      expect(gone.status).toBe(404);
      expect(gone.headers.get("X-Cache")).toBe("MISS");
    });
  });

  describe("purging by tag", () => {
    it("drops every answer with any purged tag, matching tags case-insensitively, and keeps the rest", async () => {
      const { cache } = setUp();
      const tagged = (tags: string) => countingOrigin(() => tags, { ...PUBLIC_HEADERS, "Cache-Tag": tags });
      const course = tagged("Course:C1, catalog");
      const other = tagged("course:c2");
      const list = tagged("CATALOG");
      await cache.serve(get("/courses/c1"), course.origin);
      await cache.serve(get("/courses/c2"), other.origin);
      await cache.serve(get("/courses"), list.origin);

      await cache.purge(["COURSE:c1"]);
      expect((await cache.serve(get("/courses/c1"), course.origin)).headers.get("X-Cache")).toBe("MISS");
      expect((await cache.serve(get("/courses"), list.origin)).headers.get("X-Cache")).toBe("HIT");

      await cache.purge(["catalog"]);
      expect((await cache.serve(get("/courses"), list.origin)).headers.get("X-Cache")).toBe("MISS");
      expect((await cache.serve(get("/courses/c1"), course.origin)).headers.get("X-Cache")).toBe("MISS");
      expect((await cache.serve(get("/courses/c2"), other.origin)).headers.get("X-Cache")).toBe("HIT");
    });

    it("purges the valid tags of a list and rejects naming the ones no answer can carry", async () => {
      const { cache } = setUp();
      const { origin } = countingOrigin();
      await cache.serve(get("/"), origin);
      const purge = cache.purge(["has space", "catalog", "", "ü"]);
      await expect(purge).rejects.toBeInstanceOf(InvalidCacheTagError);
      await expect(purge).rejects.toMatchObject({ tags: ["has space", "", "ü"] });
      expect((await cache.serve(get("/"), origin)).headers.get("X-Cache")).toBe("MISS");
    });

    it("does not store an answer whose fill was under way when one of its tags was purged", async () => {
      const { cache } = setUp();
      const answer = deferred<Response>();
      const filling = cache.serve(get("/courses/c1"), () => answer.promise);
      await cache.purge(["course:c1"]);
      answer.resolve(new Response("old", { headers: PUBLIC_HEADERS }));
      expect(await (await filling).text()).toBe("old");
      const { origin, calls } = countingOrigin(() => "new");
      const next = await cache.serve(get("/courses/c1"), origin);
      expect(next.headers.get("X-Cache")).toBe("MISS");
      expect(await next.text()).toBe("new");
      expect(calls()).toBe(1);
    });

    it("does not make a request that came after a purge wait for a fill from before it", async () => {
      const { cache } = setUp();
      const answers = [deferred<Response>(), deferred<Response>()];
      let call = 0;
      const origin = () => answers[call++]!.promise;
      const beforePurge = cache.serve(get("/courses/c1"), origin);
      await cache.purge(["course:c1"]);
      const afterPurge = cache.serve(get("/courses/c1"), origin);
      answers[1]!.resolve(new Response("new", { headers: PUBLIC_HEADERS }));
      expect(await (await afterPurge).text()).toBe("new");
      answers[0]!.resolve(new Response("old", { headers: PUBLIC_HEADERS }));
      expect(await (await beforePurge).text()).toBe("old");
      expect(call).toBe(2);
      const next = await cache.serve(get("/courses/c1"), origin);
      expect(next.headers.get("X-Cache")).toBe("HIT");
      expect(await next.text()).toBe("new");
    });

    it("still stores a fill when the purge during it named other tags", async () => {
      const { cache } = setUp();
      const answer = deferred<Response>();
      const origin = () => answer.promise;
      const filling = cache.serve(get("/courses/c1"), origin);
      await cache.purge(["course:c2"]);
      answer.resolve(new Response("c1", { headers: PUBLIC_HEADERS }));
      await filling;
      expect((await cache.serve(get("/courses/c1"), origin)).headers.get("X-Cache")).toBe("HIT");
    });
  });

  describe("Vary", () => {
    it("keeps one answer per value of the request fields Vary names", async () => {
      const { cache } = setUp();
      const { origin, calls } = countingOrigin(() => "x", { ...PUBLIC_HEADERS, Vary: "Accept-Language" });
      const english = { "Accept-Language": "en" };
      const french = { "Accept-Language": "fr" };
      await cache.serve(get("/", english), origin);
      await cache.serve(get("/", french), origin);
      await cache.serve(get("/"), origin);
      expect(calls()).toBe(3);
      expect((await cache.serve(get("/", english), origin)).headers.get("X-Cache")).toBe("HIT");
      expect((await cache.serve(get("/", french), origin)).headers.get("X-Cache")).toBe("HIT");
      expect((await cache.serve(get("/"), origin)).headers.get("X-Cache")).toBe("HIT");
      expect(calls()).toBe(3);
      await cache.purge(["catalog"]);
      expect((await cache.serve(get("/", french), origin)).headers.get("X-Cache")).toBe("MISS");
    });
  });

  describe("validators", () => {
    const etagged = { ...PUBLIC_HEADERS, ETag: 'W/"v1"' };

    it("answers a matching If-None-Match with 304 from the store, without the origin", async () => {
      const { cache } = setUp();
      const { origin, calls } = countingOrigin(() => "x", etagged);
      await cache.serve(get("/"), origin);
      const revalidated = await cache.serve(get("/", { "If-None-Match": 'W/"v0", W/"v1"' }), origin);
      expect(revalidated.status).toBe(304);
      expect(revalidated.body).toBeNull();
      expect(revalidated.headers.get("ETag")).toBe('W/"v1"');
      expect(revalidated.headers.get("Cache-Control")).toBe(PUBLIC_HEADERS["Cache-Control"]);
      expect(revalidated.headers.has("Content-Type")).toBe(false);
      const changed = await cache.serve(get("/", { "If-None-Match": 'W/"v0"' }), origin);
      expect(changed.status).toBe(200);
      expect(calls()).toBe(1);
    });

    it("fills without the client's validators, so a revalidating browser still fills the store", async () => {
      const { cache } = setUp();
      const { origin, requests } = countingOrigin(() => "x", etagged);
      const first = await cache.serve(get("/", { "If-None-Match": 'W/"v1"', "Accept-Language": "en" }), origin);
      expect(first.status).toBe(304);
      expect(requests[0]!.headers.has("If-None-Match")).toBe(false);
      expect(requests[0]!.headers.get("Accept-Language")).toBe("en");
      expect((await cache.serve(get("/"), origin)).headers.get("X-Cache")).toBe("HIT");
    });

    it("answers a matching If-None-Match with 304 for an answer it may not store, too", async () => {
      const { cache } = setUp();
      const { origin } = countingOrigin(() => "x", { "Cache-Control": "private, no-store", ETag: '"p1"' });
      const response = await cache.serve(get("/", { "If-None-Match": '"p1"' }), origin);
      expect(response.status).toBe(304);
    });
  });

  describe("one origin call per key", () => {
    it("makes concurrent misses of one key wait for a single origin call", async () => {
      const { cache } = setUp();
      const answer = deferred<Response>();
      let calls = 0;
      const origin = () => (calls++, answer.promise);
      const waiting = Array.from({ length: 5 }, () => cache.serve(get("/courses"), origin));
      answer.resolve(new Response("shared", { headers: PUBLIC_HEADERS }));
      const responses = await Promise.all(waiting);
      expect(calls).toBe(1);
      expect(await Promise.all(responses.map((response) => response.text()))).toEqual(Array(5).fill("shared"));
    });

    it("sends each waiter to the origin itself when the answer turns out not to be shareable", async () => {
      const { cache } = setUp();
      const { origin, calls } = countingOrigin(() => "mine", { "Cache-Control": "private, no-store" });
      const responses = await Promise.all(Array.from({ length: 3 }, () => cache.serve(get("/me"), origin)));
      expect(calls()).toBe(3);
      for (const response of responses) expect(await response.text()).toBe("mine");
    });
  });

  describe("bounded memory", () => {
    const kilobytes = (count: number) => "x".repeat(count * 1024);

    it("evicts the least recently used answers past its byte budget", async () => {
      const { cache } = setUp({ maxBytes: 10 * 1024, maxEntryBytes: 5 * 1024 });
      const { origin } = countingOrigin(() => kilobytes(3));
      await cache.serve(get("/a"), origin);
      await cache.serve(get("/b"), origin);
      await cache.serve(get("/c"), origin);
      await cache.serve(get("/a"), origin);
      await cache.serve(get("/d"), origin);
      const states = [];
      for (const path of ["/a", "/c", "/d", "/b"]) {
        states.push((await cache.serve(get(path), origin)).headers.get("X-Cache"));
      }
      expect(states).toEqual(["HIT", "HIT", "HIT", "MISS"]);
      // The tag index forgot the evicted answer: purging its tag still works for the rest.
      await cache.purge(["course:c1"]);
      expect((await cache.serve(get("/a"), origin)).headers.get("X-Cache")).toBe("MISS");
    });

    it("serves but never stores an answer larger than one entry may be", async () => {
      const { cache } = setUp({ maxBytes: 10 * 1024, maxEntryBytes: 2 * 1024 });
      const { origin, calls } = countingOrigin(() => kilobytes(3));
      expect((await (await cache.serve(get("/big"), origin)).text()).length).toBe(3 * 1024);
      await cache.serve(get("/big"), origin);
      expect(calls()).toBe(2);
    });
  });
});
