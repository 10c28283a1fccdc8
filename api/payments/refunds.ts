import { eq } from "drizzle-orm";
import { courses, payments } from "../../db/schema/index.ts";
import type { Deps } from "../deps.ts";
import type { AccessClaims } from "../identity/access-token.ts";
import { AppError } from "../lib/errors.ts";
import { isId } from "../lib/ids.ts";
import { revokePurchase } from "./effects.ts";
import { type PaymentView, refundDeadline, toPaymentView } from "./views.ts";

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
  const deadline = refundDeadline(deps.config, payment);
  if (!isAdmin && (!deadline || deadline <= now)) {
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
  return toPaymentView(deps.config, { payment: refunded, course: course! }, now);
}
