import { describe, expect, it } from "vitest";
import { connectNeon } from "../../db/client.ts";
import { sharedDatabase } from "../../api/deps.ts";
import { createRedis } from "../../api/lib/redis.ts";
import { upstashCache } from "../../api/lib/cache/upstash.ts";
import { silentLogger } from "../../api/lib/logger.ts";
import { createTestApp } from "../support/app.ts";

/** Nothing listens on port 9 (discard) here: connections are refused at once. */
const deadEnd = "127.0.0.1:9";

describe("health", () => {
  it("reports live while the process runs", async () => {
    const { app } = await createTestApp();
    const response = await app.request("/health/live");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("reports ready when Postgres and the cache answer", async () => {
    const { app } = await createTestApp();
    const response = await app.request("/health/ready");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", checks: { database: "ok", cache: "ok" } });
  });

  it("answers 503 naming the database when Postgres is unreachable", async () => {
    const unreachable = connectNeon({ url: `postgres://nobody@${deadEnd}/none`, wsProxy: `${deadEnd}/v2` });
    const { app } = await createTestApp({ database: sharedDatabase(unreachable) });
    const started = Date.now();
    const response = await app.request("/health/ready");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(response.status).toBe(503);
    expect(response.headers.get("Content-Type")).toContain("application/problem+json");
    expect(await response.json()).toMatchObject({
      status: 503,
      code: "service_unavailable",
      failed: ["database"],
      checks: { database: "failed", cache: "ok" },
    });
    await unreachable.close();
  });

  it("answers 503 naming the cache when Redis is unreachable", async () => {
    const redis = createRedis({ url: `http://${deadEnd}`, token: "none", timeoutMs: 1_000 });
    const { app } = await createTestApp({ cache: upstashCache(redis, silentLogger) });
    const response = await app.request("/health/ready");
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ failed: ["cache"], checks: { database: "ok", cache: "failed" } });
  });

  it("answers API requests with 503 database_unavailable, fast, when Postgres is down", async () => {
    const unreachable = connectNeon({ url: `postgres://nobody@${deadEnd}/none`, wsProxy: `${deadEnd}/v2` });
    const { app } = await createTestApp({ database: sharedDatabase(unreachable) });
    // A list, which the cache never answers: the category counts could come from Redis without Postgres.
    const response = await app.request("/api/v1/courses");
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("5");
    expect(await response.json()).toMatchObject({ code: "database_unavailable" });
    await unreachable.close();
  });
});

describe("database outages inside transactions", () => {
  it("answer 503 database_unavailable, not an uncaught driver event", async () => {
    const healthy = await createTestApp();
    const response = await healthy.app.request("/api/v1/auth/register", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "outage@example.test", password: "a long enough passphrase", name: "Outage" }),
    });
    expect(response.status).toBe(202);
    const unreachable = connectNeon({ url: `postgres://nobody@${deadEnd}/none`, wsProxy: `${deadEnd}/v2` });
    const { app } = await createTestApp({ database: sharedDatabase(unreachable) });
    const during = await app.request("/api/v1/auth/register", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "outage2@example.test", password: "a long enough passphrase", name: "Outage" }),
    });
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ code: "database_unavailable" });
    await unreachable.close();
  });
});
