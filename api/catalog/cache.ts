import { eq } from "drizzle-orm";
import { courses } from "../../db/schema/index.ts";
import type { Deps } from "../deps.ts";
import { cacheTag } from "../lib/http-cache.ts";

/** Five minutes: short enough that a missed invalidation heals itself, long enough to absorb a traffic spike. */
export const COURSE_TTL_SECONDS = 300;

export const courseKey = (id: string) => `course:v1:${id}`;
export const slugKey = (slug: string) => `course-slug:v2:${slug}`;
export const CATEGORIES_KEY = "categories:v1";

/** What a course's public answers (API and page) are purged by. */
export function courseTags(course: { id: string; teacher: { id: string }; category: { slug: string } }): string[] {
  return [cacheTag.course(course.id), cacheTag.teacher(course.teacher.id), cacheTag.category(course.category.slug)];
}

/**
 * Every write that changes what a course's public answers show calls this,
 * after its transaction commits: the cached objects go, and so does every
 * stored answer naming the course or any list (a course's title, price,
 * rating, status or category shows in lists, and counts in the categories).
 * Course writes are rare enough that purging the lists on each costs nothing.
 */
export async function invalidateCourse(
  deps: Pick<Deps, "cache" | "purgeTags">,
  course: { id: string; slug: string },
  renamedTo?: string,
): Promise<void> {
  const slugs = renamedTo && renamedTo !== course.slug ? [course.slug, renamedTo] : [course.slug];
  await Promise.all([
    deps.cache.delete(courseKey(course.id), ...slugs.map(slugKey), CATEGORIES_KEY),
    deps.purgeTags([cacheTag.course(course.id), cacheTag.catalog]),
  ]);
}

/** A teacher's name shows on each of their courses and in every list that holds one: after a rename. */
export async function invalidateTeacher(deps: Pick<Deps, "db" | "cache" | "purgeTags">, teacherId: string) {
  const taught = await deps.db.select({ id: courses.id, slug: courses.slug }).from(courses).where(
    eq(courses.teacherId, teacherId),
  );
  if (taught.length === 0) return;
  await Promise.all([
    deps.cache.delete(...taught.flatMap((course) => [courseKey(course.id), slugKey(course.slug)])),
    deps.purgeTags([cacheTag.teacher(teacherId), cacheTag.catalog]),
  ]);
}
