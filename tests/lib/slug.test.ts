import { describe, expect, it } from "vitest";
import { MAX_SLUG_LENGTH, slugify, withSuffix } from "../../api/lib/slug.ts";

describe("slugify", () => {
  it.each([
    ["Основы программирования на Python", "osnovy-programmirovaniya-na-python"],
    ["Жизнь, ХИМИЯ и цифры", "zhizn-khimiya-i-tsifry"],
    ["Чаща, шорох, щука", "chashcha-shorokh-shchuka"],
    ["Юла, яблоко, ёжик, йод", "yula-yabloko-ezhik-yod"],
    ["Подъезд и мышь", "podezd-i-mysh"],
    ["Экономика", "ekonomika"],
    ["Її ґанок і Євген", "yiyi-ganok-i-yevgen"],
    ["Café Déjà Vu", "cafe-deja-vu"],
    ["Straße, Ærø, Łódź, Øresund", "strasse-aero-lodz-oresund"],
    ["ﬁnancial ２０２６ ①", "financial-2026-1"],
    ["  --Hello,   World!--  ", "hello-world"],
    ["C++ & C#: a Tour", "c-c-a-tour"],
    ["Python 入门", "python"],
    ["React 19 — Основы 🚀", "react-19-osnovy"],
  ])("%s → %s", (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it.each(["🚀🔥", "入门课程", "Ελληνικά", "", "   ", "!!!"])("falls back to a non-empty slug for %j", (title) => {
    expect(slugify(title)).toBe("course");
  });

  it("produces only lower-case ASCII letters, digits and single inner hyphens", () => {
    for (const title of ["Ünïcödé — ÜBER", "a_b.c/d\\e", "Tab\tNew\nLine", "Ёлка-2026 -- итоги"]) {
      expect(slugify(title)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it("cuts a long title at a word boundary within the limit", () => {
    const title = "Полный курс веб-разработки: HTML, CSS, JavaScript, TypeScript, React, Node.js и базы данных";
    const slug = slugify(title);
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug).toBe("polnyy-kurs-veb-razrabotki-html-css-javascript-typescript-react-node-js-i-bazy");
  });

  it("keeps a slug that fits exactly and cuts mid-word only for a single over-long word", () => {
    const exact = `${"a".repeat(40)} ${"b".repeat(39)}`;
    expect(slugify(exact)).toBe(`${"a".repeat(40)}-${"b".repeat(39)}`);
    expect(slugify(`${exact}b`)).toBe("a".repeat(40));
    expect(slugify("x".repeat(200))).toBe("x".repeat(MAX_SLUG_LENGTH));
  });

  it("never yields something shaped like a course id, which the course route would read as an id", () => {
    expect(slugify("0192F6C4-8A7B-7C3D-9E1F-000000000001")).toBe("course-0192f6c4-8a7b-7c3d-9e1f-000000000001");
  });
});

describe("withSuffix", () => {
  it("appends the attempt number", () => {
    expect(withSuffix("osnovy-python", 2)).toBe("osnovy-python-2");
    expect(withSuffix("course", 16_777_215)).toBe("course-16777215");
  });

  it("shortens the base at a word boundary so the result stays within the limit", () => {
    const base = slugify(`${"word ".repeat(15)}final`);
    expect(base.length).toBe(MAX_SLUG_LENGTH);
    const suffixed = withSuffix(base, 12);
    expect(suffixed.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(suffixed).toBe(`${"word-".repeat(15)}12`);
    expect(withSuffix("x".repeat(MAX_SLUG_LENGTH), 3)).toBe(`${"x".repeat(MAX_SLUG_LENGTH - 2)}-3`);
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects %s as a suffix", (n) => {
    expect(() => withSuffix("title", n)).toThrow(RangeError);
  });
});
