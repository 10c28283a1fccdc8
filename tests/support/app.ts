import type { Redis } from "@upstash/redis";
import { inject } from "vitest";
import { connectNeon, type Database, type Db } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { openPglite } from "../../db/pglite.ts";
import { createApp } from "../../api/app.ts";
import { type AppDeps, sharedDatabase } from "../../api/deps.ts";
import { paymentsFor } from "../../api/runtime.ts";
import type { Config } from "../../api/env.ts";
import { memoryCache } from "../../api/lib/cache/memory.ts";
import type { Cache } from "../../api/lib/cache/cache.ts";
import { upstashCache } from "../../api/lib/cache/upstash.ts";
import { systemClock } from "../../api/lib/clock.ts";
import { silentLogger } from "../../api/lib/logger.ts";
import { outboxOnlyMailer } from "../../api/lib/mail/mailer.ts";
import { memoryRateLimiter } from "../../api/lib/ratelimit/memory.ts";
import { upstashRateLimiter } from "../../api/lib/ratelimit/upstash.ts";
import { createRedis } from "../../api/lib/redis.ts";

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    env: "test",
    databaseUrl: "postgres://unused@127.0.0.1/unused",
    databaseWsProxy: undefined,
    redis: undefined,
    publicUrl: "http://localhost:8787",
    corsOrigins: ["http://localhost:8787"],
    // High, so suites that share one client address are not throttled; the rate-limit suite sets its own.
    rateLimitPerMinute: 100_000,
    maxBodyBytes: 1_048_576,
    logLevel: "error",
    auth: {
      jwtSecret: "test-secret-that-is-long-enough-for-hs256-0123456789",
      jwtSecretPrevious: undefined,
      accessTokenTtlSeconds: 900,
      refreshReuseIntervalSeconds: 10,
      refreshIdleTimeoutDays: 7,
      refreshLifetimeDays: 30,
    },
    mail: { provider: "outbox", resendApiKey: undefined, from: "Lectern <no-reply@lectern.test>", delivery: "inline" },
    payments: {
      provider: "local",
      stripe: { secretKey: "sk_test_lectern", webhookSecret: "whsec_test_lectern_stripe_0123456789" },
      localWebhookSecret: "whsec_test_lectern_local_0123456789abcdef",
      platformFeePercent: 20,
      refundWindowDays: 14,
    },
    ...overrides,
  };
}

let fileDatabase: Promise<Database> | undefined;

/**
 * This file's database: a fresh in-memory PGlite with migrations applied, or,
 * in the real-service pass, the shared PostgreSQL 15 database through the Neon
 * driver and the WebSocket bridge. Suites create their own rows with fresh
 * ids, so they never depend on being alone in the database.
 */
export function testDatabase(): Promise<Database> {
  fileDatabase ??= (async () => {
    const postgres = inject("postgres");
    if (postgres) return connectNeon({ url: postgres.url, wsProxy: postgres.wsProxy });
    const database = await openPglite();
    await migrate(database.db);
    return database;
  })();
  return fileDatabase;
}

export function testRedis(): Redis | undefined {
  const redis = inject("redis");
  return redis ? createRedis({ ...redis, timeoutMs: 2_000 }) : undefined;
}

/**
 * Test files share one database and one Redis in the real pass, but each file's apps must not read another file's
 * cache: factories write rows behind the API's back, so a list cached by one file (the categories) would hide the
 * rows another file just inserted. Each file's keys get a prefix of their own.
 */
const fileCachePrefix = `test-${crypto.randomUUID()}:`;

function namespaced(cache: Cache, prefix: string): Cache {
  return {
    get: (key) => cache.get(prefix + key),
    set: (key, value, ttlSeconds) => cache.set(prefix + key, value, ttlSeconds),
    delete: (...keys) => cache.delete(...keys.map((key) => prefix + key)),
    ping: () => cache.ping(),
  };
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  db: Db;
}

/** The production app over the test database and (in the real pass) real Redis; any dependency can be replaced. */
export async function createTestApp(
  overrides: Partial<Omit<AppDeps, "config">> & { config?: Partial<Config> } = {},
): Promise<TestApp> {
  const database = await testDatabase();
  const redis = testRedis();
  const { config, ...rest } = overrides;
  const deps: AppDeps = {
    database: sharedDatabase(database),
    cache: redis ? namespaced(upstashCache(redis, silentLogger), fileCachePrefix) : memoryCache(systemClock),
    limiter: redis ? upstashRateLimiter(redis) : memoryRateLimiter(systemClock),
    clock: systemClock,
    config: testConfig(config),
    logger: silentLogger,
    mailer: outboxOnlyMailer,
    emailQueue: undefined,
    payments: paymentsFor(testConfig(config)),
    clientIp: (request) => request.headers.get("CF-Connecting-IP") ?? undefined,
    ...rest,
  };
  return { app: createApp(deps), deps, db: deps.database.open().db };
}

/** A client address of its own per call, so real-Redis rate-limit counters never collide across suites. */
export function freshIp(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(2));
  return `10.${bytes[0]}.${bytes[1]}.${1 + Math.floor(Math.random() * 250)}`;
}
