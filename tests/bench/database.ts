import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { connectPostgres } from "../../db/connect.ts";
import { migrate } from "../../db/migrate.ts";
import { courses } from "../../db/schema/index.ts";
import { seedBulk, seedDemo } from "../../db/seed.ts";

export const DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase extends Database {
  name: string;
  url: string;
  /** Seconds the seed took; undefined when an existing database was reused. */
  seedSeconds: number | undefined;
}

/** The benchmark's own database on `serverUrl`'s server: only ever `lectern_bench_<courses>`. */
export function benchDatabaseUrl(serverUrl: string, courseCount: number): { name: string; url: string } {
  if (!Number.isSafeInteger(courseCount) || courseCount < 1) throw new Error(`bad course count ${courseCount}`);
  const name = `lectern_bench_${courseCount}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function adminQuery<T extends Record<string, unknown>>(serverUrl: string, query: string): Promise<T[]> {
  const admin = await connectPostgres(serverUrl);
  try {
    return (await admin.db.execute<T>(sql.raw(query))).rows;
  } finally {
    await admin.close();
  }
}

/**
 * Drops and recreates the bench database, migrates, adds the demo data and
 * `courseCount` bulk courses, then VACUUM ANALYZE (visibility map and
 * statistics, as autovacuum would have them in production). With `keep`, an
 * existing database that already holds the catalog is reused as it is.
 */
export async function prepareBenchDatabase(
  serverUrl: string,
  courseCount: number,
  keep: boolean,
  log: (line: string) => void,
): Promise<BenchDatabase> {
  const { name, url } = benchDatabaseUrl(serverUrl, courseCount);
  const exists = (await adminQuery(serverUrl, `select 1 from pg_database where datname = '${name}'`)).length > 0;
  if (keep && exists) {
    const database = await connectPostgres(url);
    const count = await database.db.$count(courses).catch(() => 0);
    if (count >= courseCount) {
      log(`reusing ${name} (${count} courses)`);
      return { ...database, name, url, seedSeconds: undefined };
    }
    await database.close();
    log(`${name} has ${count} courses, fewer than ${courseCount}: recreating it`);
  }
  await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
  await adminQuery(serverUrl, `create database ${name}`);
  const database = await connectPostgres(url);
  try {
    const started = performance.now();
    await migrate(database.db);
    await seedDemo(database.db);
    const showProgress = process.stderr.isTTY;
    await seedBulk(database.db, courseCount, {
      onProgress: (written) => {
        if (showProgress) process.stderr.write(`\r  seeding ${written} / ${courseCount} courses`);
      },
    });
    if (showProgress) process.stderr.write("\n");
    await database.db.execute(sql`vacuum analyze`);
    const seedSeconds = (performance.now() - started) / 1000;
    log(`seeded ${name} in ${seedSeconds.toFixed(1)} s`);
    return { ...database, name, url, seedSeconds };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export async function postgresVersion(database: Database): Promise<string> {
  const rows = (await database.db.execute<{ version: string }>(sql`select version()`)).rows;
  return rows[0]?.version ?? "unknown";
}
