import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tieredCache } from "../../api/lib/cache/tiered.ts";
import { upstashCache } from "../../api/lib/cache/upstash.ts";
import { systemClock } from "../../api/lib/clock.ts";
import { silentLogger } from "../../api/lib/logger.ts";
import { upstashRateLimiter } from "../../api/lib/ratelimit/upstash.ts";
import { createRedis } from "../../api/lib/redis.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createPublished } from "../support/catalog.ts";
import { PASSWORD, post, signUp } from "../support/identity.ts";
import { startUpstashEmulator } from "../support/servers.ts";
import { privateRedis } from "./private-servers.ts";
import { catalogReadLoad } from "./read-load.ts";

/**
 * Redis stops in the middle of traffic: reads go on from Postgres (through
 * the in-isolate tier, as production composes it), the per-account limits
 * fail closed (sign-in and password-reset mail answer 503), readiness names
 * the cache; when Redis is back, everything recovers with no restart. The
 * global per-client limit no longer involves Redis at all.
 */
let t: TestApp;
let redis: Awaited<ReturnType<typeof privateRedis>>;
let emulator: Awaited<ReturnType<typeof startUpstashEmulator>>;
let slug: string;
let teacherEmail: string;

beforeAll(async () => {
  redis = await privateRedis();
  emulator = await startUpstashEmulator(redis.url);
  const client = createRedis({ url: emulator.url, token: emulator.token, timeoutMs: 200 });
  t = await createTestApp({
    cache: tieredCache(upstashCache(client, silentLogger), {
      clock: systemClock,
      logger: silentLogger,
      remoteTimeoutMs: 200,
    }),
    limiter: upstashRateLimiter(client),
    config: { rateLimitPerMinute: 1_000 },
  });
  const teacher = await signUp(t, { role: "teacher", verified: true });
  teacherEmail = teacher.email;
  slug = (await createPublished(t, teacher)).slug;
});

afterAll(async () => {
  emulator?.process.kill();
  await redis?.stop();
});

const load = (seconds: number) => catalogReadLoad(t, slug, seconds);

describe("Redis down under load", () => {
  it("keeps serving, fails the right limits open and closed, and recovers by itself", async () => {
    expect((await t.app.request("/health/ready")).status).toBe(200);
    const warm = load(1);
    await redis.stop();
    const during = [...(await warm), ...(await load(2))];
    expect(during.length).toBeGreaterThan(10);
    expect(during.every((status) => status === 200)).toBe(true);

    const ready = await t.app.request("/health/ready");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ failed: ["cache"] });
    const reset = await post(t, "/auth/forgot-password", { email: "someone@example.test" });
    expect(reset.status).toBe(503);
    const signIn = () => post(t, "/auth/login", { email: teacherEmail, password: PASSWORD, client: "native" });
    expect((await signIn()).status).toBe(503);

    await redis.start();
    let recovered = false;
    for (let attempt = 0; attempt < 50 && !recovered; attempt++) {
      recovered = (await t.app.request("/health/ready")).status === 200;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(recovered).toBe(true);
    expect((await post(t, "/auth/forgot-password", { email: "someone@example.test" })).status).toBe(202);
    expect((await signIn()).status).toBe(200);
    expect((await load(1)).every((status) => status === 200)).toBe(true);
  });
});
