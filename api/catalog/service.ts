import { and, asc, count, eq } from "drizzle-orm";
import { categories, courses } from "../../db/schema/index.ts";
import type { Deps } from "../deps.ts";

export interface CategorySummary {
  slug: string;
  name: string;
  coursesCount: number;
}

export async function listCategories({ db }: Pick<Deps, "db">): Promise<CategorySummary[]> {
  const rows = await db
    .select({ slug: categories.slug, name: categories.name, coursesCount: count(courses.id) })
    .from(categories)
    .leftJoin(courses, and(eq(courses.categoryId, categories.id), eq(courses.status, "published")))
    .groupBy(categories.id)
    .orderBy(asc(categories.position), asc(categories.name));
  return rows;
}
