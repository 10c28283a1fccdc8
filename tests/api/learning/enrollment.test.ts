import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { emailOutbox, enrollments, notifications } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app.ts";
import { call, createDraft, createPublished, json } from "../../support/catalog.ts";
import { type SignedIn, signUp } from "../../support/identity.ts";
import { buy } from "../../support/payments.ts";

let t: TestApp;
let teacher: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  teacher = await signUp(t, { role: "teacher", verified: true });
});

describe("the learning cycle", () => {
  it("enroll → complete every lesson → completed once, notified once → review → rating updated", async () => {
    const learner = await signUp(t, { verified: true });
    const course = await createPublished(t, teacher, { lessons: 3 });

    const enrolled = await json(await call(t, "POST", `/courses/${course.id}/enroll`, learner), 201);
    expect(enrolled).toMatchObject({
      status: "active",
      progressPercent: 0,
      completedLessons: 0,
      totalLessons: 3,
      completedAt: null,
      course: { id: course.id, slug: course.slug },
      nextLesson: { id: course.lessonIds[0] },
    });

    const steps = [];
    for (const lessonId of course.lessonIds) {
      steps.push(await json(await call(t, "POST", `/lessons/${lessonId}/complete`, learner), 200));
    }
    expect(steps.map((step) => [step.completedLessons, step.progressPercent, step.status])).toEqual([
      [1, 33, "active"],
      [2, 66, "active"],
      [3, 100, "completed"],
    ]);
    const again = await json(await call(t, "POST", `/lessons/${course.lessonIds[2]}/complete`, learner), 200);
    expect(again).toMatchObject({ completedLessons: 3, status: "completed" });

    const progress = await json(await call(t, "GET", `/courses/${course.id}/progress`, learner), 200);
    expect(progress).toMatchObject({ completedLessons: 3, totalLessons: 3, progressPercent: 100, status: "completed" });
    expect(progress.completedLessonIds.sort()).toEqual([...course.lessonIds].sort());

    const mine = await t.db.select().from(notifications).where(eq(notifications.userId, learner.id));
    expect(mine.filter((row) => row.kind === "course_completed")).toHaveLength(1);
    expect(mine.filter((row) => row.kind === "enrollment_created")).toHaveLength(1);
    const mail = await t.db.select().from(emailOutbox).where(
      and(eq(emailOutbox.userId, learner.id), eq(emailOutbox.template, "course_completed")),
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]!.status).toBe("sent");

    await json(
      await call(t, "PUT", `/courses/${course.id}/reviews/mine`, learner, { rating: 4, body: "Clear and practical." }),
      200,
    );
    expect(await json(await call(t, "GET", `/courses/${course.id}`), 200)).toMatchObject({
      avgRating: 4,
      reviewsCount: 1,
    });
  });

  it("keeps a completed enrollment completed when lessons are added later", async () => {
    const learner = await signUp(t);
    const course = await createPublished(t, teacher, { lessons: 1 });
    await json(await call(t, "POST", `/courses/${course.id}/enroll`, learner), 201);
    await json(await call(t, "POST", `/lessons/${course.lessonIds[0]}/complete`, learner), 200);
    await json(
      await call(t, "POST", `/modules/${course.moduleId}/lessons`, teacher, { title: "Bonus lesson", kind: "text" }),
      201,
    );
    const progress = await json(await call(t, "GET", `/courses/${course.id}/progress`, learner), 200);
    expect(progress).toMatchObject({ status: "completed", completedLessons: 1, totalLessons: 2, progressPercent: 100 });
  });

  it("follows the curriculum: deleted lessons stop counting, moved ones keep their ticks", async () => {
    const learner = await signUp(t);
    const course = await createPublished(t, teacher, { lessons: 4 });
    await json(await call(t, "POST", `/courses/${course.id}/enroll`, learner), 201);
    for (const lessonId of course.lessonIds.slice(0, 2)) {
      await call(t, "POST", `/lessons/${lessonId}/complete`, learner);
    }
    const second = await json(
      await call(t, "POST", `/courses/${course.id}/modules`, teacher, { title: "Second module" }),
      201,
    );
    const [a, b, c, d] = course.lessonIds;
    await json(
      await call(t, "PUT", `/courses/${course.id}/curriculum`, teacher, {
        modules: [{ id: course.moduleId, lessonIds: [c, d] }, { id: second.id, lessonIds: [a, b] }],
      }),
      200,
    );
    expect(await json(await call(t, "GET", `/courses/${course.id}/progress`, learner), 200)).toMatchObject({
      completedLessons: 2,
      totalLessons: 4,
      progressPercent: 50,
    });
    expect((await call(t, "DELETE", `/lessons/${a}`, teacher)).status).toBe(204);
    expect(await json(await call(t, "GET", `/courses/${course.id}/progress`, learner), 200)).toMatchObject({
      completedLessons: 1,
      totalLessons: 3,
      progressPercent: 33,
      completedLessonIds: [b],
    });
    const [listed] = (await json(await call(t, "GET", "/me/enrollments", learner), 200)).items;
    expect(listed.nextLesson.id).toBe(c);
  });
});

describe("enrollment rules", () => {
  it("is idempotent: a second call answers 200 with the same enrollment, concurrent calls leave one row", async () => {
    const learner = await signUp(t);
    const course = await createPublished(t, teacher);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => call(t, "POST", `/courses/${course.id}/enroll`, learner)),
    );
    expect(answers.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    const ids = new Set(await Promise.all(answers.map(async (response) => (await response.json()).id)));
    expect(ids.size).toBe(1);
    const rows = await t.db.select().from(enrollments).where(
      and(eq(enrollments.userId, learner.id), eq(enrollments.courseId, course.id)),
    );
    expect(rows).toHaveLength(1);
    const notes = await t.db.select().from(notifications).where(eq(notifications.userId, learner.id));
    expect(notes.filter((row) => row.kind === "enrollment_created")).toHaveLength(1);
  });

  it("answers 402 payment_required for paid courses, 409 for the course's own teacher, 404 for drafts", async () => {
    const learner = await signUp(t);
    const paid = await createPublished(t, teacher, { priceCents: 2900 });
    expect((await json(await call(t, "POST", `/courses/${paid.id}/enroll`, learner), 402)).code).toBe(
      "payment_required",
    );
    expect((await json(await call(t, "POST", `/courses/${paid.id}/enroll`, teacher), 409)).code).toBe("own_course");
    await json(await call(t, "POST", `/courses/${paid.id}/unpublish`, teacher), 200);
    expect((await call(t, "POST", `/courses/${paid.id}/enroll`, learner)).status).toBe(404);
    expect((await call(t, "POST", `/courses/${paid.id}/enroll`)).status).toBe(401);
  });

  it("keeps progress to enrolled learners (403 otherwise)", async () => {
    const outsider = await signUp(t);
    const course = await createPublished(t, teacher);
    expect((await json(await call(t, "POST", `/lessons/${course.lessonIds[0]}/complete`, outsider), 403)).code).toBe(
      "not_enrolled",
    );
    expect((await json(await call(t, "GET", `/courses/${course.id}/progress`, outsider), 403)).code).toBe(
      "not_enrolled",
    );
    await t.db.insert(enrollments).values({ userId: outsider.id, courseId: course.id, status: "refunded" });
    expect((await call(t, "POST", `/lessons/${course.lessonIds[0]}/complete`, outsider)).status).toBe(403);
  });

  it("completes the course exactly once when the last two lessons are completed at the same time", async () => {
    const learner = await signUp(t);
    const course = await createPublished(t, teacher, { lessons: 3 });
    await json(await call(t, "POST", `/courses/${course.id}/enroll`, learner), 201);
    await json(await call(t, "POST", `/lessons/${course.lessonIds[0]}/complete`, learner), 200);
    const last = await Promise.all(
      course.lessonIds.slice(1).flatMap((id: string) => [
        call(t, "POST", `/lessons/${id}/complete`, learner),
        call(t, "POST", `/lessons/${id}/complete`, learner),
      ]),
    );
    expect(last.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    const [row] = await t.db.select().from(enrollments).where(
      and(eq(enrollments.userId, learner.id), eq(enrollments.courseId, course.id)),
    );
    expect(row).toMatchObject({ status: "completed", completedLessons: 3 });
    const completions = await t.db.select().from(notifications).where(
      and(eq(notifications.userId, learner.id), eq(notifications.kind, "course_completed")),
    );
    expect(completions).toHaveLength(1);
  });

  it("lists the learner's enrollments, most recently active first, page by page", async () => {
    const learner = await signUp(t);
    const first = await createPublished(t, teacher);
    const second = await createPublished(t, teacher);
    await json(await call(t, "POST", `/courses/${first.id}/enroll`, learner), 201);
    await json(await call(t, "POST", `/courses/${second.id}/enroll`, learner), 201);
    await json(await call(t, "POST", `/lessons/${first.lessonIds[0]}/complete`, learner), 200);
    const page1 = await json(await call(t, "GET", "/me/enrollments?limit=1", learner), 200);
    const page2 = await json(await call(t, "GET", `/me/enrollments?limit=1&cursor=${page1.nextCursor}`, learner), 200);
    expect([page1.items[0].course.id, page2.items[0].course.id]).toEqual([first.id, second.id]);
    expect(page1.items[0]).toMatchObject({ completedLessons: 1, progressPercent: 50 });
    expect(page2.nextCursor).toBeNull();
  });

  it("lets a refunded learner enroll again when the course turns free, with the progress they had", async () => {
    const learner = await signUp(t, { verified: true });
    const course = await createPublished(t, teacher, { priceCents: 2900, lessons: 2 });
    const paymentId = await buy(t, learner, course.id);
    for (const lessonId of course.lessonIds) await call(t, "POST", `/lessons/${lessonId}/complete`, learner);
    await json(await call(t, "POST", `/payments/${paymentId}/refund`, learner), 200);
    await json(await call(t, "PATCH", `/courses/${course.id}`, teacher, { priceCents: 0 }), 200);

    const enrolled = await json(await call(t, "POST", `/courses/${course.id}/enroll`, learner), 201);
    expect(enrolled).toMatchObject({ status: "completed", completedLessons: 2, progressPercent: 100 });
    expect((await call(t, "GET", `/lessons/${course.lessonIds[1]}`, learner)).status).toBe(200);
    expect((await json(await call(t, "POST", `/courses/${course.id}/enroll`, learner), 200)).id).toBe(enrolled.id);
    const [row] = await t.db.select().from(enrollments).where(eq(enrollments.id, enrolled.id));
    expect(row!.paymentId).toBeNull();
  });
});

describe("the caller's enrollment in one course", () => {
  it("answers null before enrolling (never 403), the enrollment after, and keeps refunds visible", async () => {
    const learner = await signUp(t);
    const course = await createPublished(t, teacher, { lessons: 2 });
    const before = await call(t, "GET", `/courses/${course.id}/enrollment`, learner);
    expect(before.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await json(before, 200)).toEqual({ enrollment: null });

    const enrolled = await json(await call(t, "POST", `/courses/${course.id}/enroll`, learner), 201);
    await json(await call(t, "POST", `/lessons/${course.lessonIds[0]}/complete`, learner), 200);
    const { enrollment } = await json(await call(t, "GET", `/courses/${course.id}/enrollment`, learner), 200);
    expect(enrollment).toMatchObject({
      id: enrolled.id,
      status: "active",
      completedLessons: 1,
      totalLessons: 2,
      progressPercent: 50,
      course: { id: course.id, slug: course.slug },
      nextLesson: { id: course.lessonIds[1] },
    });

    await t.db.update(enrollments).set({ status: "refunded" }).where(eq(enrollments.id, enrolled.id));
    expect((await json(await call(t, "GET", `/courses/${course.id}/enrollment`, learner), 200)).enrollment)
      .toMatchObject({ id: enrolled.id, status: "refunded" });
    // Someone else's enrollment is never the caller's.
    expect(await json(await call(t, "GET", `/courses/${course.id}/enrollment`, await signUp(t)), 200)).toEqual({
      enrollment: null,
    });
  });

  it("answers 401 anonymously, 404 for unknown courses and for drafts the caller cannot see", async () => {
    const learner = await signUp(t);
    const course = await createPublished(t, teacher);
    expect((await call(t, "GET", `/courses/${course.id}/enrollment`)).status).toBe(401);
    expect((await call(t, "GET", `/courses/${crypto.randomUUID()}/enrollment`, learner)).status).toBe(404);
    expect((await call(t, "GET", `/courses/not-an-id/enrollment`, learner)).status).toBe(404);

    const draft = await createDraft(t, teacher);
    expect((await json(await call(t, "GET", `/courses/${draft.id}/enrollment`, learner), 404)).code).toBe("not_found");
    expect(await json(await call(t, "GET", `/courses/${draft.id}/enrollment`, teacher), 200)).toEqual({
      enrollment: null,
    });

    // Enrolled learners keep seeing their enrollment after the course is unpublished.
    await json(await call(t, "POST", `/courses/${course.id}/enroll`, learner), 201);
    await json(await call(t, "POST", `/courses/${course.id}/unpublish`, teacher), 200);
    expect((await json(await call(t, "GET", `/courses/${course.id}/enrollment`, learner), 200)).enrollment)
      .toMatchObject({ status: "active", course: { id: course.id } });
    expect((await call(t, "GET", `/courses/${course.id}/enrollment`, await signUp(t))).status).toBe(404);
  });
});
