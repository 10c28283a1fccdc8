import type { Db } from "../../db/client.ts";
import { categories, courseModules, courses, lessons, users } from "../../db/schema/index.ts";

const unique = () => crypto.randomUUID().slice(0, 8);

/** Rows for tests, with unique natural keys so suites can share one database. */
export async function insertUser(db: Db, values: Partial<typeof users.$inferInsert> = {}) {
  const [user] = await db
    .insert(users)
    .values({ email: `user-${unique()}@example.test`, name: "Test User", passwordHash: "unused", ...values })
    .returning();
  return user!;
}

export async function insertCategory(db: Db, values: Partial<typeof categories.$inferInsert> = {}) {
  const suffix = unique();
  const [category] = await db
    .insert(categories)
    .values({ slug: `category-${suffix}`, name: `Category ${suffix}`, ...values })
    .returning();
  return category!;
}

export async function insertCourse(
  db: Db,
  values: Partial<typeof courses.$inferInsert> & Pick<typeof courses.$inferInsert, "teacherId" | "categoryId">,
) {
  const suffix = unique();
  const [course] = await db
    .insert(courses)
    .values({ slug: `course-${suffix}`, title: `Course ${suffix}`, level: "beginner", ...values })
    .returning();
  return course!;
}

export async function insertLesson(db: Db, courseId: string) {
  const [module] = await db.insert(courseModules).values({ courseId, title: "Module", position: 0 }).returning();
  const [lesson] = await db
    .insert(lessons)
    .values({ courseId, moduleId: module!.id, title: "Lesson", kind: "text", position: 0 })
    .returning();
  return lesson!;
}

/** A published course with one lesson, as the public pages and reads find it. */
export async function insertPublishedCourse(
  db: Db,
  values: Pick<typeof courses.$inferInsert, "teacherId" | "categoryId">,
) {
  const course = await insertCourse(db, { ...values, status: "published", publishedAt: new Date() });
  await insertLesson(db, course.id);
  return course;
}
