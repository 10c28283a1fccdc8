import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedDatabase } from "../../api/deps.ts";
import { connectNeon, type Database } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { enrollments, lessonProgress } from "../../db/schema/index.ts";
import { startWsBridge, type WsBridge } from "../../db/ws-bridge.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { call, createPublished } from "../support/catalog.ts";
import { type SignedIn, signUp } from "../support/identity.ts";
import { privatePostgres } from "./private-servers.ts";

/**
 * PostgreSQL restarts in the middle of writes: requests fail fast with 503
 * database_unavailable, the app recovers by itself, and no write that was
 * acknowledged with a 2xx is lost.
 */
let postgres: Awaited<ReturnType<typeof privatePostgres>>;
let bridge: WsBridge;
let database: Database;
let t: TestApp;
let learners: SignedIn[];
let courses: { id: string; lessonIds: string[] }[];

beforeAll(async () => {
  postgres = await privatePostgres();
  const { port } = new URL(postgres.url);
  bridge = await startWsBridge({ host: "127.0.0.1", port: Number(port) });
  database = connectNeon({ url: postgres.url, wsProxy: bridge.proxy, maxConnections: 10 });
  await migrate(database.db);
  t = await createTestApp({ database: sharedDatabase(database) });
  const teacher = await signUp(t, { role: "teacher", verified: true });
  courses = [];
  for (let i = 0; i < 6; i++) courses.push(await createPublished(t, teacher, { lessons: 3 }));
  learners = await Promise.all(Array.from({ length: 8 }, () => signUp(t)));
});

afterAll(async () => {
  await database?.close();
  await bridge?.close();
  postgres?.destroy();
});

interface Acknowledged {
  enrollments: { userId: string; courseId: string }[];
  completions: { userId: string; lessonId: string }[];
  statuses: number[];
  slowest: number;
}

/** Each learner works through the courses, enrolling and completing lessons, until told to stop. */
async function writeLoad(until: () => boolean): Promise<Acknowledged> {
  const acknowledged: Acknowledged = { enrollments: [], completions: [], statuses: [], slowest: 0 };
  const timed = async (method: string, path: string, user: SignedIn) => {
    const started = Date.now();
    const response = await call(t, method, path, user);
    acknowledged.slowest = Math.max(acknowledged.slowest, Date.now() - started);
    acknowledged.statuses.push(response.status);
    await response.body?.cancel();
    return response.status;
  };
  await Promise.all(learners.map(async (learner) => {
    for (let round = 0; !until(); round++) {
      const course = courses[round % courses.length]!;
      if ((await timed("POST", `/courses/${course.id}/enroll`, learner)) < 300) {
        acknowledged.enrollments.push({ userId: learner.id, courseId: course.id });
      }
      const lessonId = course.lessonIds[round % course.lessonIds.length]!;
      if ((await timed("POST", `/lessons/${lessonId}/complete`, learner)) < 300) {
        acknowledged.completions.push({ userId: learner.id, lessonId });
      }
    }
  }));
  return acknowledged;
}

describe("PostgreSQL restarted under load", () => {
  it("fails fast, recovers by itself, and loses no acknowledged write", async () => {
    let stop = false;
    const load = writeLoad(() => stop);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    postgres.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await postgres.start();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    stop = true;
    const result = await load;

    const failures = result.statuses.filter((status) => status >= 500);
    expect(failures.length).toBeGreaterThan(0);
    expect(new Set(failures)).toEqual(new Set([503]));
    expect(result.slowest).toBeLessThan(8_000);
    expect(result.statuses.slice(-learners.length * 2).every((status) => status < 300)).toBe(true);

    const userIds = learners.map((learner) => learner.id);
    const stored = await database.db.select().from(enrollments).where(inArray(enrollments.userId, userIds));
    for (const written of result.enrollments) {
      expect(stored.some((row) => row.userId === written.userId && row.courseId === written.courseId)).toBe(true);
    }
    const progress = await database.db.select().from(lessonProgress).where(inArray(lessonProgress.userId, userIds));
    for (const written of result.completions) {
      expect(progress.some((row) => row.userId === written.userId && row.lessonId === written.lessonId)).toBe(true);
    }
    for (const row of stored) {
      const done = progress.filter((entry) => entry.userId === row.userId && entry.courseId === row.courseId).length;
      expect(row.completedLessons).toBe(done);
    }
    const [sample] = await database.db.select().from(enrollments).where(and(eq(enrollments.userId, userIds[0]!)));
    expect(sample).toBeDefined();
  });
});
