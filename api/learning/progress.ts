import { and, eq, sql } from "drizzle-orm";
import { courses, enrollments, lessonProgress, lessons, users } from "../../db/schema/index.ts";
import type { Deps } from "../deps.ts";
import type { AccessClaims } from "../identity/access-token.ts";
import { AppError } from "../lib/errors.ts";
import { isId } from "../lib/ids.ts";
import { notify } from "../notifications/events.ts";
import { activeEnrollment, type Progress, progressOf } from "./enrollment.ts";

/**
 * Marks a lesson complete, idempotently. The enrollment row is locked for the
 * exchange, so when the last two lessons are completed at once, exactly one
 * request sees the course finished: it flips the enrollment to `completed`
 * and notifies once, in the same transaction.
 */
export async function completeLesson(deps: Deps, learner: AccessClaims, lessonId: string): Promise<Progress> {
  if (!isId(lessonId)) throw AppError.notFound("lesson");
  const now = deps.clock.now();
  const outcome = await deps.db.transaction(async (tx) => {
    const [lesson] = await tx
      .select({ courseId: lessons.courseId, course: courses })
      .from(lessons)
      .innerJoin(courses, eq(courses.id, lessons.courseId))
      .where(eq(lessons.id, lessonId));
    if (!lesson || lesson.course.status !== "published") throw AppError.notFound("lesson");
    const enrollment = await activeEnrollment(tx, learner.userId, lesson.courseId, { lock: true });

    await tx
      .insert(lessonProgress)
      .values({ userId: learner.userId, lessonId, courseId: lesson.courseId, completedAt: now })
      .onConflictDoNothing();
    const [{ done } = { done: 0 }] = await tx
      .select({ done: sql<number>`count(*)::int` })
      .from(lessonProgress)
      .where(and(eq(lessonProgress.userId, learner.userId), eq(lessonProgress.courseId, lesson.courseId)));
    const total = lesson.course.lessonsCount;
    const finishing = enrollment.status === "active" && total > 0 && done >= total;
    const [updated] = await tx
      .update(enrollments)
      .set({
        completedLessons: done,
        lastActivityAt: now,
        ...(finishing ? { status: "completed" as const, completedAt: now } : {}),
      })
      .where(eq(enrollments.id, enrollment.id))
      .returning();

    let emailIds: string[] = [];
    if (finishing) {
      const [learnerRow] = await tx.select({ email: users.email, name: users.name }).from(users).where(
        eq(users.id, learner.userId),
      );
      emailIds = await notify(tx, deps.config.publicUrl, {
        kind: "course_completed",
        userId: learner.userId,
        email: learnerRow!.email,
        name: learnerRow!.name,
        enrollmentId: enrollment.id,
        course: lesson.course,
      });
    }
    return { progress: progressOf(updated!, total), emailIds };
  });
  deps.dispatchEmails(outcome.emailIds);
  return outcome.progress;
}

export async function courseProgress(
  { db }: Pick<Deps, "db">,
  learner: AccessClaims,
  courseId: string,
): Promise<Progress & { completedLessonIds: string[] }> {
  if (!isId(courseId)) throw AppError.notFound("course");
  const [course] = await db.select({ lessonsCount: courses.lessonsCount }).from(courses).where(
    eq(courses.id, courseId),
  );
  if (!course) throw AppError.notFound("course");
  const enrollment = await activeEnrollment(db, learner.userId, courseId);
  const completed = await db
    .select({ lessonId: lessonProgress.lessonId })
    .from(lessonProgress)
    .where(and(eq(lessonProgress.userId, learner.userId), eq(lessonProgress.courseId, courseId)))
    .orderBy(lessonProgress.completedAt);
  return { completedLessonIds: completed.map((row) => row.lessonId), ...progressOf(enrollment, course.lessonsCount) };
}
