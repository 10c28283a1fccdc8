import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { courseModules, courses, earningsLedger, enrollments, lessons } from "../../db/schema/index.ts";
import type { Deps } from "../deps.ts";
import type { AccessClaims } from "../identity/access-token.ts";
import { decodeCursor, type Page, type pageQuery, timeAndIdCursor, toPage } from "../lib/cursor.ts";
import { AppError } from "../lib/errors.ts";
import { isId } from "../lib/ids.ts";
import { MAX_SLUG_LENGTH } from "../lib/slug.ts";
import { COURSE_TTL_SECONDS, courseKey, slugKey } from "./cache.ts";
import { type Course, type CourseSummary, type Lesson, outer, selectSummaries, toLesson, toSummary } from "./views.ts";

export type Viewer = AccessClaims | undefined;

export function canManage(viewer: Viewer, course: { teacherId: string }): boolean {
  return viewer !== undefined && (viewer.role === "admin" || viewer.userId === course.teacherId);
}

/**
 * The curriculum as JSON, built by Postgres in the course's own query: an
 * uncached course is one round trip to the database (one HTTP query on
 * Workers), not one for the course and one each for its modules and lessons.
 * Columns are table-qualified (`outer`): bare, `id` would mean the innermost table's.
 */
const lessonOutline = sql`json_build_object(
  'id', ${outer(lessons.id)}, 'title', ${outer(lessons.title)}, 'position', ${outer(lessons.position)},
  'kind', ${outer(lessons.kind)}, 'durationSec', ${outer(lessons.durationSec)}, 'isPreview', ${outer(lessons.isPreview)}
)`;
const lessonsOfModule = sql`(
  select coalesce(json_agg(${lessonOutline} order by ${outer(lessons.position)}, ${outer(lessons.id)}), '[]'::json)
  from ${lessons} where ${outer(lessons.moduleId)} = ${outer(courseModules.id)}
)`;
const moduleOutline = sql`json_build_object(
  'id', ${outer(courseModules.id)}, 'title', ${outer(courseModules.title)},
  'position', ${outer(courseModules.position)}, 'lessons', ${lessonsOfModule}
)`;
const moduleOrder = sql`${outer(courseModules.position)}, ${outer(courseModules.id)}`;
const curriculum = sql<Course["modules"]>`(
  select coalesce(json_agg(${moduleOutline} order by ${moduleOrder}), '[]'::json)
  from ${courseModules} where ${outer(courseModules.courseId)} = ${outer(courses.id)}
)`;

const SLUG = new RegExp(`^[a-z0-9-]{1,${MAX_SLUG_LENGTH}}$`);

async function loadCourse({ db }: Pick<Deps, "db">, where: { id: string } | { slug: string }) {
  const [row] = await selectSummaries(db, { description: sql<string>`${courses.description}`, modules: curriculum })
    .where("id" in where ? eq(courses.id, where.id) : eq(courses.slug, where.slug));
  if (!row) return undefined;
  const course: Course = {
    ...toSummary(row),
    description: row.description,
    updatedAt: row.course.updatedAt.toISOString(),
    modules: row.modules,
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
  // Like an id, a slug is looked up only if slugify could have made it: anything else names no course.
  if (!byId && !SLUG.test(key)) throw AppError.notFound("course");
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

/** A lesson, and whether it is the same for everyone: a preview of a published course, which shared caches may keep. */
export interface LessonAnswer {
  lesson: Lesson;
  isPublic: boolean;
}

/**
 * Preview lessons are public; the rest need an active or completed
 * enrollment (or to be the owner or an admin). Draft courses' lessons do
 * not exist for anyone else.
 */
export async function getLesson({ db }: Pick<Deps, "db">, lessonId: string, viewer: Viewer): Promise<LessonAnswer> {
  if (!isId(lessonId)) throw AppError.notFound("lesson");
  // Whether the viewer holds access comes in the lesson's own query: one round trip to the database, not two.
  const enrolled = viewer
    ? sql<boolean>`exists (select 1 from ${enrollments} where ${enrollments.userId} = ${viewer.userId}
        and ${enrollments.courseId} = ${lessons.courseId} and ${enrollments.status} in ('active', 'completed'))`
    : sql<boolean>`false`;
  const [row] = await db
    .select({ lesson: lessons, status: courses.status, teacherId: courses.teacherId, enrolled })
    .from(lessons)
    .innerJoin(courses, eq(courses.id, lessons.courseId))
    .where(eq(lessons.id, lessonId));
  if (!row) throw AppError.notFound("lesson");
  const manager = canManage(viewer, row);
  if (row.status !== "published" && !manager) throw AppError.notFound("lesson");
  const isPublic = row.lesson.isPreview && row.status === "published";
  if (isPublic || manager) return { lesson: toLesson(row.lesson), isPublic };
  if (!viewer) {
    throw new AppError(401, "unauthorized", "Sign in and enroll to open this lesson.", {
      headers: { "WWW-Authenticate": "Bearer" },
    });
  }
  if (!row.enrolled) throw new AppError(403, "not_enrolled", "Enroll in this course to open its lessons.");
  return { lesson: toLesson(row.lesson), isPublic: false };
}

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
  const position = page.cursor ? decodeCursor(page.cursor, timeAndIdCursor) : undefined;
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
