import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, payments, reviews, users } from "../../../db/schema/index.ts";
import { NEW_ACCOUNT_DAYS, NEW_ACCOUNT_REVIEW_RULE } from "../../../api/learning/reviews.ts";
import { createTestApp, type TestApp, testConfig } from "../../support/app.ts";
import { call, createPublished, json } from "../../support/catalog.ts";
import { type SignedIn, signUp } from "../../support/identity.ts";
import { buy, deliver, stripeDelivery } from "../../support/payments.ts";

let t: TestApp;
let teacher: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  teacher = await signUp(t, { role: "teacher", verified: true });
});

const localWebhookSecret = testConfig().payments.localWebhookSecret;

/** Refund at the buyer's request, through the API. */
async function refundOnRequest(buyer: SignedIn, paymentId: string) {
  await json(await call(t, "POST", `/payments/${paymentId}/refund`, buyer), 200);
}

/** Refund issued at the provider, reaching the app as its signed webhook. */
async function refundAtProvider(_buyer: SignedIn, paymentId: string) {
  const [payment] = await t.db.select().from(payments).where(eq(payments.id, paymentId));
  const event = {
    id: `evt_${crypto.randomUUID()}`,
    type: "charge.refunded",
    object: {
      id: `ch_${crypto.randomUUID()}`,
      object: "charge",
      refunded: true,
      payment_intent: payment!.providerPaymentId,
    },
  };
  await json(await deliver(t, "local", await stripeDelivery(localWebhookSecret, event)), 200);
}

async function ratingOf(courseId: string) {
  const { avgRating, reviewsCount } = await json(await call(t, "GET", `/courses/${courseId}`), 200);
  return { avgRating, reviewsCount };
}

async function enrolledLearners(courseId: string, count: number) {
  const learners = await Promise.all(Array.from({ length: count }, () => signUp(t, { verified: true })));
  for (const learner of learners) await json(await call(t, "POST", `/courses/${courseId}/enroll`, learner), 201);
  return learners;
}

describe("reviews", () => {
  it("creates, replaces and deletes the caller's review, keeping the course's rating exact", async () => {
    const course = await createPublished(t, teacher);
    const [ann, bob] = await enrolledLearners(course.id, 2);
    await json(
      await call(t, "PUT", `/courses/${course.id}/reviews/mine`, ann, { rating: 5, body: "Great!\nSecond line." }),
      200,
    );
    const bobs = await json(await call(t, "PUT", `/courses/${course.id}/reviews/mine`, bob, { rating: 2 }), 200);
    expect(await json(await call(t, "GET", `/courses/${course.id}`), 200)).toMatchObject({
      avgRating: 3.5,
      reviewsCount: 2,
    });

    const replaced = await json(
      await call(t, "PUT", `/courses/${course.id}/reviews/mine`, bob, { rating: 4, body: "Better on a second read" }),
      200,
    );
    expect(replaced.id).toBe(bobs.id);
    expect(await json(await call(t, "GET", `/courses/${course.id}`), 200)).toMatchObject({
      avgRating: 4.5,
      reviewsCount: 2,
    });

    expect((await call(t, "DELETE", `/courses/${course.id}/reviews/mine`, ann)).status).toBe(204);
    expect(await json(await call(t, "GET", `/courses/${course.id}`), 200)).toMatchObject({
      avgRating: 4,
      reviewsCount: 1,
    });
    expect((await call(t, "DELETE", `/courses/${course.id}/reviews/mine`, ann)).status).toBe(404);
  });

  it("lists reviews publicly, newest first, with the author's name, page by page", async () => {
    const course = await createPublished(t, teacher);
    const learners = await enrolledLearners(course.id, 3);
    for (const [index, learner] of learners.entries()) {
      await json(
        await call(t, "PUT", `/courses/${course.id}/reviews/mine`, learner, {
          rating: index + 3,
          body: `Review ${index}`,
        }),
        200,
      );
    }
    const first = await json(await call(t, "GET", `/courses/${course.id}/reviews?limit=2`), 200);
    const rest = await json(
      await call(t, "GET", `/courses/${course.id}/reviews?limit=2&cursor=${first.nextCursor}`),
      200,
    );
    expect([...first.items, ...rest.items].map((review: { body: string }) => review.body)).toEqual([
      "Review 2",
      "Review 1",
      "Review 0",
    ]);
    expect(first.items[0]).toMatchObject({ rating: 5, author: { id: learners[2]!.id, name: "Test Person" } });
    expect(rest.nextCursor).toBeNull();
  });

  it("admits enrolled learners only, never the course's own teacher", async () => {
    const course = await createPublished(t, teacher);
    const outsider = await signUp(t, { verified: true });
    expect((await json(await call(t, "PUT", `/courses/${course.id}/reviews/mine`, outsider, { rating: 5 }), 403)).code)
      .toBe("not_enrolled");
    expect((await json(await call(t, "PUT", `/courses/${course.id}/reviews/mine`, teacher, { rating: 5 }), 403)).code)
      .toBe("forbidden");
    expect((await call(t, "PUT", `/courses/${course.id}/reviews/mine`, undefined, { rating: 5 })).status).toBe(401);
  });

  it("rejects ratings outside 1..5 and bodies over 5000 characters with 422", async () => {
    const course = await createPublished(t, teacher);
    const [learner] = await enrolledLearners(course.id, 1);
    for (
      const body of [{ rating: 0 }, { rating: 6 }, { rating: 4.5 }, { rating: "5" }, {
        rating: 3,
        body: "x".repeat(5001),
      }, {}]
    ) {
      const response = await call(t, "PUT", `/courses/${course.id}/reviews/mine`, learner, body);
      expect((await json(response, 422)).code).toBe("validation_failed");
    }
  });

  it("keeps count and average exact under concurrent reviews", async () => {
    const course = await createPublished(t, teacher);
    const learners = await enrolledLearners(course.id, 8);
    const ratings = [5, 4, 3, 5, 1, 2, 5, 4];
    const answers = await Promise.all(
      learners.map((learner, index) =>
        call(t, "PUT", `/courses/${course.id}/reviews/mine`, learner, { rating: ratings[index] })
      ),
    );
    expect(answers.every((response) => response.status === 200)).toBe(true);
    const expected = Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 100) / 100;
    expect(await json(await call(t, "GET", `/courses/${course.id}`), 200)).toMatchObject({
      reviewsCount: 8,
      avgRating: expected,
    });
  });

  it("tells the teacher about a new review, once", async () => {
    const course = await createPublished(t, teacher);
    const [learner] = await enrolledLearners(course.id, 1);
    await json(await call(t, "PUT", `/courses/${course.id}/reviews/mine`, learner, { rating: 5 }), 200);
    await json(await call(t, "PUT", `/courses/${course.id}/reviews/mine`, learner, { rating: 4 }), 200);
    const received = await t.db.select().from(notifications).where(eq(notifications.userId, teacher.id));
    expect(received.filter((row) => row.kind === "review_received" && row.link === `/courses/${course.slug}`))
      .toHaveLength(1);
  });

  it("reads back the caller's own review, or null, for the form to start from", async () => {
    const course = await createPublished(t, teacher);
    const [learner] = await enrolledLearners(course.id, 1);
    const empty = await call(t, "GET", `/courses/${course.id}/reviews/mine`, learner);
    expect(empty.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await json(empty, 200)).toEqual({ review: null });

    const saved = await json(
      await call(t, "PUT", `/courses/${course.id}/reviews/mine`, learner, { rating: 4, body: "Solid." }),
      200,
    );
    expect(await json(await call(t, "GET", `/courses/${course.id}/reviews/mine`, learner), 200)).toEqual({
      review: saved,
    });
    expect(saved).toMatchObject({ rating: 4, body: "Solid.", author: { id: learner!.id } });
    // Not enrolled, or the teacher: still an answer, not a refusal.
    expect(await json(await call(t, "GET", `/courses/${course.id}/reviews/mine`, await signUp(t)), 200)).toEqual({
      review: null,
    });
    expect(await json(await call(t, "GET", `/courses/${course.id}/reviews/mine`, teacher), 200)).toEqual({
      review: null,
    });

    expect((await call(t, "DELETE", `/courses/${course.id}/reviews/mine`, learner)).status).toBe(204);
    expect(await json(await call(t, "GET", `/courses/${course.id}/reviews/mine`, learner), 200)).toEqual({
      review: null,
    });
  });

  it("answers 401 anonymously and 404 for unknown courses and drafts the caller cannot see", async () => {
    const learner = await signUp(t);
    const course = await createPublished(t, teacher);
    expect((await call(t, "GET", `/courses/${course.id}/reviews/mine`)).status).toBe(401);
    expect((await call(t, "GET", `/courses/${crypto.randomUUID()}/reviews/mine`, learner)).status).toBe(404);
    await json(await call(t, "POST", `/courses/${course.id}/unpublish`, teacher), 200);
    expect((await call(t, "GET", `/courses/${course.id}/reviews/mine`, learner)).status).toBe(404);
    expect(await json(await call(t, "GET", `/courses/${course.id}/reviews/mine`, teacher), 200)).toEqual({
      review: null,
    });
  });

  it("refuses to create or update a review until the email is verified (403 email_not_verified)", async () => {
    const course = await createPublished(t, teacher);
    const [verified] = await enrolledLearners(course.id, 1);
    await json(await call(t, "PUT", `/courses/${course.id}/reviews/mine`, verified, { rating: 5 }), 200);
    const throwaway = await signUp(t);
    await json(await call(t, "POST", `/courses/${course.id}/enroll`, throwaway), 201);

    const refused = await call(t, "PUT", `/courses/${course.id}/reviews/mine`, throwaway, { rating: 1 });
    expect(refused.headers.get("Content-Type")).toContain("application/problem+json");
    expect((await json(refused, 403)).code).toBe("email_not_verified");
    // A review written before the rule cannot be rewritten either.
    await t.db.insert(reviews).values({ userId: throwaway.id, courseId: course.id, rating: 5 });
    expect((await json(await call(t, "PUT", `/courses/${course.id}/reviews/mine`, throwaway, { rating: 1 }), 403)).code)
      .toBe("email_not_verified");
    const [kept] = await t.db.select().from(reviews).where(eq(reviews.userId, throwaway.id));
    expect(kept!.rating).toBe(5);
    await t.db.delete(reviews).where(eq(reviews.userId, throwaway.id));

    expect(await ratingOf(course.id)).toEqual({ avgRating: 5, reviewsCount: 1 });
  });

  it.each([["on the buyer's request", refundOnRequest], ["at the provider", refundAtProvider]])(
    "withdraws a buyer's review when the purchase is refunded %s, recomputing the rating",
    async (_how, refund) => {
      const course = await createPublished(t, teacher, { priceCents: 2900 });
      const [keeper, refunder] = await Promise.all([signUp(t, { verified: true }), signUp(t, { verified: true })]);
      await buy(t, keeper!, course.id);
      const refunded = await buy(t, refunder!, course.id);
      await json(await call(t, "PUT", `/courses/${course.id}/reviews/mine`, keeper, { rating: 4 }), 200);
      await json(await call(t, "PUT", `/courses/${course.id}/reviews/mine`, refunder, { rating: 1 }), 200);
      // Read once so the public answer is cached: the refund must purge it.
      expect(await ratingOf(course.id)).toEqual({ avgRating: 2.5, reviewsCount: 2 });

      await refund(refunder!, refunded);

      expect(await ratingOf(course.id)).toEqual({ avgRating: 4, reviewsCount: 1 });
      const listed = await json(await call(t, "GET", `/courses/${course.id}/reviews`), 200);
      expect(listed.items.map((review: { author: { id: string } }) => review.author.id)).toEqual([keeper!.id]);
      expect(await json(await call(t, "GET", `/courses/${course.id}/reviews/mine`, refunder), 200)).toEqual({
        review: null,
      });
      expect(
        (await json(await call(t, "PUT", `/courses/${course.id}/reviews/mine`, refunder, { rating: 1 }), 403)).code,
      )
        .toBe("not_enrolled");
    },
  );

  it("lets a new account post only a few reviews a day (429 rate_limited with Retry-After)", async () => {
    const limit = NEW_ACCOUNT_REVIEW_RULE.limit;
    const courses = await Promise.all(Array.from({ length: limit + 1 }, () => createPublished(t, teacher)));
    const [newcomer, regular] = await Promise.all([signUp(t, { verified: true }), signUp(t, { verified: true })]);
    const settled = new Date(Date.now() - (NEW_ACCOUNT_DAYS + 1) * 86_400_000);
    await t.db.update(users).set({ createdAt: settled }).where(eq(users.id, regular!.id));
    for (const learner of [newcomer, regular]) {
      for (const course of courses) await json(await call(t, "POST", `/courses/${course.id}/enroll`, learner), 201);
    }

    for (const course of courses.slice(0, limit)) {
      await json(await call(t, "PUT", `/courses/${course.id}/reviews/mine`, newcomer, { rating: 1 }), 200);
    }
    const last = courses[limit]!;
    const refused = await call(t, "PUT", `/courses/${last.id}/reviews/mine`, newcomer, { rating: 1 });
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await json(refused, 429)).code).toBe("rate_limited");
    expect(await ratingOf(last.id)).toEqual({ avgRating: 0, reviewsCount: 0 });
    // Rewriting a review already posted adds no reviewer, so it is not counted.
    await json(await call(t, "PUT", `/courses/${courses[0]!.id}/reviews/mine`, newcomer, { rating: 2 }), 200);

    for (const course of courses) {
      await json(await call(t, "PUT", `/courses/${course.id}/reviews/mine`, regular, { rating: 5 }), 200);
    }
  });
});
