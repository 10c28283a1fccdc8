import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createPublished } from "../support/catalog.ts";
import { type SignedIn, signUp } from "../support/identity.ts";
import { extremeBody, extremeCursorQuery, percentEncode, unstorableQuery, unstorableText } from "./hostile-input.ts";
import { ROUTES } from "./routes.ts";

/**
 * Property-based bad input against every route: whatever arrives, the answer
 * is never a 5xx, every error is problem+json, and nothing is written.
 */
let t: TestApp;
const tokens: Record<string, SignedIn> = {};
let realIds: string[];

const TABLES = [
  "users",
  "courses",
  "course_modules",
  "lessons",
  "enrollments",
  "lesson_progress",
  "reviews",
  "payments",
  "webhook_events",
  "earnings_ledger",
  "notifications",
  "email_outbox",
  "refresh_token_families",
  "action_tokens",
];

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const result = await t.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`));
    counts[table] = result.rows[0]!.n;
  }
  return counts;
}

const hostile = fc.constantFrom(
  "' OR 1=1 --",
  "'; drop table users; --",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "../../etc/passwd",
  "%00",
  "\u0000",
  "\uD800",
  "𝕏".repeat(1000),
  "a".repeat(100_000),
  "-1",
  "1e309",
  "NaN",
  "null",
  "[]",
  "{}",
);

const text = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "grapheme", maxLength: 100 }), hostile);
const deepJson = fc.integer({ min: 100, max: 5000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth));
const invalidUtf8 = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) =>
  new Uint8Array([0xff, 0xfe, ...bytes])
);

/** Bodies: arbitrary JSON, JSON-looking garbage, deep nesting, wrong encodings, hostile strings. */
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc.dictionary(
    fc.constantFrom("email", "password", "name", "token", "title", "rating", "body", "modules", "refreshToken", "kind"),
    fc.anything({ maxDepth: 2 }),
  )
    .map((value) => JSON.stringify(value, (_, v) => (typeof v === "bigint" ? Number(v) : v))),
  text,
  deepJson,
  invalidUtf8,
);

const pathParam = fc.oneof(text.map(encodeURIComponent), fc.uuid(), fc.constantFrom(...["stripe", "local", "x"]));
const query = fc.dictionary(fc.constantFrom("q", "limit", "cursor", "sort", "level", "free", "category", "to"), text, {
  maxKeys: 4,
})
  .map((params) => new URLSearchParams(params).toString());
/** Header values are bytes on the wire; fetch refuses anything past Latin-1, so these stay printable ASCII. */
const headerText = fc.string({ unit: "binary-ascii", maxLength: 300 }).map((value) =>
  value.replace(/[^\x20-\x7e]/g, "")
);
const authorization = fc.oneof(
  fc.constant(undefined),
  headerText.map((value) => `Bearer ${value}`),
  fc.constant("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."),
  fc.constant("Basic dXNlcjpwYXNz"),
);

beforeAll(async () => {
  t = await createTestApp({ config: { maxBodyBytes: 64 * 1024 } });
  tokens.student = await signUp(t, { verified: true });
  tokens.teacher = await signUp(t, { role: "teacher", verified: true });
  tokens.admin = await signUp(t, { role: "admin" });
  const course = await createPublished(t, tokens.teacher, { priceCents: 1900 });
  realIds = [course.id, course.moduleId, ...course.lessonIds];
});

type Route = (typeof ROUTES)[number];

interface Attempt {
  /** Stands in for every path parameter, already percent-encoded. */
  param: string;
  search: string;
  payload: string | Uint8Array<ArrayBuffer> | undefined;
  authorization?: string;
  signedIn: boolean;
}

/** Sends one request and checks the answer: never a 5xx, every error problem+json, nothing written when refused. */
async function attempt(route: Route, { param, search, payload, authorization, signedIn }: Attempt): Promise<Response> {
  const path = route.path.replace(/:\w+/g, param);
  const headers: Record<string, string> = { "Content-Type": "application/json", "Idempotency-Key": "fuzz" };
  const user = route.auth && signedIn ? tokens[route.auth] : undefined;
  if (user) headers.Authorization = `Bearer ${user.accessToken}`;
  else if (authorization) headers.Authorization = authorization;
  const before = await rowCounts();
  const response = await t.app.request(`${path}?${search}`, {
    method: route.method,
    headers,
    body: route.method === "GET" ? undefined : payload,
  });
  const contentType = response.headers.get("Content-Type") ?? "";
  const answer = await response.clone().text();
  expect(response.status, `${route.method} ${path}?${search} ${String(payload)} → ${answer.slice(0, 300)}`)
    .toBeLessThan(500);
  if (response.status >= 400) {
    expect(contentType).toContain("application/problem+json");
    expect(await rowCounts()).toEqual(before);
  }
  return response;
}

/** Real ids let requests past the lookups into validation; deletes get none, or the fixtures would go. */
const paramFor = (route: Route, realId: string | undefined, param: string) =>
  (route.method === "DELETE" ? undefined : realId) ?? param;

describe("fuzzing every route", () => {
  it.each(ROUTES)("$method $path: never 5xx, always problem+json, nothing written when refused", async (route) => {
    await fc.assert(
      fc.asyncProperty(
        body,
        pathParam,
        fc.option(fc.constantFrom(...realIds), { nil: undefined }),
        query,
        authorization,
        fc.boolean(),
        async (payload, param, realId, search, header, signedIn) => {
          await attempt(route, {
            param: paramFor(route, realId, param),
            search,
            payload,
            authorization: header,
            signedIn,
          });
        },
      ),
      { numRuns: 60, seed: 20261128 },
    );
  });
});

describe("fuzzing every route with values Postgres cannot take", () => {
  it.each(ROUTES)("$method $path: unstorable text, out-of-range numbers, dates and cursors are 4xx", async (route) => {
    await fc.assert(
      fc.asyncProperty(
        unstorableText.map(percentEncode),
        fc.option(fc.constantFrom(...realIds), { nil: undefined }),
        fc.oneof(unstorableQuery, extremeCursorQuery),
        extremeBody,
        async (param, realId, search, payload) => {
          await attempt(route, { param: paramFor(route, realId, param), search, payload, signedIn: true });
        },
      ),
      { numRuns: 60, seed: 20261202 },
    );
  });

  it.each(ROUTES.filter((route) => route.method === "PATCH"))(
    "$method $path: an empty body changes nothing and is no error",
    async (route) => {
      for (const realId of realIds) {
        const response = await attempt(route, { param: realId, search: "", payload: "{}", signedIn: true });
        expect([200, 403, 404, 422]).toContain(response.status);
      }
    },
  );
});

describe("the route list", () => {
  it("covers every route the app serves", async () => {
    const { createApp } = await import("../../api/app.ts");
    const served = createApp(t.deps).routes
      .filter((route) => route.method !== "ALL")
      .map((route) => `${route.method} ${route.path}`);
    const fuzzed = new Set(ROUTES.map((route) => `${route.method} ${route.path}`));
    expect(served.filter((route) => !fuzzed.has(route))).toEqual([]);
  });
});
