import { and, count, type SQL, sql } from "drizzle-orm";
import { courses } from "../../db/schema/index.ts";
import type { Executor } from "../../db/client.ts";
import type { Deps } from "../deps.ts";
import { decodeCursor, type Page, toPage } from "../lib/cursor.ts";
import { relevancePage } from "./relevance.ts";
import type { ListCoursesQuery } from "./schemas.ts";
import { correctedQuery, correctTerms, toTsquery } from "./search-terms.ts";
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
  const select = selectSummaries(db)
    .where(and(catalogFilters(query), textFilter(query, words), position ? after(position) : undefined))
    .orderBy(...order)
    .limit(query.limit + 1);
  return { select, key };
}

/** A word search matches the corrected words anywhere; a short term is a title prefix. */
function textFilter(query: ListCoursesQuery, words: string | undefined): SQL | undefined {
  if (words) return sql`${courses.searchWords} @@ ${words}::tsquery`;
  return query.q ? sql`lower(${courses.title}) like ${`${escapeLike(query.q.toLowerCase())}%`}` : undefined;
}

/** A word search whose words the catalog knows nothing like matches nothing. */
const NOTHING = null;

async function wordsOf(db: Executor, query: ListCoursesQuery) {
  if (!isWordSearch(query)) return { words: undefined, corrected: undefined };
  const terms = await correctTerms(db, query.q!);
  return { words: toTsquery(terms) ?? NOTHING, corrected: correctedQuery(query.q!, terms) };
}

async function pageOf(db: Executor, query: ListCoursesQuery, words: string | undefined | typeof NOTHING) {
  if (words === NOTHING) return { items: [], nextCursor: null };
  if (words && byRelevance(query)) return relevancePage(db, query, words);
  const { select, key } = catalogQuery(db, query, words);
  return toPage(await select, query.limit, toSummary, key);
}

/**
 * The public catalog: published courses only, filtered, searched and
 * keyset-paged under any sort (the sort key plus the id, so pages never
 * overlap or skip, even while courses are being published).
 */
export async function listCourses({ db }: Pick<Deps, "db">, query: ListCoursesQuery): Promise<Page<CourseSummary>> {
  return pageOf(db, query, (await wordsOf(db, query)).words);
}

export interface CatalogBrowse extends Page<CourseSummary> {
  /** Courses matching the search and filters, over every page. */
  total: number;
  /** The search as the catalog understood it, when a word of it was corrected or left out. */
  correctedQuery?: string;
}

/**
 * What a catalog page shows beyond the API's page: how many courses match and what the search was read as.
 * The count runs beside the page, on the same indexes, and the words are corrected once for both.
 */
export async function browseCatalog({ db }: Pick<Deps, "db">, query: ListCoursesQuery): Promise<CatalogBrowse> {
  const { words, corrected } = await wordsOf(db, query);
  const [page, total] = await Promise.all([
    pageOf(db, query, words),
    words === NOTHING ? 0 : db.select({ total: count() }).from(courses)
      .where(and(catalogFilters(query), textFilter(query, words)))
      .then(([row]) => row?.total ?? 0),
  ]);
  return { ...page, total, ...(corrected ? { correctedQuery: corrected } : {}) };
}
