import { LOCALE } from "../../../i18n/format.ts";

/** Money with its sign kept (refunds are negative) and cents always shown, for ledgers and totals. */
export function formatMoney(cents: number, currency: string, wholeUnits = false): string {
  const digits = wholeUnits ? { maximumFractionDigits: 0, minimumFractionDigits: 0 } : {};
  return new Intl.NumberFormat(LOCALE, { style: "currency", currency, ...digits }).format(cents / 100);
}

/** "2026-03" → "Mar 2026". */
export function formatMonth(month: string, style: "short" | "long" = "short"): string {
  const [year, monthIndex] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(LOCALE, { month: style, year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(year!, monthIndex! - 1, 1)),
  );
}
