import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { unmetPublishRules } from "../../api/catalog/publish-rules.ts";
import type { Db } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { openPglite } from "../../db/pglite.ts";
import { courses } from "../../db/schema/index.ts";
import { seedBulk, seedDemo } from "../../db/seed.ts";

/** The seeded catalogs in a database of this file's own: filling it must not disturb the suites' shared one. */
let db: Db;

beforeAll(async () => {
  const database = await openPglite();
  await migrate(database.db);
  await seedDemo(database.db);
  await seedBulk(database.db, 40);
  db = database.db;
}, 180_000);

describe("the seeded catalog", () => {
  it("publishes only courses that meet the publishing rules: lessons, no empty module, every duration given", async () => {
    const published = await db.select({ id: courses.id, lessonsCount: courses.lessonsCount }).from(courses).where(
      eq(courses.status, "published"),
    );
    expect(published.length).toBeGreaterThan(40);
    for (const course of published) {
      expect(course.lessonsCount).toBeGreaterThan(0);
      expect(await unmetPublishRules(db, course.id)).toEqual([]);
    }
  });
});
