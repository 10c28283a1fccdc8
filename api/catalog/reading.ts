import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { courseModules, courses, earningsLedger, enrollments, lessons } from "../../db/schema/index.ts";
import type { Deps } from "../deps.ts";
import type { AccessClaims } from "../identity/access-token.ts";
import { decodeCursor, type Page, type pageQuery, toPage } from "../lib/cursor.ts";
import { AppError } from "../lib/errors.ts";
import { isId } from "../lib/ids.ts";
import { COURSE_TTL_SECONDS, courseKey, slugKey } from "./cache.ts";
import { type Course, type CourseSummary, type Lesson, outer, selectSummaries, toLesson, toSummary } from "./views.ts";

export type Viewer = AccessClaims | undefined;

export function canManage(viewer: Viewer, course: { teacherId: string }): boolean {
  return viewer !== undefined && (viewer.role === "admin" || viewer.userId === course.teacherId);
}

async function loadCourse({ db }: Pick<Deps, "db">, where: { id: string } | { slug: string }) {
  const [summary] = await selectSummaries(db, { description: sql<string>`${courses.description}` }).where(
    "id" in where ? eq(courses.id, where.id) : eq(courses.slug, where.slug),
  );
  if (!summary) return undefined;
  const [moduleRows, lessonRows] = await Promise.all([
    db.select().from(courseModules).where(eq(courseModules.courseId, summary.course.id)).orderBy(
      asc(courseModules.position),
      asc(courseModules.id),
    ),
    db.select().from(lessons).where(eq(lessons.courseId, summary.course.id)).orderBy(
      asc(lessons.position),
      asc(lessons.id),
    ),
  ]);
  const course: Course = {
    ...toSummary(summary),
    description: summary.description,
    updatedAt: summary.course.updatedAt.toISOString(),
    modules: moduleRows.map((module) => ({
      id: module.id,
      title: module.title,
      position: module.position,
      lessons: lessonRows
        .filter((lesson) => lesson.moduleId === module.id)
        .map((lesson) => ({
          id: lesson.id,
          title: lesson.title,
          position: lesson.position,
          kind: lesson.kind,
          durationSec: lesson.durationSec,
          isPreview: lesson.isPreview,
        })),
    })),
  };
  return course;
}

/**
 * A course with its curriculum, by id or slug. Published courses are served
 * cache-aside (5 minutes, invalidated on every write); drafts only to their
 * owner and admins, never cached, and 404 for everyone else.
 */
export async function getCourse(deps: Pick<Deps, "db" | "cache">, idOrSlug: string, viewer: Viewer): Promise<Course> {
  const key = idOrSlug.toLowerCase();
  const byId = isId(key);
  // The course is cached whole under both its id and its slug, so either lookup is one round trip to Redis.
  const cached = await deps.cache.get<Course>(byId ? courseKey(key) : slugKey(key));
  if (cached) return cached;
  const course = await loadCourse(deps, byId ? { id: key } : { slug: key });
  if (!course) throw AppError.notFound("course");
  if (course.status !== "published") {
    if (!canManage(viewer, { teacherId: course.teacher.id })) throw AppError.notFound("course");
    return course;
  }
  await Promise.all([
    deps.cache.set(courseKey(course.id), course, COURSE_TTL_SECONDS),
    deps.cache.set(slugKey(course.slug), course, COURSE_TTL_SECONDS),
  ]);
  return course;
}

/**
 * Preview lessons are public; the rest need an active or completed
 * enrollment (or to be the owner or an admin). Draft courses' lessons do
 * not exist for anyone else.
 */
export async function getLesson({ db }: Pick<Deps, "db">, lessonId: string, viewer: Viewer): Promise<Lesson> {
  if (!isId(lessonId)) throw AppError.notFound("lesson");
  const [row] = await db
    .select({ lesson: lessons, status: courses.status, teacherId: courses.teacherId })
    .from(lessons)
    .innerJoin(courses, eq(courses.id, lessons.courseId))
    .where(eq(lessons.id, lessonId));
  if (!row) throw AppError.notFound("lesson");
  const manager = canManage(viewer, row);
  if (row.status !== "published" && !manager) throw AppError.notFound("lesson");
  if (row.lesson.isPreview || manager) return toLesson(row.lesson);
  if (!viewer) {
    throw new AppError(401, "unauthorized", "Sign in and enroll to open this lesson.", {
      headers: { "WWW-Authenticate": "Bearer" },
    });
  }
  const [enrollment] = await db
    .select({ id: enrollments.id })
    .from(enrollments)
    .where(
      and(
        eq(enrollments.userId, viewer.userId),
        eq(enrollments.courseId, row.lesson.courseId),
        inArray(enrollments.status, ["active", "completed"]),
      ),
    );
  if (!enrollment) throw new AppError(403, "not_enrolled", "Enroll in this course to open its lessons.");
  return toLesson(row.lesson);
}

const teacherCursor = z.tuple([z.iso.datetime(), z.uuid()]);

/** What the studio shows beside each of a teacher's courses. */
export interface TeacherCourse extends CourseSummary {
  /** Learners with access now (refunded enrollments do not count). */
  enrollmentsCount: number;
  /** The course's ledger in its own currency: sales less refunds, before and after the platform fee. */
  revenue: { currency: string; grossCents: number; netCents: number };
}

// Correlated subqueries over indexed columns (enrollments.course_id, earnings_ledger.course_id): a page is at most 50
// courses, so this stays cheap without a counter column to keep in step.
const teacherStats = {
  enrollmentsCount: sql<number>`(select count(*)::int from ${enrollments}
    where ${enrollments.courseId} = ${outer(courses.id)} and ${enrollments.status} <> 'refunded')`,
  grossCents: sql<number>`(select coalesce(sum(${earningsLedger.grossCents}), 0)::int from ${earningsLedger}
    where ${earningsLedger.courseId} = ${outer(courses.id)} and ${earningsLedger.currency} = ${
    outer(courses.currency)
  })`,
  netCents: sql<number>`(select coalesce(sum(${earningsLedger.netCents}), 0)::int from ${earningsLedger}
    where ${earningsLedger.courseId} = ${outer(courses.id)} and ${earningsLedger.currency} = ${
    outer(courses.currency)
  })`,
};

/** The teacher's own courses, drafts included, most recently created first, with enrollments and revenue. */
export async function listTeacherCourses(
  { db }: Pick<Deps, "db">,
  teacherId: string,
  page: z.infer<typeof pageQuery>,
): Promise<Page<TeacherCourse>> {
  const position = page.cursor ? decodeCursor(page.cursor, teacherCursor) : undefined;
  const rows = await selectSummaries(db, teacherStats)
    .where(
      and(
        eq(courses.teacherId, teacherId),
        position
          ? sql`(${courses.createdAt}, ${courses.id}) < (${position[0]}::timestamptz, ${position[1]}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(courses.createdAt), desc(courses.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, (row) => ({
    ...toSummary(row),
    enrollmentsCount: row.enrollmentsCount,
    revenue: { currency: row.course.currency, grossCents: row.grossCents, netCents: row.netCents },
  }), (row) => [row.course.createdAt.toISOString(), row.course.id]);
}
