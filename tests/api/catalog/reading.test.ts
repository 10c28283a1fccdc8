import { beforeAll, describe, expect, it } from "vitest";
import { enrollments } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app.ts";
import { call, createDraft, createPublished, json } from "../../support/catalog.ts";
import { type SignedIn, signUp } from "../../support/identity.ts";

let t: TestApp;
let teacher: SignedIn;
let learner: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  [teacher, learner] = await Promise.all([
    signUp(t, { role: "teacher", verified: true }),
    signUp(t, { verified: true }),
  ]);
});

describe("course pages", () => {
  it("serve a published course by id and by slug with its curriculum", async () => {
    const course = await createPublished(t, teacher, { lessons: 2 });
    const byId = await json(await call(t, "GET", `/courses/${course.id}`), 200);
    const bySlug = await json(await call(t, "GET", `/courses/${course.slug}`), 200);
    expect(bySlug).toEqual(byId);
    expect(byId.modules[0].lessons.map((lesson: { isPreview: boolean }) => lesson.isPreview)).toEqual([true, false]);
    expect(byId.modules[0].lessons[0]).not.toHaveProperty("body");
  });

  it("keep drafts from everyone but their teacher", async () => {
    const draft = await createDraft(t, teacher);
    expect((await call(t, "GET", `/courses/${draft.id}`)).status).toBe(404);
    expect((await call(t, "GET", `/courses/${draft.slug}`, learner)).status).toBe(404);
    const own = await call(t, "GET", `/courses/${draft.id}`, teacher);
    expect(own.status).toBe(200);
    expect(own.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it("show a change on the next read (the cached copy is dropped)", async () => {
    const course = await createPublished(t, teacher);
    await json(await call(t, "GET", `/courses/${course.slug}`), 200);
    await json(await call(t, "PATCH", `/courses/${course.id}`, teacher, { subtitle: "Now with exercises" }), 200);
    expect((await json(await call(t, "GET", `/courses/${course.slug}`), 200)).subtitle).toBe("Now with exercises");
    await json(await call(t, "POST", `/courses/${course.id}/unpublish`, teacher), 200);
    expect((await call(t, "GET", `/courses/${course.slug}`)).status).toBe(404);
  });

  it("answer a matching If-None-Match with 304", async () => {
    const course = await createPublished(t, teacher);
    const first = await call(t, "GET", `/courses/${course.id}`);
    const tag = first.headers.get("ETag");
    expect(tag).toMatch(/^W\/"/);
    expect(first.headers.get("Cache-Control")).toContain("public");
    const again = await t.app.request(`/api/v1/courses/${course.id}`, { headers: { "If-None-Match": tag! } });
    expect(again.status).toBe(304);
    await json(await call(t, "PATCH", `/courses/${course.id}`, teacher, { subtitle: "Changed" }), 200);
    const changed = await t.app.request(`/api/v1/courses/${course.id}`, { headers: { "If-None-Match": tag! } });
    expect(changed.status).toBe(200);
  });

  it("answer unknown courses with 404 not_found", async () => {
    for (const key of [crypto.randomUUID(), "no-such-course"]) {
      expect((await json(await call(t, "GET", `/courses/${key}`), 404)).code).toBe("not_found");
    }
  });
});

describe("lessons", () => {
  it("open previews to anyone and the rest to enrolled learners, the teacher and admins", async () => {
    const course = await createPublished(t, teacher, { lessons: 2 });
    const [preview, locked] = course.lessonIds;
    expect((await json(await call(t, "GET", `/lessons/${preview}`), 200)).body).toContain("Lesson 1");
    expect((await call(t, "GET", `/lessons/${locked}`)).status).toBe(401);
    expect((await json(await call(t, "GET", `/lessons/${locked}`, learner), 403)).code).toBe("not_enrolled");
    expect((await call(t, "GET", `/lessons/${locked}`, teacher)).status).toBe(200);

    await t.db.insert(enrollments).values({ userId: learner.id, courseId: course.id });
    const lesson = await json(await call(t, "GET", `/lessons/${locked}`, learner), 200);
    expect(lesson).toMatchObject({ id: locked, courseId: course.id, moduleId: course.moduleId, kind: "text" });
  });

  it("hide the lessons of drafts, previews included", async () => {
    const course = await createPublished(t, teacher);
    await json(await call(t, "POST", `/courses/${course.id}/unpublish`, teacher), 200);
    expect((await call(t, "GET", `/lessons/${course.lessonIds[0]}`)).status).toBe(404);
  });

  it("end access with a refund", async () => {
    const course = await createPublished(t, teacher, { lessons: 2 });
    await t.db.insert(enrollments).values({ userId: learner.id, courseId: course.id, status: "refunded" });
    expect((await call(t, "GET", `/lessons/${course.lessonIds[1]}`, learner)).status).toBe(403);
  });
});

describe("teacher courses", () => {
  it("list the teacher's own courses, drafts included, page by page", async () => {
    const own = await signUp(t, { role: "teacher", verified: true });
    const draft = await createDraft(t, own);
    const published = await createPublished(t, own);
    await createPublished(t, teacher);
    const first = await json(await call(t, "GET", "/teacher/courses?limit=1", own), 200);
    const second = await json(await call(t, "GET", `/teacher/courses?limit=1&cursor=${first.nextCursor}`, own), 200);
    expect([...first.items, ...second.items].map((course: { id: string }) => course.id)).toEqual([
      published.id,
      draft.id,
    ]);
    expect(second.nextCursor).toBeNull();
    expect((await call(t, "GET", "/teacher/courses", learner)).status).toBe(403);
  });
});
