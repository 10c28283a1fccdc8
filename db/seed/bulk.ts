import { inArray } from "drizzle-orm";
import { hashPassword } from "../../api/lib/password.ts";
import { slugify, withSuffix } from "../../api/lib/slug.ts";
import type { Db, Tx } from "../client.ts";
import { categories, courses, users } from "../schema/index.ts";
import { bulkCourseText } from "./bulk-words.ts";
import type { Level } from "./catalog.ts";
import { CATEGORIES, type CategorySlug } from "./categories.ts";
import { addCourse } from "./curriculum.ts";
import { GENERATED_USER_PASSWORD } from "./demo.ts";
import { enroll } from "./learning.ts";
import { emailLocalPart, type Language, personName, userRow } from "./people.ts";
import { createRandom, type Random } from "./random.ts";
import { toHtml } from "./text.ts";
import { DAY, SEED_NOW } from "./time.ts";
import { addCounts, countRows, emptyRows, type SeedCounts, type UserRow, writeRows } from "./write.ts";

/** Courses generated and written together: bounds memory however large the catalog. */
const COURSES_PER_BATCH = 1000;
const MODULES_PER_COURSE = 2;
const LESSONS_PER_MODULE = 3;
const PRICES_CENTS = [1900, 2900, 3900, 4900, 5900, 7900, 9900];
const LEVELS: readonly (readonly [Level, number])[] = [["beginner", 45], ["intermediate", 40], ["advanced", 15]];
/** Most courses have a handful of learners or none, a few have many. */
const LEARNERS_PER_COURSE: readonly (readonly [number, number])[] = [
  [0, 30],
  [1, 20],
  [2, 15],
  [3, 12],
  [5, 10],
  [8, 8],
  [12, 5],
];

export interface BulkOptions {
  onProgress?: (coursesWritten: number) => void;
}

interface Teacher {
  row: UserRow;
  language: Language;
}

/**
 * A benchmark-sized catalog of published courses, with the teachers,
 * students, enrollments and reviews around them, in one transaction. Adds to
 * whatever is there: slugs and emails are numbered on from the rows already
 * present, which keeps them clear of the demo seed and of earlier bulk runs.
 */
export async function seedBulk(db: Db, courseCount: number, options: BulkOptions = {}): Promise<SeedCounts> {
  if (!Number.isSafeInteger(courseCount) || courseCount < 1) {
    throw new Error(`seedBulk: the number of courses must be a positive integer, not ${courseCount}`);
  }
  const passwordHash = await hashPassword(GENERATED_USER_PASSWORD);

  return db.transaction(async (tx) => {
    const userOffset = await tx.$count(users);
    const courseOffset = await tx.$count(courses);
    const random = createRandom(`lectern-bulk:${userOffset}:${courseOffset}`);
    const categoryIds = await ensureCategories(tx, random);

    const people = emptyRows();
    const teachers = Array.from({ length: Math.max(5, Math.ceil(courseCount / 10)) }, (_, index): Teacher => {
      const language: Language = random.chance(0.35) ? "ru" : "en";
      const name = personName(random, language);
      const row = userRow(random, {
        name,
        email: `${emailLocalPart(name)}.${userOffset + index + 1}@example.com`,
        role: "teacher",
        passwordHash,
        createdAt: SEED_NOW - random.int(200, 900) * DAY,
      });
      people.users.push(row);
      return { row, language };
    });
    const students = Array.from({ length: Math.max(50, Math.ceil(courseCount / 4)) }, (_, index) => {
      const name = personName(random, random.chance(0.35) ? "ru" : "en");
      const row = userRow(random, {
        name,
        email: `${emailLocalPart(name)}.${userOffset + teachers.length + index + 1}@example.com`,
        role: "student",
        passwordHash,
        createdAt: SEED_NOW - random.int(30, 900) * DAY,
      });
      row.lastSeenAt = new Date(Math.max(row.createdAt.getTime(), SEED_NOW - random.int(0, 90) * DAY));
      people.users.push(row);
      return row;
    });
    await writeRows(tx, people);

    let counts = { ...countRows(people), categories: categoryIds.inserted };
    for (let start = 0; start < courseCount; start += COURSES_PER_BATCH) {
      const rows = emptyRows();
      const end = Math.min(start + COURSES_PER_BATCH, courseCount);
      for (let index = start; index < end; index++) {
        const teacher = random.pick(teachers);
        const category = random.pick(CATEGORIES).slug;
        const text = bulkCourseText(random, teacher.language, category, MODULES_PER_COURSE);
        const firstPossible = teacher.row.createdAt.getTime() + 30 * DAY;
        const publishedAt = firstPossible + random.next() * (SEED_NOW - 7 * DAY - firstPossible);
        const priceCents = random.chance(0.2) ? random.pick(PRICES_CENTS) : 0;
        const course = addCourse(random, rows, {
          teacherId: teacher.row.id,
          categoryId: categoryIds.bySlug.get(category)!,
          slug: withSuffix(slugify(text.title), courseOffset + index + 1),
          title: text.title,
          subtitle: text.subtitle,
          descriptionHtml: toHtml(text.blocks),
          level: random.weighted(LEVELS),
          priceCents,
          createdAt: publishedAt - random.int(1, 30) * DAY,
          publishedAt,
          language: teacher.language,
          moduleTitles: text.moduleTitles,
          lessonsPerModule: () => LESSONS_PER_MODULE,
          quality: 2.8 + random.next() * 2.1,
        });
        const learners = random.weighted(LEARNERS_PER_COURSE);
        for (const learner of random.sample(students, priceCents > 0 ? Math.ceil(learners / 2) : learners)) {
          enroll(random, rows, course, learner);
        }
      }
      await writeRows(tx, rows);
      counts = addCounts(counts, countRows(rows));
      options.onProgress?.(end);
    }
    return counts;
  });
}

/** The shared categories, added where missing (a bulk run may follow the demo seed or stand alone). */
async function ensureCategories(tx: Tx, random: Random) {
  const createdAt = SEED_NOW - 730 * DAY;
  const inserted = await tx
    .insert(categories)
    .values(
      CATEGORIES.map((category, position) => ({
        id: random.uuidv7(createdAt),
        ...category,
        position,
        createdAt: new Date(createdAt),
      })),
    )
    .onConflictDoNothing({ target: categories.slug })
    .returning({ id: categories.id });
  const existing = await tx
    .select({ id: categories.id, slug: categories.slug })
    .from(categories)
    .where(inArray(categories.slug, CATEGORIES.map((category) => category.slug)));
  return {
    inserted: inserted.length,
    bySlug: new Map(existing.map((row) => [row.slug as CategorySlug, row.id])),
  };
}
