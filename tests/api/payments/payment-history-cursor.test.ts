import { beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "../../../api/lib/cursor.ts";
import { createTestApp, type TestApp } from "../../support/app.ts";
import { call, createPublished, json } from "../../support/catalog.ts";
import { type SignedIn, signUp } from "../../support/identity.ts";
import { buy } from "../../support/payments.ts";

let t: TestApp;
let buyer: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  const teacher = await signUp(t, { role: "teacher", verified: true });
  buyer = await signUp(t, { verified: true });
  for (let i = 0; i < 2; i++) {
    await buy(t, buyer, (await createPublished(t, teacher, { priceCents: 1900 + i })).id);
  }
});

describe("GET /me/payments cursors", () => {
  it("pages with the cursors it issues", async () => {
    const first = await json(await call(t, "GET", "/me/payments?limit=1", buyer), 200);
    const second = await json(await call(t, "GET", `/me/payments?limit=1&cursor=${first.nextCursor}`, buyer), 200);
    expect(second.items).toHaveLength(1);
    expect(second.items[0].id).not.toBe(first.items[0].id);
  });

  it.each([
    ["year 0", ["0000-01-01T00:00:00Z", crypto.randomUUID()]],
    ["before any payment", ["1900-01-01T00:00:00Z", crypto.randomUUID()]],
    ["a number for the date", [Number.MAX_SAFE_INTEGER, crypto.randomUUID()]],
    ["an id that is no uuid", ["2026-01-01T00:00:00Z", "x"]],
  ])("refuses a cursor holding %s as an invalid cursor (422)", async (_, position) => {
    const refused = await json(await call(t, "GET", `/me/payments?cursor=${encodeCursor(position)}`, buyer), 422);
    expect(refused).toMatchObject({ code: "validation_failed", errors: [{ path: "cursor" }] });
  });
});
