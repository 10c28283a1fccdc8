import { describe, expect, it } from "vitest";
import { type Clock, systemClock } from "../../api/lib/clock.ts";
import { bindingIpLimiter, type RateLimitBinding } from "../../api/lib/ratelimit/binding.ts";
import type { IpLimiter } from "../../api/lib/ratelimit/ip-limiter.ts";
import { memoryIpLimiter } from "../../api/lib/ratelimit/memory.ts";
import { createTestApp, freshIp } from "../support/app.ts";

function manualClock(start = Date.UTC(2026, 0, 1, 0, 0, 30)): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (ms) => void (now += ms) };
}

/** Counts as Miniflare's emulation of the binding does: a fixed window per key, yes or no. */
function fakeBinding(limit: number, periodSeconds: number, clock: Clock): RateLimitBinding & { keys: string[] } {
  const buckets = new Map<string, { epoch: number; count: number }>();
  const keys: string[] = [];
  return {
    keys,
    async limit({ key }) {
      keys.push(key);
      const epoch = Math.floor(clock.now().getTime() / (periodSeconds * 1000));
      const bucket = buckets.get(key);
      const count = bucket?.epoch === epoch ? bucket.count : 0;
      if (count >= limit) return { success: false };
      buckets.set(key, { epoch, count: count + 1 });
      return { success: true };
    },
  };
}

const failingBinding: RateLimitBinding = { limit: () => Promise.reject(new Error("binding unavailable")) };

const implementations: { name: string; make(limitPerMinute: number, clock: Clock): IpLimiter }[] = [
  { name: "in process", make: (limit, clock) => memoryIpLimiter(clock, limit) },
  { name: "Workers binding", make: (limit, clock) => bindingIpLimiter(fakeBinding(limit, 60, clock), limit) },
];

describe.each(implementations)("the global limiter's contract: $name", ({ make }) => {
  it("states its policy: the configured limit per 60 s", () => {
    expect(make(7, manualClock()).policy).toEqual({ limit: 7, windowSeconds: 60 });
  });

  it("allows the limit per key, then refuses with nothing left and a reset within the window", async () => {
    const limiter = make(3, manualClock());
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.hit("203.0.113.1"));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
    const refused = decisions[3]!;
    expect(refused.remaining).toBe(0);
    expect(refused.resetSeconds).toBeGreaterThan(0);
    expect(refused.resetSeconds).toBeLessThanOrEqual(60);
    for (const decision of decisions.slice(0, 3)) {
      if (decision.remaining !== undefined) expect(decision.remaining).toBeLessThan(3);
    }
  });

  it("counts each key on its own", async () => {
    const limiter = make(1, manualClock());
    expect((await limiter.hit("203.0.113.1")).allowed).toBe(true);
    expect((await limiter.hit("203.0.113.2")).allowed).toBe(true);
    expect((await limiter.hit("203.0.113.1")).allowed).toBe(false);
  });

  it("allows again once the window has passed", async () => {
    const clock = manualClock();
    const limiter = make(1, clock);
    await limiter.hit("203.0.113.1");
    expect((await limiter.hit("203.0.113.1")).allowed).toBe(false);
    clock.advance(120_000);
    expect((await limiter.hit("203.0.113.1")).allowed).toBe(true);
  });
});

/**
 * A read from `ip`, with a cookie: its answer is then personal, and carries the client's counts (a public answer,
 * which caches hand to everyone, does not).
 */
const categories = (app: { request(path: string, init: RequestInit): Response | Promise<Response> }, ip: string) =>
  app.request("/api/v1/categories", { headers: { "CF-Connecting-IP": ip, Cookie: "session=1" } });

describe("global rate limit, in process (Deno, workerd without the binding, tests)", () => {
  it("allows the limit per address, then answers 429 rate_limited with Retry-After and RateLimit headers", async () => {
    const { app } = await createTestApp({ config: { rateLimitPerMinute: 3 } });
    const ip = freshIp();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await categories(app, ip));
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0]!.headers.get("RateLimit-Limit")).toBe("3");
    expect(answers[0]!.headers.get("RateLimit-Remaining")).toBe("2");
    expect(answers[0]!.headers.get("RateLimit-Policy")).toBe("3;w=60");
    expect(Number(answers[0]!.headers.get("RateLimit-Reset"))).toBeGreaterThan(0);

    const limited = answers[3]!;
    expect(limited.headers.get("Content-Type")).toContain("application/problem+json");
    expect(await limited.json()).toMatchObject({ status: 429, code: "rate_limited" });
    const retryAfter = Number(limited.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get("RateLimit-Remaining")).toBe("0");
    expect(limited.headers.get("RateLimit-Policy")).toBe("3;w=60");
  });

  it("counts each address on its own", async () => {
    const { app } = await createTestApp({ config: { rateLimitPerMinute: 1 } });
    const statuses = [(await categories(app, freshIp())).status, (await categories(app, freshIp())).status];
    expect(statuses).toEqual([200, 200]);
  });

  it("counts an IPv6 client by its /64, and an IPv4-mapped address as its IPv4 address", async () => {
    const { app } = await createTestApp({ config: { rateLimitPerMinute: 2 } });
    expect((await categories(app, "2001:db8:1:2::1")).status).toBe(200);
    expect((await categories(app, "2001:db8:1:2:aaaa:bbbb:cccc:dddd")).status).toBe(200);
    expect((await categories(app, "2001:db8:1:2::ffff")).status).toBe(429);
    expect((await categories(app, "2001:db8:1:3::1")).status).toBe(200);

    expect((await categories(app, "198.51.100.4")).status).toBe(200);
    expect((await categories(app, "::ffff:198.51.100.4")).status).toBe(200);
    expect((await categories(app, "198.51.100.4")).status).toBe(429);
  });

  it("leaves health checks out of the limit", async () => {
    const { app } = await createTestApp({ config: { rateLimitPerMinute: 1 } });
    const ip = freshIp();
    for (let i = 0; i < 3; i++) {
      const response = await app.request("/health/live", { headers: { "CF-Connecting-IP": ip } });
      expect(response.status).toBe(200);
    }
  });
});

describe("global rate limit through the Workers binding", () => {
  it("counts by the client's key and states only what the binding can tell", async () => {
    const binding = fakeBinding(2, 60, systemClock);
    const { app } = await createTestApp({
      ipLimiter: bindingIpLimiter(binding, 2),
      config: { rateLimitPerMinute: 2 },
    });
    const answers = [];
    for (const ip of ["2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6::3"]) answers.push(await categories(app, ip));
    expect(answers.map((response) => response.status)).toEqual([200, 200, 429]);
    expect(binding.keys).toEqual(["2001:db8:5:6::/64", "2001:db8:5:6::/64", "2001:db8:5:6::/64"]);

    const allowed = answers[0]!;
    expect(allowed.headers.get("RateLimit-Policy")).toBe("2;w=60");
    expect(allowed.headers.get("RateLimit-Limit")).toBe("2");
    expect(allowed.headers.get("RateLimit-Remaining")).toBeNull();
    expect(allowed.headers.get("RateLimit-Reset")).toBeNull();

    const limited = answers[2]!;
    expect(limited.headers.get("Content-Type")).toContain("application/problem+json");
    expect(await limited.json()).toMatchObject({ status: 429, code: "rate_limited" });
    expect(limited.headers.get("RateLimit-Remaining")).toBe("0");
    expect(limited.headers.get("RateLimit-Reset")).toBe("60");
    expect(limited.headers.get("Retry-After")).toBe("60");
  });

  it("fails open when the binding errs", async () => {
    const { app } = await createTestApp({
      ipLimiter: bindingIpLimiter(failingBinding, 1),
      config: { rateLimitPerMinute: 1 },
    });
    const ip = freshIp();
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await categories(app, ip));
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(answers[0]!.headers.get("RateLimit-Policy")).toBeNull();
  });
});
