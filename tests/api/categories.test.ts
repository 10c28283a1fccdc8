import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app.ts";
import { insertCategory, insertCourse, insertUser } from "../support/factories.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

describe("GET /api/v1/categories", () => {
  it("lists categories with the number of published courses only", async () => {
    const teacher = await insertUser(t.db, { role: "teacher" });
    const busy = await insertCategory(t.db, { name: "Busy" });
    const empty = await insertCategory(t.db, { name: "Empty" });
    const published = {
      teacherId: teacher.id,
      categoryId: busy.id,
      status: "published" as const,
      publishedAt: new Date(),
    };
    await insertCourse(t.db, published);
    await insertCourse(t.db, published);
    await insertCourse(t.db, { teacherId: teacher.id, categoryId: busy.id });

    const response = await t.app.request("/api/v1/categories");
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toContain("max-age");
    const body: { slug: string; name: string; coursesCount: number }[] = await response.json();
    expect(body).toContainEqual({ slug: busy.slug, name: "Busy", coursesCount: 2 });
    expect(body).toContainEqual({ slug: empty.slug, name: "Empty", coursesCount: 0 });
  });
});
