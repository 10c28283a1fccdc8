import { useQuery } from "@tanstack/preact-query";
import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { api, call } from "../lib/api.ts";
import { QueryError, Skeleton, withIslandShell } from "../lib/query.tsx";
import { SignedIn } from "../lib/SignedIn.tsx";

/** Webhooks usually land within a second; past this the page says it is slow, and keeps checking less often. */
const FAST_POLL_MS = 1_000;
const SLOW_POLL_MS = 5_000;
const SLOW_AFTER_MS = 20_000;

interface Target {
  paymentId: string;
  courseSlug: string;
}

function PaymentState({ paymentId, courseSlug }: Target) {
  const [startedAt] = useState(Date.now);
  const payment = useQuery({
    queryKey: ["payment", paymentId],
    queryFn: async () => {
      const page = await call(api.me.payments.$get({ query: {} }));
      return page.items.find((item) => item.id === paymentId) ?? null;
    },
    refetchInterval: (query) => {
      if (query.state.data && query.state.data.status !== "pending") return false;
      return Date.now() - startedAt > SLOW_AFTER_MS ? SLOW_POLL_MS : FAST_POLL_MS;
    },
  });
  const courseHref = `/courses/${courseSlug}`;

  if (payment.isPending) return <Skeleton lines={2} label={t("checkout.pending")} />;
  if (payment.isError) return <QueryError error={payment.error} onRetry={() => payment.refetch()} />;
  if (payment.data === null) return <p class="alert error" role="alert">{t("checkout.unknown")}</p>;

  const { status, course } = payment.data;
  if (status === "pending") {
    const slow = Date.now() - startedAt > SLOW_AFTER_MS;
    return <p class="alert info" role="status">{slow ? t("checkout.slow") : t("checkout.pending")}</p>;
  }
  if (status === "succeeded") {
    return (
      <div role="status">
        <p class="alert success">{t("checkout.succeeded", { title: course.title })}</p>
        <a class="button" href={courseHref}>{t("checkout.start")}</a>
      </div>
    );
  }
  return (
    <div role="status">
      <p class="alert info">
        {status === "refunded" ? t("checkout.refunded") : t("checkout.failed")}
      </p>
      <a class="button secondary" href={courseHref}>{t("checkout.tryAgain")}</a>
    </div>
  );
}

/**
 * Where the payment provider sends the buyer back. The address only says
 * where they clicked; the page shows the payment's real state, polling it
 * until the provider's webhook has settled it.
 */
function CheckoutResult({ cancelled = false }: { cancelled?: boolean }) {
  // Read after hydration: the page is prerendered, so its HTML cannot know the address's parameters.
  const [target, setTarget] = useState<Target | null>();
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    const paymentId = params.get("payment");
    const courseSlug = params.get("course");
    setTarget(paymentId && courseSlug ? { paymentId, courseSlug } : null);
  }, []);
  return (
    <>
      {cancelled && <p class="lead">{t("checkout.cancelled")}</p>}
      {target === undefined
        ? <Skeleton lines={2} label={t("checkout.pending")} />
        : target
        ? <SignedIn>{() => <PaymentState {...target} />}</SignedIn>
        : <p class="alert error" role="alert">{t("checkout.unknown")}</p>}
    </>
  );
}

export default withIslandShell(CheckoutResult);
