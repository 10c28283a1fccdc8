/**
 * Walks every route of the app as an anonymous visitor, as people with
 * different relations to a course, and with a cookie, and fails on any answer
 * a shared cache could store that depends on who asked.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { notifications } from "../../db/schema/index.ts";
import { ROUTES } from "../faults/routes.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { call, createDraft, createPublished, json } from "../support/catalog.ts";
import { bearer, type SignedIn, signUp } from "../support/identity.ts";

let t: TestApp;
let owner: SignedIn;
let learner: SignedIn;
let stranger: SignedIn;
let admin: SignedIn;
/** Concrete paths for each GET route: every kind of thing a parameter can name (published, draft, preview, …). */
let samples: Record<string, string[]>;

beforeAll(async () => {
  t = await createTestApp();
  [owner, learner, stranger, admin] = await Promise.all([
    signUp(t, { role: "teacher", verified: true }),
    signUp(t, { verified: true }),
    signUp(t, { verified: true }),
    signUp(t, { role: "admin", verified: true }),
  ]);
  const published = await createPublished(t, owner, { lessons: 2 });
  const draft = await createDraft(t, owner);
  const draftModule = await json(
    await call(t, "POST", `/courses/${draft.id}/modules`, owner, { title: "Module" }),
    201,
  );
  const draftPreview = await json(
    await call(t, "POST", `/modules/${draftModule.id}/lessons`, owner, {
      title: "Draft preview",
      kind: "text",
      body: "<p>not yet public</p>",
      isPreview: true,
    }),
    201,
  );
  await json(await call(t, "POST", `/courses/${published.id}/enroll`, learner), 201);
  await json(await call(t, "PUT", `/courses/${published.id}/reviews/mine`, learner, { rating: 4, body: "Good" }), 200);
  const [notification] = await t.db.insert(notifications).values({
    userId: learner.id,
    kind: "enrollment_created",
    title: "Enrolled",
    body: "You are in",
    link: "/my",
  }).returning();
  const courseIds = [published.id, draft.id];
  samples = {
    "/api/v1/me": ["/api/v1/me"],
    "/api/v1/categories": ["/api/v1/categories"],
    "/api/v1/courses": [
      "/api/v1/courses",
      `/api/v1/courses?category=${published.category.slug}`,
      `/api/v1/courses?category=${published.category.slug}&sort=rating`,
    ],
    "/api/v1/courses/:idOrSlug": [published.id, published.slug, draft.id, draft.slug].map((key) =>
      `/api/v1/courses/${key}`
    ),
    "/api/v1/lessons/:id": [...published.lessonIds, draftPreview.id].map((id) => `/api/v1/lessons/${id}`),
    "/api/v1/teacher/courses": ["/api/v1/teacher/courses"],
    "/api/v1/courses/:id/enrollment": courseIds.map((id) => `/api/v1/courses/${id}/enrollment`),
    "/api/v1/me/enrollments": ["/api/v1/me/enrollments"],
    "/api/v1/courses/:id/progress": courseIds.map((id) => `/api/v1/courses/${id}/progress`),
    "/api/v1/courses/:id/reviews": courseIds.map((id) => `/api/v1/courses/${id}/reviews`),
    "/api/v1/courses/:id/reviews/mine": courseIds.map((id) => `/api/v1/courses/${id}/reviews/mine`),
    "/api/v1/notifications": ["/api/v1/notifications"],
    "/api/v1/me/payments": ["/api/v1/me/payments"],
    "/api/v1/teacher/earnings": ["/api/v1/teacher/earnings"],
    "/api/v1/admin/metrics": ["/api/v1/admin/metrics"],
    "/api/v1/payments/local/checkout/:sessionId": ["/api/v1/payments/local/checkout/cs_local_unknown"],
    "/api/v1/dev/mail": [`/api/v1/dev/mail?to=${encodeURIComponent(learner.email)}`],
    "/health/live": ["/health/live"],
    "/health/ready": ["/health/ready"],
  };
  expect(notification).toBeDefined();
});

const CATALOG_WIDE = new Set(["/api/v1/categories", "/api/v1/courses"]);

interface Persona {
  name: string;
  headers: Record<string, string>;
}

const personas = (): Persona[] => [
  { name: "owner", headers: bearer(owner) },
  { name: "enrolled learner", headers: bearer(learner) },
  { name: "stranger", headers: bearer(stranger) },
  { name: "admin", headers: bearer(admin) },
  { name: "cookie", headers: { Cookie: "refresh_token=whatever" } },
];

async function fetchAs(path: string, headers: Record<string, string> = {}, method = "GET") {
  const response = await t.app.request(path, { method, headers });
  return { response, body: await response.text() };
}

const isPublic = (response: Response) => /(^|,)\s*public\b/i.test(response.headers.get("Cache-Control") ?? "");

describe("what shared caches may store", () => {
  it("has samples for every GET route the app serves", () => {
    const served = t.app.routes.filter((route) => route.method === "GET").map((route) => route.path);
    for (const path of new Set(served)) expect(samples[path], `no sample paths for GET ${path}`).toBeDefined();
  });

  it("answers anonymous reads publicly only when every caller gets the same answer, tagged for purging", async () => {
    const publicAnswers: string[] = [];
    for (const path of Object.values(samples).flat()) {
      const anonymous = await fetchAs(path);
      if (!isPublic(anonymous.response)) continue;
      publicAnswers.push(path);
      expect(anonymous.response.status, path).toBe(200);
      expect(anonymous.response.headers.get("Cache-Control"), path).toMatch(/s-maxage=\d+/);
      expect(anonymous.response.headers.get("Cache-Tag"), path).toMatch(/^[\x21-\x7e]+(,[\x21-\x7e]+)*$/);
      // Other files change the whole catalog meanwhile in the real-services pass; these routes never read the caller.
      if (CATALOG_WIDE.has(path)) continue;
      for (const persona of personas()) {
        const personal = await fetchAs(path, persona.headers);
        if (personal.response.status !== 200) continue;
        expect(personal.body, `${path} as ${persona.name} differs from the public answer`).toBe(anonymous.body);
      }
    }
    // The walk must have met public answers, or it proves nothing.
    expect(publicAnswers.length).toBeGreaterThanOrEqual(8);
  });

  it("never lets a cache store an answer to a request that says who is asking", async () => {
    for (const path of Object.values(samples).flat()) {
      for (const persona of personas()) {
        const { response } = await fetchAs(path, persona.headers);
        expect(response.headers.get("Cache-Control"), `${path} as ${persona.name}`).toMatch(/no-store/);
        expect(response.headers.has("Cache-Tag"), `${path} as ${persona.name}`).toBe(false);
      }
    }
  });

  it("keeps drafts, their preview lessons and lessons behind enrollment out of shared caches", async () => {
    const [, , draftId, draftSlug] = samples["/api/v1/courses/:idOrSlug"]!;
    const lessonPaths = samples["/api/v1/lessons/:id"]!;
    for (const path of [draftId!, draftSlug!, lessonPaths[1]!, lessonPaths[2]!]) {
      for (const headers of [{}, bearer(owner), bearer(learner)]) {
        const { response } = await fetchAs(path, headers);
        expect(isPublic(response), `${path} ${response.status}`).toBe(false);
      }
    }
    expect(isPublic((await fetchAs(lessonPaths[0]!)).response)).toBe(true);
  });

  it("never marks an answer to a write, or an error, storable", async () => {
    for (const route of ROUTES.filter((candidate) => candidate.method !== "GET")) {
      const path = route.path.replace(/:[a-zA-Z]+/g, "00000000-0000-4000-8000-000000000000");
      for (const headers of [{}, bearer(learner)]) {
        const { response } = await fetchAs(path, { ...headers, "Content-Type": "application/json" }, route.method);
        expect(response.headers.get("Cache-Control"), `${route.method} ${path}`).toMatch(/no-store/);
      }
    }
    const missing = await fetchAs("/api/v1/courses/no-such-course");
    expect(missing.response.status).toBe(404);
    expect(missing.response.headers.get("Cache-Control")).toBe("private, no-store");
  });
});
