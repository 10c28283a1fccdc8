import { type SQL, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { catalogQuery, isWordSearch } from "../../api/catalog/listing.ts";
import { tiers } from "../../api/catalog/relevance.ts";
import { correctTerms, lexiconLookup, toTsquery } from "../../api/catalog/search-terms.ts";
import { listCoursesQuery } from "../../api/catalog/schemas.ts";
import type { Db } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { openPglite } from "../../db/pglite.ts";
import { seedBulk } from "../../db/seed.ts";

/**
 * Query plans at catalog scale: 10k courses in a database of this file's own
 * (it is filled in bulk, so it must not share the suites' database), then
 * ANALYZE, as production's autovacuum would have.
 */
let db: Db;

beforeAll(async () => {
  const database = await openPglite();
  await migrate(database.db);
  await seedBulk(database.db, 10_000);
  await database.db.execute(sql`analyze`);
  db = database.db;
}, 180_000);

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

const sqlOf = (query: unknown) => (query as { getSQL(): SQL }).getSQL();

async function wordsOf(q: string): Promise<string> {
  const words = toTsquery(await correctTerms(db, q));
  if (!words) throw new Error(`no word of ${q} is in the lexicon`);
  return words;
}

async function planOf(params: Record<string, string>): Promise<PlanNode[]> {
  const query = listCoursesQuery.parse(params);
  const words = isWordSearch(query) ? await wordsOf(query.q!) : undefined;
  return explain(sqlOf(catalogQuery(db, query, words).select));
}

/** A relevance search's two statements: the title tier, then every match. */
async function plansOfRelevance(q: string): Promise<PlanNode[]> {
  const query = listCoursesQuery.parse({ q });
  const tier = tiers(db, query, await wordsOf(q));
  return [...await explain(sqlOf(tier.titles(undefined, 21))), ...await explain(sqlOf(tier.everything(undefined, 21)))];
}

async function explain(query: SQL): Promise<PlanNode[]> {
  const explained = await db.execute<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(sql`explain (format json) ${query}`);
  return nodes(explained.rows[0]!["QUERY PLAN"][0].Plan);
}

const scansOfCourses = (plan: PlanNode[]) => plan.filter((node) => node["Relation Name"] === "courses");

describe("catalog query plans at 10k courses", () => {
  it("corrects query words through the lexicon's trigram index", async () => {
    const plan = await explain(lexiconLookup("typscript програмирования"));
    expect(plan.map((node) => node["Index Name"])).toContain("search_lexicon_word_trgm_idx");
    expect(plan.map((node) => node["Node Type"])).not.toContain("Seq Scan");
  });

  it.each(["typscript", "course", "tips", "осноы програмирования"])(
    "a search for %j by relevance reads the word indexes or walks the rating order, never the whole table",
    async (q) => {
      const plan = await plansOfRelevance(q);
      const indexes = plan.map((node) => node["Index Name"]);
      expect(indexes.some((name) => /^courses_(title|search)_words_idx$|^courses_published_rating_idx$/.test(name!)))
        .toBe(true);
      expect(scansOfCourses(plan).map((node) => node["Node Type"])).not.toContain("Seq Scan");
    },
  );

  it("a search sorted by newest reads the word index or the newest order", async () => {
    const plan = await planOf({ q: "typscript", sort: "newest" });
    const indexes = plan.map((node) => node["Index Name"]);
    expect(indexes.some((name) => /^courses_search_words_idx$|^courses_published_newest_idx$/.test(name!))).toBe(true);
    expect(scansOfCourses(plan).map((node) => node["Node Type"])).not.toContain("Seq Scan");
  });

  it("short terms use the title prefix index", async () => {
    const plan = await planOf({ q: "ja" });
    expect(plan.map((node) => node["Index Name"])).toContain("courses_title_prefix_idx");
    expect(scansOfCourses(plan).map((node) => node["Node Type"])).not.toContain("Seq Scan");
  });

  it.each([
    [{ sort: "newest" }, "courses_published_newest_idx"],
    [{ sort: "rating" }, "courses_published_rating_idx"],
    [{ sort: "price_asc" }, "courses_published_price_idx"],
    [{ sort: "price_desc", free: "false" }, "courses_published_price_idx"],
    [{ sort: "newest", category: "web-development" }, "courses_category_newest_idx"],
    [{ sort: "rating", category: "business", level: "advanced" }, "courses_category_rating_idx"],
    [{ sort: "price_asc", category: "data-science", free: "true" }, "courses_category_price_idx"],
  ])("a page of %o walks %s", async (params, index) => {
    const plan = await planOf(params as Record<string, string>);
    expect(plan.map((node) => node["Index Name"])).toContain(index);
    expect(scansOfCourses(plan).map((node) => node["Node Type"])).not.toContain("Seq Scan");
  });
});
