import { describe, expect, it } from "vitest";
import { jsonEtag } from "../../api/lib/etag.ts";

describe("jsonEtag", () => {
  it("is a weak tag that stays the same for equal JSON", () => {
    expect(jsonEtag({ id: 1, title: "Основы" })).toMatch(/^W\/"[0-9a-z]+-[0-9a-z]+"$/);
    expect(jsonEtag({ id: 1, title: "Основы" })).toBe(jsonEtag({ id: 1, title: "Основы" }));
  });

  it("changes with any change to the content, however small", () => {
    const base = { id: "c1", rating: 4.5, lessons: ["a", "b"], title: "TypeScript" };
    const variants = [
      { ...base, rating: 4.6 },
      { ...base, lessons: ["b", "a"] },
      { ...base, title: "Typescript" },
      { ...base, title: "TypeScript " },
    ];
    const tags = new Set([base, ...variants].map(jsonEtag));
    expect(tags.size).toBe(variants.length + 1);
  });
});
