import { and, asc, eq, inArray } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { enrollments, payments, webhookEvents } from "../../db/schema/index.ts";
import { invalidateCourse } from "../catalog/cache.ts";
import type { Deps } from "../deps.ts";
import { grantPurchase, revokePurchase } from "./effects.ts";
import type { PaymentEvent, PaymentProvider } from "./provider.ts";
import { settleDueRefunds } from "./refunds.ts";

type PaymentRow = typeof payments.$inferSelect;

export interface WebhookOutcome {
  duplicate: boolean;
  applied: string;
}

function eventPayment(provider: string, where: { sessionId: string } | { providerPaymentId: string }) {
  return and(
    eq(payments.provider, provider),
    "sessionId" in where
      ? eq(payments.providerSessionId, where.sessionId)
      : eq(payments.providerPaymentId, where.providerPaymentId),
  );
}

/**
 * The event's payment, locked with every other payment of its buyer and
 * course (in id order, so two events never deadlock): events about the same
 * purchase apply one after the other, each seeing what the last one did.
 */
async function lockPayment(tx: Tx, provider: string, where: { sessionId: string } | { providerPaymentId: string }) {
  const [purchase] = await tx
    .select({ userId: payments.userId, courseId: payments.courseId })
    .from(payments)
    .where(eventPayment(provider, where));
  if (!purchase) return undefined;
  await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.userId, purchase.userId), eq(payments.courseId, purchase.courseId)))
    .orderBy(asc(payments.id))
    .for("update");
  const [payment] = await tx.select().from(payments).where(eventPayment(provider, where));
  return payment;
}

async function ownsCourse(tx: Tx, payment: PaymentRow): Promise<boolean> {
  const [access] = await tx.select({ id: enrollments.id }).from(enrollments).where(
    and(
      eq(enrollments.userId, payment.userId),
      eq(enrollments.courseId, payment.courseId),
      inArray(enrollments.status, ["active", "completed"]),
    ),
  );
  return Boolean(access);
}

/** What an event leaves to do once its transaction has committed. */
interface AfterCommit {
  emailIds: string[];
  refundsDue: PaymentRow[];
  /** Courses whose public answers a refund changed (the buyer's review went with their access). */
  coursesToPurge: { id: string; slug: string }[];
}

/**
 * Applies one event to its payment. Events may come in any order: a refund
 * that overtook its completion leaves the payment refunded (no access, no
 * earnings), and a completion that arrives after an expiry still succeeds,
 * because the money did move. A completion for a course the buyer already
 * has (an old checkout paid after a newer one) is a second charge: it is
 * recorded refunded and its refund left due, for after the commit.
 */
async function apply(tx: Tx, deps: Deps, provider: string, event: PaymentEvent, after: AfterCommit): Promise<string> {
  const now = deps.clock.now();
  const set = (payment: PaymentRow, values: Partial<typeof payments.$inferInsert>) =>
    tx.update(payments).set(values).where(eq(payments.id, payment.id)).returning();

  switch (event.kind) {
    case "checkout_completed": {
      const payment = await lockPayment(tx, provider, { sessionId: event.sessionId });
      if (!payment) return "unknown session";
      if (payment.status === "succeeded" || payment.status === "refunded") {
        if (!payment.providerPaymentId && event.providerPaymentId) {
          await set(payment, { providerPaymentId: event.providerPaymentId });
        }
        return `already ${payment.status}`;
      }
      const paid = { paidAt: now, providerPaymentId: event.providerPaymentId };
      if (await ownsCourse(tx, payment)) {
        const [duplicate] = await set(payment, { ...paid, status: "refunded", refundedAt: now, refundDue: true });
        after.refundsDue.push(duplicate!);
        return "refunded (a second charge for a course the buyer has)";
      }
      const [succeeded] = await set(payment, { ...paid, status: "succeeded" });
      after.emailIds.push(...await grantPurchase(tx, deps.config, succeeded!, now));
      return "succeeded";
    }
    case "checkout_expired": {
      const payment = await lockPayment(tx, provider, { sessionId: event.sessionId });
      if (!payment) return "unknown session";
      if (payment.status !== "pending") return `already ${payment.status}`;
      await set(payment, { status: "expired" });
      return "expired";
    }
    case "refunded": {
      const payment = await lockPayment(tx, provider, { providerPaymentId: event.providerPaymentId });
      if (!payment) return "unknown payment";
      if (payment.status === "refunded") {
        // The provider confirms a refund that was due here.
        if (payment.refundDue) await set(payment, { refundDue: false });
        return "already refunded";
      }
      const wasPaid = payment.status === "succeeded";
      const [refunded] = await set(payment, { status: "refunded", refundedAt: now });
      if (wasPaid) after.coursesToPurge.push(await revokePurchase(tx, deps.config, refunded!, now));
      return "refunded";
    }
    case "ignored":
      return `ignored ${event.type}`;
  }
}

/**
 * Verifies, then applies the event exactly once: its id is recorded in the
 * same transaction as its effect, so concurrent or repeated deliveries find
 * it recorded and change nothing, and an effect that fails records nothing,
 * leaving the provider's retry to succeed.
 */
export async function handleWebhook(
  deps: Deps,
  provider: PaymentProvider,
  rawBody: string,
  signature: string | undefined,
): Promise<WebhookOutcome> {
  const event = await provider.verifyWebhook(rawBody, signature);
  const after: AfterCommit = { emailIds: [], refundsDue: [], coursesToPurge: [] };
  const outcome = await deps.db.transaction(async (tx) => {
    const [recorded] = await tx
      .insert(webhookEvents)
      .values({ provider: provider.name, eventId: event.id, type: event.kind, processedAt: deps.clock.now() })
      .onConflictDoNothing({ target: [webhookEvents.provider, webhookEvents.eventId] })
      .returning({ id: webhookEvents.id });
    if (!recorded) return { duplicate: true, applied: "nothing (already processed)" };
    const applied = await apply(tx, deps, provider.name, event, after);
    return { duplicate: false, applied };
  });
  deps.dispatchEmails(after.emailIds);
  await settleDueRefunds(deps, after.refundsDue);
  await Promise.all(after.coursesToPurge.map((course) => invalidateCourse(deps, course)));
  if (!outcome.duplicate) {
    deps.logger.log("info", "payment webhook", { provider: provider.name, event: event.id, outcome: outcome.applied });
  }
  return outcome;
}
