import { tt } from "../../../i18n/teach.ts";
import { formatMoney, formatMonth } from "../lib/format.ts";
import { type MonthFigures, niceTicks } from "./chart-scale.ts";

/**
 * Net earnings with the platform fee stacked on top (together: gross) for each month, as hand-written SVG: a few
 * rectangles need no chart library. The SVG is one labelled image; the same figures are in the table below it
 * for screen readers and for anyone who wants the exact numbers.
 */

const WIDTH = 640;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 8, bottom: 28, left: 64 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;

export function EarningsChart({ months, currency }: { months: MonthFigures[]; currency: string }) {
  // Refund-heavy months can go negative; the chart shows them as empty and the table tells the exact figure.
  const ticks = niceTicks(Math.max(0, ...months.map((month) => month.grossCents)));
  const top = ticks.at(-1) || 1;
  const y = (cents: number) => MARGIN.top + PLOT_HEIGHT - (Math.max(0, cents) / top) * PLOT_HEIGHT;
  const slot = PLOT_WIDTH / Math.max(1, months.length);
  const barWidth = Math.min(40, slot * 0.6);
  const label = tt("earnings.chartLabel", {
    from: formatMonth(months[0]?.month ?? "", "long"),
    to: formatMonth(months.at(-1)?.month ?? "", "long"),
  });
  const money = (cents: number) => formatMoney(cents, currency);
  const labelEvery = Math.ceil(months.length / 8);

  return (
    <figure class="earnings-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
        <g class="grid" aria-hidden="true">
          {ticks.map((tick) => (
            <g key={tick}>
              <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} />
              <text x={MARGIN.left - 6} y={y(tick)} dy="0.32em" text-anchor="end">
                {formatMoney(tick, currency, true)}
              </text>
            </g>
          ))}
        </g>
        {months.map((month, index) => {
          const x = MARGIN.left + slot * index + (slot - barWidth) / 2;
          const net = Math.max(0, month.netCents);
          const fee = Math.max(0, month.platformFeeCents);
          return (
            <g key={month.month} class="bar">
              <title>
                {tt("earnings.barTitle", {
                  month: formatMonth(month.month, "long"),
                  net: money(month.netCents),
                  fee: money(month.platformFeeCents),
                  gross: money(month.grossCents),
                })}
              </title>
              <rect class="net" x={x} width={barWidth} y={y(net)} height={y(0) - y(net)} />
              <rect class="fee" x={x} width={barWidth} y={y(net + fee)} height={y(net) - y(net + fee)} />
              {index % labelEvery === 0 && (
                <text class="axis" x={x + barWidth / 2} y={HEIGHT - 8} text-anchor="middle">
                  {formatMonth(month.month)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="legend">
        <span>
          <span class="swatch net" aria-hidden="true" /> {tt("earnings.net")}
        </span>
        <span>
          <span class="swatch fee" aria-hidden="true" /> {tt("earnings.fee")}
        </span>
      </figcaption>
    </figure>
  );
}

/** The chart's figures as a table: the accessible and exact version of the same data. */
export function EarningsTable({ months, currency }: { months: MonthFigures[]; currency: string }) {
  return (
    <div class="table-scroll">
      <table class="studio-table">
        <caption class="visually-hidden">{tt("earnings.byMonth")}</caption>
        <thead>
          <tr>
            <th scope="col">{tt("earnings.month")}</th>
            <th scope="col" class="number">{tt("earnings.sales")}</th>
            <th scope="col" class="number">{tt("earnings.refunds")}</th>
            <th scope="col" class="number">{tt("earnings.gross")}</th>
            <th scope="col" class="number">{tt("earnings.fee")}</th>
            <th scope="col" class="number">{tt("earnings.net")}</th>
          </tr>
        </thead>
        <tbody>
          {months.map((month) => (
            <tr key={month.month}>
              <th scope="row">{formatMonth(month.month, "long")}</th>
              <td class="number">{month.sales}</td>
              <td class="number">{month.refunds}</td>
              <td class="number">{formatMoney(month.grossCents, currency)}</td>
              <td class="number">{formatMoney(month.platformFeeCents, currency)}</td>
              <td class="number">{formatMoney(month.netCents, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
