import { asc, eq, type SQL, sql } from "drizzle-orm";
import { catalogQuery, prepareSearch } from "../../api/catalog/listing.ts";
import { listCoursesQuery } from "../../api/catalog/schemas.ts";
import { selectSummaries } from "../../api/catalog/views.ts";
import type { Db, Executor } from "../../db/client.ts";
import { courseModules, courses, lessons } from "../../db/schema/index.ts";
import { percentile, summarize, type Summary } from "./stats.ts";

/** The target for search: p99 under this. */
const SLOW_MS = 5;
import type { Params, Workload } from "./workload.ts";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

interface Explained {
  executionMs: number;
  planningMs: number;
  /** Relations the plan reads with a Seq Scan. */
  seqScans: string[];
}

/** One unit of work as the app does it: a catalog page, or the queries of one course page. */
interface Unit {
  label: string;
  run(db: Db): Promise<Explained>;
}

export interface DbScenarioResult {
  scenario: string;
  queries: number;
  samples: number;
  /**
   * Postgres execution time (ms) per unit — EXPLAIN ANALYZE's "Execution Time", summed over its queries — as the
   * distribution of each unit's median over the passes.
   */
  execution: Summary;
  /** The same over every sample of every pass. */
  allSamples: Summary;
  planning: Summary;
  /** Units whose median execution took longer than `overThresholdMs`. */
  overThreshold: number;
  overThresholdMs: number;
  /** For search: the execution time per kind of term. */
  byKind: Record<string, Summary>;
  /** Units whose plan had a Seq Scan on courses. */
  seqScanOnCourses: number;
  /** Units with a Seq Scan, per relation. */
  seqScans: Record<string, number>;
  slowest: { label: string; ms: number }[];
}

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

type ExplainRow = { "QUERY PLAN": [{ Plan: PlanNode; "Execution Time": number; "Planning Time": number }] };

async function explain(executor: Executor, query: SQL): Promise<Explained> {
  const result = await executor.execute<ExplainRow>(sql`explain (analyze, format json) ${query}`);
  const [root] = result.rows[0]!["QUERY PLAN"];
  return {
    executionMs: root["Execution Time"],
    planningMs: root["Planning Time"],
    seqScans: nodes(root.Plan).filter((node) => node["Node Type"] === "Seq Scan").map((node) =>
      node["Relation Name"] ?? "?"
    ),
  };
}

const sqlOf = (query: unknown) => (query as { getSQL(): SQL }).getSQL();

/** The exact select listCourses runs, in a transaction that set the similarity threshold when it searches. */
function catalogUnit(params: Params): Unit {
  const query = listCoursesQuery.parse(params);
  const label = new URLSearchParams(params).toString().replace(/cursor=[^&]+/, "cursor=…");
  return {
    label: decodeURIComponent(label),
    run: (db) =>
      db.transaction(async (tx) => {
        const { select, fuzzy } = catalogQuery(tx, query);
        if (fuzzy) await prepareSearch(tx);
        return explain(tx, sqlOf(select));
      }),
  };
}

/** What getCourse runs for a slug the cache does not have: the summary by slug, then modules and lessons by id. */
async function courseUnit(db: Db, slug: string): Promise<Unit> {
  const [row] = await db.select({ id: courses.id }).from(courses).where(eq(courses.slug, slug));
  if (!row) throw new Error(`no course ${slug}`);
  const queries = [
    selectSummaries(db).where(eq(courses.slug, slug)),
    db.select().from(courseModules).where(eq(courseModules.courseId, row.id))
      .orderBy(asc(courseModules.position), asc(courseModules.id)),
    db.select().from(lessons).where(eq(lessons.courseId, row.id)).orderBy(asc(lessons.position), asc(lessons.id)),
  ].map(sqlOf);
  return {
    label: `slug=${slug}`,
    run: async (runner) => {
      const parts: Explained[] = [];
      for (const query of queries) parts.push(await explain(runner, query));
      return {
        executionMs: parts.reduce((sum, part) => sum + part.executionMs, 0),
        planningMs: parts.reduce((sum, part) => sum + part.planningMs, 0),
        seqScans: parts.flatMap((part) => part.seqScans),
      };
    },
  };
}

async function measure(
  db: Db,
  scenario: string,
  units: Unit[],
  passes: number,
  kinds?: string[],
): Promise<DbScenarioResult> {
  for (const unit of units) await unit.run(db); // warm the buffers and the catalog caches
  const samples = units.map(() => ({ execution: [] as number[], planning: [] as number[] }));
  const seqScans: Record<string, number> = {};
  let seqScanOnCourses = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (const [index, unit] of units.entries()) {
      const result = await unit.run(db);
      samples[index]!.execution.push(result.executionMs);
      samples[index]!.planning.push(result.planningMs);
      if (pass > 0) continue;
      const relations = new Set(result.seqScans);
      if (relations.has("courses")) seqScanOnCourses++;
      for (const relation of relations) seqScans[relation] = (seqScans[relation] ?? 0) + 1;
    }
  }
  // Each query's median over the passes: a pass slowed by something else on the machine does not count.
  const execution = samples.map((unit) => percentile(unit.execution, 50));
  const byKind: Record<string, Summary> = {};
  if (kinds) {
    for (const kind of new Set(kinds)) byKind[kind] = summarize(execution.filter((_, index) => kinds[index] === kind));
  }
  return {
    scenario,
    queries: units.length,
    samples: passes * units.length,
    execution: summarize(execution),
    allSamples: summarize(samples.flatMap((unit) => unit.execution)),
    planning: summarize(samples.map((unit) => percentile(unit.planning, 50))),
    overThresholdMs: SLOW_MS,
    overThreshold: execution.filter((value) => value > SLOW_MS).length,
    byKind,
    seqScanOnCourses,
    seqScans,
    slowest: units
      .map((unit, index) => ({ label: unit.label, ms: execution[index]! }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 8),
  };
}

export async function measureDatabase(db: Db, workload: Workload, passes: number): Promise<DbScenarioResult[]> {
  const courseUnits: Unit[] = [];
  for (const slug of workload.slugs) courseUnits.push(await courseUnit(db, slug));
  return [
    await measure(db, "search", workload.search.map(catalogUnit), passes, workload.searchKinds),
    await measure(db, "filtered list", workload.list.map(catalogUnit), passes),
    await measure(db, "course by slug", courseUnits, passes),
  ];
}
