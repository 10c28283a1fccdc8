/** Steps the studio's browser tests share: driving the authoring page (accounts and sign-in: ../support/accounts.ts). */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { apiJson } from "../support/stack.ts";

/** The save indicator's state (saved, saving, offline, failed), read from the page. */
export function saveState(page: Page): Promise<string | null> {
  return page.locator("[data-save-state]").getAttribute("data-save-state");
}

/** Waits until every queued change is acknowledged by the server. */
export async function allSaved(page: Page): Promise<void> {
  await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe("saved");
  await expect.poll(() => page.getByText("All changes saved").count(), { timeout: 20_000 }).toBe(1);
}

/** Creates a draft from /teach and waits for its authoring page; returns the course id. */
export async function createCourse(page: Page, title: string): Promise<string> {
  await page.goto("/teach");
  await page.getByRole("button", { name: "New course" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Create draft" }).click();
  await page.waitForURL(/\/teach\/courses\/[0-9a-f-]{36}$/);
  await page.getByRole("heading", { name: "Course details" }).waitFor();
  return page.url().split("/").at(-1)!;
}

export async function addModule(page: Page, title: string): Promise<void> {
  await page.getByLabel("New module title").fill(title);
  await page.getByRole("button", { name: "Add module" }).click();
  await page.getByRole("form", { name: `Add lesson: ${title}` }).waitFor();
}

/** Adds a lesson through the module's form; its editor opens, where `minutes` (if given) is typed as its duration. */
export async function addLesson(
  page: Page,
  moduleTitle: string,
  lesson: { title: string; kind?: "text" | "video"; videoUrl?: string; minutes?: number },
): Promise<void> {
  const form = page.getByRole("form", { name: `Add lesson: ${moduleTitle}` });
  await form.getByLabel("New lesson title").fill(lesson.title);
  if (lesson.kind === "video") {
    await form.getByLabel("Kind").selectOption("video");
    await form.getByLabel("Video URL").fill(lesson.videoUrl ?? "");
  }
  await form.getByRole("button", { name: "Add lesson" }).click();
  await page.getByRole("heading", { name: `Lesson: ${lesson.title}` }).waitFor();
  if (lesson.minutes !== undefined) await page.getByLabel("Duration in minutes").fill(String(lesson.minutes));
}

/** The course's curriculum as the API stores it: module titles with their lessons' titles, in order. */
export async function storedCurriculum(courseId: string, token: string): Promise<[string, string[]][]> {
  const course = await apiJson<{ modules: { title: string; lessons: { title: string }[] }[] }>(
    `/courses/${courseId}`,
    { token },
  );
  return course.modules.map((module) => [module.title, module.lessons.map((lesson) => lesson.title)]);
}

/** A published course made through the API, with one module and one text lesson; returns its id and slug. */
export async function publishedCourse(
  token: string,
  options: { title: string; priceCents?: number },
): Promise<{ id: string; slug: string }> {
  const [category] = await apiJson<{ slug: string }[]>("/categories");
  const course = await apiJson<{ id: string; slug: string }>("/courses", {
    method: "POST",
    token,
    body: JSON.stringify({
      title: options.title,
      categorySlug: category!.slug,
      level: "beginner",
      priceCents: options.priceCents ?? 0,
    }),
  });
  const module = await apiJson<{ id: string }>(`/courses/${course.id}/modules`, {
    method: "POST",
    token,
    body: JSON.stringify({ title: "The only module" }),
  });
  await apiJson(`/modules/${module.id}/lessons`, {
    method: "POST",
    token,
    body: JSON.stringify({ title: "The only lesson", kind: "text", body: "<p>Hello</p>", durationSec: 300 }),
  });
  return apiJson(`/courses/${course.id}/publish`, { method: "POST", token });
}
