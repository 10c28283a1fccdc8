import { useRef } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { formatDateTime, formatPrice } from "../../i18n/format.ts";
import type { SessionUser } from "../lib/session.ts";
import type { Payment } from "./queries.ts";

function paymentMethod(provider: string): string {
  if (provider === "stripe" || provider === "local") return t(`receipt.method.${provider}`);
  return provider;
}

/**
 * What the receipt email says, kept where the buyer can find it again:
 * seller, buyer, payment number, date, course, method and amount, and the
 * refund if there was one. "Print receipt" prints this section alone.
 */
export function Receipt({ id, payment, buyer }: { id: string; payment: Payment; buyer: SessionUser }) {
  const section = useRef<HTMLElement>(null);
  const amount = formatPrice(payment.amountCents, payment.currency);

  const printAlone = () => {
    const root = document.documentElement;
    section.current?.classList.add("printing");
    root.classList.add("printing-receipt");
    addEventListener("afterprint", () => {
      root.classList.remove("printing-receipt");
      section.current?.classList.remove("printing");
    }, { once: true });
    print();
  };

  return (
    <section id={id} ref={section} class="receipt" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("receipt.title")}</h3>
      <dl>
        <dt>{t("receipt.seller")}</dt>
        <dd>{t("site.name")}</dd>
        <dt>{t("receipt.billedTo")}</dt>
        <dd>
          {buyer.name}
          <br />
          {buyer.email}
        </dd>
        <dt>{t("receipt.number")}</dt>
        <dd>
          <code>{payment.id}</code>
        </dd>
        {payment.paidAt && (
          <>
            <dt>{t("receipt.date")}</dt>
            <dd>
              <time dateTime={payment.paidAt}>{formatDateTime(payment.paidAt)}</time>
            </dd>
          </>
        )}
        <dt>{t("receipt.course")}</dt>
        <dd>{payment.course.title}</dd>
        <dt>{t("receipt.method")}</dt>
        <dd>{paymentMethod(payment.provider)}</dd>
        <dt>{t("receipt.amount")}</dt>
        <dd class="receipt-amount">{amount}</dd>
        {payment.refundedAt && (
          <>
            <dt>{t("receipt.refund")}</dt>
            <dd>{t("receipt.refundLine", { amount, date: formatDateTime(payment.refundedAt) })}</dd>
          </>
        )}
      </dl>
      <button type="button" class="button small secondary receipt-print" onClick={printAlone}>
        {t("receipt.print")}
      </button>
    </section>
  );
}
