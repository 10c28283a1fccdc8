import Stripe from "stripe";
import { AppError } from "../lib/errors.ts";

export type ProviderName = "stripe" | "local";

export interface CheckoutRequest {
  paymentId: string;
  amountCents: number;
  currency: string;
  courseTitle: string;
  customerEmail: string;
  successUrl: string;
  cancelUrl: string;
}

/** What the platform needs from a payment provider; Stripe in production, the local one on the embedded default. */
export interface PaymentProvider {
  readonly name: ProviderName;
  createCheckout(request: CheckoutRequest): Promise<{ sessionId: string; checkoutUrl: string }>;
  /** Refunds the whole charge; idempotent per payment on the provider's side. */
  refund(payment: { id: string; providerPaymentId: string | null; providerSessionId: string | null }): Promise<void>;
  /** Verifies the signature and timestamp of a webhook delivery and returns the event, or throws signature_invalid. */
  verifyWebhook(rawBody: string, signature: string | undefined): Promise<PaymentEvent>;
}

/** Provider events, reduced to what changes a payment. */
export type PaymentEvent =
  | { id: string; kind: "checkout_completed"; sessionId: string; providerPaymentId: string | null }
  | { id: string; kind: "checkout_expired"; sessionId: string }
  | { id: string; kind: "refunded"; providerPaymentId: string }
  | { id: string; kind: "ignored"; type: string };

/** Stripe's tolerance: a signature older than five minutes is refused, so a captured delivery cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/**
 * Both providers sign deliveries Stripe's way (`Stripe-Signature: t=…,v1=…`,
 * HMAC-SHA256 over the raw body), so one verifier serves both: the local
 * provider's webhooks go through the same code path as Stripe's.
 */
export async function verifyStripeSignedEvent(
  rawBody: string,
  signature: string | undefined,
  secret: string,
): Promise<PaymentEvent> {
  let event: Stripe.Event;
  try {
    if (!signature) throw new Error("no signature");
    event = await Stripe.webhooks.constructEventAsync(
      rawBody,
      signature,
      secret,
      SIGNATURE_TOLERANCE_SECONDS,
      cryptoProvider,
    );
  } catch {
    throw new AppError(400, "signature_invalid", "The webhook signature is missing, wrong or too old.");
  }
  return toPaymentEvent(event);
}

function paymentIntentId(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

function toPaymentEvent(event: Stripe.Event): PaymentEvent {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const session = event.data.object;
      if (session.payment_status !== "paid") return { id: event.id, kind: "ignored", type: `${event.type} (unpaid)` };
      return {
        id: event.id,
        kind: "checkout_completed",
        sessionId: session.id,
        providerPaymentId: paymentIntentId(session.payment_intent),
      };
    }
    case "checkout.session.expired":
      return { id: event.id, kind: "checkout_expired", sessionId: event.data.object.id };
    case "charge.refunded": {
      const charge = event.data.object;
      const intent = paymentIntentId(charge.payment_intent);
      if (!intent || !charge.refunded) return { id: event.id, kind: "ignored", type: `${event.type} (partial)` };
      return { id: event.id, kind: "refunded", providerPaymentId: intent };
    }
    default:
      return { id: event.id, kind: "ignored", type: event.type };
  }
}
