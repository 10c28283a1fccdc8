/**
 * The course page's curriculum, at phone and desktop widths: the course's learners (and its teacher) open any lesson
 * from it, everyone else only the previews; and it shows only what the teacher gave.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { apiToken, hydrated, logIn, registerAndVerify } from "./support/accounts.ts";
import { apiJson, screenshot, useBrowser } from "./support/stack.ts";

const browser = useBrowser();
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };

interface Published {
  id: string;
  slug: string;
  teacherToken: string;
  teacher: { email: string; password: string };
  lessons: Record<string, string>;
}

/** A free course by a new teacher: a preview lesson, then a lesson only its learners may open. */
async function publishTwoLessonCourse(title: string): Promise<Published> {
  const teacher = await registerAndVerify(undefined, { role: "teacher" });
  const token = await apiToken(teacher);
  const [category] = await apiJson<{ slug: string }[]>("/categories");
  const course = await apiJson<{ id: string; slug: string }>("/courses", {
    method: "POST",
    token,
    body: JSON.stringify({ title, categorySlug: category!.slug, level: "beginner", priceCents: 0 }),
  });
  const module = await apiJson<{ id: string }>(`/courses/${course.id}/modules`, {
    method: "POST",
    token,
    body: JSON.stringify({ title: "Knots" }),
  });
  const lessons: Record<string, string> = {};
  for (const [lessonTitle, isPreview] of [["Reef knot", true], ["Bowline", false]] as const) {
    const lesson = await apiJson<{ id: string }>(`/modules/${module.id}/lessons`, {
      method: "POST",
      token,
      body: JSON.stringify({
        title: lessonTitle,
        kind: "text",
        body: `<p>All about the ${lessonTitle}.</p>`,
        durationSec: 420,
        isPreview,
      }),
    });
    lessons[lessonTitle] = lesson.id;
  }
  await apiJson(`/courses/${course.id}/publish`, { method: "POST", token });
  return { ...course, teacherToken: token, teacher, lessons };
}

const curriculum = (page: Page) => page.locator("section.curriculum");

/**
 * Waits until the enroll island has answered for the viewer (after the session and, signed in, the enrollment are
 * known), which is when it links the titles for those who may open them.
 */
async function settled(page: Page, callToAction: { role: "button" | "link"; name: string } | string): Promise<void> {
  await hydrated(page, "EnrollButton");
  const buy = page.locator("aside.buy");
  if (typeof callToAction === "string") await buy.getByText(callToAction).waitFor();
  else await buy.getByRole(callToAction.role, { name: callToAction.name }).waitFor();
}

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  describe(`the course page's lesson titles (${name})`, () => {
    let course: Published;
    beforeAll(async () => {
      course = await publishTwoLessonCourse(`Knots ${name} ${crypto.randomUUID().slice(0, 6)}`);
    });

    it("link a visitor to the preview only", async () => {
      const page = await browser.newPage({ viewport });
      await page.goto(`/courses/${course.slug}`);
      await settled(page, { role: "link", name: "Enroll for free" });
      await curriculum(page).getByRole("link", { name: "Reef knot" }).waitFor();
      await curriculum(page).getByText("Bowline").waitFor();
      expect(await curriculum(page).getByRole("link", { name: "Bowline" }).count()).toBe(0);
      await page.context().close();
    });

    it("link an enrolled learner to every lesson, which opens in the player", async () => {
      const page = await browser.newPage({ viewport });
      const learner = await registerAndVerify();
      await logIn(page, learner, `/courses/${course.slug}`);
      // Signed in but not enrolled: still no way into the lesson.
      await settled(page, { role: "button", name: "Enroll for free" });
      expect(await curriculum(page).getByRole("link", { name: "Bowline" }).count()).toBe(0);

      await page.getByRole("button", { name: "Enroll for free" }).click();
      await page.waitForURL(/\/learn\//);
      await page.goto(`/courses/${course.slug}`);
      await settled(page, { role: "link", name: "Start learning" });
      const bowline = curriculum(page).getByRole("link", { name: "Bowline" });
      await bowline.waitFor();
      expect(await bowline.isVisible()).toBe(true);
      if (name === "phone") await screenshot(page, "course-enrolled-phone");
      await bowline.click();
      await page.waitForURL((url) => url.pathname === `/learn/${course.slug}/${course.lessons["Bowline"]}`);
      await page.getByRole("heading", { name: "Bowline", level: 1 }).waitFor();
      await page.getByText("Lesson 2 of 2").waitFor();
      await page.locator(".lesson-content").getByText("All about the Bowline.").waitFor();
      expect(browser.pageErrors()).toEqual([]);
      await page.context().close();
    });

    it("link the course's teacher to every lesson", async () => {
      const page = await browser.newPage({ viewport });
      await logIn(page, course.teacher, `/courses/${course.slug}`);
      await settled(page, "You teach this course.");
      await curriculum(page).getByRole("link", { name: "Bowline" }).click();
      await page.waitForURL((url) => url.pathname === `/learn/${course.slug}/${course.lessons["Bowline"]}`);
      await page.locator(".lesson-content").getByText("All about the Bowline.").waitFor();
      await page.context().close();
    });
  });
}

describe("the course page's curriculum", () => {
  it("shows neither a module without lessons nor a duration the teacher did not give", async () => {
    const course = await publishTwoLessonCourse(`Knots live ${crypto.randomUUID().slice(0, 6)}`);
    // A live course can gain a module before its lessons, and a lesson before its duration.
    const module = await apiJson<{ id: string }>(`/courses/${course.id}/modules`, {
      method: "POST",
      token: course.teacherToken,
      body: JSON.stringify({ title: "Splices, coming soon" }),
    });
    const untimed = await apiJson<{ id: string }>(`/modules/${module.id}/lessons`, {
      method: "POST",
      token: course.teacherToken,
      body: JSON.stringify({ title: "Eye splice", kind: "text" }),
    });
    await apiJson(`/courses/${course.id}/modules`, {
      method: "POST",
      token: course.teacherToken,
      body: JSON.stringify({ title: "Hitches, not written yet" }),
    });

    for (const viewport of Object.values(VIEWPORTS)) {
      const page = await browser.newPage({ viewport, javaScript: false });
      await page.goto(`/courses/${course.slug}`);
      const modules = curriculum(page).locator("ol.modules > li");
      expect(await modules.locator("h3").allTextContents()).toEqual(["Knots", "Splices, coming soon"]);
      const timings = await curriculum(page).locator("ol.lessons > li").evaluateAll((items) =>
        items.map((item) => [item.textContent?.includes("Eye splice"), item.querySelector(".duration")?.textContent])
      );
      expect(timings).toEqual([[false, "7 min"], [false, "7 min"], [true, undefined]]);
      // 3 lessons: the course's total counts the two durations given, and nothing for the third.
      expect(await page.locator(".course-head .facts").textContent()).toContain("3 lessons · 14 min");
      await page.context().close();
    }

    const player = await browser.newPage();
    await logIn(player, course.teacher, `/learn/${course.slug}/${untimed.id}`);
    await player.getByRole("heading", { name: "Eye splice", level: 1 }).waitFor();
    expect(await player.locator(".player-modules h3").allTextContents()).toEqual(["Knots", "Splices, coming soon"]);
    await player.context().close();
  });
});
