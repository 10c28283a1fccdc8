/**
 * The JavaScript budgets of the issue, measured in a real browser on the
 * built site: nothing on pages without islands, ≤ 35 KB gzipped on the course
 * page, ≤ 60 KB on the lesson player.
 */
import { describe, expect, it } from "vitest";
import { kilobytes, measurePageScripts } from "./support/budgets.ts";
import { apiJson, useBrowser } from "./support/stack.ts";

const browser = useBrowser();
const KB = 1024;

interface CourseOutline {
  slug: string;
  modules: { lessons: { id: string; isPreview: boolean }[] }[];
}

async function courseWithPreview(): Promise<{ slug: string; lessonId: string }> {
  const { items } = await apiJson<{ items: { slug: string }[] }>("/courses?limit=20");
  for (const { slug } of items) {
    const course = await apiJson<CourseOutline>(`/courses/${slug}`);
    const preview = course.modules.flatMap((module) => module.lessons).find((lesson) => lesson.isPreview);
    if (preview) return { slug, lessonId: preview.id };
  }
  throw new Error("no course with a preview lesson");
}

describe("JavaScript budgets", () => {
  it("holds on every kind of page", async () => {
    const { slug, lessonId } = await courseWithPreview();
    const pages = [
      { name: "404 (no island)", path: "/no-such-page", budget: 0 },
      { name: "home", path: "/", budget: 35 * KB },
      { name: "catalog", path: "/courses", budget: 35 * KB },
      { name: "course", path: `/courses/${slug}`, budget: 35 * KB },
      { name: "lesson player", path: `/learn/${slug}/${lessonId}`, budget: 60 * KB },
    ];
    const page = await browser.newPage();
    const report: string[] = [];
    for (const { name, path, budget } of pages) {
      const measured = await measurePageScripts(page, path);
      report.push(`${name.padEnd(18)} ${kilobytes(measured.totalGzipBytes).padStart(9)} (budget ${kilobytes(budget)})`);
      expect(measured.totalGzipBytes, `${name}: ${JSON.stringify(measured.scripts)}`).toBeLessThanOrEqual(budget);
    }
    console.log(`JavaScript shipped, gzipped:\n${report.join("\n")}`);
    await page.context().close();
  });
});
