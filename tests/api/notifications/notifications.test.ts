import { beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "../../../api/lib/cursor.ts";
import { createTestApp, type TestApp } from "../../support/app.ts";
import { call, createPublished, json } from "../../support/catalog.ts";
import { type SignedIn, signUp } from "../../support/identity.ts";

let t: TestApp;
let teacher: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  teacher = await signUp(t, { role: "teacher", verified: true });
});

async function learnerWithNotifications(count: number) {
  const learner = await signUp(t);
  for (let i = 0; i < count; i++) {
    const course = await createPublished(t, teacher, { lessons: 1 });
    await json(await call(t, "POST", `/courses/${course.id}/enroll`, learner), 201);
  }
  return learner;
}

describe("notifications", () => {
  it("lists the user's notifications newest first with the unread count, page by page", async () => {
    const learner = await learnerWithNotifications(3);
    const first = await json(await call(t, "GET", "/notifications?limit=2", learner), 200);
    expect(first.unreadCount).toBe(3);
    expect(first.items).toHaveLength(2);
    expect(first.items[0]).toMatchObject({ kind: "enrollment_created", readAt: null });
    expect(first.items[0].link).toMatch(/^\/courses\//);
    const rest = await json(await call(t, "GET", `/notifications?limit=2&cursor=${first.nextCursor}`, learner), 200);
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
  });

  it("marks one read, then all read", async () => {
    const learner = await learnerWithNotifications(2);
    const { items } = await json(await call(t, "GET", "/notifications", learner), 200);
    expect((await call(t, "POST", `/notifications/${items[0].id}/read`, learner)).status).toBe(204);
    expect((await json(await call(t, "GET", "/notifications", learner), 200)).unreadCount).toBe(1);
    expect((await call(t, "POST", "/notifications/read-all", learner)).status).toBe(204);
    const after = await json(await call(t, "GET", "/notifications", learner), 200);
    expect(after.unreadCount).toBe(0);
    expect(after.items.every((item: { readAt: string | null }) => item.readAt !== null)).toBe(true);
  });

  it("never shows or marks someone else's notifications (404)", async () => {
    const owner = await learnerWithNotifications(1);
    const other = await signUp(t);
    const { items } = await json(await call(t, "GET", "/notifications", owner), 200);
    expect((await json(await call(t, "GET", "/notifications", other), 200)).items).toEqual([]);
    expect((await call(t, "POST", `/notifications/${items[0].id}/read`, other)).status).toBe(404);
    expect((await call(t, "POST", "/notifications/not-an-id/read", other)).status).toBe(404);
    expect((await json(await call(t, "GET", "/notifications", owner), 200)).unreadCount).toBe(1);
    expect((await call(t, "GET", "/notifications")).status).toBe(401);
  });
});

describe("notification cursors", () => {
  it.each(["0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2026-02-30T00:00:00Z"])(
    "refuse a cursor dated %s as an invalid cursor (422), not a 500",
    async (date) => {
      const learner = await signUp(t);
      const cursor = encodeCursor([date, crypto.randomUUID()]);
      const refused = await json(await call(t, "GET", `/notifications?cursor=${cursor}`, learner), 422);
      expect(refused).toMatchObject({ code: "validation_failed", errors: [{ path: "cursor" }] });
    },
  );

  it("refuse text Postgres cannot store in the cursor or the path", async () => {
    const learner = await signUp(t);
    expect((await call(t, "GET", "/notifications?cursor=a%00b", learner)).status).toBe(422);
    expect((await call(t, "POST", "/notifications/a%00b/read", learner)).status).toBe(404);
  });
});
