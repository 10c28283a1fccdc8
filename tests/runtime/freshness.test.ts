/**
 * A published edit reaches the public answers within a second in every
 * runtime that serves them: the built Worker in workerd (API and course page)
 * and the Deno entry (API), each with its in-process response cache in front.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAccessToken } from "../../api/identity/access-token.ts";
import { signingKeys } from "../../api/identity/sessions.ts";
import { parseConfig } from "../../api/env.ts";
import { type ServerDatabase, serverDatabase } from "../support/runtime-database.ts";
import { insertCategory, insertPublishedCourse, insertUser } from "../support/factories.ts";
import type { RunningServer } from "../support/servers.ts";
import { startDeno } from "./deno-server.ts";
import { requireFreshBuild, startWorkerd } from "./workerd-server.ts";

const VISIBLE_WITHIN_MS = 1_000;
const JWT_SECRET = "runtime-freshness-secret-0123456789abcdef";

let database: ServerDatabase;
let workerd: RunningServer;
let deno: RunningServer;
let teacherId: string;
const courses: Record<"workerd" | "deno", { id: string; slug: string }> = {} as never;

beforeAll(async () => {
  requireFreshBuild();
  database = await serverDatabase(async (db) => {
    const teacher = await insertUser(db, { role: "teacher", emailVerifiedAt: new Date() });
    const category = await insertCategory(db);
    teacherId = teacher.id;
    for (const runtime of ["workerd", "deno"] as const) {
      courses[runtime] = await insertPublishedCourse(db, { teacherId: teacher.id, categoryId: category.id });
    }
  });
  [workerd, deno] = await Promise.all([startWorkerd(database, { JWT_SECRET }), startDeno(database, { JWT_SECRET })]);
}, 180_000);

afterAll(async () => {
  await Promise.all([workerd?.stop(), deno?.stop()]);
  await database?.close();
});

/** The teacher's access token, as the server at `origin` (its PUBLIC_URL is its issuer) would sign it. */
function teacherToken(origin: string): Promise<string> {
  const keys = signingKeys(
    parseConfig({ DATABASE_URL: "postgres://unused@127.0.0.1/unused", JWT_SECRET, PUBLIC_URL: origin }),
  );
  return signAccessToken(keys, { userId: teacherId, role: "teacher" }, new Date());
}

async function rename(origin: string, courseId: string, title: string): Promise<void> {
  const response = await fetch(`${origin}/api/v1/courses/${courseId}`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${await teacherToken(origin)}`, "Content-Type": "application/json" },
    body: JSON.stringify({ title }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** Requests `url` until its body holds `text`, for at most a second after the write answered. */
async function shownWithin(url: string, text: string): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < VISIBLE_WITHIN_MS) {
    if ((await (await fetch(url)).text()).includes(text)) return performance.now() - started;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`${url} did not show "${text}" within ${VISIBLE_WITHIN_MS} ms`);
}

/** Reads `url` twice and expects the second answer from the cache, so the edit must get past a stored copy. */
async function cached(url: string): Promise<void> {
  await fetch(url).then((response) => response.arrayBuffer());
  const again = await fetch(url);
  await again.arrayBuffer();
  expect(again.headers.get("X-Cache"), url).toBe("HIT");
}

describe("a published edit, seen from the public side", () => {
  it("shows on the Worker's API and course page within a second (workerd)", async () => {
    const course = courses.workerd;
    const api = `${workerd.url}/api/v1/courses/${course.slug}`;
    const page = `${workerd.url}/courses/${course.slug}`;
    await cached(api);
    await cached(page);
    const title = `Edited in workerd ${crypto.randomUUID().slice(0, 8)}`;
    await rename(workerd.url, course.id, title);
    expect(await shownWithin(api, title)).toBeLessThan(VISIBLE_WITHIN_MS);
    expect(await shownWithin(page, title)).toBeLessThan(VISIBLE_WITHIN_MS);
  });

  it("shows on the Deno entry's API within a second", async () => {
    const course = courses.deno;
    const api = `${deno.url}/api/v1/courses/${course.slug}`;
    await cached(api);
    const title = `Edited on Deno ${crypto.randomUUID().slice(0, 8)}`;
    await rename(deno.url, course.id, title);
    expect(await shownWithin(api, title)).toBeLessThan(VISIBLE_WITHIN_MS);
  });
});
