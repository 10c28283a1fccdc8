import { describe, expect, it } from "vitest";
import { platformResponseCache, type WorkersCache, workersCacheOf } from "../../../api/lib/response-cache/platform.ts";
import { InvalidCacheTagError } from "../../../api/lib/response-cache/policy.ts";
import { countingOrigin, get } from "./support.ts";

/**
 * Cloudflare's local tooling (workerd, wrangler dev) has no Workers Cache and
 * no `ctx.cache.purge`, so the platform's part of the contract is checked
 * against a stand-in that answers the way the documentation says it does.
 */
function fakeWorkersCache(answer: Awaited<ReturnType<WorkersCache["purge"]>> = { success: true, errors: [] }) {
  const calls: string[][] = [];
  const cache: WorkersCache = {
    purge: async ({ tags }) => {
      calls.push(tags);
      return answer;
    },
  };
  return { cache, calls };
}

describe("the Workers Cache response cache", () => {
  it("runs the origin for every request that reaches the Worker: Cloudflare answers hits before it runs", async () => {
    const { cache } = fakeWorkersCache();
    const { origin, requests } = countingOrigin();
    const request = get("/api/v1/courses");
    const response = await platformResponseCache(cache).serve(request, origin);
    await platformResponseCache(cache).serve(request, origin);
    expect(requests).toEqual([request, request]);
    // Cloudflare itself strips Cache-Tag and stores by these headers: they go out as the app set them.
    expect(response.headers.get("Cache-Tag")).toBe("catalog,course:c1");
    expect(response.headers.has("X-Cache")).toBe(false);
  });

  it("forwards purges to the platform, lower-cased and without repeats", async () => {
    const { cache, calls } = fakeWorkersCache();
    await platformResponseCache(cache).purge(["Course:C1", "catalog", "CATALOG"]);
    expect(calls).toEqual([["course:c1", "catalog"]]);
  });

  it("sends at most 100 tags per purge request (Cloudflare's limit)", async () => {
    const { cache, calls } = fakeWorkersCache();
    await platformResponseCache(cache).purge(Array.from({ length: 250 }, (_, index) => `course:${index}`));
    expect(calls.map((tags) => tags.length)).toEqual([100, 100, 50]);
  });

  it("rejects when the platform answers success: false, so the caller retries and logs", async () => {
    const { cache } = fakeWorkersCache({ success: false, errors: [{ code: 1134, message: "rate limited" }] });
    await expect(platformResponseCache(cache).purge(["catalog"])).rejects.toThrow(/1134: rate limited/);
  });

  it("purges the valid tags and rejects naming the invalid ones", async () => {
    const { cache, calls } = fakeWorkersCache();
    await expect(platformResponseCache(cache).purge(["catalog", "two words"])).rejects.toBeInstanceOf(
      InvalidCacheTagError,
    );
    expect(calls).toEqual([["catalog"]]);
  });

  it("is what an invocation gets only when its context has a cache that purges", () => {
    const { cache } = fakeWorkersCache();
    expect(workersCacheOf({ cache })).toBe(cache);
    expect(workersCacheOf(undefined)).toBeUndefined();
    expect(workersCacheOf({ waitUntil() {} })).toBeUndefined();
    // What standalone workerd exposes: a cache object without purge.
    expect(workersCacheOf({ cache: {} })).toBeUndefined();
  });
});
