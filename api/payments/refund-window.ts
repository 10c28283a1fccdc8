import { payments } from "../../db/schema/index.ts";
import type { Config } from "../env.ts";

type PaymentRow = typeof payments.$inferSelect;

const DAY_MS = 86_400_000;

/** The end of the buyer's refund window, counted from when the payment went through; null if it never did. */
export function refundDeadline(config: Config, payment: Pick<PaymentRow, "paidAt">): Date | null {
  return payment.paidAt ? new Date(payment.paidAt.getTime() + config.payments.refundWindowDays * DAY_MS) : null;
}

/**
 * The one rule for refunds a buyer asks for themselves: a paid payment, before
 * its deadline. The refund endpoint enforces it and payment views show it, so
 * the date a buyer is shown is the date the server keeps to.
 */
export function buyerRefundableUntil(
  config: Config,
  payment: Pick<PaymentRow, "status" | "paidAt">,
  now: Date,
): Date | null {
  if (payment.status !== "succeeded") return null;
  const deadline = refundDeadline(config, payment);
  return deadline && deadline > now ? deadline : null;
}
