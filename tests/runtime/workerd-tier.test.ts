import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { slugKey } from "../../api/catalog/cache.ts";
import { testRedis } from "../support/app.ts";
import { insertCategory, insertPublishedCourse, insertUser } from "../support/factories.ts";
import { type ServerDatabase, serverDatabase } from "../support/runtime-database.ts";
import type { RunningServer } from "../support/servers.ts";
import { requireFreshBuild, startWorkerd } from "./workerd-server.ts";

const redis = inject("redis");
let slug: string;
let database: ServerDatabase;
let server: RunningServer;

/**
 * The cache tier shares a Redis call between the requests that need it (one generation check, one read per key). On
 * workerd that is a promise one request creates and others await: this runs it there, against the Upstash emulator.
 */
describe.runIf(redis)("the in-isolate cache tier in workerd", () => {
  beforeAll(async () => {
    requireFreshBuild();
    database = await serverDatabase(async (db) => {
      const teacher = await insertUser(db, { role: "teacher" });
      const category = await insertCategory(db);
      slug = (await insertPublishedCourse(db, { teacherId: teacher.id, categoryId: category.id })).slug;
    });
    server = await startWorkerd(database, {
      UPSTASH_REDIS_REST_URL: redis!.url,
      UPSTASH_REDIS_REST_TOKEN: redis!.token,
    });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.close();
  });

  it("answers concurrent reads of one course, before and after a generation check they share", async () => {
    // A query string of its own per request, so the response cache in front sends each one to the app.
    const readConcurrently = async (round: number) => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, n) => fetch(`${server.url}/api/v1/courses/${slug}?round=${round}&n=${n}`)),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
      const slugs = await Promise.all(answers.map(async (answer) => (await answer.json()).slug));
      expect(new Set(slugs)).toEqual(new Set([slug]));
    };
    await readConcurrently(1);
    expect(await testRedis()!.exists(slugKey(slug))).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await readConcurrently(2);
    expect(server.output()).not.toMatch(/different request context|never generate a response|hung/i);
  });
});
