import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { earningsLedger, payments } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app.ts";
import { call, createPublished, json } from "../../support/catalog.ts";
import { type SignedIn, signUp } from "../../support/identity.ts";
import { buy } from "../../support/payments.ts";

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
