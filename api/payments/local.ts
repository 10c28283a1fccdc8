import Stripe from "stripe";
import { randomToken } from "../lib/crypto.ts";
import type { PaymentProvider } from "./provider.ts";
import { verifyStripeSignedEvent } from "./provider.ts";

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/**
 * The embedded default's payment provider: checkout is a page of our own with
 * Pay and Cancel buttons, and the outcome reaches the app as a webhook signed
 * exactly like Stripe's, with a local secret — so the whole webhook path is
 * exercised locally. Refused in production configuration.
 */
export function localProvider(options: { publicUrl: string; webhookSecret: string }): PaymentProvider {
  return {
    name: "local",
    async createCheckout() {
      const sessionId = `cs_local_${randomToken()}`;
      return { sessionId, checkoutUrl: `${options.publicUrl}/api/v1/payments/local/checkout/${sessionId}` };
    },
    async refund() {
      // Nothing to call: the local provider holds no money.
    },
    verifyWebhook: (rawBody, signature) => verifyStripeSignedEvent(rawBody, signature, options.webhookSecret),
  };
}

export type LocalOutcome = "paid" | "cancelled";

/** A Stripe-shaped event for the local checkout's outcome, and its signature header. */
export async function signedLocalEvent(
  secret: string,
  sessionId: string,
  outcome: LocalOutcome,
  now: Date,
): Promise<{ rawBody: string; signature: string }> {
  const session = outcome === "paid"
    ? { id: sessionId, object: "checkout.session", payment_status: "paid", payment_intent: `pi_local_${randomToken()}` }
    : { id: sessionId, object: "checkout.session", payment_status: "unpaid", payment_intent: null };
  const rawBody = JSON.stringify({
    id: `evt_local_${randomToken()}`,
    object: "event",
    type: outcome === "paid" ? "checkout.session.completed" : "checkout.session.expired",
    created: Math.floor(now.getTime() / 1000),
    data: { object: session },
  });
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload: rawBody,
    secret,
    timestamp: Math.floor(now.getTime() / 1000),
    cryptoProvider,
  });
  return { rawBody, signature };
}
