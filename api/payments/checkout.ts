import { and, eq, inArray } from "drizzle-orm";
import { courses, enrollments, payments, users } from "../../db/schema/index.ts";
import type { Deps } from "../deps.ts";
import type { AccessClaims } from "../identity/access-token.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { postgresCode } from "../lib/db-errors.ts";
import { AppError } from "../lib/errors.ts";
import { isId } from "../lib/ids.ts";

type PaymentRow = typeof payments.$inferSelect;

export interface CheckoutAnswer {
  paymentId: string;
  checkoutUrl: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** How long a request that lost the race for its key or course waits for the winner's checkout URL. */
const WAIT_FOR_WINNER_MS = 5_000;
const CHECKOUT_LIFETIME_MS = 24 * 3_600_000;

export function checkIdempotencyKey(key: string | undefined): string {
  if (!key || !IDEMPOTENCY_KEY.test(key)) {
    throw AppError.validation([{
      path: "Idempotency-Key",
      code: key ? "invalid_format" : "required",
      message: "header is required: 1–255 visible ASCII characters",
    }]);
  }
  return key;
}

/** A checkout's answer, once its creator has the provider's URL (a concurrent request may still be asking). */
async function answerOf(deps: Deps, payment: PaymentRow): Promise<CheckoutAnswer> {
  let current: PaymentRow | undefined = payment;
  for (let waited = 0; current && !current.checkoutUrl && waited < WAIT_FOR_WINNER_MS; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    [current] = await deps.db.select().from(payments).where(eq(payments.id, payment.id));
  }
  if (!current) throw providerUnavailable();
  if (!current.checkoutUrl) throw checkoutInProgress();
  return { paymentId: current.id, checkoutUrl: current.checkoutUrl };
}

function checkoutInProgress(): AppError {
  return new AppError(
    409,
    "checkout_in_progress",
    "A checkout for this course is still being created; retry shortly.",
    {
      headers: { "Retry-After": "2" },
    },
  );
}

function providerUnavailable(): AppError {
  return new AppError(503, "payment_provider_unavailable", "The payment provider is unavailable; try again shortly.", {
    headers: { "Retry-After": "10" },
  });
}

function replay(deps: Deps, payment: PaymentRow, requestHash: string): Promise<CheckoutAnswer> {
  if (payment.requestHash !== requestHash) {
    throw new AppError(422, "idempotency_key_reused", "This Idempotency-Key was used for a different request.");
  }
  return answerOf(deps, payment);
}

/**
 * Where the provider sends the buyer back: the site's checkout pages, which
 * read the payment's real state (the address only says which button was
 * pressed) and link back to the course.
 */
export function checkoutReturnUrl(
  publicUrl: string,
  outcome: "success" | "cancel",
  paymentId: string,
  courseSlug: string,
): string {
  const params = new URLSearchParams({ payment: paymentId, course: courseSlug });
  return `${publicUrl}/checkout/${outcome}?${params}`;
}

async function findByKey(deps: Deps, userId: string, key: string) {
  const [payment] = await deps.db.select().from(payments).where(
    and(eq(payments.userId, userId), eq(payments.idempotencyKey, key)),
  );
  return payment;
}

async function findOpenCheckout(deps: Deps, userId: string, courseId: string) {
  const [payment] = await deps.db.select().from(payments).where(
    and(eq(payments.userId, userId), eq(payments.courseId, courseId), eq(payments.status, "pending")),
  );
  return payment;
}

/**
 * Whether an open checkout still sells the course as it is offered now: at
 * today's price, and young enough that the provider still takes payment
 * (Stripe's sessions last 24 hours).
 */
function stillOffered(open: PaymentRow, course: typeof courses.$inferSelect, now: Date): boolean {
  return open.amountCents === course.priceCents && open.currency === course.currency &&
    now.getTime() - open.createdAt.getTime() < CHECKOUT_LIFETIME_MS;
}

/**
 * Starts a purchase. The Idempotency-Key makes retries safe: the same key and
 * body replay the first answer (concurrent duplicates included, via the
 * unique key), another body under the same key is refused. A buyer has one
 * open checkout per course (a unique index): a request under another key gets
 * that one back, unless the price changed since or it is too old to pay, when
 * it is expired and replaced. The price is frozen on the payment at this
 * moment; should an expired checkout still be paid at the provider, the
 * buyer pays what it showed, and a second charge is refunded (webhooks.ts).
 */
export async function startCheckout(
  deps: Deps,
  buyer: AccessClaims,
  courseId: string,
  key: string,
  rawBody: string,
): Promise<CheckoutAnswer> {
  if (!isId(courseId)) throw AppError.notFound("course");
  const requestHash = await sha256Hex(`${courseId}\n${rawBody.trim()}`);
  const previous = await findByKey(deps, buyer.userId, key);
  if (previous) return replay(deps, previous, requestHash);

  const [course] = await deps.db.select().from(courses).where(
    and(eq(courses.id, courseId), eq(courses.status, "published")),
  );
  if (!course) throw AppError.notFound("course");
  if (course.teacherId === buyer.userId) {
    throw new AppError(409, "own_course", "You teach this course: you already have access.");
  }
  if (course.priceCents === 0) throw new AppError(409, "course_is_free", "This course is free: enroll instead.");
  const [enrolled] = await deps.db.select({ id: enrollments.id }).from(enrollments).where(
    and(
      eq(enrollments.userId, buyer.userId),
      eq(enrollments.courseId, course.id),
      inArray(enrollments.status, ["active", "completed"]),
    ),
  );
  if (enrolled) throw new AppError(409, "already_enrolled", "You already have this course.");
  const open = await findOpenCheckout(deps, buyer.userId, course.id);
  if (open) {
    if (stillOffered(open, course, deps.clock.now())) return answerOf(deps, open);
    await deps.db.update(payments).set({ status: "expired" }).where(
      and(eq(payments.id, open.id), eq(payments.status, "pending")),
    );
  }

  let payment: PaymentRow;
  try {
    [payment] = await deps.db
      .insert(payments)
      .values({
        userId: buyer.userId,
        courseId: course.id,
        provider: deps.payments.checkout.name,
        amountCents: course.priceCents,
        currency: course.currency,
        idempotencyKey: key,
        requestHash,
      })
      .returning() as [PaymentRow];
  } catch (error) {
    if (postgresCode(error) !== "23505") throw error;
    const sameKey = await findByKey(deps, buyer.userId, key);
    if (sameKey) return replay(deps, sameKey, requestHash);
    const winner = await findOpenCheckout(deps, buyer.userId, course.id);
    if (winner) return answerOf(deps, winner);
    throw checkoutInProgress();
  }

  const [customer] = await deps.db.select({ email: users.email }).from(users).where(eq(users.id, buyer.userId));
  let session: { sessionId: string; checkoutUrl: string };
  try {
    session = await deps.payments.checkout.createCheckout({
      paymentId: payment.id,
      amountCents: payment.amountCents,
      currency: payment.currency,
      courseTitle: course.title,
      customerEmail: customer!.email,
      successUrl: checkoutReturnUrl(deps.config.publicUrl, "success", payment.id, course.slug),
      cancelUrl: checkoutReturnUrl(deps.config.publicUrl, "cancel", payment.id, course.slug),
    });
  } catch (error) {
    // Nothing refers to the payment yet: removing it frees the key, so the client's retry starts afresh.
    await deps.db.delete(payments).where(eq(payments.id, payment.id));
    deps.logger.log("error", "payment provider refused a checkout", { paymentId: payment.id, error: String(error) });
    throw providerUnavailable();
  }
  await deps.db.update(payments).set({ providerSessionId: session.sessionId, checkoutUrl: session.checkoutUrl }).where(
    eq(payments.id, payment.id),
  );
  return { paymentId: payment.id, checkoutUrl: session.checkoutUrl };
}
