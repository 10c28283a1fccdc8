import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { courses, lessons } from "./catalog.ts";
import { createdAt, id, timestampTz, updatedAt } from "./columns.ts";
import { users } from "./identity.ts";
import { payments } from "./payments.ts";

export const enrollmentStatus = pgEnum("enrollment_status", ["active", "completed", "refunded"]);

export const enrollments = pgTable(
  "enrollments",
  {
    id: id(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    courseId: uuid("course_id").notNull().references(() => courses.id, { onDelete: "restrict" }),
    /** The purchase that granted access to a paid course; null for free courses. */
    paymentId: uuid("payment_id").references(() => payments.id, { onDelete: "restrict" }),
    status: enrollmentStatus("status").notNull().default("active"),
    completedLessons: integer("completed_lessons").notNull().default(0),
    enrolledAt: timestampTz("enrolled_at").notNull().defaultNow(),
    lastActivityAt: timestampTz("last_activity_at").notNull().defaultNow(),
    completedAt: timestampTz("completed_at"),
  },
  (t) => [
    uniqueIndex("enrollments_user_id_course_id_key").on(t.userId, t.courseId),
    index("enrollments_course_id_idx").on(t.courseId),
    index("enrollments_payment_id_idx").on(t.paymentId),
    index("enrollments_user_activity_idx").on(t.userId, t.lastActivityAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    check("enrollments_completed_lessons_non_negative", sql`${t.completedLessons} >= 0`),
    check("enrollments_completed_has_date", sql`${t.status} <> 'completed' or ${t.completedAt} is not null`),
  ],
);

export const lessonProgress = pgTable(
  "lesson_progress",
  {
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    lessonId: uuid("lesson_id").notNull().references(() => lessons.id, { onDelete: "cascade" }),
    courseId: uuid("course_id").notNull().references(() => courses.id, { onDelete: "cascade" }),
    completedAt: timestampTz("completed_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "lesson_progress_pkey", columns: [t.userId, t.lessonId] }),
    index("lesson_progress_lesson_id_idx").on(t.lessonId),
    index("lesson_progress_course_id_user_id_idx").on(t.courseId, t.userId),
  ],
);

export const reviews = pgTable(
  "reviews",
  {
    id: id(),
    courseId: uuid("course_id").notNull().references(() => courses.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    rating: smallint("rating").notNull(),
    body: text("body").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("reviews_user_id_course_id_key").on(t.userId, t.courseId),
    index("reviews_course_id_newest_idx").on(t.courseId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    check("reviews_rating_range", sql`${t.rating} between 1 and 5`),
    check("reviews_body_length", sql`length(${t.body}) <= 5000`),
  ],
);
