import { asc, eq } from "drizzle-orm";
import { courses, payments } from "../../db/schema/index.ts";
import { invalidateCourse } from "../catalog/cache.ts";
import type { Deps } from "../deps.ts";
import type { AccessClaims } from "../identity/access-token.ts";
import { AppError } from "../lib/errors.ts";
import { isId } from "../lib/ids.ts";
import { revokePurchase } from "./effects.ts";
import { buyerRefundableUntil } from "./refund-window.ts";
import { type PaymentView, toPaymentView } from "./views.ts";

/**
 * The buyer within the refund window, or an admin at any time. The provider
 * is asked first; only when it agrees does access end and the ledger reverse
 * (in one transaction that also tolerates the provider's own refund webhook
 * having got there first).
 */
export async function refundPayment(deps: Deps, requester: AccessClaims, paymentId: string): Promise<PaymentView> {
  if (!isId(paymentId)) throw AppError.notFound("payment");
  const [payment] = await deps.db.select().from(payments).where(eq(payments.id, paymentId));
  const isAdmin = requester.role === "admin";
  if (!payment || (payment.userId !== requester.userId && !isAdmin)) throw AppError.notFound("payment");
  if (payment.status !== "succeeded") {
    throw new AppError(409, "payment_not_refundable", `A ${payment.status} payment cannot be refunded.`);
  }
  const now = deps.clock.now();
  if (!isAdmin && !buyerRefundableUntil(deps.config, payment, now)) {
    throw new AppError(
      409,
      "refund_window_closed",
      `Refunds are possible for ${deps.config.payments.refundWindowDays} days after purchase.`,
    );
  }
  const provider = deps.payments.byName(payment.provider);
  if (!provider) throw new Error(`no provider ${payment.provider} configured for payment ${payment.id}`);
  await provider.refund(payment);

  const refunded = await deps.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(payments).where(eq(payments.id, payment.id)).for("update");
    if (locked!.status === "refunded") return locked!;
    const [updated] = await tx.update(payments).set({ status: "refunded", refundedAt: now }).where(
      eq(payments.id, payment.id),
    ).returning();
    await revokePurchase(tx, deps.config, updated!, now);
    return updated!;
  });
  const [course] = await deps.db.select({ id: courses.id, slug: courses.slug, title: courses.title }).from(courses)
    .where(
      eq(courses.id, refunded.courseId),
    );
  // The buyer's review went with their access: the course's public rating may have changed.
  await invalidateCourse(deps, course!);
  return toPaymentView(deps.config, { payment: refunded, course: course! }, now);
}

type PaymentRow = typeof payments.$inferSelect;

/**
 * Asks the provider for refunds decided here (a second charge for a course
 * the buyer has) and clears each once it agrees. Outside any transaction, so
 * no lock waits on the network: a failure leaves the refund due for the
 * scheduled retry, and a repeat is harmless as the provider's refund is
 * idempotent per payment.
 */
export async function settleDueRefunds(
  deps: Pick<Deps, "db" | "payments" | "logger">,
  due: PaymentRow[],
): Promise<number> {
  let settled = 0;
  for (const payment of due) {
    try {
      const provider = deps.payments.byName(payment.provider);
      if (!provider) throw new Error(`no provider ${payment.provider} configured`);
      await provider.refund(payment);
      await deps.db.update(payments).set({ refundDue: false }).where(eq(payments.id, payment.id));
      settled++;
    } catch (error) {
      deps.logger.log("error", "a due refund failed at the provider; the scheduled job retries it", {
        paymentId: payment.id,
        error: String(error),
      });
    }
  }
  return settled;
}

const REFUNDS_PER_SWEEP = 100;

/** The scheduled job's part: refunds still due, settled oldest first. */
export async function retryDueRefunds(
  deps: Pick<Deps, "db" | "payments" | "logger">,
): Promise<{ due: number; settled: number }> {
  const due = await deps.db.select().from(payments).where(eq(payments.refundDue, true)).orderBy(
    asc(payments.refundedAt),
  ).limit(REFUNDS_PER_SWEEP);
  return { due: due.length, settled: await settleDueRefunds(deps, due) };
}
