import type { UseMutationResult } from "@tanstack/preact-query";
import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import type { Payment } from "./queries.ts";

interface Props {
  payment: Payment;
  amount: string;
  refund: UseMutationResult<Payment, Error, void>;
}

/**
 * "Request a refund", then a question that names what is lost, then the
 * refund. Sent at most once however fast the button is pressed: the guard is
 * a ref, set before the first re-render could disable the button.
 */
export function RefundControl({ payment, amount, refund }: Props) {
  const [confirming, setConfirming] = useState(false);
  const openButton = useRef<HTMLButtonElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const sending = useRef(false);
  const panelId = `refund-${payment.id}`;

  // The safe choice takes focus, so a second Enter keeps the course rather than refunding it.
  useEffect(() => {
    if (confirming) keepButton.current?.focus();
  }, [confirming]);

  const keep = () => {
    setConfirming(false);
    openButton.current?.focus();
  };
  const confirm = () => {
    if (sending.current) return;
    sending.current = true;
    refund.mutate(undefined, {
      onSettled: () => {
        sending.current = false;
        setConfirming(false);
      },
    });
  };

  return (
    <>
      <button
        ref={openButton}
        type="button"
        class="button small secondary"
        aria-expanded={confirming}
        aria-controls={panelId}
        disabled={refund.isPending}
        onClick={() => (confirming ? keep() : setConfirming(true))}
      >
        {t("purchases.refund")}
        <span class="visually-hidden">{` ${t("purchases.forCourse", { title: payment.course.title })}`}</span>
      </button>
      {confirming && (
        <div
          id={panelId}
          class="refund-confirm"
          role="group"
          aria-labelledby={`${panelId}-question`}
          onKeyDown={(event) => {
            if (event.key === "Escape" && !refund.isPending) keep();
          }}
        >
          <p id={`${panelId}-question`}>
            {t("purchases.refundQuestion", { amount, title: payment.course.title })}
          </p>
          <div class="refund-confirm-actions">
            <button type="button" class="button small danger" disabled={refund.isPending} onClick={confirm}>
              {refund.isPending ? t("purchases.refunding") : t("purchases.confirmRefund", { amount })}
            </button>
            <button
              ref={keepButton}
              type="button"
              class="button small secondary"
              disabled={refund.isPending}
              onClick={keep}
            >
              {t("purchases.keep")}
            </button>
          </div>
        </div>
      )}
    </>
  );
}
