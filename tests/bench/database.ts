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

/**
 * A fresh copy of the seeded catalog for a run that writes (`lectern_bench_<N>_run`), made with CREATE DATABASE
 * … TEMPLATE (a file copy: seconds, where seeding takes minutes). Every run so starts from the same rows, and the
 * catalog benchmark's database is never written. The source must have no open connections.
 */
export async function cloneBenchDatabase(
  serverUrl: string,
  courseCount: number,
): Promise<{ name: string; url: string }> {
  const source = benchDatabaseUrl(serverUrl, courseCount);
  const name = `${source.name}_run`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
  await adminQuery(serverUrl, `create database ${name} template ${source.name}`);
  return { name, url: url.toString() };
}

/**
 * The bulk seed gives its learners enrollments, progress and reviews but no inbox: one notification per enrollment
 * (read, unless recent), as the app would have written, so the notifications page has something to page through.
 */
export async function addLearnerInboxes(database: Database): Promise<number> {
  const result = await database.db.execute(sql`
    insert into notifications (id, user_id, kind, title, body, link, read_at, created_at)
    select gen_random_uuid(), e.user_id, 'enrollment_created', 'You enrolled in ' || c.title,
      'Start with the first lesson whenever you are ready.', '/courses/' || c.slug,
      case when e.enrolled_at < now() - interval '14 days' then e.enrolled_at + interval '1 day' end, e.enrolled_at
    from enrollments e
    join courses c on c.id = e.course_id
    where not exists (select 1 from notifications n where n.user_id = e.user_id)`);
  await database.db.execute(sql`analyze notifications`);
  return result.rowCount ?? 0;
}

/** How much of each kind of row the run's database holds: what "realistic" means here. */
export async function rowCounts(database: Database): Promise<Record<string, number>> {
  const [row] = (await database.db.execute<Record<string, number>>(sql`select
    (select count(*)::int from courses where status = 'published') as "published courses",
    (select count(*)::int from users where role = 'student') as learners,
    (select count(*)::int from enrollments) as enrollments,
    (select count(*)::int from lesson_progress) as "completed lessons",
    (select count(*)::int from reviews) as reviews,
    (select count(*)::int from notifications) as notifications`)).rows;
  return row ?? {};
}
