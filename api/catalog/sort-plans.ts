import { and, asc, desc, eq, gt, type SQL, sql } from "drizzle-orm";
import { categories, courses } from "../../db/schema/index.ts";
import type { ListCoursesQuery, Sort } from "./schemas.ts";
import { cursorField, cursorOf, type CursorShape } from "../lib/cursor.ts";
import type { SummaryRow } from "./views.ts";

export interface SortPlan {
  order: SQL[];
  key: (row: SummaryRow) => unknown[];
  after: (cursor: unknown[]) => SQL | undefined;
  cursorShape: CursorShape<unknown[]>;
}

/** avg_rating is numeric(3, 2): one digit before the point. */
export const ratingField = cursorField.decimal(1);

/** Each sort's order, cursor position and "after the cursor" condition; ties always broken by id. */
export function plan(sort: Exclude<Sort, "relevance">): SortPlan {
  switch (sort) {
    case "newest":
      return {
        order: [desc(courses.publishedAt), desc(courses.id)],
        key: (row) => [row.course.publishedAt?.toISOString(), row.course.id],
        after: ([at, id]) => sql`(${courses.publishedAt}, ${courses.id}) < (${at}::timestamptz, ${id}::uuid)`,
        cursorShape: cursorOf(cursorField.timestamp, cursorField.id),
      };
    case "rating":
      return {
        order: [desc(courses.avgRating), desc(courses.id)],
        key: (row) => [String(row.course.avgRating), row.course.id],
        after: ([value, id]) => sql`(${courses.avgRating}, ${courses.id}) < (${value}::numeric, ${id}::uuid)`,
        cursorShape: cursorOf(ratingField, cursorField.id),
      };
    case "price_asc":
      return {
        order: [asc(courses.priceCents), asc(courses.id)],
        key: (row) => [row.course.priceCents, row.course.id],
        after: ([price, id]) => sql`(${courses.priceCents}, ${courses.id}) > (${price}::int, ${id}::uuid)`,
        cursorShape: cursorOf(cursorField.int4, cursorField.id),
      };
    case "price_desc":
      return {
        order: [desc(courses.priceCents), desc(courses.id)],
        key: (row) => [row.course.priceCents, row.course.id],
        after: ([price, id]) => sql`(${courses.priceCents}, ${courses.id}) < (${price}::int, ${id}::uuid)`,
        cursorShape: cursorOf(cursorField.int4, cursorField.id),
      };
  }
}

/** The filters every listing applies: published courses, and the category, level and price asked for. */
export function catalogFilters(query: ListCoursesQuery): SQL | undefined {
  return and(
    eq(courses.status, "published"),
    // A constant to the planner (an InitPlan), so the category's courses are found through their own indexes.
    query.category
      ? eq(
        courses.categoryId,
        sql`(select ${categories.id} from ${categories} where ${categories.slug} = ${query.category})`,
      )
      : undefined,
    query.level ? eq(courses.level, query.level) : undefined,
    query.language ? eq(courses.language, query.language) : undefined,
    query.free === undefined ? undefined : query.free ? eq(courses.priceCents, 0) : gt(courses.priceCents, 0),
  );
}
