import { payments } from "../../db/schema/index.ts";
import type { Config } from "../env.ts";

type PaymentRow = typeof payments.$inferSelect;

export interface PaymentView {
  id: string;
  course: { id: string; slug: string; title: string };
  provider: string;
  amountCents: number;
  currency: string;
  status: PaymentRow["status"];
  createdAt: string;
  paidAt: string | null;
  refundedAt: string | null;
  /** Until when the buyer may ask for a refund themselves; null once that is not possible. */
  refundableUntil: string | null;
}

const DAY_MS = 86_400_000;

export function refundDeadline(config: Config, payment: Pick<PaymentRow, "paidAt">): Date | null {
  return payment.paidAt ? new Date(payment.paidAt.getTime() + config.payments.refundWindowDays * DAY_MS) : null;
}

export function toPaymentView(
  config: Config,
  row: { payment: PaymentRow; course: { id: string; slug: string; title: string } },
  now: Date,
): PaymentView {
  const { payment } = row;
  const deadline = refundDeadline(config, payment);
  return {
    id: payment.id,
    course: row.course,
    provider: payment.provider,
    amountCents: payment.amountCents,
    currency: payment.currency,
    status: payment.status,
    createdAt: payment.createdAt.toISOString(),
    paidAt: payment.paidAt?.toISOString() ?? null,
    refundedAt: payment.refundedAt?.toISOString() ?? null,
    refundableUntil: payment.status === "succeeded" && deadline && deadline > now ? deadline.toISOString() : null,
  };
}
