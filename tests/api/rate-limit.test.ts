import { describe, expect, it } from "vitest";
import type { RateLimiter } from "../../api/lib/ratelimit/ratelimit.ts";
import { createTestApp, freshIp } from "../support/app.ts";

describe("global rate limit", () => {
  it("allows the limit per address, then answers 429 rate_limited with Retry-After and RateLimit headers", async () => {
    const { app } = await createTestApp({ config: { rateLimitPerMinute: 3 } });
    const ip = freshIp();
    const answers = [];
    for (let i = 0; i < 4; i++) {
      answers.push(await app.request("/api/v1/categories", { headers: { "CF-Connecting-IP": ip } }));
    }
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0]!.headers.get("RateLimit-Limit")).toBe("3");
    expect(answers[0]!.headers.get("RateLimit-Remaining")).toBe("2");
    expect(answers[0]!.headers.get("RateLimit-Policy")).toBe("3;w=60");

    const limited = answers[3]!;
    expect(limited.headers.get("Content-Type")).toContain("application/problem+json");
    expect(await limited.json()).toMatchObject({ status: 429, code: "rate_limited" });
    const retryAfter = Number(limited.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get("RateLimit-Remaining")).toBe("0");
  });

  it("counts each address on its own", async () => {
    const { app } = await createTestApp({ config: { rateLimitPerMinute: 1 } });
    const first = await app.request("/api/v1/categories", { headers: { "CF-Connecting-IP": freshIp() } });
    const second = await app.request("/api/v1/categories", { headers: { "CF-Connecting-IP": freshIp() } });
    expect([first.status, second.status]).toEqual([200, 200]);
  });

  it("leaves health checks out of the limit", async () => {
    const { app } = await createTestApp({ config: { rateLimitPerMinute: 1 } });
    const ip = freshIp();
    for (let i = 0; i < 3; i++) {
      const response = await app.request("/health/live", { headers: { "CF-Connecting-IP": ip } });
      expect(response.status).toBe(200);
    }
  });

  it("fails open when the limiter's store is down", async () => {
    const broken: RateLimiter = {
      hit: () => Promise.reject(new Error("redis unreachable")),
      remaining: () => Promise.reject(new Error("redis unreachable")),
    };
    const { app } = await createTestApp({ limiter: broken, config: { rateLimitPerMinute: 1 } });
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await app.request("/api/v1/categories", { headers: { "CF-Connecting-IP": ip } })).status);
    }
    expect(statuses).toEqual([200, 200, 200]);
  });
});
