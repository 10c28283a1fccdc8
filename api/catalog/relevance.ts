import { and, type SQL, sql } from "drizzle-orm";
import { courses } from "../../db/schema/index.ts";
import type { Executor } from "../../db/client.ts";
import { cursorField, cursorOf, decodeCursor, type Page, toPage } from "../lib/cursor.ts";
import type { ListCoursesQuery } from "./schemas.ts";
import { catalogFilters, plan, ratingField } from "./sort-plans.ts";
import { type CourseSummary, selectSummaries, type SummaryRow, toSummary } from "./views.ts";

const TITLE = 2;
const ELSEWHERE = 1;

/** The tier, the rating and id of the last row, and how many title matches have been listed so far. */
const relevanceCursor = cursorOf(cursorField.oneOf(TITLE, ELSEWHERE), ratingField, cursorField.id, cursorField.count);
type Position = [typeof TITLE | typeof ELSEWHERE, string, string, number];

const rating = plan("rating");

/** A word search's matches, one relevance tier at a time. */
export interface Tiers {
  /** Courses whose title has every searched word, in rating order. */
  titles(after: Position | undefined, limit: number): PromiseLike<SummaryRow[]>;
  /** Every match, in rating order, each marked whether its title matched. */
  everything(after: Position | undefined, limit: number): PromiseLike<(SummaryRow & { inTitle: boolean })[]>;
}

export function tiers(db: Executor, query: ListCoursesQuery, words: string): Tiers {
  const inTitle = sql<boolean>`${courses.titleWords} @@ ${words}::tsquery`;
  const byRating = <Extra extends Record<string, SQL>>(
    match: SQL,
    after: Position | undefined,
    limit: number,
    extra?: Extra,
  ) =>
    selectSummaries(db, extra)
      .where(and(catalogFilters(query), match, after ? rating.after(after.slice(1, 3)) : undefined))
      .orderBy(...rating.order)
      .limit(limit);
  return {
    titles: (after, limit) => byRating(inTitle, after, limit),
    everything: (after, limit) => byRating(sql`${courses.searchWords} @@ ${words}::tsquery`, after, limit, { inTitle }),
  };
}

interface RankedRow extends SummaryRow {
  tier: number;
  titlesListed: number;
}

/**
 * Relevance: courses whose title has every searched word, then those that
 * match elsewhere, each tier by rating. Each tier walks the rating order (or
 * the word index, for rare words) and stops at a page, so a common word costs
 * what a rare one does, where ranking every match by similarity would not.
 */
export async function relevancePage(
  db: Executor,
  query: ListCoursesQuery,
  words: string,
): Promise<Page<CourseSummary>> {
  const position = query.cursor ? decodeCursor(query.cursor, relevanceCursor) : undefined;
  const wanted = query.limit + 1;
  const listedBefore = position?.[3] ?? 0;
  const tier = tiers(db, query, words);
  const titleRows: SummaryRow[] = position?.[0] === ELSEWHERE ? [] : await tier.titles(position, wanted);
  const rows: RankedRow[] = titleRows.map((row, index) => ({
    ...row,
    tier: TITLE,
    titlesListed: listedBefore + index + 1,
  }));
  if (rows.length < wanted) {
    const titlesListed = listedBefore + rows.length;
    const after = position?.[0] === ELSEWHERE ? position : undefined;
    const rest = await elsewhere(tier, after, wanted - rows.length, titlesListed);
    rows.push(...rest.map((row) => ({ ...row, tier: ELSEWHERE, titlesListed })));
  }
  return toPage(
    rows,
    query.limit,
    toSummary,
    (row) => [row.tier, String(row.course.avgRating), row.course.id, row.titlesListed],
  );
}

/**
 * The matches outside the title tier. "Matches, but not in the title" is a
 * condition the planner misjudges (the two are correlated): guessing it
 * common, it walks the whole rating index. So this asks for every match in
 * rating order — which it estimates well — with room for each title match
 * already listed, drops those here, and asks again for more in the rare case
 * that titles matching were published since.
 */
async function elsewhere(tier: Tiers, after: Position | undefined, wanted: number, titlesListed: number) {
  for (let limit = wanted + titlesListed;; limit *= 2) {
    const rows = await tier.everything(after, limit);
    const rest = rows.filter((row) => !row.inTitle);
    if (rest.length >= wanted || rows.length < limit) return rest.slice(0, wanted);
  }
}
