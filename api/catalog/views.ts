import { eq, getTableColumns, type SQL } from "drizzle-orm";
import { categories, courses, lessons, users } from "../../db/schema/index.ts";
import type { Executor } from "../../db/client.ts";

type CourseRow = typeof courses.$inferSelect;
type LessonRow = typeof lessons.$inferSelect;

export interface CourseSummary {
  id: string;
  slug: string;
  title: string;
  subtitle: string | null;
  level: CourseRow["level"];
  category: { slug: string; name: string };
  priceCents: number;
  currency: string;
  isFree: boolean;
  avgRating: number;
  reviewsCount: number;
  lessonsCount: number;
  totalDurationSec: number;
  teacher: { id: string; name: string };
  coverUrl: string | null;
  publishedAt: string | null;
  status: CourseRow["status"];
}

export interface LessonOutline {
  id: string;
  title: string;
  position: number;
  kind: LessonRow["kind"];
  durationSec: number;
  isPreview: boolean;
}

export interface Course extends CourseSummary {
  description: string;
  updatedAt: string;
  modules: { id: string; title: string; position: number; lessons: LessonOutline[] }[];
}

export interface Lesson {
  id: string;
  courseId: string;
  moduleId: string;
  title: string;
  kind: LessonRow["kind"];
  body: string;
  videoUrl: string | null;
  durationSec: number;
  isPreview: boolean;
  position: number;
}

/** The description and the search documents are long: only a course page, or search's indexes, read them. */
const { description: _description, descriptionText: _text, titleWords: _title, searchWords: _words, ...listed } =
  getTableColumns(courses);

/** The columns every course listing selects: the course, its category and its teacher's public name. */
export const summaryColumns = {
  course: listed,
  categorySlug: categories.slug,
  categoryName: categories.name,
  teacherName: users.name,
};

export type SummaryRow = {
  course: Omit<CourseRow, "description" | "descriptionText" | "titleWords" | "searchWords">;
  categorySlug: string;
  categoryName: string;
  teacherName: string;
};

/** Listing query with the joins `summaryColumns` needs, plus any computed columns; callers add where/order/limit. */
export function selectSummaries<Extra extends Record<string, SQL | SQL.Aliased>>(db: Executor, extra?: Extra) {
  return db
    .select({ ...summaryColumns, ...(extra as Extra) })
    .from(courses)
    .innerJoin(categories, eq(categories.id, courses.categoryId))
    .innerJoin(users, eq(users.id, courses.teacherId));
}

export function toSummary(row: SummaryRow): CourseSummary {
  const { course } = row;
  return {
    id: course.id,
    slug: course.slug,
    title: course.title,
    subtitle: course.subtitle,
    level: course.level,
    category: { slug: row.categorySlug, name: row.categoryName },
    priceCents: course.priceCents,
    currency: course.currency,
    isFree: course.priceCents === 0,
    avgRating: Number(course.avgRating),
    reviewsCount: course.reviewsCount,
    lessonsCount: course.lessonsCount,
    totalDurationSec: course.totalDurationSec,
    teacher: { id: course.teacherId, name: row.teacherName },
    coverUrl: course.coverUrl,
    publishedAt: course.publishedAt?.toISOString() ?? null,
    status: course.status,
  };
}

export function toLesson(lesson: LessonRow): Lesson {
  return {
    id: lesson.id,
    courseId: lesson.courseId,
    moduleId: lesson.moduleId,
    title: lesson.title,
    kind: lesson.kind,
    body: lesson.body,
    videoUrl: lesson.videoUrl,
    durationSec: lesson.durationSec,
    isPreview: lesson.isPreview,
    position: lesson.position,
  };
}
