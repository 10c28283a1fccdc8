import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { categories, courses, enrollments, lessonProgress } from "../../db/schema/index.ts";
import type { Executor, Tx } from "../../db/client.ts";
import type { Deps } from "../deps.ts";
import type { AccessClaims } from "../identity/access-token.ts";
import { hasChanges } from "../lib/changes.ts";
import { deleteUnlessReferenced, postgresCode } from "../lib/db-errors.ts";
import { AppError } from "../lib/errors.ts";
import { isId } from "../lib/ids.ts";
import { htmlToText, plainText, sanitizeHtml } from "../lib/sanitize.ts";
import { slugify, withSuffix } from "../lib/slug.ts";
import { invalidateCourse } from "./cache.ts";
import { assertPublishable } from "./publish-rules.ts";
import { canManage, getCourse } from "./reading.ts";
import type { createCourseBody, updateCourseBody } from "./schemas.ts";
import type { Course } from "./views.ts";

type CourseRow = typeof courses.$inferSelect;

/**
 * Locks the course row for the rest of the transaction, so concurrent edits
 * of one course (counters, positions) apply one after another, and checks
 * that the caller may change it: 404 for a draft they cannot see, 403 for
 * someone else's published course.
 */
export async function lockCourseForEdit(tx: Executor, courseId: string, editor: AccessClaims): Promise<CourseRow> {
  if (!isId(courseId)) throw AppError.notFound("course");
  const [course] = await tx.select().from(courses).where(eq(courses.id, courseId)).for("update");
  if (!course) throw AppError.notFound("course");
  if (!canManage(editor, course)) {
    if (course.status !== "published") throw AppError.notFound("course");
    throw new AppError(403, "forbidden", "Only the course's teacher can change it.");
  }
  return course;
}

/** Lesson count, total duration and learners' completed counts, recomputed from the rows in the same transaction. */
export async function refreshCourseCounters(tx: Executor, courseId: string): Promise<void> {
  await tx.execute(sql`
    update courses set
      lessons_count = (select count(*) from lessons where course_id = ${courseId}),
      total_duration_sec = (select coalesce(sum(duration_sec), 0) from lessons where course_id = ${courseId})
    where id = ${courseId}`);
  await tx
    .update(enrollments)
    .set({
      completedLessons:
        sql`(select count(*) from ${lessonProgress} where ${lessonProgress.userId} = ${enrollments.userId}
        and ${lessonProgress.courseId} = ${enrollments.courseId})`,
    })
    .where(eq(enrollments.courseId, courseId));
}

async function categoryId(tx: Executor, slug: string): Promise<string> {
  const [category] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.slug, slug));
  if (!category) {
    throw AppError.validation([{ path: "categorySlug", code: "unknown_category", message: "is not a category" }]);
  }
  return category.id;
}

/** Tries title-derived slugs until one is free; the unique index, not a pre-check, decides. */
async function withUniqueSlug<T>(tx: Tx, title: string, write: (slug: string) => Promise<T>): Promise<T> {
  const base = slugify(title);
  for (let attempt = 1; attempt <= 20; attempt++) {
    const slug = attempt === 1
      ? base
      : withSuffix(base, attempt === 20 ? Number.parseInt(crypto.randomUUID().slice(0, 6), 16) : attempt);
    try {
      return await tx.transaction(() => write(slug));
    } catch (error) {
      if (postgresCode(error) !== "23505") throw error;
    }
  }
  throw new AppError(409, "slug_unavailable", "Could not find a free address for this title; change it slightly.");
}

export async function editorsView(deps: Deps, courseId: string, editor: AccessClaims): Promise<Course> {
  return getCourse(deps, courseId, editor);
}

/** Runs an edit of one course in a transaction, then drops its cached copy (under its old and new slug). */
export async function changeCourse(
  deps: Deps,
  courseId: string,
  editor: AccessClaims,
  change: (tx: Tx, course: CourseRow) => Promise<void>,
): Promise<void> {
  const course = await deps.db.transaction(async (tx) => {
    const locked = await lockCourseForEdit(tx, courseId, editor);
    await change(tx, locked);
    return locked;
  });
  const [current] = await deps.db.select({ slug: courses.slug }).from(courses).where(eq(courses.id, course.id));
  await invalidateCourse(deps, course, current?.slug);
}

/** changeCourse, answering with the fresh course (for endpoints whose answer is the course). */
export async function editCourse(
  deps: Deps,
  courseId: string,
  editor: AccessClaims,
  change: (tx: Tx, course: CourseRow) => Promise<void>,
): Promise<Course> {
  await changeCourse(deps, courseId, editor, change);
  return editorsView(deps, courseId, editor);
}

export async function createCourse(
  deps: Deps,
  teacher: AccessClaims,
  input: z.infer<typeof createCourseBody>,
): Promise<Course> {
  const title = plainText(input.title);
  const id = await deps.db.transaction(async (tx) => {
    const category = await categoryId(tx, input.categorySlug);
    const description = sanitizeHtml(input.description ?? "");
    return withUniqueSlug(tx, title, async (slug) => {
      const [created] = await tx
        .insert(courses)
        .values({
          slug,
          title,
          subtitle: input.subtitle ? plainText(input.subtitle) : null,
          description,
          descriptionText: htmlToText(description),
          teacherId: teacher.userId,
          categoryId: category,
          level: input.level,
          language: input.language,
          priceCents: input.priceCents,
          currency: input.currency,
          coverUrl: input.coverUrl ?? null,
        })
        .returning({ id: courses.id });
      return created!.id;
    });
  });
  return editorsView(deps, id, teacher);
}

export async function updateCourse(
  deps: Deps,
  courseId: string,
  editor: AccessClaims,
  input: z.infer<typeof updateCourseBody>,
): Promise<Course> {
  return editCourse(deps, courseId, editor, async (tx, course) => {
    const description = input.description === undefined ? undefined : sanitizeHtml(input.description);
    const changes: Partial<typeof courses.$inferInsert> = {
      title: input.title === undefined ? undefined : plainText(input.title),
      subtitle: input.subtitle === undefined ? undefined : input.subtitle === null ? null : plainText(input.subtitle),
      description,
      descriptionText: description === undefined ? undefined : htmlToText(description),
      categoryId: input.categorySlug === undefined ? undefined : await categoryId(tx, input.categorySlug),
      level: input.level,
      language: input.language,
      priceCents: input.priceCents,
      currency: input.currency,
      coverUrl: input.coverUrl,
    };
    const write = (slug?: string) =>
      tx.update(courses).set({ ...changes, ...(slug ? { slug } : {}) }).where(eq(courses.id, course.id));
    // A slug follows the title until the course is first published; after that, links to it must keep working.
    if (changes.title && changes.title !== course.title && course.publishedAt === null) {
      await withUniqueSlug(tx, changes.title, (slug) => write(slug));
    } else if (hasChanges(changes)) {
      await write();
    }
  });
}

export async function deleteCourse(deps: Deps, courseId: string, editor: AccessClaims): Promise<void> {
  const course = await deps.db.transaction(async (tx) => {
    const locked = await lockCourseForEdit(tx, courseId, editor);
    if (locked.status !== "draft") {
      throw new AppError(409, "course_published", "Unpublish the course before deleting it.");
    }
    const [enrolled] = await tx.select({ id: enrollments.id }).from(enrollments).where(
      eq(enrollments.courseId, locked.id),
    ).limit(1);
    if (enrolled) {
      throw new AppError(409, "course_has_enrollments", "Learners are enrolled in this course; it cannot be deleted.");
    }
    // Payments (even an abandoned checkout) keep their course: the books must still say what was sold.
    await deleteUnlessReferenced(
      () => tx.delete(courses).where(eq(courses.id, locked.id)),
      () =>
        new AppError(
          409,
          "course_has_payments",
          "Checkouts were started for this course, so it cannot be deleted; keep it as a draft instead.",
        ),
    );
    return locked;
  });
  await invalidateCourse(deps, course);
}

export async function publishCourse(deps: Deps, courseId: string, editor: AccessClaims): Promise<Course> {
  return editCourse(deps, courseId, editor, async (tx, course) => {
    await assertPublishable(tx, course.id);
    await tx
      .update(courses)
      .set({ status: "published", publishedAt: course.publishedAt ?? deps.clock.now() })
      .where(and(eq(courses.id, course.id)));
  });
}

export async function unpublishCourse(deps: Deps, courseId: string, editor: AccessClaims): Promise<Course> {
  return editCourse(deps, courseId, editor, async (tx, course) => {
    await tx.update(courses).set({ status: "draft" }).where(eq(courses.id, course.id));
  });
}
