import { asc, eq, type SQL, sql } from "drizzle-orm";
import type { Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import { listCourses } from "../../api/catalog/listing.ts";
import * as schema from "../../db/schema/index.ts";
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

function explained(row: ExplainRow): Explained {
  const [root] = row["QUERY PLAN"];
  return {
    executionMs: root["Execution Time"],
    planningMs: root["Planning Time"],
    seqScans: nodes(root.Plan).filter((node) => node["Node Type"] === "Seq Scan").map((node) =>
      node["Relation Name"] ?? "?"
    ),
  };
}

async function explain(executor: Executor, query: SQL): Promise<Explained> {
  const result = await executor.execute<ExplainRow>(sql`explain (analyze, format json) ${query}`);
  return explained(result.rows[0]!);
}

async function explainStatement(client: Pool, statement: Statement): Promise<Explained> {
  const result = await client.query<ExplainRow>(`explain (analyze, format json) ${statement.text}`, statement.params);
  return explained(result.rows[0]!);
}

const sum = (parts: Explained[]): Explained => ({
  executionMs: parts.reduce((total, part) => total + part.executionMs, 0),
  planningMs: parts.reduce((total, part) => total + part.planningMs, 0),
  seqScans: parts.flatMap((part) => part.seqScans),
});

const sqlOf = (query: unknown) => (query as { getSQL(): SQL }).getSQL();

/** A statement as the driver received it: text with $n placeholders, and the values. */
interface Statement {
  text: string;
  params: unknown[];
}

/**
 * Every statement listCourses sends for these parameters (a search sends
 * several: the lexicon lookup, then one per relevance tier it needs),
 * recorded by Drizzle's logger on the bench's own pool.
 */
async function statementsOf(db: Db, params: Params): Promise<Statement[]> {
  const statements: Statement[] = [];
  const client = (db as unknown as { $client: Pool }).$client;
  const recorder = drizzle({
    client,
    schema,
    logger: { logQuery: (text, values) => statements.push({ text, params: values }) },
  }) as unknown as Db;
  await listCourses({ db: recorder }, listCoursesQuery.parse(params));
  return statements;
}

/** What listCourses runs, statement by statement, summed. */
async function catalogUnit(db: Db, params: Params): Promise<Unit> {
  const label = new URLSearchParams(params).toString().replace(/cursor=[^&]+/, "cursor=…");
  const statements = await statementsOf(db, params);
  const client = (db as unknown as { $client: Pool }).$client;
  return {
    label: decodeURIComponent(label),
    run: async () => {
      const parts: Explained[] = [];
      for (const statement of statements) parts.push(await explainStatement(client, statement));
      return sum(parts);
    },
  };
}

async function catalogUnits(db: Db, list: Params[]): Promise<Unit[]> {
  const units: Unit[] = [];
  for (const params of list) units.push(await catalogUnit(db, params));
  return units;
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
      return sum(parts);
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
    await measure(db, "search", await catalogUnits(db, workload.search), passes, workload.searchKinds),
    await measure(db, "filtered list", await catalogUnits(db, workload.list), passes),
    await measure(db, "course by slug", courseUnits, passes),
  ];
}
