/**
 * The app behind the in-process response cache, as Deno, `npm start` and the
 * benchmark's workerd serve it: public answers are served from the cache, and
 * every write that changes one purges it, so an edit shows within a second.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { sharedCacheFront } from "../../../api/lib/response-cache/serve.ts";
import { createTestApp, type TestApp } from "../../support/app.ts";
import { call, createPublished, json } from "../../support/catalog.ts";
import { bearer, type SignedIn, signUp } from "../../support/identity.ts";

const VISIBLE_WITHIN_MS = 1_000;

let t: TestApp;
let front: ReturnType<typeof sharedCacheFront>;
let teacher: SignedIn;
let learner: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  front = sharedCacheFront(t.deps.responseCache, t.deps.config.publicUrl);
  [teacher, learner] = await Promise.all([
    signUp(t, { role: "teacher", verified: true }),
    signUp(t, { verified: true }),
  ]);
});

/** A request as a visitor's browser sends it to the site's own host, through the cache. */
function visit(path: string, init: RequestInit = {}): Promise<Response> {
  const request = new Request(new URL(path, t.deps.config.publicUrl), init);
  return front.serve(request, (forwarded) => Promise.resolve(t.app.fetch(forwarded)));
}

/** Reads `path` until `seen` holds for its body, for at most a second; returns how long that took. */
async function visibleWithin(path: string, seen: (body: string) => boolean): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < VISIBLE_WITHIN_MS) {
    const response = await visit(path);
    if (seen(await response.text())) return performance.now() - started;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`${path} still showed the old answer after ${VISIBLE_WITHIN_MS} ms`);
}

describe("public answers in the response cache", () => {
  it("serves a repeated public read from the cache, without running the app", async () => {
    const course = await createPublished(t, teacher);
    const path = `/api/v1/courses/${course.slug}`;
    expect((await visit(path)).headers.get("X-Cache")).toBe("MISS");
    const hit = await visit(path);
    expect(hit.headers.get("X-Cache")).toBe("HIT");
    expect(hit.headers.has("Cache-Tag")).toBe(false);
    expect((await hit.json()).id).toBe(course.id);
  });

  it("shows a published course's edit on the API, the catalog and its category within a second", async () => {
    const course = await createPublished(t, teacher);
    const paths = [
      `/api/v1/courses/${course.slug}`,
      `/api/v1/courses/${course.id}`,
      `/api/v1/courses?category=${course.category.slug}`,
    ];
    for (const path of paths) await visit(path);
    const title = `Renamed ${crypto.randomUUID().slice(0, 8)}`;
    await json(await call(t, "PATCH", `/courses/${course.id}`, teacher, { title, priceCents: 1900 }), 200);
    for (const path of paths) {
      expect(await visibleWithin(path, (body) => body.includes(title) && body.includes('"priceCents":1900')))
        .toBeLessThan(VISIBLE_WITHIN_MS);
    }
  });

  it("drops an unpublished course from its page and the lists at once", async () => {
    const course = await createPublished(t, teacher);
    const list = `/api/v1/courses?category=${course.category.slug}`;
    await visit(`/api/v1/courses/${course.id}`);
    await visit(list);
    await json(await call(t, "POST", `/courses/${course.id}/unpublish`, teacher), 200);
    expect((await visit(`/api/v1/courses/${course.id}`)).status).toBe(404);
    expect(await visibleWithin(list, (body) => !body.includes(course.id))).toBeLessThan(VISIBLE_WITHIN_MS);
  });

  it("shows a new review's rating on the course and a new lesson in its curriculum", async () => {
    const course = await createPublished(t, teacher);
    const path = `/api/v1/courses/${course.id}`;
    await visit(path);
    await json(await call(t, "POST", `/courses/${course.id}/enroll`, learner), 201);
    await json(await call(t, "PUT", `/courses/${course.id}/reviews/mine`, learner, { rating: 2 }), 200);
    await visibleWithin(path, (body) => body.includes('"reviewsCount":1') && body.includes('"avgRating":2'));
    await visibleWithin(`/api/v1/courses/${course.id}/reviews`, (body) => body.includes('"rating":2'));

    await json(
      await call(t, "POST", `/modules/${course.moduleId}/lessons`, teacher, { title: "Added later", kind: "text" }),
      201,
    );
    await visibleWithin(path, (body) => body.includes("Added later"));
  });

  it("shows a teacher's new name on their course", async () => {
    const course = await createPublished(t, teacher);
    const path = `/api/v1/courses/${course.slug}`;
    await visit(path);
    const name = `Teacher ${crypto.randomUUID().slice(0, 8)}`;
    await json(await call(t, "PATCH", "/me", teacher, { name }), 200);
    await visibleWithin(path, (body) => body.includes(name));
  });

  it("never serves or stores an answer to a request with credentials", async () => {
    const course = await createPublished(t, teacher);
    const path = `/api/v1/courses/${course.id}`;
    await visit(path);
    const personal = await visit(path, { headers: bearer(learner) });
    expect(personal.headers.get("X-Cache")).not.toBe("HIT");
    expect(personal.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it("answers a host that is not the site's privately, and never from the cache", async () => {
    const course = await createPublished(t, teacher);
    const path = `/api/v1/courses/${course.id}`;
    await visit(path);
    const forged = await front.serve(
      new Request(`http://evil.example${path}`),
      (forwarded) => Promise.resolve(t.app.fetch(forwarded)),
    );
    expect(forged.status).toBe(200);
    expect(forged.headers.get("Cache-Control")).toBe("private, no-store");
    expect(forged.headers.has("Cache-Tag")).toBe(false);
    expect(forged.headers.get("X-Cache")).not.toBe("HIT");
  });
});

describe("a purge that fails", () => {
  it("is tried again, logged, and never fails the write that caused it", async () => {
    const logged: { message: string; fields: unknown }[] = [];
    let attempts = 0;
    const broken = await createTestApp({
      responseCache: {
        serve: (request, origin) => origin(request),
        purge: () => {
          attempts++;
          return Promise.reject(new Error("purge refused"));
        },
      },
      logger: { log: (_level, message, fields) => logged.push({ message, fields }) },
    });
    const owner = await signUp(broken, { role: "teacher", verified: true });
    const course = await createPublished(broken, owner);
    attempts = 0;
    const title = `Still saved ${crypto.randomUUID().slice(0, 8)}`;
    await json(await call(broken, "PATCH", `/courses/${course.id}`, owner, { title }), 200);
    expect(attempts).toBe(2);
    expect(logged.map((entry) => entry.message)).toContain("response cache purge failed");
    expect((await json(await call(broken, "GET", `/courses/${course.id}`), 200)).title).toBe(title);
  });
});
