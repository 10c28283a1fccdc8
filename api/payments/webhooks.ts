import { and, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { payments, webhookEvents } from "../../db/schema/index.ts";
import type { Deps } from "../deps.ts";
import { grantPurchase, revokePurchase } from "./effects.ts";
import type { PaymentEvent, PaymentProvider } from "./provider.ts";

type PaymentRow = typeof payments.$inferSelect;

export interface WebhookOutcome {
  duplicate: boolean;
  applied: string;
}

async function lockPayment(tx: Tx, provider: string, where: { sessionId: string } | { providerPaymentId: string }) {
  const [payment] = await tx
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.provider, provider),
        "sessionId" in where
          ? eq(payments.providerSessionId, where.sessionId)
          : eq(payments.providerPaymentId, where.providerPaymentId),
      ),
    )
    .for("update");
  return payment;
}

/**
 * Applies one event to its payment. Events may come in any order: a refund
 * that overtook its completion leaves the payment refunded (no access, no
 * earnings), and a completion that arrives after an expiry still succeeds,
 * because the money did move.
 */
async function apply(tx: Tx, deps: Deps, provider: string, event: PaymentEvent, emailIds: string[]): Promise<string> {
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
      const [paid] = await set(payment, {
        status: "succeeded",
        paidAt: now,
        providerPaymentId: event.providerPaymentId,
      });
      emailIds.push(...await grantPurchase(tx, deps.config, paid!, now));
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
      if (payment.status === "refunded") return "already refunded";
      const wasPaid = payment.status === "succeeded";
      const [refunded] = await set(payment, { status: "refunded", refundedAt: now });
      if (wasPaid) await revokePurchase(tx, deps.config, refunded!, now);
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
  const emailIds: string[] = [];
  const outcome = await deps.db.transaction(async (tx) => {
    const [recorded] = await tx
      .insert(webhookEvents)
      .values({ provider: provider.name, eventId: event.id, type: event.kind, processedAt: deps.clock.now() })
      .onConflictDoNothing({ target: [webhookEvents.provider, webhookEvents.eventId] })
      .returning({ id: webhookEvents.id });
    if (!recorded) return { duplicate: true, applied: "nothing (already processed)" };
    const applied = await apply(tx, deps, provider.name, event, emailIds);
    return { duplicate: false, applied };
  });
  deps.dispatchEmails(emailIds);
  if (!outcome.duplicate) {
    deps.logger.log("info", "payment webhook", { provider: provider.name, event: event.id, outcome: outcome.applied });
  }
  return outcome;
}
