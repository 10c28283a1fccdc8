import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { courses } from "../../../db/schema/index.ts";
import { browseCatalog } from "../../../api/catalog/listing.ts";
import type { ListCoursesQuery } from "../../../api/catalog/schemas.ts";
import { encodeCursor } from "../../../api/lib/cursor.ts";
import { createTestApp, type TestApp } from "../../support/app.ts";
import { call, createPublished, json } from "../../support/catalog.ts";
import { insertCategory } from "../../support/factories.ts";
import { type SignedIn, signUp } from "../../support/identity.ts";

let t: TestApp;
let teacher: SignedIn;
let category: string;
const published: { id: string; priceCents: number; level: string; avgRating: number; publishedAt: number }[] = [];

const LEVELS = ["beginner", "intermediate", "advanced"] as const;

beforeAll(async () => {
  t = await createTestApp();
  teacher = await signUp(t, { role: "teacher", verified: true });
  category = (await insertCategory(t.db)).slug;
  for (let i = 0; i < 13; i++) {
    const course = await createPublished(t, teacher, {
      categorySlug: category,
      title: `Catalog course number ${i}`,
      priceCents: [0, 1900, 4900, 1900][i % 4],
      level: LEVELS[i % 3],
      lessons: 1,
    });
    // Ties on purpose: several courses share a price and a rating, so the id must break them.
    const avgRating = [4.5, 3, 4.5, 5, 0][i % 5]!;
    await t.db.update(courses).set({ avgRating }).where(eq(courses.id, course.id));
    published.push({ ...course, avgRating, publishedAt: Date.parse(course.publishedAt) });
  }
});

async function pageThrough(query: string, limit = 4) {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const suffix: string = cursor ? `&cursor=${cursor}` : "";
    const body = await json(await call(t, "GET", `/courses?${query}&limit=${limit}${suffix}`), 200);
    expect(body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...body.items.map((item: { id: string }) => item.id));
    cursor = body.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error("paging did not end");
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const orders = {
  newest: (a: (typeof published)[0], b: (typeof published)[0]) => b.publishedAt - a.publishedAt || -byId(a, b),
  rating: (a: (typeof published)[0], b: (typeof published)[0]) => b.avgRating - a.avgRating || -byId(a, b),
  price_asc: (a: (typeof published)[0], b: (typeof published)[0]) => a.priceCents - b.priceCents || byId(a, b),
  price_desc: (a: (typeof published)[0], b: (typeof published)[0]) => b.priceCents - a.priceCents || -byId(a, b),
};
const filters: [string, (course: (typeof published)[0]) => boolean][] = [
  ["", () => true],
  ["&free=true", (course) => course.priceCents === 0],
  ["&free=false", (course) => course.priceCents > 0],
  ["&level=intermediate", (course) => course.level === "intermediate"],
  ["&level=beginner&free=false", (course) => course.level === "beginner" && course.priceCents > 0],
];

describe("GET /courses", () => {
  for (const [sort, compare] of Object.entries(orders)) {
    for (const [filter, keep] of filters) {
      it(`pages sort=${sort}${filter} to the end with no duplicates and no gaps`, async () => {
        const ids = await pageThrough(`category=${category}&sort=${sort}${filter}`);
        const expected = published.filter(keep).sort(compare).map((course) => course.id);
        expect(ids).toEqual(expected);
      });
    }
  }

  it("lists only published courses and describes each one", async () => {
    const body = await json(await call(t, "GET", `/courses?category=${category}&limit=50`), 200);
    expect(body.items).toHaveLength(published.length);
    expect(body.items[0]).toMatchObject({
      category: { slug: category },
      teacher: { id: teacher.id, name: "Test Person" },
      lessonsCount: 1,
      currency: "USD",
    });
    await json(await call(t, "POST", `/courses/${published[0]!.id}/unpublish`, teacher), 200);
    const after = await json(await call(t, "GET", `/courses?category=${category}&limit=50`), 200);
    expect(after.items.map((item: { id: string }) => item.id)).not.toContain(published[0]!.id);
    await json(await call(t, "POST", `/courses/${published[0]!.id}/publish`, teacher), 200);
  });

  it("keeps paging stable while new courses are published", async () => {
    const first = await json(await call(t, "GET", `/courses?category=${category}&sort=newest&limit=5`), 200);
    const newcomer = await createPublished(t, teacher, { categorySlug: category, lessons: 1 });
    const rest = await pageThrough(`category=${category}&sort=newest&cursor=${first.nextCursor}`, 50);
    const seen = [...first.items.map((item: { id: string }) => item.id), ...rest];
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain(newcomer.id);
    expect(seen).toHaveLength(published.length);
    await json(await call(t, "POST", `/courses/${newcomer.id}/unpublish`, teacher), 200);
  });

  it("rejects invalid query parameters with 422 per field", async () => {
    const response = await call(t, "GET", "/courses?limit=0&sort=cheapest&level=expert&free=maybe");
    const paths = (await json(response, 422)).errors.map((error: { path: string }) => error.path).sort();
    expect(paths).toEqual(["free", "level", "limit", "sort"]);
    expect((await json(await call(t, "GET", "/courses?limit=51"), 422)).errors[0].path).toBe("limit");
    expect((await json(await call(t, "GET", "/courses?cursor=garbage"), 422)).errors[0].path).toBe("cursor");
    const newestCursor = (await json(await call(t, "GET", `/courses?category=${category}&limit=1`), 200)).nextCursor;
    const mismatched = await call(t, "GET", `/courses?sort=price_asc&cursor=${newestCursor}`);
    expect((await json(mismatched, 422)).errors[0].path).toBe("cursor");
  });

  const id = "0192f6c4-8a7b-7c3d-9e1f-000000000001";
  it.each([
    ["price_asc", [Number.MAX_SAFE_INTEGER, id]],
    ["price_desc", [-Number.MAX_SAFE_INTEGER, id]],
    ["price_asc", [2 ** 31, id]],
    ["newest", ["0000-01-01T00:00:00Z", id]],
    ["rating", ["99999999999999999999.5", id]],
    ["relevance", [2, "5", id, Number.MAX_SAFE_INTEGER]],
  ])("refuses a %s cursor with values past its columns (%j) as an invalid cursor", async (sort, position) => {
    const search = sort === "relevance" ? "&q=catalog" : "";
    const response = await call(t, "GET", `/courses?sort=${sort}${search}&cursor=${encodeCursor(position)}`);
    expect((await json(response, 422)).errors).toEqual([{
      path: "cursor",
      code: "invalid_cursor",
      message: expect.any(String),
    }]);
  });

  it("refuses text Postgres cannot store in the query (422) and in the address (404)", async () => {
    expect((await json(await call(t, "GET", "/courses?q=py%00thon"), 422)).errors[0].path).toBe("q");
    expect((await json(await call(t, "GET", "/courses?category=a%00b"), 422)).errors[0].path).toBe("category");
    expect((await json(await call(t, "GET", "/courses/abc%00def"), 404)).code).toBe("not_found");
  });
});

describe("search", () => {
  let searchCategory: string;
  const made: Record<string, string> = {};

  beforeAll(async () => {
    searchCategory = (await insertCategory(t.db)).slug;
    for (
      const [key, title, description] of [
        ["ts", "TypeScript from Zero to Production", "<p>Types, generics and tooling for real projects.</p>"],
        ["py", "Основы программирования на Python", "<p>Переменные, циклы и функции для начинающих.</p>"],
        ["cook", "Cooking for Busy People", "<p>Weeknight dinners. Includes a chapter on typography of menus.</p>"],
        ["rust", "Systems Programming in Rust", "<p>Ownership and lifetimes, with a TypeScript comparison.</p>"],
      ] as const
    ) {
      made[key] =
        (await createPublished(t, teacher, { categorySlug: searchCategory, title, description, lessons: 1 })).id;
    }
  });

  const search = async (q: string, extra = "") =>
    (await json(await call(t, "GET", `/courses?category=${searchCategory}&q=${encodeURIComponent(q)}${extra}`), 200))
      .items.map(
        (item: { id: string }) => item.id,
      );

  it("is typo-tolerant in English, title matches first", async () => {
    const ids = await search("typscript");
    expect(ids[0]).toBe(made.ts);
    expect(ids).toContain(made.rust);
    expect(ids.indexOf(made.ts!)).toBeLessThan(ids.indexOf(made.rust!));
  });

  it("is typo-tolerant in Russian", async () => {
    expect(await search("осноы програмирования")).toEqual([made.py]);
    expect(await search("ПИТОН")).not.toContain(made.ts);
  });

  it("matches short terms as title prefixes", async () => {
    expect(await search("Ty")).toEqual([made.ts]);
    expect(await search("Ос")).toEqual([made.py]);
    expect(await search("%")).toEqual([]);
  });

  it("combines with filters and sorts, and pages with cursors", async () => {
    expect(await search("typscript", "&level=advanced")).toEqual([]);
    const first = await json(await call(t, "GET", `/courses?category=${searchCategory}&q=typscript&limit=1`), 200);
    expect(first.items.map((item: { id: string }) => item.id)).toEqual([made.ts]);
    const rest = await json(
      await call(t, "GET", `/courses?category=${searchCategory}&q=typscript&limit=1&cursor=${first.nextCursor}`),
      200,
    );
    expect(rest.items.map((item: { id: string }) => item.id)).toEqual([made.rust]);
    expect(rest.nextCursor).toBeNull();
    expect(await search("typscript", "&sort=newest")).toEqual([made.rust, made.ts]);
  });

  it("learns the words of new and edited courses at once (misspelled, in any word order)", async () => {
    const course = await createPublished(t, teacher, {
      categorySlug: searchCategory,
      title: "Quokka Husbandry",
      description: "<p>Daily care of marsupials.</p>",
      lessons: 1,
    });
    expect(await search("marsupails quoka")).toEqual([course.id]);
    await json(
      await call(t, "PATCH", `/courses/${course.id}`, teacher, { description: "<p>Feeding wombats.</p>" }),
      200,
    );
    expect(await search("wombts")).toEqual([course.id]);
    expect(await search("marsupials")).toEqual([]);
  });

  it("ignores words the catalog has nothing like, and finds nothing when no word is known", async () => {
    expect(await search("typscript zzxqv")).toEqual(await search("typscript"));
    expect(await search("zzxqv")).toEqual([]);
  });

  it("counts every match and says how it read a misspelled search, for the catalog pages", async () => {
    const browse = (q: string, extra: Partial<ListCoursesQuery> = {}) =>
      browseCatalog({ db: t.db }, { category: searchCategory, q, limit: 1, ...extra });
    const misspelled = await browse("Typscript, tooling!");
    expect(misspelled.items).toHaveLength(1);
    expect(misspelled.total).toBe(1);
    expect(misspelled.correctedQuery).toBe("typescript tooling");
    expect((await browse("typscript")).total).toBe(2);
    expect((await browse("typescript")).correctedQuery).toBeUndefined();
    expect(await browse("typscript zzxqv")).toMatchObject({ total: 2, correctedQuery: "typescript" });
    expect(await browse("zzxqv")).toEqual({ items: [], nextCursor: null, total: 0 });
    expect((await browse("Ty")).total).toBe(1);
    expect((await browse("typscript", { level: "advanced" })).total).toBe(0);
  });

  it("knows the language each course is taught in, and filters by it", async () => {
    const taughtInRussian = await json(await call(t, "GET", `/courses/${made.py}`), 200);
    expect(taughtInRussian.language).toBe("en");
    await json(await call(t, "PATCH", `/courses/${made.py}`, teacher, { language: "ru" }), 200);
    expect((await json(await call(t, "GET", `/courses/${made.py}`), 200)).language).toBe("ru");
    expect(await search("", "&language=ru")).toEqual([made.py]);
    expect(await search("", "&language=en")).not.toContain(made.py);
    const refused = await json(await call(t, "PATCH", `/courses/${made.py}`, teacher, { language: "klingon" }), 422);
    expect(refused.errors[0].path).toBe("language");
    expect((await json(await call(t, "GET", `/courses?language=xx`), 422)).errors[0].path).toBe("language");
  });

  it("finds nothing in drafts", async () => {
    await t.db.update(courses).set({ status: "draft" }).where(inArray(courses.id, [made.cook!]));
    expect(await search("cooking")).toEqual([]);
  });
});
