/** The arithmetic behind the earnings chart, apart from its markup. */

export interface MonthFigures {
  month: string;
  grossCents: number;
  platformFeeCents: number;
  netCents: number;
  sales: number;
  refunds: number;
}

/** "2026-03" → "2026-04", in UTC like the API's months. */
export function nextMonth(month: string): string {
  const [year, index] = month.split("-").map(Number);
  const date = new Date(Date.UTC(year!, index!, 1));
  return date.toISOString().slice(0, 7);
}

/**
 * The last `count` months up to `current`, each with its figures or zeros: the API lists only months with
 * entries, and a chart that skipped quiet months would draw a false trend.
 */
export function lastMonths(byMonth: MonthFigures[], current: string, count = 12): MonthFigures[] {
  const known = new Map(byMonth.map((figures) => [figures.month, figures]));
  const first = byMonth[0]?.month ?? current;
  const months: string[] = [];
  for (let month = first; month <= current; month = nextMonth(month)) months.push(month);
  return months.slice(-count).map((month) =>
    known.get(month) ?? { month, grossCents: 0, platformFeeCents: 0, netCents: 0, sales: 0, refunds: 0 }
  );
}

/** Ticks at 1, 2 or 5 × 10ⁿ, about `target` of them, the last one at or above `max`. */
export function niceTicks(max: number, target = 4): number[] {
  if (max <= 0) return [0];
  const rough = max / target;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough)!;
  const ticks: number[] = [];
  for (let tick = 0; tick < max + step; tick += step) ticks.push(tick);
  return ticks;
}
