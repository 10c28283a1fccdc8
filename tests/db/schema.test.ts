import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { enrollments, lessonProgress, reviews, users } from "../../db/schema/index.ts";
import { postgresCode } from "../../api/lib/db-errors.ts";
import { testDatabase } from "../support/app.ts";
import { insertCategory, insertCourse, insertLesson, insertUser } from "../support/factories.ts";

let db: Db;

beforeAll(async () => {
  db = (await testDatabase()).db;
});

async function rejection(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (error) {
    return postgresCode(error);
  }
  return undefined;
}

async function courseWithLearner() {
  const teacher = await insertUser(db, { role: "teacher" });
  const learner = await insertUser(db);
  const category = await insertCategory(db);
  const course = await insertCourse(db, { teacherId: teacher.id, categoryId: category.id });
  return { teacher, learner, course };
}

describe("migrations", () => {
  it("create every table of the data model", async () => {
    const result = await db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(result.rows.map((row) => row.table_name)).toEqual([
      "action_tokens",
      "categories",
      "course_modules",
      "courses",
      "earnings_ledger",
      "email_outbox",
      "enrollments",
      "lesson_progress",
      "lessons",
      "notifications",
      "payments",
      "refresh_token_families",
      "refresh_tokens",
      "reviews",
      "search_lexicon",
      "users",
      "webhook_events",
    ]);
  });

  it("apply once: running them again changes nothing", async () => {
    const count = async () =>
      (await db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)).rows[0]!.n;
    const before = await count();
    await migrate(db);
    expect(await count()).toBe(before);
  });

  it("install pg_trgm, and Cyrillic text produces trigrams", async () => {
    const result = await db.execute<{ score: number }>(
      sql`select similarity('Основы программирования на Python', 'осноы програмирования') as score`,
    );
    expect(Number(result.rows[0]!.score)).toBeGreaterThan(0.3);
  });

  it("index every foreign key on its leading columns", async () => {
    const result = await db.execute<{ constraint_name: string }>(sql`
      select c.conname as constraint_name
      from pg_constraint c
      where c.contype = 'f'
        and not exists (
          select 1 from pg_index i
          where i.indrelid = c.conrelid
            and (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] @> c.conkey
            and (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] <@ c.conkey
        )`);
    expect(result.rows.map((row) => row.constraint_name)).toEqual([]);
  });
});

describe("constraints", () => {
  it("reject a second enrollment of one user in one course", async () => {
    const { learner, course } = await courseWithLearner();
    await db.insert(enrollments).values({ userId: learner.id, courseId: course.id });
    expect(await rejection(db.insert(enrollments).values({ userId: learner.id, courseId: course.id }))).toBe("23505");
  });

  it("reject a second review by one user of one course", async () => {
    const { learner, course } = await courseWithLearner();
    await db.insert(reviews).values({ userId: learner.id, courseId: course.id, rating: 4 });
    expect(await rejection(db.insert(reviews).values({ userId: learner.id, courseId: course.id, rating: 2 }))).toBe(
      "23505",
    );
  });

  it("reject ratings outside 1..5", async () => {
    const { learner, course } = await courseWithLearner();
    expect(await rejection(db.insert(reviews).values({ userId: learner.id, courseId: course.id, rating: 6 }))).toBe(
      "23514",
    );
  });

  it("keep emails unique and normalized", async () => {
    const user = await insertUser(db);
    expect(await rejection(insertUser(db, { email: user.email }))).toBe("23505");
    expect(await rejection(insertUser(db, { email: "Mixed.Case@Example.test" }))).toBe("23514");
  });

  it("record a completed lesson once per learner", async () => {
    const { learner, course } = await courseWithLearner();
    const lesson = await insertLesson(db, course.id);
    const row = { userId: learner.id, lessonId: lesson.id, courseId: course.id };
    await db.insert(lessonProgress).values(row);
    expect(await rejection(db.insert(lessonProgress).values(row))).toBe("23505");
  });

  it("refuse a published course without a publication date and a negative price", async () => {
    const { teacher, course } = await courseWithLearner();
    expect(await rejection(db.execute(sql`update courses set status = 'published' where id = ${course.id}`))).toBe(
      "23514",
    );
    expect(
      await rejection(insertCourse(db, { teacherId: teacher.id, categoryId: course.categoryId, priceCents: -1 })),
    ).toBe("23514");
  });

  it("roll back every write of a failed transaction", async () => {
    const email = `rollback-${crypto.randomUUID()}@example.test`;
    const failure = db.transaction(async (tx) => {
      await tx.insert(users).values({ email, name: "Half", passwordHash: "unused" });
      await tx.insert(users).values({ email, name: "Duplicate", passwordHash: "unused" });
    });
    expect(await rejection(failure)).toBe("23505");
    const left = await db.execute(sql`select 1 from users where email = ${email}`);
    expect(left.rows).toHaveLength(0);
  });
});
