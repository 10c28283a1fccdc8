import type { Cache } from "../lib/cache/cache.ts";

/** Five minutes: short enough that a missed invalidation heals itself, long enough to absorb a traffic spike. */
export const COURSE_TTL_SECONDS = 300;

export const courseKey = (id: string) => `course:v1:${id}`;
export const slugKey = (slug: string) => `course-slug:v2:${slug}`;
export const CATEGORIES_KEY = "categories:v1";

/**
 * Every write that changes what GET /courses/:idOrSlug shows calls this, after
 * its transaction commits. The category counts go too: publishing, unpublishing,
 * deleting or recategorising a course changes them, and course writes are rare
 * enough that dropping them on every one costs nothing.
 */
export async function invalidateCourse(cache: Cache, course: { id: string; slug: string }): Promise<void> {
  await cache.delete(courseKey(course.id), slugKey(course.slug), CATEGORIES_KEY);
}
