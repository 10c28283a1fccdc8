import { hashPassword } from "../../api/lib/password.ts";
import { slugify } from "../../api/lib/slug.ts";
import type { Db } from "../client.ts";
import { users } from "../schema/index.ts";
import { DEMO_COURSES, DEMO_TEACHER, type TeacherKey, TEACHERS } from "./catalog.ts";
import { CATEGORIES } from "./categories.ts";
import { addCourse } from "./curriculum.ts";
import { enroll, type EnrollOptions } from "./learning.ts";
import { addInbox, learnerEvents, teacherEvents } from "./notifications.ts";
import { emailLocalPart, personName, userRow } from "./people.ts";
import { courseDescriptionBlocks } from "./phrases.ts";
import { createRandom, type Random } from "./random.ts";
import { toHtml } from "./text.ts";
import { DAY, HOUR, MINUTE, SEED_NOW } from "./time.ts";
import { countRows, emptyRows, type SeedCounts, type SeedRows, writeRows } from "./write.ts";

export interface DemoAccount {
  role: "student" | "teacher" | "admin";
  email: string;
  password: string;
}

const DEMO_STUDENT = { name: "Sam Rivera", email: "student@lectern.dev", password: "learn-lectern-2026" };
const DEMO_TEACHER_LOGIN = { email: "teacher@lectern.dev", password: "teach-lectern-2026" };
const DEMO_ADMIN = { name: "Jordan Blake", email: "admin@lectern.dev", password: "admin-lectern-2026" };

/** Shared by every generated teacher and student: scrypt is deliberately slow, so it is hashed once. */
export const GENERATED_USER_PASSWORD = "lectern-sample-user-2026";

const GENERATED_STUDENTS = 39;

/** The demo student's own story: something bought, something finished, something just started. */
const DEMO_STUDENT_JOURNEY: readonly (EnrollOptions & { title: string })[] = [
  { title: "TypeScript from Zero to Production", progress: 0.4, review: false },
  { title: "Основы программирования на Python", progress: 1, review: true },
  { title: "Git and GitHub for Beginners", progress: 1, review: true },
  { title: "SQL for Data Analysis", progress: 0.6, review: false },
  { title: "UI Design Fundamentals", progress: 0, review: false },
];

export interface DemoSeedResult {
  accounts: DemoAccount[];
  inserted: SeedCounts;
}

/**
 * The demo catalog, its people and their learning history, written in one
 * transaction. Refuses a database that already has users: callers check
 * first, and a half-merged demo would be worse than none.
 */
export async function seedDemo(db: Db): Promise<DemoSeedResult> {
  const [student, teacher, admin, generated] = await Promise.all([
    hashPassword(DEMO_STUDENT.password),
    hashPassword(DEMO_TEACHER_LOGIN.password),
    hashPassword(DEMO_ADMIN.password),
    hashPassword(GENERATED_USER_PASSWORD),
  ]);
  const rows = buildDemoRows({ student, teacher, admin, generated });
  await db.transaction(async (tx) => {
    const anyUser = await tx.select({ id: users.id }).from(users).limit(1);
    if (anyUser.length > 0) {
      throw new Error("seedDemo: the database already has users; the demo seed only fills an empty database");
    }
    await writeRows(tx, rows);
  });
  return {
    accounts: [
      { role: "student", email: DEMO_STUDENT.email, password: DEMO_STUDENT.password },
      { role: "teacher", email: DEMO_TEACHER_LOGIN.email, password: DEMO_TEACHER_LOGIN.password },
      { role: "admin", email: DEMO_ADMIN.email, password: DEMO_ADMIN.password },
    ],
    inserted: countRows(rows),
  };
}

interface PasswordHashes {
  student: string;
  teacher: string;
  admin: string;
  generated: string;
}

/** Pure: the same hashes give the same rows, down to ids and timestamps. */
function buildDemoRows(hashes: PasswordHashes): SeedRows {
  const random = createRandom("lectern-demo");
  const rows = emptyRows();

  const categoryIds = new Map<string, string>();
  CATEGORIES.forEach((category, position) => {
    const id = random.uuidv7(SEED_NOW - 730 * DAY + position * MINUTE);
    categoryIds.set(category.slug, id);
    rows.categories.push({ id, ...category, position, createdAt: new Date(SEED_NOW - 730 * DAY) });
  });

  const admin = userRow(random, {
    name: DEMO_ADMIN.name,
    email: DEMO_ADMIN.email,
    role: "admin",
    passwordHash: hashes.admin,
    createdAt: SEED_NOW - 720 * DAY,
  });
  rows.users.push(admin);

  const emails = new Set<string>();
  const teacherIds = new Map<TeacherKey, string>();
  (Object.keys(TEACHERS) as TeacherKey[]).forEach((key, index) => {
    const isDemo = key === DEMO_TEACHER;
    const teacher = userRow(random, {
      name: TEACHERS[key].name,
      email: isDemo ? DEMO_TEACHER_LOGIN.email : uniqueEmail(emails, TEACHERS[key].name),
      role: "teacher",
      passwordHash: isDemo ? hashes.teacher : hashes.generated,
      createdAt: SEED_NOW - (700 - index * 5) * DAY,
    });
    teacherIds.set(key, teacher.id);
    rows.users.push(teacher);
  });

  const courses = DEMO_COURSES.map((spec, index) => {
    const publishedAt = spec.draft ? null : SEED_NOW - random.int(10, 540) * DAY - random.int(0, 600) * MINUTE;
    return addCourse(random, rows, {
      teacherId: teacherIds.get(spec.teacher)!,
      categoryId: categoryIds.get(spec.category)!,
      slug: slugify(spec.title),
      title: spec.title,
      subtitle: spec.subtitle,
      descriptionHtml: toHtml(courseDescriptionBlocks(spec.language, spec.level, [spec.summary], spec.outcomes)),
      level: spec.level,
      priceCents: spec.priceCents ?? 0,
      createdAt: (publishedAt ?? SEED_NOW - 3 * DAY) - random.int(5, 60) * DAY - index * MINUTE,
      publishedAt,
      language: spec.language,
      moduleTitles: spec.modules,
      lessonsPerModule: () => random.int(2, 6),
      quality: 2.9 + random.next() * 2,
    });
  });
  assertUnique(courses.map((course) => course.row.slug), "course slug");
  const published = courses.filter((course) => course.row.publishedAt !== null);

  const demoStudent = userRow(random, {
    ...DEMO_STUDENT,
    role: "student",
    passwordHash: hashes.student,
    createdAt: SEED_NOW - 240 * DAY,
  });
  rows.users.push(demoStudent);
  const students = Array.from({ length: GENERATED_STUDENTS }, () => {
    const name = personName(random, random.chance(0.65) ? "en" : "ru");
    const student = userRow(random, {
      name,
      email: uniqueEmail(emails, name),
      role: "student",
      passwordHash: hashes.generated,
      createdAt: SEED_NOW - random.int(30, 600) * DAY,
    });
    rows.users.push(student);
    return student;
  });

  const journey = DEMO_STUDENT_JOURNEY.map(({ title, ...options }) => {
    const course = published.find((candidate) => candidate.row.title === title);
    if (!course) throw new Error(`seed: the demo student's course "${title}" is not in the published catalog`);
    return { course: course.row, enrolled: enroll(random, rows, course, demoStudent, options) };
  });

  for (const course of published) {
    // Popularity is skewed, and paid courses sell to fewer people than free ones attract.
    const popularity = random.next() ** 1.3 * (course.row.priceCents > 0 ? 9 : 18);
    const learners = random.sample(students, Math.floor(popularity));
    for (const learner of learners) enroll(random, rows, course, learner);
  }

  addInbox(random, rows, demoStudent.id, learnerEvents(journey));
  const demoTeacherId = teacherIds.get(DEMO_TEACHER)!;
  const demoTeacherCourses = new Map(
    courses.filter((course) => course.row.teacherId === demoTeacherId).map((course) => [course.row.id, course.row]),
  );
  addInbox(random, rows, demoTeacherId, teacherEvents(rows, demoTeacherCourses));

  markLastSeen(random, rows, [demoStudent.id, demoTeacherId, admin.id]);
  return rows;
}

function uniqueEmail(taken: Set<string>, name: string): string {
  const local = emailLocalPart(name);
  let email = `${local}@example.com`;
  for (let n = 2; taken.has(email); n++) email = `${local}${n}@example.com`;
  taken.add(email);
  return email;
}

function assertUnique(values: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new Error(`seed: duplicate ${what} "${value}"`);
    seen.add(value);
  }
}

/** Last seen at their latest learning activity; the demo accounts were around just now. */
function markLastSeen(random: Random, rows: SeedRows, justNow: readonly string[]): void {
  const latest = new Map<string, number>();
  const touch = (userId: string, at: Date | null | undefined) => {
    if (at) latest.set(userId, Math.max(latest.get(userId) ?? 0, at.getTime()));
  };
  for (const enrollment of rows.enrollments) touch(enrollment.userId, enrollment.lastActivityAt);
  for (const review of rows.reviews) touch(review.userId, review.createdAt);
  for (const course of rows.courses) touch(course.teacherId, course.updatedAt);
  for (const userId of justNow) latest.set(userId, SEED_NOW - random.int(1, 6) * HOUR);
  for (const user of rows.users) {
    const seen = latest.get(user.id);
    if (seen !== undefined) user.lastSeenAt = new Date(seen);
  }
}
