import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  courses,
  earningsLedger,
  emailOutbox,
  enrollments,
  notifications,
  payments,
} from "../../../db/schema/index.ts";
import { paymentsOf } from "../../../api/deps.ts";
import type { CheckoutRequest } from "../../../api/payments/provider.ts";
import { paymentsFor } from "../../../api/runtime.ts";
import { createTestApp, type TestApp, testConfig } from "../../support/app.ts";
import { call, createPublished, json } from "../../support/catalog.ts";
import { type SignedIn, signUp } from "../../support/identity.ts";
import { buy, checkout, payLocally } from "../../support/payments.ts";

let t: TestApp;
let teacher: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  teacher = await signUp(t, { role: "teacher", verified: true });
});

describe("checkout", () => {
  it("buys a paid course end to end through the local provider", async () => {
    const buyer = await signUp(t, { verified: true });
    const course = await createPublished(t, teacher, { priceCents: 4900, lessons: 2 });
    const started = await json(await checkout(t, buyer, course.id, "first-try"), 201);
    expect(started.checkoutUrl).toContain("/api/v1/payments/local/checkout/cs_local_");

    const page = await t.app.request(new URL(started.checkoutUrl).pathname);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(course.title);
    expect(html).toContain("$49.00");

    const back = await payLocally(t, started.checkoutUrl);
    expect(back).toBe(
      `http://localhost:8787/checkout/success?payment=${started.paymentId}&course=${course.slug}`,
    );

    const [payment] = await t.db.select().from(payments).where(eq(payments.id, started.paymentId));
    expect(payment).toMatchObject({ status: "succeeded", amountCents: 4900, currency: "USD", provider: "local" });
    expect((await call(t, "GET", `/lessons/${course.lessonIds[1]}`, buyer)).status).toBe(200);
    expect((await json(await call(t, "POST", `/courses/${course.id}/enroll`, buyer), 200)).status).toBe("active");

    const [sale] = await t.db.select().from(earningsLedger).where(eq(earningsLedger.paymentId, payment!.id));
    expect(sale).toMatchObject({
      kind: "sale",
      teacherId: teacher.id,
      grossCents: 4900,
      platformFeeCents: 980,
      netCents: 3920,
    });
    const receipt = await t.db.select().from(emailOutbox).where(
      and(eq(emailOutbox.userId, buyer.id), eq(emailOutbox.template, "receipt")),
    );
    expect(receipt).toHaveLength(1);
    expect(receipt[0]!.text).toContain("$49.00");
    const told = await t.db.select({ kind: notifications.kind, userId: notifications.userId }).from(notifications)
      .where(
        eq(notifications.dedupeKey, `course_sale:${payment!.id}`),
      );
    expect(told).toEqual([{ kind: "course_sale", userId: teacher.id }]);

    const mine = await json(await call(t, "GET", "/me/payments", buyer), 200);
    expect(mine.items[0]).toMatchObject({ id: payment!.id, status: "succeeded", course: { id: course.id } });
    expect(mine.items[0].refundableUntil).not.toBeNull();
  });

  it("replays the same answer for the same key and body, and refuses the key with another body", async () => {
    const buyer = await signUp(t, { verified: true });
    const course = await createPublished(t, teacher, { priceCents: 1900 });
    const first = await json(await checkout(t, buyer, course.id, "key-1", { coupon: null }), 201);
    const again = await json(await checkout(t, buyer, course.id, "key-1", { coupon: null }), 201);
    expect(again).toEqual(first);
    const reused = await checkout(t, buyer, course.id, "key-1", { coupon: "SALE" });
    expect((await json(reused, 422)).code).toBe("idempotency_key_reused");
    const otherCourse = await createPublished(t, teacher, { priceCents: 1900 });
    expect((await json(await checkout(t, buyer, otherCourse.id, "key-1", { coupon: null }), 422)).code).toBe(
      "idempotency_key_reused",
    );
  });

  it("creates one payment for concurrent requests with one key", async () => {
    const buyer = await signUp(t, { verified: true });
    const course = await createPublished(t, teacher, { priceCents: 1900 });
    const answers = await Promise.all(Array.from({ length: 5 }, () => checkout(t, buyer, course.id, "same-key")));
    expect(answers.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    const bodies = await Promise.all(answers.map((response) => response.json()));
    expect(new Set(bodies.map((body) => body.paymentId)).size).toBe(1);
    const rows = await t.db.select().from(payments).where(eq(payments.userId, buyer.id));
    expect(rows).toHaveLength(1);
  });

  it("freezes the price at checkout", async () => {
    const buyer = await signUp(t, { verified: true });
    const course = await createPublished(t, teacher, { priceCents: 2500 });
    const started = await json(await checkout(t, buyer, course.id, "frozen"), 201);
    await t.db.update(courses).set({ priceCents: 9900 }).where(eq(courses.id, course.id));
    await payLocally(t, started.checkoutUrl);
    const [payment] = await t.db.select().from(payments).where(eq(payments.id, started.paymentId));
    expect(payment!.amountCents).toBe(2500);
  });

  it("refuses what cannot be bought", async () => {
    const buyer = await signUp(t, { verified: true });
    const paid = await createPublished(t, teacher, { priceCents: 1900 });
    const free = await createPublished(t, teacher);
    expect((await json(await checkout(t, buyer, free.id, "free"), 409)).code).toBe("course_is_free");
    expect((await json(await checkout(t, teacher, paid.id, "own"), 409)).code).toBe("own_course");
    await buy(t, buyer, paid.id);
    expect((await json(await checkout(t, buyer, paid.id, "again"), 409)).code).toBe("already_enrolled");
    const noKey = await call(t, "POST", `/courses/${paid.id}/checkout`, buyer, {});
    expect((await json(noKey, 422)).errors[0].path).toBe("Idempotency-Key");
    expect((await json(await checkout(t, buyer, crypto.randomUUID(), "missing"), 404)).code).toBe("not_found");
  });

  it("needs a signed-in, verified buyer", async () => {
    const unverified = await signUp(t);
    const course = await createPublished(t, teacher, { priceCents: 1900 });
    expect((await json(await checkout(t, unverified, course.id, "k"), 403)).code).toBe("email_not_verified");
    const anonymous = await t.app.request(`/api/v1/courses/${course.id}/checkout`, {
      method: "POST",
      headers: { "Idempotency-Key": "k" },
    });
    expect(anonymous.status).toBe(401);
  });

  it("leaves the payment expired and grants nothing when the buyer cancels", async () => {
    const buyer = await signUp(t, { verified: true });
    const course = await createPublished(t, teacher, { priceCents: 1900 });
    const started = await json(await checkout(t, buyer, course.id, "cancel"), 201);
    expect(await payLocally(t, started.checkoutUrl, "cancelled")).toBe(
      `http://localhost:8787/checkout/cancel?payment=${started.paymentId}&course=${course.slug}`,
    );
    const [payment] = await t.db.select().from(payments).where(eq(payments.id, started.paymentId));
    expect(payment!.status).toBe("expired");
    const granted = await t.db.select().from(enrollments).where(
      and(eq(enrollments.userId, buyer.id), eq(enrollments.courseId, course.id)),
    );
    expect(granted).toHaveLength(0);
  });

  it("sends the provider's buyers back to the site's checkout pages, with the payment and the course", async () => {
    const requests: CheckoutRequest[] = [];
    const local = paymentsFor(testConfig()).checkout;
    const recording = await createTestApp({
      payments: paymentsOf({
        ...local,
        createCheckout: (request) => {
          requests.push(request);
          return local.createCheckout(request);
        },
      }),
    });
    const buyer = await signUp(recording, { verified: true });
    const course = await createPublished(recording, teacher, { priceCents: 900 });
    const started = await json(await checkout(recording, buyer, course.id, "return-addresses"), 201);
    expect(requests).toHaveLength(1);
    const query = `payment=${started.paymentId}&course=${course.slug}`;
    expect(requests[0]).toMatchObject({
      paymentId: started.paymentId,
      successUrl: `http://localhost:8787/checkout/success?${query}`,
      cancelUrl: `http://localhost:8787/checkout/cancel?${query}`,
    });
  });
});
