import { useQuery } from "@tanstack/preact-query";
import { formatDate } from "../../../i18n/format.ts";
import { tt } from "../../../i18n/teach.ts";
import { QueryError, Skeleton, withIslandShell } from "../../lib/query.tsx";
import { formatMoney } from "../lib/format.ts";
import { StudioGate } from "../lib/StudioGate.tsx";
import { type Earnings, studioApi } from "../lib/studio-api.ts";
import { lastMonths } from "./chart-scale.ts";
import { EarningsChart, EarningsTable } from "./EarningsChart.tsx";

/** /teach/earnings: totals, the monthly chart with its table, and the most recent sales and refunds. */
function EarningsDashboard() {
  return <StudioGate>{() => <EarningsView />}</StudioGate>;
}

function EarningsView() {
  const earnings = useQuery({ queryKey: ["teacher-earnings"], queryFn: studioApi.earnings });
  if (earnings.isPending) return <Skeleton lines={6} label={tt("studio.earnings")} height="2rem" />;
  if (earnings.isError) return <QueryError error={earnings.error} onRetry={() => void earnings.refetch()} />;
  const data = earnings.data;
  const months = lastMonths(data.byMonth, new Date().toISOString().slice(0, 7));
  return (
    <>
      <Totals earnings={data} />
      <section aria-labelledby="by-month-heading">
        <h2 id="by-month-heading">{tt("earnings.byMonth")}</h2>
        {data.byMonth.length === 0 ? <p class="alert info">{tt("earnings.chartEmpty")}</p> : (
          <>
            <EarningsChart months={months} currency={data.currency} />
            <details class="chart-table">
              <summary>{tt("earnings.tableToggle")}</summary>
              <EarningsTable months={months} currency={data.currency} />
            </details>
          </>
        )}
      </section>
      <RecentSales earnings={data} />
    </>
  );
}

function Totals({ earnings }: { earnings: Earnings }) {
  const figures = [
    ["earnings.gross", earnings.grossCents],
    ["earnings.fee", earnings.platformFeeCents],
    ["earnings.net", earnings.netCents],
  ] as const;
  return (
    <>
      <dl class="earnings-totals">
        {figures.map(([key, cents]) => (
          <div class="card" key={key} data-testid={key}>
            <dt>{tt(key)}</dt>
            <dd>{formatMoney(cents, earnings.currency)}</dd>
          </div>
        ))}
      </dl>
      {earnings.otherCurrencies.length > 0 && (
        <p class="muted">
          {tt("earnings.otherCurrencies")}{" "}
          {earnings.otherCurrencies.map((other) => formatMoney(other.netCents, other.currency)).join(", ")}
        </p>
      )}
    </>
  );
}

function RecentSales({ earnings }: { earnings: Earnings }) {
  return (
    <section aria-labelledby="recent-sales-heading">
      <h2 id="recent-sales-heading">{tt("earnings.recent")}</h2>
      {earnings.sales.length === 0 ? <p class="muted">{tt("earnings.noSales")}</p> : (
        <div class="table-scroll">
          <table class="studio-table" data-testid="recent-sales">
            <thead>
              <tr>
                <th scope="col">{tt("earnings.date")}</th>
                <th scope="col">{tt("earnings.course")}</th>
                <th scope="col">{tt("earnings.kind")}</th>
                <th scope="col" class="number">{tt("earnings.gross")}</th>
                <th scope="col" class="number">{tt("earnings.fee")}</th>
                <th scope="col" class="number">{tt("earnings.net")}</th>
              </tr>
            </thead>
            <tbody>
              {earnings.sales.map((sale) => (
                <tr key={`${sale.paymentId}-${sale.kind}`}>
                  <td>{formatDate(sale.createdAt)}</td>
                  <th scope="row">
                    <a href={`/teach/courses/${sale.course.id}`}>{sale.course.title}</a>
                  </th>
                  <td>{tt(`earnings.kind.${sale.kind}`)}</td>
                  <td class="number">{formatMoney(sale.grossCents, earnings.currency)}</td>
                  <td class="number">{formatMoney(sale.platformFeeCents, earnings.currency)}</td>
                  <td class="number">{formatMoney(sale.netCents, earnings.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export default withIslandShell(EarningsDashboard);
