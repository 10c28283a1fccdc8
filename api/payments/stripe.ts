import Stripe from "stripe";
import type { PaymentProvider } from "./provider.ts";
import { verifyStripeSignedEvent } from "./provider.ts";

/**
 * Stripe Checkout through the `stripe` package configured for Workers: its
 * fetch HTTP client (no Node http) and SubtleCrypto for signatures. Every
 * call carries an idempotency key derived from our payment id, so retries
 * never create a second session or refund.
 */
export function stripeProvider(
  options: { secretKey: string; webhookSecret: string; fetch?: typeof fetch },
): PaymentProvider {
  const stripe = new Stripe(options.secretKey, {
    httpClient: Stripe.createFetchHttpClient(options.fetch),
    maxNetworkRetries: 2,
    timeout: 10_000,
  });
  return {
    name: "stripe",
    async createCheckout(request) {
      const session = await stripe.checkout.sessions.create(
        {
          mode: "payment",
          customer_email: request.customerEmail,
          client_reference_id: request.paymentId,
          metadata: { paymentId: request.paymentId },
          line_items: [{
            quantity: 1,
            price_data: {
              currency: request.currency.toLowerCase(),
              unit_amount: request.amountCents,
              product_data: { name: request.courseTitle },
            },
          }],
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
        },
        { idempotencyKey: `checkout:${request.paymentId}` },
      );
      if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL");
      return { sessionId: session.id, checkoutUrl: session.url };
    },
    async refund(payment) {
      if (!payment.providerPaymentId) throw new Error(`payment ${payment.id} has no Stripe payment intent to refund`);
      await stripe.refunds.create({ payment_intent: payment.providerPaymentId }, {
        idempotencyKey: `refund:${payment.id}`,
      });
    },
    verifyWebhook: (rawBody, signature) => verifyStripeSignedEvent(rawBody, signature, options.webhookSecret),
  };
}
