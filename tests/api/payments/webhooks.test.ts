import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  earningsLedger,
  emailOutbox,
  enrollments,
  notifications,
  payments,
  webhookEvents,
} from "../../../db/schema/index.ts";
import { createTestApp, type TestApp, testConfig } from "../../support/app.ts";
import { createPublished, json } from "../../support/catalog.ts";
import { type SignedIn, signUp } from "../../support/identity.ts";
import { deliver, stripeDelivery } from "../../support/payments.ts";

let t: TestApp;
let teacher: SignedIn;
const secret = testConfig().payments.stripe!.webhookSecret;

beforeAll(async () => {
  t = await createTestApp();
  teacher = await signUp(t, { role: "teacher", verified: true });
});

/** A pending Stripe payment, as checkout would have left it with Stripe as the provider. */
async function pendingStripePayment(priceCents = 3900) {
  const buyer = await signUp(t, { verified: true });
  const course = await createPublished(t, teacher, { priceCents });
  const sessionId = `cs_test_${crypto.randomUUID()}`;
  const [payment] = await t.db
    .insert(payments)
    .values({
      userId: buyer.id,
      courseId: course.id,
      provider: "stripe",
      providerSessionId: sessionId,
      amountCents: priceCents,
      currency: "USD",
      idempotencyKey: crypto.randomUUID(),
      requestHash: "0".repeat(64),
      checkoutUrl: `https://checkout.stripe.com/c/pay/${sessionId}`,
    })
    .returning();
  return { buyer, course, payment: payment!, sessionId, intent: `pi_test_${crypto.randomUUID().slice(0, 12)}` };
}

const completed = (sessionId: string, intent: string, id = `evt_${crypto.randomUUID()}`) => ({
  id,
  type: "checkout.session.completed",
  object: { id: sessionId, object: "checkout.session", payment_status: "paid", payment_intent: intent },
});
const expired = (sessionId: string) => ({
  id: `evt_${crypto.randomUUID()}`,
  type: "checkout.session.expired",
  object: { id: sessionId, object: "checkout.session", payment_status: "unpaid", payment_intent: null },
});
const refunded = (intent: string) => ({
  id: `evt_${crypto.randomUUID()}`,
  type: "charge.refunded",
  object: { id: `ch_${crypto.randomUUID()}`, object: "charge", refunded: true, payment_intent: intent },
});

async function stateOf(paymentId: string, buyerId: string) {
  const [payment] = await t.db.select().from(payments).where(eq(payments.id, paymentId));
  const access = await t.db.select({ status: enrollments.status }).from(enrollments).where(
    eq(enrollments.paymentId, paymentId),
  );
  const ledger = await t.db.select({ kind: earningsLedger.kind, net: earningsLedger.netCents }).from(earningsLedger)
    .where(
      eq(earningsLedger.paymentId, paymentId),
    );
  const told = await t.db.select({ kind: notifications.kind }).from(notifications).where(
    eq(notifications.userId, buyerId),
  );
  const receipts = await t.db.select().from(emailOutbox).where(
    and(eq(emailOutbox.userId, buyerId), eq(emailOutbox.template, "receipt")),
  );
  return {
    status: payment!.status,
    access: access.map((row) => row.status),
    ledger,
    told: told.map((row) => row.kind),
    receipts: receipts.length,
  };
}

describe("payment webhooks", () => {
  it("refuse missing, wrong, altered and stale signatures with 400 signature_invalid, changing nothing", async () => {
    const { payment, sessionId, intent, buyer } = await pendingStripePayment();
    const good = await stripeDelivery(secret, completed(sessionId, intent));
    const eventsBefore = await t.db.$count(webhookEvents);
    const attempts = [
      { rawBody: good.rawBody },
      await stripeDelivery("whsec_somebody_elses_secret_0000000", completed(sessionId, intent)),
      { rawBody: good.rawBody.replace('"paid"', '"PAID"'), signature: good.signature },
      await stripeDelivery(secret, completed(sessionId, intent), Math.floor(Date.now() / 1000) - 3600),
    ];
    for (const attempt of attempts) {
      expect((await json(await deliver(t, "stripe", attempt), 400)).code).toBe("signature_invalid");
    }
    expect(await t.db.$count(webhookEvents)).toBe(eventsBefore);
    expect(await stateOf(payment.id, buyer.id)).toMatchObject({ status: "pending", access: [], ledger: [] });
  });

  it("apply an event exactly once when it is delivered five times at once", async () => {
    const { payment, sessionId, intent, buyer } = await pendingStripePayment();
    const delivery = await stripeDelivery(secret, completed(sessionId, intent));
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(t, "stripe", delivery)));
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    const duplicates = (await Promise.all(answers.map((response) => response.json()))).filter((body) => body.duplicate);
    expect(duplicates).toHaveLength(4);
    const state = await stateOf(payment.id, buyer.id);
    expect(state).toMatchObject({ status: "succeeded", access: ["active"], receipts: 1 });
    expect(state.ledger).toEqual([{ kind: "sale", net: 3120 }]);
    expect(state.told.filter((kind) => kind === "payment_succeeded")).toHaveLength(1);
  });

  it("end refunded when the refund overtakes the completion", async () => {
    const { payment, sessionId, intent, buyer } = await pendingStripePayment();
    await json(await deliver(t, "stripe", await stripeDelivery(secret, completed(sessionId, intent))), 200);
    const other = await pendingStripePayment();
    await t.db.update(payments).set({ providerPaymentId: other.intent }).where(eq(payments.id, other.payment.id));
    await json(await deliver(t, "stripe", await stripeDelivery(secret, refunded(other.intent))), 200);
    await json(await deliver(t, "stripe", await stripeDelivery(secret, completed(other.sessionId, other.intent))), 200);
    const state = await stateOf(other.payment.id, other.buyer.id);
    expect(state).toMatchObject({ status: "refunded", access: [], ledger: [] });
    expect((await stateOf(payment.id, buyer.id)).status).toBe("succeeded");
  });

  it("succeed when the completion arrives after the expiry", async () => {
    const { payment, sessionId, intent, buyer } = await pendingStripePayment();
    await json(await deliver(t, "stripe", await stripeDelivery(secret, expired(sessionId))), 200);
    expect((await stateOf(payment.id, buyer.id)).status).toBe("expired");
    await json(await deliver(t, "stripe", await stripeDelivery(secret, completed(sessionId, intent))), 200);
    expect(await stateOf(payment.id, buyer.id)).toMatchObject({ status: "succeeded", access: ["active"] });
  });

  it("reverse access and earnings for a refund issued in the provider's dashboard", async () => {
    const { payment, sessionId, intent, buyer } = await pendingStripePayment();
    await json(await deliver(t, "stripe", await stripeDelivery(secret, completed(sessionId, intent))), 200);
    await json(await deliver(t, "stripe", await stripeDelivery(secret, refunded(intent))), 200);
    const state = await stateOf(payment.id, buyer.id);
    expect(state).toMatchObject({ status: "refunded", access: ["refunded"] });
    expect(state.ledger.reduce((total, entry) => total + entry.net, 0)).toBe(0);
    expect(state.told).toContain("payment_refunded");
  });

  it("leave a failed effect unrecorded, so the provider's retry applies it", async () => {
    const { payment, sessionId, intent, buyer } = await pendingStripePayment();
    const trigger = `fail_${payment.id.replaceAll("-", "")}`;
    await t.db.execute(sql.raw(`create function ${trigger}() returns trigger language plpgsql as $$
      begin if new.payment_id = '${payment.id}' then raise exception 'ledger unavailable'; end if; return new; end $$`));
    await t.db.execute(
      sql.raw(`create trigger ${trigger} before insert on earnings_ledger for each row execute function ${trigger}()`),
    );
    const delivery = await stripeDelivery(secret, completed(sessionId, intent));
    expect((await deliver(t, "stripe", delivery)).status).toBe(500);
    expect(await stateOf(payment.id, buyer.id)).toMatchObject({ status: "pending", access: [], receipts: 0 });

    await t.db.execute(sql.raw(`drop trigger ${trigger} on earnings_ledger`));
    await t.db.execute(sql.raw(`drop function ${trigger}()`));
    expect((await json(await deliver(t, "stripe", delivery), 200)).duplicate).toBe(false);
    expect(await stateOf(payment.id, buyer.id)).toMatchObject({ status: "succeeded", access: ["active"], receipts: 1 });
  });

  it("answer 404 for an unknown provider and accept events it does not act on", async () => {
    expect((await deliver(t, "paypal", { rawBody: "{}", signature: "x" })).status).toBe(404);
    const ignored = await stripeDelivery(secret, {
      id: `evt_${crypto.randomUUID()}`,
      type: "customer.created",
      object: { id: "cus_1" },
    });
    expect((await json(await deliver(t, "stripe", ignored), 200)).received).toBe(true);
  });
});
