import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { earningsLedger, emailOutbox, payments } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app.ts";
import { call, createPublished, json } from "../../support/catalog.ts";
import { type SignedIn, signUp } from "../../support/identity.ts";
import { buy, checkout } from "../../support/payments.ts";

const DAY_MS = 86_400_000;

let t: TestApp;
let teacher: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  teacher = await signUp(t, { role: "teacher", verified: true });
});

async function purchase(priceCents = 2900) {
  const buyer = await signUp(t, { verified: true });
  const course = await createPublished(t, teacher, { priceCents, lessons: 2 });
  const paymentId = await buy(t, buyer, course.id);
  return { buyer, course, paymentId };
}

describe("refunds", () => {
  it("lets the buyer refund within 14 days: access ends, the ledger reverses, the buyer is told", async () => {
    const { buyer, course, paymentId } = await purchase();
    const refunded = await json(await call(t, "POST", `/payments/${paymentId}/refund`, buyer), 200);
    expect(refunded).toMatchObject({ id: paymentId, status: "refunded", refundableUntil: null });
    expect((await json(await call(t, "GET", `/lessons/${course.lessonIds[1]}`, buyer), 403)).code).toBe("not_enrolled");
    const ledger = await t.db.select().from(earningsLedger).where(eq(earningsLedger.paymentId, paymentId));
    expect(ledger.map((entry) => [entry.kind, entry.grossCents, entry.netCents]).sort()).toEqual([
      ["refund", -2900, -2320],
      ["sale", 2900, 2320],
    ]);
    const { items } = await json(await call(t, "GET", "/notifications", buyer), 200);
    expect(items.map((item: { kind: string }) => item.kind)).toContain("payment_refunded");
    expect((await json(await call(t, "POST", `/payments/${paymentId}/refund`, buyer), 409)).code).toBe(
      "payment_not_refundable",
    );
    expect((await json(await call(t, "POST", `/courses/${course.id}/enroll`, buyer), 402)).code).toBe(
      "payment_required",
    );
  });

  it("closes the window after 14 days for the buyer, not for an admin", async () => {
    const { buyer, paymentId } = await purchase();
    await t.db.update(payments).set({ paidAt: new Date(Date.now() - 15 * 86_400_000) }).where(
      eq(payments.id, paymentId),
    );
    expect((await json(await call(t, "POST", `/payments/${paymentId}/refund`, buyer), 409)).code).toBe(
      "refund_window_closed",
    );
    const admin = await signUp(t, { role: "admin" });
    expect((await json(await call(t, "POST", `/payments/${paymentId}/refund`, admin), 200)).status).toBe("refunded");
  });

  it("shows on each payment the deadline the refund keeps, to the second", async () => {
    const { buyer, paymentId } = await purchase();
    const [paid] = await t.db.select().from(payments).where(eq(payments.id, paymentId));
    const listed = async () => {
      const { items } = await json(await call(t, "GET", "/me/payments", buyer), 200);
      return items.find((item: { id: string }) => item.id === paymentId).refundableUntil;
    };
    expect(await listed()).toBe(new Date(paid!.paidAt!.getTime() + 14 * DAY_MS).toISOString());

    const paidDaysAgo = (days: number, plusMs: number) =>
      t.db.update(payments).set({ paidAt: new Date(Date.now() - days * DAY_MS + plusMs) }).where(
        eq(payments.id, paymentId),
      );
    await paidDaysAgo(14, -1_000);
    expect(await listed()).toBeNull();
    expect((await json(await call(t, "POST", `/payments/${paymentId}/refund`, buyer), 409)).code).toBe(
      "refund_window_closed",
    );
    await paidDaysAgo(14, 60_000);
    const deadline = await listed();
    expect(Date.parse(deadline) - Date.now()).toBeGreaterThan(0);
    expect(Date.parse(deadline) - Date.now()).toBeLessThanOrEqual(60_000);
    expect((await json(await call(t, "POST", `/payments/${paymentId}/refund`, buyer), 200)).status).toBe("refunded");
    expect(await listed()).toBeNull();
  });

  it("offers no refund for a payment that has not gone through", async () => {
    const buyer = await signUp(t, { verified: true });
    const course = await createPublished(t, teacher, { priceCents: 1500 });
    const { paymentId } = await json(await checkout(t, buyer, course.id, "left-open"), 201);
    const { items } = await json(await call(t, "GET", "/me/payments", buyer), 200);
    expect(items).toMatchObject([{ id: paymentId, status: "pending", paidAt: null, refundableUntil: null }]);
    expect((await json(await call(t, "POST", `/payments/${paymentId}/refund`, buyer), 409)).code).toBe(
      "payment_not_refundable",
    );
  });

  it("says in the receipt until when, and on which page, the buyer can refund", async () => {
    const { buyer, paymentId } = await purchase();
    const [paid] = await t.db.select().from(payments).where(eq(payments.id, paymentId));
    const [receipt] = await t.db.select().from(emailOutbox).where(eq(emailOutbox.dedupeKey, `receipt:${paymentId}`));
    expect(receipt!.to).toBe(buyer.email);
    const deadline = new Intl.DateTimeFormat("en", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" })
      .format(new Date(paid!.paidAt!.getTime() + 14 * DAY_MS));
    expect(receipt!.text).toContain(`You can refund this purchase from your account until ${deadline} UTC:`);
    expect(receipt!.text).toContain("http://localhost:8787/account/purchases");
  });

  it("does not let anyone else refund (404)", async () => {
    const { paymentId } = await purchase();
    const stranger = await signUp(t, { verified: true });
    expect((await call(t, "POST", `/payments/${paymentId}/refund`, stranger)).status).toBe(404);
    expect((await call(t, "POST", `/payments/${paymentId}/refund`, teacher)).status).toBe(404);
    expect((await call(t, "POST", `/payments/${paymentId}/refund`)).status).toBe(401);
  });

  it("lets the buyer buy again after a refund", async () => {
    const { buyer, course, paymentId } = await purchase();
    await json(await call(t, "POST", `/payments/${paymentId}/refund`, buyer), 200);
    await buy(t, buyer, course.id);
    expect((await call(t, "GET", `/lessons/${course.lessonIds[1]}`, buyer)).status).toBe(200);
  });
});
