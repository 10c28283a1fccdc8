import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { courses, earningsLedger, enrollments, payments } from "../../../db/schema/index.ts";
import { paymentsOf } from "../../../api/deps.ts";
import { silentLogger } from "../../../api/lib/logger.ts";
import type { PaymentProvider } from "../../../api/payments/provider.ts";
import { retryDueRefunds } from "../../../api/payments/refunds.ts";
import { paymentsFor } from "../../../api/runtime.ts";
import { createTestApp, type TestApp, testConfig } from "../../support/app.ts";
import { call, createPublished, json } from "../../support/catalog.ts";
import { type SignedIn, signUp } from "../../support/identity.ts";
import { checkout, deliver, payLocally, stripeDelivery } from "../../support/payments.ts";

let t: TestApp;
let teacher: SignedIn;
/** The payments the local provider was asked to refund, in order. */
const refundedAtProvider: string[] = [];
const secret = testConfig().payments.localWebhookSecret;

/** The local provider, its refunds recorded; `failures` refunds are refused first. */
function recordingProvider(failures = 0): PaymentProvider {
  const local = paymentsFor(testConfig()).checkout;
  let refusals = failures;
  return {
    ...local,
    async refund(payment) {
      if (refusals-- > 0) throw new Error("provider unavailable");
      refundedAtProvider.push(payment.id);
    },
  };
}

beforeAll(async () => {
  t = await createTestApp({ payments: paymentsOf(recordingProvider()) });
  teacher = await signUp(t, { role: "teacher", verified: true });
});

async function sessionOf(app: TestApp, paymentId: string) {
  const [payment] = await app.db.select().from(payments).where(eq(payments.id, paymentId));
  return payment!.providerSessionId!;
}

/** The provider's completion of a payment's checkout session, signed as the local provider signs it. */
async function completion(app: TestApp, paymentId: string, type = "checkout.session.completed") {
  return stripeDelivery(secret, {
    id: `evt_${crypto.randomUUID()}`,
    type,
    object: {
      id: await sessionOf(app, paymentId),
      object: "checkout.session",
      payment_status: "paid",
      payment_intent: `pi_${paymentId}`,
    },
  });
}

function providerRefund(paymentId: string) {
  return stripeDelivery(secret, {
    id: `evt_${crypto.randomUUID()}`,
    type: "charge.refunded",
    object: { id: `ch_${crypto.randomUUID()}`, object: "charge", refunded: true, payment_intent: `pi_${paymentId}` },
  });
}

async function applied(app: TestApp, delivery: { rawBody: string; signature: string }) {
  return json(await deliver(app, "local", delivery), 200);
}

/**
 * Two payments for one buyer and course that can both still be paid: the
 * first checkout was left (expired) and a second started, while the first
 * session stays payable at the provider.
 */
async function twoCheckouts(app: TestApp) {
  const buyer = await signUp(app, { verified: true });
  const course = await createPublished(app, teacher, { priceCents: 2900, lessons: 2 });
  const first = await json(await checkout(app, buyer, course.id, crypto.randomUUID()), 201);
  await payLocally(app, first.checkoutUrl, "cancelled");
  const second = await json(await checkout(app, buyer, course.id, crypto.randomUUID()), 201);
  expect(second.paymentId).not.toBe(first.paymentId);
  return { buyer, course, a: first.paymentId as string, b: second.paymentId as string };
}

async function stateOf(app: TestApp, buyerId: string, courseId: string) {
  const rows = await app.db.select().from(payments).where(
    and(eq(payments.userId, buyerId), eq(payments.courseId, courseId)),
  );
  const [enrollment] = await app.db.select().from(enrollments).where(
    and(eq(enrollments.userId, buyerId), eq(enrollments.courseId, courseId)),
  );
  const ledger = await app.db.select().from(earningsLedger).where(eq(earningsLedger.courseId, courseId));
  return {
    status: Object.fromEntries(rows.map((row) => [row.id, row.status])),
    refundDue: rows.filter((row) => row.refundDue).map((row) => row.id),
    access: enrollment && { status: enrollment.status, paymentId: enrollment.paymentId },
    ledger: ledger.map((entry) => [entry.paymentId, entry.kind]),
  };
}

describe("one open checkout per buyer and course", () => {
  it("answers concurrent checkouts under different keys with the same open checkout", async () => {
    const buyer = await signUp(t, { verified: true });
    const course = await createPublished(t, teacher, { priceCents: 1900 });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => checkout(t, buyer, course.id, crypto.randomUUID())),
    );
    expect(answers.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    const bodies = await Promise.all(answers.map((response) => response.json()));
    expect(new Set(bodies.map((body) => body.paymentId)).size).toBe(1);
    expect(new Set(bodies.map((body) => body.checkoutUrl)).size).toBe(1);
    expect(await t.db.$count(payments, eq(payments.userId, buyer.id))).toBe(1);
  });

  it("replaces an open checkout once the price has changed, and honours the old one if it is paid", async () => {
    const buyer = await signUp(t, { verified: true });
    const course = await createPublished(t, teacher, { priceCents: 2500 });
    const old = await json(await checkout(t, buyer, course.id, crypto.randomUUID()), 201);
    await t.db.update(courses).set({ priceCents: 1900 }).where(eq(courses.id, course.id));
    const fresh = await json(await checkout(t, buyer, course.id, crypto.randomUUID()), 201);
    expect(fresh.paymentId).not.toBe(old.paymentId);
    const rows = await t.db.select().from(payments).where(eq(payments.userId, buyer.id));
    expect(Object.fromEntries(rows.map((row) => [row.id, [row.status, row.amountCents]]))).toEqual({
      [old.paymentId]: ["expired", 2500],
      [fresh.paymentId]: ["pending", 1900],
    });

    await payLocally(t, old.checkoutUrl);
    expect((await stateOf(t, buyer.id, course.id)).access).toEqual({ status: "active", paymentId: old.paymentId });
  });
});

describe("never a second charge for a course the buyer has", () => {
  it.each([["a", "b"], ["b", "a"]] as const)(
    "keeps the first charge and refunds the second at the provider, %s completing first",
    async (firstName, secondName) => {
      const { buyer, course, ...ids } = await twoCheckouts(t);
      const [first, second] = [ids[firstName], ids[secondName]];
      await applied(t, await completion(t, first));
      const secondCompletion = await completion(t, second);
      expect((await applied(t, secondCompletion)).duplicate).toBe(false);

      expect(await stateOf(t, buyer.id, course.id)).toEqual({
        status: { [first]: "succeeded", [second]: "refunded" },
        refundDue: [],
        access: { status: "active", paymentId: first },
        ledger: [[first, "sale"]],
      });
      expect(refundedAtProvider.filter((id) => id === second)).toHaveLength(1);

      // Redeliveries, the session's other success event and the provider's own refund event change nothing.
      expect((await applied(t, secondCompletion)).duplicate).toBe(true);
      await applied(t, await completion(t, second, "checkout.session.async_payment_succeeded"));
      await applied(t, await providerRefund(second));
      expect(refundedAtProvider.filter((id) => id === second)).toHaveLength(1);
      expect((await stateOf(t, buyer.id, course.id)).access).toEqual({ status: "active", paymentId: first });
      expect((await json(await call(t, "POST", `/payments/${second}/refund`, buyer), 409)).code).toBe(
        "payment_not_refundable",
      );
      expect((await call(t, "GET", `/lessons/${course.lessonIds[1]}`, buyer)).status).toBe(200);

      // Only refunding the charge that remains ends access.
      await json(await call(t, "POST", `/payments/${first}/refund`, buyer), 200);
      expect((await call(t, "GET", `/lessons/${course.lessonIds[1]}`, buyer)).status).toBe(403);
    },
  );

  it("settles two completions delivered at once to one charge", async () => {
    const { buyer, course, a, b } = await twoCheckouts(t);
    const answers = await Promise.all([
      deliver(t, "local", await completion(t, a)),
      deliver(t, "local", await completion(t, b)),
    ]);
    expect(answers.map((response) => response.status)).toEqual([200, 200]);
    const state = await stateOf(t, buyer.id, course.id);
    expect(Object.values(state.status).sort()).toEqual(["refunded", "succeeded"]);
    const kept = state.status[a] === "succeeded" ? a : b;
    expect(state.access).toEqual({ status: "active", paymentId: kept });
    expect(state.ledger).toEqual([[kept, "sale"]]);
  });

  it("grants access through the other payment once the first was refunded", async () => {
    const { buyer, course, a, b } = await twoCheckouts(t);
    await applied(t, await completion(t, a));
    await json(await call(t, "POST", `/payments/${a}/refund`, buyer), 200);
    await applied(t, await completion(t, b));
    expect(await stateOf(t, buyer.id, course.id)).toMatchObject({
      status: { [a]: "refunded", [b]: "succeeded" },
      access: { status: "active", paymentId: b },
    });
    expect(refundedAtProvider).not.toContain(b);
  });

  it("still refunds a second charge whose refund event overtook its completion", async () => {
    const { buyer, course, a, b } = await twoCheckouts(t);
    await applied(t, await completion(t, a));
    await applied(t, await providerRefund(b));
    await applied(t, await completion(t, b));
    expect(await stateOf(t, buyer.id, course.id)).toMatchObject({
      status: { [a]: "succeeded", [b]: "refunded" },
      refundDue: [],
      access: { status: "active", paymentId: a },
    });
    expect(refundedAtProvider).toContain(b);
  });

  it("keeps a refund the provider refused due, and the scheduled job settles it", async () => {
    const refusing = await createTestApp({ payments: paymentsOf(recordingProvider(1)) });
    const { buyer, course, a, b } = await twoCheckouts(refusing);
    await applied(refusing, await completion(refusing, a));
    await applied(refusing, await completion(refusing, b));
    expect(await stateOf(refusing, buyer.id, course.id)).toMatchObject({
      status: { [a]: "succeeded", [b]: "refunded" },
      refundDue: [b],
    });
    expect(refundedAtProvider).not.toContain(b);

    await retryDueRefunds({ db: refusing.db, payments: refusing.deps.payments, logger: silentLogger });
    expect((await stateOf(refusing, buyer.id, course.id)).refundDue).toEqual([]);
    expect(refundedAtProvider.filter((id) => id === b)).toHaveLength(1);
  });
});
