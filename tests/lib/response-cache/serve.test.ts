import { afterEach, describe, expect, it, vi } from "vitest";
import type { Logger } from "../../../api/lib/logger.ts";
import { silentLogger } from "../../../api/lib/logger.ts";
import { memoryResponseCache } from "../../../api/lib/response-cache/memory.ts";
import type { ResponseCache } from "../../../api/lib/response-cache/response-cache.ts";
import { purgeQuietly, responseCacheFor, sharedCacheFront } from "../../../api/lib/response-cache/serve.ts";
import { countingOrigin, fakeClock, get, PUBLIC_HEADERS, SITE } from "./support.ts";

function inProcess() {
  return memoryResponseCache({ clock: fakeClock(), logger: silentLogger });
}

describe("the shared cache front", () => {
  it("serves the site's own host from the cache", async () => {
    const front = sharedCacheFront(inProcess(), SITE);
    const { origin, calls } = countingOrigin();
    await front.serve(get("/courses"), origin);
    const second = await front.serve(get("/courses"), origin);
    expect(second.headers.get("X-Cache")).toBe("HIT");
    expect(calls()).toBe(1);
  });

  it.each([
    ["another host", "http://attacker.test/courses"],
    ["another port of the same host", "http://lectern.test:8080/courses"],
  ])("answers %s privately and never stores or serves it from the cache", async (_, url) => {
    const front = sharedCacheFront(inProcess(), SITE);
    const { origin, calls } = countingOrigin();
    await front.serve(get("/courses"), origin);
    const forged = await front.serve(new Request(url), origin);
    expect(forged.headers.get("Cache-Control")).toBe("private, no-store");
    expect(forged.headers.has("CDN-Cache-Control")).toBe(false);
    expect(forged.headers.has("Cache-Tag")).toBe(false);
    await front.serve(new Request(url), origin);
    expect(calls()).toBe(3);
  });

  it("rewrites the policy of an answer whose headers are immutable (a fetched asset's)", async () => {
    const front = sharedCacheFront(inProcess(), SITE);
    const fetched = Response.redirect(`${SITE}/elsewhere`, 302);
    expect(() => fetched.headers.set("X-Probe", "1")).toThrow();
    const answer = await front.serve(new Request("http://attacker.test/"), async () => fetched);
    expect(answer.status).toBe(302);
    expect(answer.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it("drops what Cloudflare would take as a shared policy from other hosts' answers", async () => {
    const front = sharedCacheFront(inProcess(), SITE);
    const { origin } = countingOrigin(() => "x", { ...PUBLIC_HEADERS, "Cloudflare-CDN-Cache-Control": "max-age=60" });
    const forged = await front.serve(new Request("http://attacker.test/"), origin);
    expect(forged.headers.has("Cloudflare-CDN-Cache-Control")).toBe(false);
  });
});

describe("choosing the cache of an invocation", () => {
  it("is Workers Cache when the invocation's context has one, the in-process cache otherwise", async () => {
    const local = inProcess();
    const purged: string[][] = [];
    const ctx = { cache: { purge: async ({ tags }: { tags: string[] }) => (purged.push(tags), { success: true }) } };
    await responseCacheFor(ctx, local).purge(["catalog"]);
    expect(purged).toEqual([["catalog"]]);
    expect(responseCacheFor(undefined, local)).toBe(local);
    expect(responseCacheFor({ waitUntil() {} }, local)).toBe(local);
  });
});

describe("purgeQuietly (Deps.purgeTags)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function recordingLogger() {
    const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
    const logger: Logger = { log: (level, message, fields) => lines.push({ level, message, fields }) };
    return { logger, lines };
  }

  function failing(times: number, error = new Error("purge refused")) {
    let calls = 0;
    const cache: ResponseCache = {
      serve: (request, origin) => origin(request),
      purge: async () => {
        calls++;
        if (calls <= times) throw error;
      },
    };
    return { cache, calls: () => calls };
  }

  it("tries once more after a failure, silently when that works", async () => {
    const { logger, lines } = recordingLogger();
    const { cache, calls } = failing(1);
    await purgeQuietly(cache, logger, ["catalog"]);
    expect(calls()).toBe(2);
    expect(lines).toEqual([]);
  });

  it("logs and swallows a purge that fails twice: the write it follows stands", async () => {
    const { logger, lines } = recordingLogger();
    const { cache, calls } = failing(2);
    await expect(purgeQuietly(cache, logger, ["course:c1"])).resolves.toBeUndefined();
    expect(calls()).toBe(2);
    expect(lines).toEqual([{
      level: "error",
      message: "response cache purge failed",
      fields: { tags: ["course:c1"], error: "Error: purge refused", firstError: "Error: purge refused" },
    }]);
  });

  it("gives up on a purge that does not answer instead of holding up the write", async () => {
    vi.useFakeTimers();
    const { logger, lines } = recordingLogger();
    const hanging: ResponseCache = { serve: (request, origin) => origin(request), purge: () => new Promise(() => {}) };
    const purge = purgeQuietly(hanging, logger, ["catalog"]);
    await vi.advanceTimersByTimeAsync(4_000);
    await purge;
    expect(lines).toHaveLength(1);
  });

  it("asks nothing for no tags", async () => {
    const { cache, calls } = failing(0);
    await purgeQuietly(cache, silentLogger, []);
    expect(calls()).toBe(0);
  });
});
