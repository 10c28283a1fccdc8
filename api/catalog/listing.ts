import { and, type SQL, sql } from "drizzle-orm";
import { courses } from "../../db/schema/index.ts";
import type { Executor } from "../../db/client.ts";
import type { Deps } from "../deps.ts";
import { decodeCursor, type Page, toPage } from "../lib/cursor.ts";
import { relevancePage } from "./relevance.ts";
import type { ListCoursesQuery } from "./schemas.ts";
import { correctTerms, toTsquery } from "./search-terms.ts";
import { catalogFilters, plan, type SortPlan } from "./sort-plans.ts";
import { type CourseSummary, selectSummaries, toSummary } from "./views.ts";

/** Below this, a term is a title prefix (as typed so far), not a word to correct. */
export const MIN_WORD_SEARCH_LENGTH = 3;

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

export const isWordSearch = (query: ListCoursesQuery) =>
  query.q !== undefined && [...query.q].length >= MIN_WORD_SEARCH_LENGTH;

/** A search without a sort is read by relevance. */
const byRelevance = (query: ListCoursesQuery) => query.sort === "relevance" || (!query.sort && query.q !== undefined);

/**
 * A sorted page of the catalog as one select, not yet run (the query-plan
 * tests EXPLAIN it). `words` is a word search's corrected tsquery.
 */
export function catalogQuery(db: Executor, query: ListCoursesQuery, words?: string) {
  // Prefix matches of short terms have nothing to rank by: they read newest first.
  const { order, key, after, cursorShape }: SortPlan = plan(
    query.sort && query.sort !== "relevance" ? query.sort : "newest",
  );
  const position = query.cursor ? decodeCursor(query.cursor, cursorShape) : undefined;
  const textFilter: SQL | undefined = words
    ? sql`${courses.searchWords} @@ ${words}::tsquery`
    : query.q
    ? sql`lower(${courses.title}) like ${`${escapeLike(query.q.toLowerCase())}%`}`
    : undefined;
  const select = selectSummaries(db)
    .where(and(catalogFilters(query), textFilter, position ? after(position) : undefined))
    .orderBy(...order)
    .limit(query.limit + 1);
  return { select, key };
}

/**
 * The public catalog: published courses only, filtered, searched and
 * keyset-paged under any sort (the sort key plus the id, so pages never
 * overlap or skip, even while courses are being published).
 */
export async function listCourses({ db }: Pick<Deps, "db">, query: ListCoursesQuery): Promise<Page<CourseSummary>> {
  let words: string | undefined;
  if (isWordSearch(query)) {
    words = toTsquery(await correctTerms(db, query.q!));
    if (!words) return { items: [], nextCursor: null };
    if (byRelevance(query)) return relevancePage(db, query, words);
  }
  const { select, key } = catalogQuery(db, query, words);
  return toPage(await select, query.limit, toSummary, key);
}
