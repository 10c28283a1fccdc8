import { type SQL, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { catalogQuery, prepareSearch } from "../../api/catalog/listing.ts";
import { listCoursesQuery } from "../../api/catalog/schemas.ts";
import type { Db, Executor } from "../../db/client.ts";
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

async function planOf(params: Record<string, string>): Promise<PlanNode[]> {
  const query = listCoursesQuery.parse(params);
  return db.transaction(async (tx: Executor) => {
    const { select, fuzzy } = catalogQuery(tx, query);
    if (fuzzy) await prepareSearch(tx);
    const explained = await tx.execute<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
      sql`explain (format json) ${(select as unknown as { getSQL(): SQL }).getSQL()}`,
    );
    return nodes(explained.rows[0]!["QUERY PLAN"][0].Plan);
  });
}

const scansOfCourses = (plan: PlanNode[]) => plan.filter((node) => node["Relation Name"] === "courses");

describe("catalog query plans at 10k courses", () => {
  it("search reads the trigram indexes, not the whole table", async () => {
    const plan = await planOf({ q: "typscript" });
    const indexes = plan.map((node) => node["Index Name"]).filter(Boolean);
    expect(indexes).toEqual(expect.arrayContaining(["courses_title_trgm_idx", "courses_description_trgm_idx"]));
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
  ])("a page of %o walks %s", async (params, index) => {
    const plan = await planOf(params as Record<string, string>);
    expect(plan.map((node) => node["Index Name"])).toContain(index);
    expect(scansOfCourses(plan).map((node) => node["Node Type"])).not.toContain("Seq Scan");
  });
});
