import { and, asc, desc, eq, gt, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { categories, courses } from "../../db/schema/index.ts";
import type { Executor } from "../../db/client.ts";
import type { Deps } from "../deps.ts";
import { decodeCursor, type Page, toPage } from "../lib/cursor.ts";
import type { ListCoursesQuery, Sort } from "./schemas.ts";
import { type CourseSummary, selectSummaries, type SummaryRow, toSummary } from "./views.ts";

/** Below this, trigrams say little: short terms match title prefixes instead. */
export const MIN_FUZZY_LENGTH = 3;
/** How alike a word of the title or description must be to the query (pg_trgm word similarity). */
export const WORD_SIMILARITY_THRESHOLD = 0.4;

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Relevance: any title match ranks above every description-only match, then
 * by similarity. Rounded to a numeric so cursors compare exactly.
 */
function relevance(q: string): SQL<string> {
  return sql<string>`round((case when ${q} <% ${courses.title}
    then 1 + word_similarity(${q}, ${courses.title})
    else word_similarity(${q}, ${courses.descriptionText}) end)::numeric, 4)`;
}

interface SortPlan {
  order: SQL[];
  key: (row: SummaryRow & { rank?: string | undefined }) => unknown[];
  after: (cursor: unknown[]) => SQL | undefined;
  cursorShape: z.ZodType<unknown[]>;
}

const idShape = z.uuid();

function plan(sort: Sort, rank: SQL<string> | undefined): SortPlan {
  switch (sort) {
    case "relevance": {
      const score = rank!;
      return {
        order: [desc(score), desc(courses.id)],
        key: (row) => [row.rank, row.course.id],
        after: ([value, id]) => sql`(${score}, ${courses.id}) < (${value}::numeric, ${id}::uuid)`,
        cursorShape: z.tuple([z.string().regex(/^\d+(\.\d+)?$/), idShape]),
      };
    }
    case "newest":
      return {
        order: [desc(courses.publishedAt), desc(courses.id)],
        key: (row) => [row.course.publishedAt?.toISOString(), row.course.id],
        after: ([at, id]) => sql`(${courses.publishedAt}, ${courses.id}) < (${at}::timestamptz, ${id}::uuid)`,
        cursorShape: z.tuple([z.iso.datetime(), idShape]),
      };
    case "rating":
      return {
        order: [desc(courses.avgRating), desc(courses.id)],
        key: (row) => [String(row.course.avgRating), row.course.id],
        after: ([value, id]) => sql`(${courses.avgRating}, ${courses.id}) < (${value}::numeric, ${id}::uuid)`,
        cursorShape: z.tuple([z.string().regex(/^\d+(\.\d+)?$/), idShape]),
      };
    case "price_asc":
      return {
        order: [asc(courses.priceCents), asc(courses.id)],
        key: (row) => [row.course.priceCents, row.course.id],
        after: ([price, id]) => sql`(${courses.priceCents}, ${courses.id}) > (${price}::int, ${id}::uuid)`,
        cursorShape: z.tuple([z.number().int(), idShape]),
      };
    case "price_desc":
      return {
        order: [desc(courses.priceCents), desc(courses.id)],
        key: (row) => [row.course.priceCents, row.course.id],
        after: ([price, id]) => sql`(${courses.priceCents}, ${courses.id}) < (${price}::int, ${id}::uuid)`,
        cursorShape: z.tuple([z.number().int(), idShape]),
      };
  }
}

const isFuzzy = (query: ListCoursesQuery) => query.q !== undefined && [...query.q].length >= MIN_FUZZY_LENGTH;

function textFilter(q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  if ([...q].length < MIN_FUZZY_LENGTH) {
    return sql`lower(${courses.title}) like ${`${escapeLike(q.toLowerCase())}%`}`;
  }
  return or(sql`${q} <% ${courses.title}`, sql`${q} <% ${courses.descriptionText}`);
}

export interface CatalogQuery {
  /** The select, ready to run (inside the transaction that set the similarity threshold, when `fuzzy`). */
  select: ReturnType<typeof selectSummaries>;
  fuzzy: boolean;
  key: SortPlan["key"];
}

/** Builds the catalog query without running it: listCourses runs it, the query-plan tests EXPLAIN it. */
export function catalogQuery(tx: Executor, query: ListCoursesQuery): CatalogQuery {
  const fuzzy = isFuzzy(query);
  const rank = fuzzy ? relevance(query.q!) : undefined;
  // Prefix matches of short terms have no similarity to rank by: they read newest first.
  const sort = query.sort === "relevance" || (!query.sort && query.q)
    ? (rank ? "relevance" : "newest")
    : query.sort ?? "newest";
  const { order, key, after, cursorShape } = plan(sort, rank);
  const position = query.cursor ? decodeCursor(query.cursor, cursorShape) : undefined;

  const where = and(
    eq(courses.status, "published"),
    query.category ? eq(categories.slug, query.category) : undefined,
    query.level ? eq(courses.level, query.level) : undefined,
    query.free === undefined ? undefined : query.free ? eq(courses.priceCents, 0) : gt(courses.priceCents, 0),
    textFilter(query.q),
    position ? after(position) : undefined,
  );
  const select = selectSummaries(tx, rank ? { rank } : {}).where(where).orderBy(...order).limit(query.limit + 1);
  return { select: select as unknown as CatalogQuery["select"], fuzzy, key };
}

/** The similarity threshold is a setting; SET LOCAL scopes it to the search's transaction. */
export async function prepareSearch(tx: Executor): Promise<void> {
  await tx.execute(
    sql`select set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY_THRESHOLD)}, true)`,
  );
}

/**
 * The public catalog: published courses only, filtered, fuzzy-searched and
 * keyset-paged under any sort (the sort key plus the id, so pages never
 * overlap or skip, even while courses are being published).
 */
export async function listCourses({ db }: Pick<Deps, "db">, query: ListCoursesQuery): Promise<Page<CourseSummary>> {
  const run = async (tx: Executor) => {
    const { select, key } = catalogQuery(tx, query);
    const rows = (await select) as (SummaryRow & { rank?: string })[];
    return toPage(rows, query.limit, toSummary, key);
  };
  if (!isFuzzy(query)) return run(db);
  return db.transaction(async (tx) => {
    await prepareSearch(tx);
    return run(tx);
  });
}
