/** The earnings chart's arithmetic (no browser): months without sales are shown, ticks are round numbers. */
import { describe, expect, it } from "vitest";
import { lastMonths, nextMonth, niceTicks } from "../../../../site/src/islands/teach/earnings/chart-scale.ts";

const figures = (month: string, netCents: number) => ({
  month,
  grossCents: netCents,
  platformFeeCents: 0,
  netCents,
  sales: 1,
  refunds: 0,
});

describe("earnings chart scale", () => {
  it("steps months across a year end", () => {
    expect(nextMonth("2025-12")).toBe("2026-01");
  });

  it("fills quiet months with zeros up to the current month, keeping the last twelve", () => {
    const months = lastMonths([figures("2025-11", 100), figures("2026-01", 300)], "2026-02");
    expect(months.map((month) => [month.month, month.netCents])).toEqual([
      ["2025-11", 100],
      ["2025-12", 0],
      ["2026-01", 300],
      ["2026-02", 0],
    ]);
    expect(lastMonths([figures("2020-01", 1)], "2026-02")).toHaveLength(12);
  });

  it("picks ticks of 1, 2 or 5 times a power of ten that reach the maximum", () => {
    expect(niceTicks(2500)).toEqual([0, 1000, 2000, 3000]);
    expect(niceTicks(98_000)).toEqual([0, 50_000, 100_000]);
    expect(niceTicks(7_900)).toEqual([0, 2000, 4000, 6000, 8000]);
    expect(niceTicks(0)).toEqual([0]);
  });
});
