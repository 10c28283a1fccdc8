import { describe, expect, it } from "vitest";
import type { Clock } from "../../../api/lib/clock.ts";
import { memoryRateLimiter } from "../../../api/lib/ratelimit/memory.ts";
import type { RateLimitRule } from "../../../api/lib/ratelimit/ratelimit.ts";

function manualClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (ms) => void (now += ms) };
}

const rule: RateLimitRule = { name: "test", limit: 2, windowSeconds: 60 };

describe("the in-process sliding window", () => {
  it("weighs the previous window by how much of it still overlaps", async () => {
    const clock = manualClock();
    const limiter = memoryRateLimiter(clock);
    await limiter.hit(rule, "a");
    await limiter.hit(rule, "a");
    expect((await limiter.hit(rule, "a")).allowed).toBe(false);
    clock.advance(60_000 + 15_000);
    // Three quarters of the previous window's two hits still count: one, rounded down.
    expect(await limiter.remaining(rule, "a")).toBe(1);
    expect((await limiter.hit(rule, "a")).allowed).toBe(true);
    expect((await limiter.hit(rule, "a")).allowed).toBe(false);
  });

  it("drops counters two windows old", async () => {
    const clock = manualClock();
    const limiter = memoryRateLimiter(clock);
    for (let i = 0; i < 1_000; i++) await limiter.hit(rule, `old-${i}`);
    expect(limiter.trackedKeys()).toBe(1_000);
    clock.advance(120_000);
    await limiter.hit(rule, "new");
    expect(limiter.trackedKeys()).toBe(1);
  });

  it("keeps the previous window's counters, which still count", async () => {
    const clock = manualClock();
    const limiter = memoryRateLimiter(clock);
    await limiter.hit(rule, "a");
    clock.advance(60_000);
    await limiter.hit(rule, "b");
    expect(limiter.trackedKeys()).toBe(2);
  });

  it("holds at most maxKeys counters under a flood of distinct keys, forgetting the least recently counted", async () => {
    const clock = manualClock();
    const limiter = memoryRateLimiter(clock, 100);
    await limiter.hit(rule, "steady");
    for (let i = 0; i < 10_000; i++) {
      await limiter.hit(rule, `flood-${i}`);
      if (i % 50 === 0) await limiter.hit(rule, "steady");
      expect(limiter.trackedKeys()).toBeLessThanOrEqual(100);
    }
    // Counted recently, so still remembered: its budget is spent.
    expect(await limiter.remaining(rule, "steady")).toBe(0);
    expect(await limiter.remaining(rule, "flood-0")).toBe(2);
  });
});
