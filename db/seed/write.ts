import { getTableColumns } from "drizzle-orm";
import type { PgInsertValue, PgTable } from "drizzle-orm/pg-core";
import type { Executor } from "../client.ts";
import {
  categories,
  courseModules,
  courses,
  earningsLedger,
  enrollments,
  lessonProgress,
  lessons,
  notifications,
  payments,
  reviews,
  users,
} from "../schema/index.ts";

export type UserRow = typeof users.$inferInsert & { id: string; createdAt: Date };
export type CategoryRow = typeof categories.$inferInsert & { id: string };
export type CourseRow = typeof courses.$inferInsert & {
  id: string;
  teacherId: string;
  createdAt: Date;
  publishedAt: Date | null;
  priceCents: number;
  currency: string;
};

/** Everything one seeding step inserts, in memory until written in foreign-key order. */
export interface SeedRows {
  users: UserRow[];
  categories: CategoryRow[];
  courses: CourseRow[];
  courseModules: (typeof courseModules.$inferInsert)[];
  lessons: (typeof lessons.$inferInsert)[];
  payments: (typeof payments.$inferInsert)[];
  enrollments: (typeof enrollments.$inferInsert)[];
  lessonProgress: (typeof lessonProgress.$inferInsert)[];
  reviews: (typeof reviews.$inferInsert)[];
  earningsLedger: (typeof earningsLedger.$inferInsert)[];
  notifications: (typeof notifications.$inferInsert)[];
}

export type SeedCounts = Record<keyof SeedRows, number>;

export function emptyRows(): SeedRows {
  return {
    users: [],
    categories: [],
    courses: [],
    courseModules: [],
    lessons: [],
    payments: [],
    enrollments: [],
    lessonProgress: [],
    reviews: [],
    earningsLedger: [],
    notifications: [],
  };
}

export function countRows(rows: SeedRows): SeedCounts {
  const counts = {} as SeedCounts;
  for (const key of Object.keys(rows) as (keyof SeedRows)[]) counts[key] = rows[key].length;
  return counts;
}

export function addCounts(total: SeedCounts, more: SeedCounts): SeedCounts {
  const sum = { ...total };
  for (const key of Object.keys(more) as (keyof SeedRows)[]) sum[key] += more[key];
  return sum;
}

/** Parents before children, so every foreign key already points at a row. */
export async function writeRows(db: Executor, rows: SeedRows): Promise<void> {
  await insertChunked(db, users, rows.users);
  await insertChunked(db, categories, rows.categories);
  await insertChunked(db, courses, rows.courses);
  await insertChunked(db, courseModules, rows.courseModules);
  await insertChunked(db, lessons, rows.lessons);
  await insertChunked(db, payments, rows.payments);
  await insertChunked(db, enrollments, rows.enrollments);
  await insertChunked(db, lessonProgress, rows.lessonProgress);
  await insertChunked(db, reviews, rows.reviews);
  await insertChunked(db, earningsLedger, rows.earningsLedger);
  await insertChunked(db, notifications, rows.notifications);
}

/** Postgres numbers bind parameters with 16 bits. */
const MAX_BIND_PARAMETERS = 65_535;
/** Measured: beyond ~1000 rows a statement, bigger chunks stop paying off on PGlite and PostgreSQL alike. */
const ROWS_PER_STATEMENT = 1000;

async function insertChunked<T extends PgTable>(db: Executor, table: T, rows: readonly PgInsertValue<T>[]) {
  const columns = Object.keys(getTableColumns(table)).length;
  const chunk = Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_BIND_PARAMETERS / columns));
  for (let start = 0; start < rows.length; start += chunk) {
    await db.insert(table).values(rows.slice(start, start + chunk));
  }
}
