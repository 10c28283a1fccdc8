/**
 * The signed-in side of the benchmark, built from the seeded rows: learners
 * with their enrollments and unfinished lessons, the learner journey each of
 * them plays, and the fresh (learner, course) and (learner, lesson) pairs the
 * write runs send — each at most once, so that every acknowledged write must
 * have added exactly one row, which is checked against the database after.
 */
import { sql } from "drizzle-orm";
import { parseConfig } from "../../api/env.ts";
import { signAccessToken } from "../../api/identity/access-token.ts";
import { signingKeys } from "../../api/identity/sessions.ts";
import type { Database } from "../../db/client.ts";
import type { HttpRequest, Target } from "./load.ts";
import { coursePath, coursesPath, type Workload } from "./workload.ts";

/** Where the learners' requests are sent, and the user each one is sent as (indexes into `userIds`). */
export interface SignedInLoad {
  userIds: string[];
  requests: Target[];
}

export const JOURNEY_STEPS = [
  "home (categories)",
  "catalog page",
  "search",
  "course page",
  "lesson",
  "complete lesson",
  "notifications",
] as const;

interface LearnerCourse {
  slug: string;
  /** Every lesson, the ones not yet completed first, in curriculum order. */
  lessonIds: string[];
}

/**
 * Learners (students with at least one active enrollment in a published course), `limit` of them spread over the
 * whole user table, each with their courses.
 */
async function learnersWithCourses(database: Database, limit: number): Promise<Map<string, LearnerCourse[]>> {
  const rows = (await database.db.execute<{ user_id: string; slug: string; lesson_ids: string[] }>(sql`
    with learners as (
      select u.id from users u
      where u.role = 'student' and exists (
        select 1 from enrollments e join courses c on c.id = e.course_id
        where e.user_id = u.id and e.status = 'active' and c.status = 'published')
      order by md5(u.id::text) limit ${limit})
    select e.user_id, c.slug,
      array_agg(l.id::text order by (lp.user_id is not null), m.position, l.position) as lesson_ids
    from learners
    join enrollments e on e.user_id = learners.id and e.status = 'active'
    join courses c on c.id = e.course_id and c.status = 'published'
    join course_modules m on m.course_id = c.id
    join lessons l on l.module_id = m.id
    left join lesson_progress lp on lp.user_id = e.user_id and lp.lesson_id = l.id
    group by e.user_id, c.slug
    order by e.user_id, c.slug`)).rows;
  const byLearner = new Map<string, LearnerCourse[]>();
  for (const row of rows) {
    const courses = byLearner.get(row.user_id) ?? [];
    courses.push({ slug: row.slug, lessonIds: row.lesson_ids });
    byLearner.set(row.user_id, courses);
  }
  return byLearner;
}

/**
 * Journeys of JOURNEY_STEPS.length requests each: learner after learner, round after round, so the journeys a run
 * gets through are spread over all the learners. In round r a learner opens their r-th course (in turn) and its
 * next unfinished lesson, and completes it; the catalog page and the search come from the catalog workload.
 */
export async function learnerJourneys(
  database: Database,
  workload: Workload,
  options: { learners: number; journeys: number },
): Promise<SignedInLoad> {
  const learners = [...await learnersWithCourses(database, options.learners)];
  if (learners.length === 0) throw new Error("no learner with an active enrollment: is the database seeded?");
  const requests: Target[] = [];
  for (let journey = 0; journey < options.journeys; journey++) {
    const learner = journey % learners.length;
    const round = Math.floor(journey / learners.length);
    const courses = learners[learner]![1];
    const course = courses[round % courses.length]!;
    const lessonId = course.lessonIds[Math.floor(round / courses.length) % course.lessonIds.length]!;
    const asLearner = (method: HttpRequest["method"], path: string): HttpRequest => ({ method, path, auth: learner });
    requests.push(
      "/api/v1/categories",
      coursesPath(workload.list[journey % workload.list.length]!),
      coursesPath(workload.search[journey % workload.search.length]!),
      asLearner("GET", coursePath(course.slug)),
      asLearner("GET", `/api/v1/lessons/${lessonId}`),
      asLearner("POST", `/api/v1/lessons/${lessonId}/complete`),
      asLearner("GET", "/api/v1/notifications"),
    );
  }
  return { userIds: learners.map(([id]) => id), requests };
}

/** Indexes users as they first appear, for requests that refer to their token by index. */
function userIndex() {
  const ids: string[] = [];
  const indexes = new Map<string, number>();
  return {
    ids,
    of(id: string): number {
      let index = indexes.get(id);
      if (index === undefined) indexes.set(id, index = ids.push(id) - 1);
      return index;
    },
  };
}

/**
 * `count` enrollments that do not exist yet: learners × free published courses, paired so that no pair repeats
 * and consecutive requests come from different learners and courses.
 */
export async function freshEnrollments(database: Database, count: number): Promise<SignedInLoad> {
  const learners = (await database.db.execute<{ id: string }>(sql`
    select id from users where role = 'student' order by md5(id::text)`)).rows.map((row) => row.id);
  const courses = (await database.db.execute<{ id: string }>(sql`
    select id from courses where status = 'published' and price_cents = 0 order by md5(id::text)`)).rows
    .map((row) => row.id);
  const existing = new Set((await database.db.execute<{ pair: string }>(sql`
    select user_id || ' ' || course_id as pair from enrollments`)).rows.map((row) => row.pair));
  const users = userIndex();
  const requests: Target[] = [];
  // Learner i % L takes, on its k-th turn, course (i * 7919 + k) % C: distinct courses per learner while k < C.
  for (let i = 0; requests.length < count && i < learners.length * courses.length; i++) {
    const learner = learners[i % learners.length]!;
    const course = courses[((i % learners.length) * 7919 + Math.floor(i / learners.length)) % courses.length]!;
    if (existing.has(`${learner} ${course}`)) continue;
    requests.push({ method: "POST", path: `/api/v1/courses/${course}/enroll`, auth: users.of(learner) });
  }
  return { userIds: users.ids, requests };
}

/** `count` lessons that enrolled learners have not completed yet, spread over learners and courses. */
export async function unfinishedLessons(database: Database, count: number): Promise<SignedInLoad> {
  const rows = (await database.db.execute<{ user_id: string; lesson_id: string }>(sql`
    select e.user_id, l.id as lesson_id
    from enrollments e
    join courses c on c.id = e.course_id and c.status = 'published'
    join lessons l on l.course_id = e.course_id
    where e.status in ('active', 'completed')
      and not exists (select 1 from lesson_progress lp where lp.user_id = e.user_id and lp.lesson_id = l.id)
    order by md5(e.user_id::text || l.id::text)
    limit ${count}`)).rows;
  const users = userIndex();
  const requests = rows.map((row): Target => ({
    method: "POST",
    path: `/api/v1/lessons/${row.lesson_id}/complete`,
    auth: users.of(row.user_id),
  }));
  return { userIds: users.ids, requests };
}

/**
 * Access tokens the server accepts, signed as its login would sign them: the app's own signAccessToken with the
 * server's configuration (issuer, audience, lifetime, secret). Logging 1,000 learners in would spend minutes of
 * scrypt, which is not what the journey measures.
 */
export async function accessTokens(serverVars: Record<string, string>, userIds: string[]): Promise<string[]> {
  const keys = signingKeys(parseConfig(serverVars));
  const now = new Date();
  return Promise.all(userIds.map((userId) => signAccessToken(keys, { userId, role: "student" }, now)));
}

export type WriteTable = "enrollments" | "lesson_progress";

export async function countRows(database: Database, table: WriteTable): Promise<number> {
  const query = table === "enrollments"
    ? sql`select count(*)::int as n from enrollments`
    : sql`select count(*)::int as n from lesson_progress`;
  return (await database.db.execute<{ n: number }>(query)).rows[0]?.n ?? 0;
}
