import { payments } from "../../db/schema/index.ts";
import type { Config } from "../env.ts";
import { buyerRefundableUntil } from "./refund-window.ts";

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

export function toPaymentView(
  config: Config,
  row: { payment: PaymentRow; course: { id: string; slug: string; title: string } },
  now: Date,
): PaymentView {
  const { payment } = row;
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
    refundableUntil: buyerRefundableUntil(config, payment, now)?.toISOString() ?? null,
  };
}
