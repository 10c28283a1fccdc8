import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { formatDate, formatDateTime, formatPrice } from "../../i18n/format.ts";
import { errorMessage } from "../lib/query.tsx";
import type { SessionUser } from "../lib/session.ts";
import { type Payment, useRefund } from "./queries.ts";
import { Receipt } from "./Receipt.tsx";
import { RefundControl } from "./RefundControl.tsx";

function Dates({ payment }: { payment: Payment }) {
  const { paidAt, refundedAt, createdAt } = payment;
  if (!paidAt) {
    return <time dateTime={createdAt}>{t("purchases.startedOn", { date: formatDate(createdAt) })}</time>;
  }
  return (
    <>
      <time dateTime={paidAt}>{t("purchases.paidOn", { date: formatDate(paidAt) })}</time>
      {refundedAt && <time dateTime={refundedAt}>{t("purchases.refundedOn", { date: formatDate(refundedAt) })}</time>}
    </>
  );
}

/** What the buyer may still do about the money: refund it until the deadline the API gives, or nothing. */
function RefundTerms({ payment }: { payment: Payment }) {
  if (payment.status === "failed" || payment.status === "expired") {
    return <p class="muted">{t("purchases.nothingTaken")}</p>;
  }
  if (payment.status !== "succeeded") return null;
  return (
    <p class="muted">
      {payment.refundableUntil
        ? t("purchases.refundableUntil", { date: formatDateTime(payment.refundableUntil) })
        : t("purchases.refundClosed")}
    </p>
  );
}

export function PurchaseRow({ payment, buyer }: { payment: Payment; buyer: SessionUser }) {
  const [receiptOpen, setReceiptOpen] = useState(false);
  const refund = useRefund(payment.id);
  const outcome = useRef<HTMLParagraphElement>(null);
  const amount = formatPrice(payment.amountCents, payment.currency);
  const receiptId = `receipt-${payment.id}`;
  const title = payment.course.title;

  // The refund button is gone once it has been used: focus goes to what happened instead of being lost.
  useEffect(() => {
    if (refund.isSuccess || refund.isError) outcome.current?.focus();
  }, [refund.isSuccess, refund.isError]);

  return (
    <li class="card purchase">
      <div class="purchase-head">
        <h2>
          <a href={`/courses/${payment.course.slug}`}>{title}</a>
        </h2>
        <p class="purchase-amount">{amount}</p>
      </div>
      <p class="purchase-meta">
        <span class={`purchase-status ${payment.status}`}>{t(`purchases.status.${payment.status}`)}</span>
        <Dates payment={payment} />
      </p>
      <RefundTerms payment={payment} />
      {(payment.paidAt || payment.refundableUntil) && (
        <div class="purchase-actions">
          {payment.paidAt && (
            <button
              type="button"
              class="button small secondary"
              aria-expanded={receiptOpen}
              aria-controls={receiptId}
              onClick={() => setReceiptOpen(!receiptOpen)}
            >
              {receiptOpen ? t("purchases.hideReceipt") : t("purchases.showReceipt")}
              <span class="visually-hidden">{` ${t("purchases.forCourse", { title })}`}</span>
            </button>
          )}
          {payment.refundableUntil && <RefundControl payment={payment} amount={amount} refund={refund} />}
        </div>
      )}
      {refund.isSuccess && (
        <p ref={outcome} tabIndex={-1} class="alert success" role="status">
          {t("purchases.refunded", { amount, title })}
        </p>
      )}
      {refund.isError && (
        <p ref={outcome} tabIndex={-1} class="alert error" role="alert">
          {t("purchases.refundFailed", { message: errorMessage(refund.error) })}
        </p>
      )}
      {receiptOpen && <Receipt id={receiptId} payment={payment} buyer={buyer} />}
    </li>
  );
}
