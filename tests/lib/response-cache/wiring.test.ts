import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../../../api/deps.ts";
import { requestContext } from "../../../api/middleware/request-context.ts";
import { withServices } from "../../../api/worker-api.ts";
import { createTestApp } from "../../support/app.ts";

/** Where `Deps.purgeTags` goes, for API requests and for work outside them. */
function purgingApp(deps: Awaited<ReturnType<typeof createTestApp>>["deps"]) {
  return new Hono<AppEnv>().use(requestContext(deps)).post("/write", async (c) => {
    await c.var.deps.purgeTags(["course:c1", "catalog"]);
    return c.text("written");
  });
}

function fakeWorkersCache() {
  const purged: string[][] = [];
  const ctx = {
    waitUntil() {},
    passThroughOnException() {},
    props: {},
    cache: { purge: async ({ tags }: { tags: string[] }) => (purged.push(tags), { success: true }) },
  };
  return { ctx, purged };
}

describe("Deps.purgeTags", () => {
  it("purges the in-process cache where the runtime has no platform cache", async () => {
    const { deps } = await createTestApp();
    const purge = vi.spyOn(deps.responseCache, "purge");
    const response = await purgingApp(deps).request("/write", { method: "POST" });
    expect(await response.text()).toBe("written");
    expect(purge).toHaveBeenCalledWith(["course:c1", "catalog"]);
  });

  it("purges Workers Cache, not the isolate's, when the invocation has it", async () => {
    const { deps } = await createTestApp();
    const inProcess = vi.spyOn(deps.responseCache, "purge");
    const { ctx, purged } = fakeWorkersCache();
    await purgingApp(deps).fetch(new Request("http://lectern.test/write", { method: "POST" }), {}, ctx);
    expect(purged).toEqual([["course:c1", "catalog"]]);
    expect(inProcess).not.toHaveBeenCalled();
  });

  it("never fails the write when the purge fails", async () => {
    const { deps } = await createTestApp();
    vi.spyOn(deps.responseCache, "purge").mockRejectedValue(new Error("cache down"));
    const response = await purgingApp(deps).request("/write", { method: "POST" });
    expect(response.status).toBe(200);
  });

  it("reaches Workers Cache from work outside a request (queue, cron) given its context", async () => {
    const { ctx, purged } = fakeWorkersCache();
    const env = { DATABASE_URL: "postgres://app@db.example.test:5432/lectern" };
    await withServices(env, (deps) => deps.purgeTags(["teacher:t1"]), ctx);
    expect(purged).toEqual([["teacher:t1"]]);
  });
});
