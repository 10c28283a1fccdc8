import { beforeAll, describe, expect, it } from "vitest";
import { CATEGORIES_KEY, courseKey, slugKey } from "../../../api/catalog/cache.ts";
import { createRedis } from "../../../api/lib/redis.ts";
import { upstashCache } from "../../../api/lib/cache/upstash.ts";
import { silentLogger } from "../../../api/lib/logger.ts";
import { createTestApp, type TestApp } from "../../support/app.ts";
import { call, createDraft, createPublished, json } from "../../support/catalog.ts";
import { type SignedIn, signUp } from "../../support/identity.ts";

let t: TestApp;
let teacher: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  teacher = await signUp(t, { role: "teacher", verified: true });
});

describe("course cache", () => {
  it("stores a published course by id and slug on first read and replaces it after a write", async () => {
    const course = await createPublished(t, teacher);
    await json(await call(t, "GET", `/courses/${course.slug}`), 200);
    expect(await t.deps.cache.get(slugKey(course.slug))).toMatchObject({ id: course.id, title: course.title });
    expect(await t.deps.cache.get(courseKey(course.id))).toMatchObject({ id: course.id, title: course.title });

    await json(await call(t, "PATCH", `/courses/${course.id}`, teacher, { title: "Retitled" }), 200);
    expect(await t.deps.cache.get(courseKey(course.id))).toMatchObject({ title: "Retitled" });
  });

  it("serves from the cache, so a stale entry would show (proving reads use it)", async () => {
    const course = await createPublished(t, teacher);
    const cached = await json(await call(t, "GET", `/courses/${course.id}`), 200);
    await t.deps.cache.set(courseKey(course.id), { ...cached, title: "From the cache" }, 60);
    expect((await json(await call(t, "GET", `/courses/${course.id}`), 200)).title).toBe("From the cache");
  });

  it("caches the category counts and recounts after a course is published or unpublished", async () => {
    const draft = await createDraft(t, teacher);
    const countOf = async () => {
      const categories = await json<{ slug: string; coursesCount: number }[]>(await call(t, "GET", "/categories"), 200);
      return categories.find((category) => category.slug === draft.category.slug)?.coursesCount;
    };
    expect(await countOf()).toBe(0);
    expect(await t.deps.cache.get(CATEGORIES_KEY)).toEqual(
      expect.arrayContaining([expect.objectContaining({ slug: draft.category.slug })]),
    );

    const module = await json(await call(t, "POST", `/courses/${draft.id}/modules`, teacher, { title: "One" }), 201);
    await json(
      await call(t, "POST", `/modules/${module.id}/lessons`, teacher, {
        title: "Only",
        kind: "text",
        body: "<p>x</p>",
        durationSec: 300,
      }),
      201,
    );
    await json(await call(t, "POST", `/courses/${draft.id}/publish`, teacher), 200);
    expect(await countOf()).toBe(1);
    await json(await call(t, "POST", `/courses/${draft.id}/unpublish`, teacher), 200);
    expect(await countOf()).toBe(0);
  });

  it("keeps the API answering, uncached, when Redis is unreachable", async () => {
    const course = await createPublished(t, teacher);
    const deadRedis = createRedis({ url: "http://127.0.0.1:9", token: "none", timeoutMs: 1_000 });
    const degraded = await createTestApp({ cache: upstashCache(deadRedis, silentLogger) });
    expect((await json(await call(degraded, "GET", `/courses/${course.slug}`), 200)).id).toBe(course.id);
    expect((await json(await call(degraded, "GET", "/courses?limit=5"), 200)).items.length).toBeGreaterThan(0);
    const edited = await call(degraded, "PATCH", `/courses/${course.id}`, teacher, {
      subtitle: "Edited while Redis was down",
    });
    expect((await json(edited, 200)).subtitle).toBe("Edited while Redis was down");
  });
});
