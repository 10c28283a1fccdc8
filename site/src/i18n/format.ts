import { t } from "./en.ts";

/** The UI locale; numbers, money and dates follow it, course content keeps its own language. */
export const LOCALE = "en";

export function formatPrice(priceCents: number, currency: string): string {
  if (priceCents === 0) return t("course.free");
  return new Intl.NumberFormat(LOCALE, { style: "currency", currency }).format(priceCents / 100);
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium" }).format(new Date(iso));
}

/** A date with the time of day, in the reader's time zone, for moments that matter to the minute (deadlines). */
export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: "long", timeStyle: "short" }).format(new Date(iso));
}

export function formatRating(rating: number): string {
  return new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(rating);
}

/** A duration the teacher gave, in whole minutes (at least one); undefined for none given (0), never a made-up one. */
export function durationMinutes(durationSec: number): number | undefined {
  return durationSec > 0 ? Math.max(1, Math.round(durationSec / 60)) : undefined;
}

/** "12 min", or undefined when no duration was given: the page then shows none. */
export function formatMinutes(durationSec: number): string | undefined {
  const minutes = durationMinutes(durationSec);
  return minutes === undefined ? undefined : t("course.minutes", { minutes });
}
