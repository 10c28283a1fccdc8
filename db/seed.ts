import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { EMBEDDED_DATA_DIR, openDatabase } from "./connect.ts";
import { migrate } from "./migrate.ts";
import { users } from "./schema/index.ts";
import { seedBulk } from "./seed/bulk.ts";
import { GENERATED_USER_PASSWORD, seedDemo } from "./seed/demo.ts";
import type { SeedCounts } from "./seed/write.ts";

export { type BulkOptions, seedBulk } from "./seed/bulk.ts";
export { type DemoAccount, type DemoSeedResult, seedDemo } from "./seed/demo.ts";

const LABELS: Record<keyof SeedCounts, string> = {
  users: "users",
  categories: "categories",
  courses: "courses",
  courseModules: "modules",
  lessons: "lessons",
  payments: "payments",
  enrollments: "enrollments",
  lessonProgress: "completed lessons",
  reviews: "reviews",
  earningsLedger: "ledger entries",
  notifications: "notifications",
};

const USAGE = "usage: node db/seed.ts [--courses N]";

interface CommandLine {
  bulkCourses: number | undefined;
}

function parseCommandLine(args: string[]): CommandLine {
  const { values } = parseArgs({ args, options: { courses: { type: "string" } } });
  if (values.courses === undefined) return { bulkCourses: undefined };
  const count = Number(values.courses);
  if (!/^\d+$/.test(values.courses) || !Number.isSafeInteger(count) || count < 1) {
    throw new Error(`--courses takes a positive whole number, not "${values.courses}"`);
  }
  return { bulkCourses: count };
}

/** Migrates, adds the demo data to an empty database, then optionally a bulk catalog. */
async function main({ bulkCourses }: CommandLine): Promise<void> {
  const target = process.env.DATABASE_URL ? "DATABASE_URL" : `the embedded database (${EMBEDDED_DATA_DIR})`;

  const database = await openDatabase();
  try {
    await migrate(database.db);
    if ((await database.db.$count(users)) > 0) {
      console.log(`${target} already has users: demo data not added`);
    } else {
      const started = performance.now();
      const { accounts, inserted } = await seedDemo(database.db);
      console.log(`demo data added to ${target} in ${secondsSince(started)}: ${describe(inserted)}`);
      for (const account of accounts) {
        console.log(`  ${account.role.padEnd(8)} ${account.email.padEnd(22)} ${account.password}`);
      }
      console.log(`  every other seeded user's password: ${GENERATED_USER_PASSWORD}`);
    }

    if (bulkCourses !== undefined) {
      const started = performance.now();
      const showProgress = process.stderr.isTTY;
      const inserted = await seedBulk(database.db, bulkCourses, {
        onProgress: (written) => {
          if (showProgress) process.stderr.write(`\r  ${written} / ${bulkCourses} courses`);
        },
      });
      if (showProgress) process.stderr.write("\n");
      console.log(`bulk catalog added to ${target} in ${secondsSince(started)}: ${describe(inserted)}`);
    }
  } finally {
    await database.close();
  }
}

function describe(counts: SeedCounts): string {
  return (Object.keys(LABELS) as (keyof SeedCounts)[])
    .filter((key) => counts[key] > 0)
    .map((key) => `${counts[key]} ${LABELS[key]}`)
    .join(", ");
}

function secondsSince(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(1)} s`;
}

// The `npm start` launcher imports seedDemo from here; only a direct run is the command-line tool.
const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  let commandLine: CommandLine | undefined;
  try {
    commandLine = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exitCode = 2;
  }
  if (commandLine) {
    main(commandLine).catch((error: unknown) => {
      console.error("seed failed:", error);
      process.exitCode = 1;
    });
  }
}
