import { type Column, getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
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
  /** The language the course is taught in (ISO 639-1). */
  language: string;
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

/**
 * A column of the listing's own row, table-qualified: in a query without joins
 * Drizzle leaves column names bare, and inside a subquery a bare name means
 * the subquery's table (`id` would be the enrollment's, not the course's).
 */
export const outer = (column: Column) =>
  sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;

/**
 * The columns every course listing selects: the course, its category and its
 * teacher's public name. The names come from scalar subqueries, not joins, so
 * Postgres looks them up only for the rows a page returns, after the sort and
 * limit (a join was planned before them: a hash of every user for one result).
 */
export const summaryColumns = {
  course: listed,
  categorySlug: sql<
    string
  >`(select ${categories.slug} from ${categories} where ${categories.id} = ${courses.categoryId})`,
  categoryName: sql<
    string
  >`(select ${categories.name} from ${categories} where ${categories.id} = ${courses.categoryId})`,
  teacherName: sql<string>`(select ${users.name} from ${users} where ${users.id} = ${courses.teacherId})`,
};

export type SummaryRow = {
  course: Omit<CourseRow, "description" | "descriptionText" | "titleWords" | "searchWords">;
  categorySlug: string;
  categoryName: string;
  teacherName: string;
};

/** A listing query: `summaryColumns` plus any computed columns; callers add where/order/limit. */
export function selectSummaries<Extra extends Record<string, SQL | SQL.Aliased>>(db: Executor, extra?: Extra) {
  return db.select({ ...summaryColumns, ...(extra as Extra) }).from(courses);
}

export function toSummary(row: SummaryRow): CourseSummary {
  const { course } = row;
  return {
    id: course.id,
    slug: course.slug,
    title: course.title,
    subtitle: course.subtitle,
    level: course.level,
    language: course.language,
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
