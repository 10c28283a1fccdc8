import { and, asc, desc, eq, inArray, notExists, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "../../db/client.ts";
import { courseModules, courses, enrollments, lessonProgress, lessons } from "../../db/schema/index.ts";
import { type CourseSummary, selectSummaries, toSummary } from "../catalog/views.ts";
import type { Deps } from "../deps.ts";
import type { AccessClaims } from "../identity/access-token.ts";
import { decodeCursor, type Page, type pageQuery, timeAndIdCursor, toPage } from "../lib/cursor.ts";
import { canManage } from "../catalog/reading.ts";
import { AppError } from "../lib/errors.ts";
import { isId } from "../lib/ids.ts";
import { notify } from "../notifications/events.ts";

type EnrollmentRow = typeof enrollments.$inferSelect;

export interface Progress {
  completedLessons: number;
  totalLessons: number;
  progressPercent: number;
  status: EnrollmentRow["status"];
}

export interface EnrollmentView extends Progress {
  id: string;
  course: CourseSummary;
  enrolledAt: string;
  completedAt: string | null;
  lastActivityAt: string;
  /** Where "continue" goes: the first lesson, in curriculum order, not completed yet. */
  nextLesson: { id: string; title: string } | null;
}

/** Percent of the course's current lessons; lessons added after completion do not take it back below 100. */
export function progressOf(
  enrollment: Pick<EnrollmentRow, "completedLessons" | "status">,
  totalLessons: number,
): Progress {
  const percent = enrollment.status === "completed"
    ? 100
    : totalLessons === 0
    ? 0
    : Math.min(100, Math.floor((100 * enrollment.completedLessons) / totalLessons));
  return {
    completedLessons: enrollment.completedLessons,
    totalLessons,
    progressPercent: percent,
    status: enrollment.status,
  };
}

async function enrollmentView(db: Executor, enrollment: EnrollmentRow): Promise<EnrollmentView> {
  const [[summary], [next]] = await Promise.all([
    selectSummaries(db).where(eq(courses.id, enrollment.courseId)),
    db
      .select({ id: lessons.id, title: lessons.title })
      .from(lessons)
      .innerJoin(courseModules, eq(courseModules.id, lessons.moduleId))
      .where(
        and(
          eq(lessons.courseId, enrollment.courseId),
          notExists(
            db.select({ one: sql`1` }).from(lessonProgress).where(
              and(eq(lessonProgress.userId, enrollment.userId), eq(lessonProgress.lessonId, lessons.id)),
            ),
          ),
        ),
      )
      .orderBy(asc(courseModules.position), asc(lessons.position), asc(lessons.id))
      .limit(1),
  ]);
  const course = toSummary(summary!);
  return {
    id: enrollment.id,
    course,
    ...progressOf(enrollment, course.lessonsCount),
    enrolledAt: enrollment.enrolledAt.toISOString(),
    completedAt: enrollment.completedAt?.toISOString() ?? null,
    lastActivityAt: enrollment.lastActivityAt.toISOString(),
    nextLesson: next ?? null,
  };
}

/**
 * The status that gives access back to an enrollment (after a refund, say),
 * with the progress it had: a course once completed stays completed.
 */
export function accessStatus(enrollment: Pick<EnrollmentRow, "completedAt">): "active" | "completed" {
  return enrollment.completedAt ? "completed" : "active";
}

/**
 * Enrolls the user in a free published course, once: a repeat (or a
 * concurrent duplicate) returns the existing enrollment with `created: false`.
 * A refunded enrollment is no enrollment: it is reopened like a new one.
 * Paid courses answer 402 until a payment grants the enrollment.
 */
export async function enroll(
  deps: Deps,
  learner: AccessClaims,
  courseId: string,
): Promise<{ created: boolean; enrollment: EnrollmentView }> {
  if (!isId(courseId)) throw AppError.notFound("course");
  const outcome = await deps.db.transaction(async (tx) => {
    const [course] = await tx.select().from(courses).where(
      and(eq(courses.id, courseId), eq(courses.status, "published")),
    );
    if (!course) throw AppError.notFound("course");
    if (course.teacherId === learner.userId) {
      throw new AppError(409, "own_course", "You teach this course: you already have access to all of it.");
    }
    const [existing] = await tx.select().from(enrollments).where(
      and(eq(enrollments.userId, learner.userId), eq(enrollments.courseId, course.id)),
    ).for("update");
    if (existing && existing.status !== "refunded") return { created: false, enrollment: existing, emailIds: [] };
    if (course.priceCents > 0) {
      throw new AppError(402, "payment_required", "This course is paid: buy it to enroll.");
    }
    const now = deps.clock.now();
    const [created] = existing
      ? await tx
        .update(enrollments)
        .set({ status: accessStatus(existing), paymentId: null, lastActivityAt: now })
        .where(eq(enrollments.id, existing.id))
        .returning()
      : await tx
        .insert(enrollments)
        .values({ userId: learner.userId, courseId: course.id, enrolledAt: now, lastActivityAt: now })
        .onConflictDoNothing({ target: [enrollments.userId, enrollments.courseId] })
        .returning();
    if (!created) {
      const [raced] = await tx.select().from(enrollments).where(
        and(eq(enrollments.userId, learner.userId), eq(enrollments.courseId, course.id)),
      );
      return { created: false, enrollment: raced!, emailIds: [] };
    }
    const emailIds = await notify(tx, deps.config.publicUrl, {
      kind: "enrollment_created",
      userId: learner.userId,
      course,
    });
    return { created: true, enrollment: created, emailIds };
  });
  deps.dispatchEmails(outcome.emailIds);
  return { created: outcome.created, enrollment: await enrollmentView(deps.db, outcome.enrollment) };
}

/**
 * The caller's enrollment in one course (refunded ones included, so the site
 * can tell "bought and refunded" apart), or null: not being enrolled is an
 * answer, not an error. A course nobody may see answers 404, unless the caller
 * manages it or is enrolled in it (it was unpublished after they joined).
 */
export async function enrollmentInCourse(
  { db }: Pick<Deps, "db">,
  learner: AccessClaims,
  courseId: string,
): Promise<EnrollmentView | null> {
  if (!isId(courseId)) throw AppError.notFound("course");
  const [row] = await db
    .select({ status: courses.status, teacherId: courses.teacherId, enrollment: enrollments })
    .from(courses)
    .leftJoin(enrollments, and(eq(enrollments.courseId, courses.id), eq(enrollments.userId, learner.userId)))
    .where(eq(courses.id, courseId));
  if (!row) throw AppError.notFound("course");
  if (row.status !== "published" && !row.enrollment && !canManage(learner, row)) throw AppError.notFound("course");
  return row.enrollment ? await enrollmentView(db, row.enrollment) : null;
}

/** The learner's courses, most recently active first. */
export async function listEnrollments(
  { db }: Pick<Deps, "db">,
  userId: string,
  page: z.infer<typeof pageQuery>,
): Promise<Page<EnrollmentView>> {
  const position = page.cursor ? decodeCursor(page.cursor, timeAndIdCursor) : undefined;
  const rows = await db
    .select()
    .from(enrollments)
    .where(
      and(
        eq(enrollments.userId, userId),
        position
          ? sql`(${enrollments.lastActivityAt}, ${enrollments.id}) < (${position[0]}::timestamptz, ${
            position[1]
          }::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(enrollments.lastActivityAt), desc(enrollments.id))
    .limit(page.limit + 1);
  const pageOfRows = toPage(rows, page.limit, (row) => row, (row) => [row.lastActivityAt.toISOString(), row.id]);
  return {
    items: await Promise.all(pageOfRows.items.map((row) => enrollmentView(db, row))),
    nextCursor: pageOfRows.nextCursor,
  };
}

/** The learner's enrollment that grants access (active or completed), or 403 not_enrolled. */
export async function activeEnrollment(
  tx: Executor,
  userId: string,
  courseId: string,
  options: { lock?: boolean } = {},
): Promise<EnrollmentRow> {
  const query = tx
    .select()
    .from(enrollments)
    .where(
      and(
        eq(enrollments.userId, userId),
        eq(enrollments.courseId, courseId),
        inArray(enrollments.status, ["active", "completed"]),
      ),
    );
  const [enrollment] = options.lock ? await query.for("update") : await query;
  if (!enrollment) throw new AppError(403, "not_enrolled", "Enroll in this course first.");
  return enrollment;
}
