import { t } from "../../i18n/en.ts";
import { QueryError, Skeleton, withIslandShell } from "../lib/query.tsx";
import type { SessionUser } from "../lib/session.ts";
import { SignedIn } from "../lib/SignedIn.tsx";
import { PurchaseRow } from "./PurchaseRow.tsx";
import { usePayments } from "./queries.ts";

function PurchaseList({ buyer }: { buyer: SessionUser }) {
  const payments = usePayments();
  if (payments.isPending) return <Skeleton lines={3} height="6rem" label={t("common.loading")} />;
  if (!payments.data) return <QueryError error={payments.error} onRetry={() => payments.refetch()} />;
  const items = payments.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return (
      <div class="alert info">
        <p>{t("purchases.empty")}</p>
        <a class="button" href="/courses">{t("purchases.browse")}</a>
      </div>
    );
  }
  return (
    <>
      <ul class="purchase-list">
        {items.map((payment) => <PurchaseRow key={payment.id} payment={payment} buyer={buyer} />)}
      </ul>
      {payments.isFetchNextPageError && <QueryError error={payments.error} onRetry={() => payments.fetchNextPage()} />}
      {payments.hasNextPage && (
        <button
          type="button"
          class="button secondary"
          onClick={() => payments.fetchNextPage()}
          disabled={payments.isFetchingNextPage}
        >
          {t("purchases.loadMore")}
        </button>
      )}
    </>
  );
}

/** The account's purchases: each payment with its status, receipt and, while it may, a refund. */
function Purchases() {
  return <SignedIn>{(user) => <PurchaseList buyer={user} />}</SignedIn>;
}

export default withIslandShell(Purchases);
