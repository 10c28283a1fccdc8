import Stripe from "stripe";
import { expect } from "vitest";
import type { TestApp } from "./app.ts";
import { json } from "./catalog.ts";
import { bearer, type SignedIn } from "./identity.ts";

const cryptoProvider = Stripe.createSubtleCryptoProvider();

export function checkout(t: TestApp, buyer: SignedIn, courseId: string, key: string, body: unknown = {}) {
  return t.app.request(`/api/v1/courses/${courseId}/checkout`, {
    method: "POST",
    headers: { ...bearer(buyer), "Content-Type": "application/json", "Idempotency-Key": key },
    body: JSON.stringify(body),
  });
}

/** Presses a button on the local provider's checkout page, as a browser would. */
export async function payLocally(t: TestApp, checkoutUrl: string, outcome: "paid" | "cancelled" = "paid") {
  const path = new URL(checkoutUrl).pathname;
  const response = await t.app.request(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: `outcome=${outcome}`,
  });
  expect(response.status).toBe(303);
  return response.headers.get("Location")!;
}

export async function buy(t: TestApp, buyer: SignedIn, courseId: string) {
  const started = await json(await checkout(t, buyer, courseId, crypto.randomUUID()), 201);
  await payLocally(t, started.checkoutUrl);
  return started.paymentId as string;
}

/** A Stripe event, signed with Stripe's own test helper, as Stripe would deliver it. */
export async function stripeDelivery(
  secret: string,
  event: { id: string; type: string; object: Record<string, unknown> },
  timestamp?: number,
) {
  const rawBody = JSON.stringify({ id: event.id, object: "event", type: event.type, data: { object: event.object } });
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
    payload: rawBody,
    secret,
    timestamp,
    cryptoProvider,
  });
  return { rawBody, signature };
}

export function deliver(t: TestApp, provider: string, delivery: { rawBody: string; signature?: string }) {
  return t.app.request(`/api/v1/payments/webhooks/${provider}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(delivery.signature ? { "Stripe-Signature": delivery.signature } : {}),
    },
    body: delivery.rawBody,
  });
}
