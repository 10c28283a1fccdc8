import { expect } from "vitest";
import type { TestApp } from "./app.ts";
import { insertCategory } from "./factories.ts";
import { bearer, type SignedIn } from "./identity.ts";

export async function call(t: TestApp, method: string, path: string, user?: SignedIn, body?: unknown) {
  return t.app.request(`/api/v1${path}`, {
    method,
    headers: { ...(user ? bearer(user) : {}), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Asserts the status (showing the body when it differs) and parses the body; tests read it loosely. */
// deno-lint-ignore no-explicit-any
export async function json<T = any>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface DraftOptions {
  title?: string;
  categorySlug?: string;
  priceCents?: number;
  level?: "beginner" | "intermediate" | "advanced";
  description?: string;
}

/** A draft course through the API, in a fresh category unless one is given. */
export async function createDraft(t: TestApp, teacher: SignedIn, options: DraftOptions = {}) {
  const categorySlug = options.categorySlug ?? (await insertCategory(t.db)).slug;
  return json(
    await call(t, "POST", "/courses", teacher, {
      title: options.title ?? `Course ${crypto.randomUUID().slice(0, 8)}`,
      categorySlug,
      level: options.level ?? "beginner",
      priceCents: options.priceCents ?? 0,
      ...(options.description === undefined ? {} : { description: options.description }),
    }),
    201,
  );
}

/** A published course with `lessons` text lessons in one module (the first one a preview). */
export async function createPublished(
  t: TestApp,
  teacher: SignedIn,
  options: DraftOptions & { lessons?: number } = {},
) {
  const course = await createDraft(t, teacher, options);
  const module = await json(await call(t, "POST", `/courses/${course.id}/modules`, teacher, { title: "Basics" }), 201);
  const lessonIds: string[] = [];
  for (let i = 0; i < (options.lessons ?? 2); i++) {
    const lesson = await json(
      await call(t, "POST", `/modules/${module.id}/lessons`, teacher, {
        title: `Lesson ${i + 1}`,
        kind: "text",
        body: `<p>Lesson ${i + 1}</p>`,
        durationSec: 60,
        isPreview: i === 0,
      }),
      201,
    );
    lessonIds.push(lesson.id);
  }
  const published = await json(await call(t, "POST", `/courses/${course.id}/publish`, teacher), 200);
  return { ...published, moduleId: module.id as string, lessonIds };
}
