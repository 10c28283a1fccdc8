import type { Redis } from "@upstash/redis";
import { inject } from "vitest";
import { connectNeon, connectNeonHttp, type Database, type Db } from "../../db/client.ts";
import { migrate } from "../../db/migrate.ts";
import { openPglite } from "../../db/pglite.ts";
import { startSqlHttpServer } from "../../db/sql-http-server.ts";
import { createApp } from "../../api/app.ts";
import { type AppDeps, sharedDatabase } from "../../api/deps.ts";
import { paymentsFor } from "../../api/runtime.ts";
import type { Config } from "../../api/env.ts";
import { memoryCache } from "../../api/lib/cache/memory.ts";
import { tieredCache } from "../../api/lib/cache/tiered.ts";
import { upstashCache } from "../../api/lib/cache/upstash.ts";
import { systemClock } from "../../api/lib/clock.ts";
import { silentLogger } from "../../api/lib/logger.ts";
import { outboxOnlyMailer } from "../../api/lib/mail/mailer.ts";
import { memoryIpLimiter, memoryRateLimiter } from "../../api/lib/ratelimit/memory.ts";
import { upstashRateLimiter } from "../../api/lib/ratelimit/upstash.ts";
import { createRedis } from "../../api/lib/redis.ts";
import { memoryResponseCache } from "../../api/lib/response-cache/memory.ts";

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    env: "test",
    envIsExplicit: true,
    databaseUrl: "postgres://unused@127.0.0.1/unused",
    databaseWsProxy: undefined,
    databaseHttpProxy: undefined,
    redis: undefined,
    publicUrl: "http://localhost:8787",
    corsOrigins: ["http://localhost:8787"],
    // High, so suites that share one client address are not throttled; the rate-limit suite sets its own.
    rateLimitPerMinute: 100_000,
    maxBodyBytes: 1_048_576,
    logLevel: "error",
    devMailbox: true,
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
 * This file's database, reached as production reaches Neon: one-shot queries
 * through Neon's HTTP driver. In the real-service pass, the shared PostgreSQL
 * 15 database through the global setup's HTTP query server, and transactions
 * over the WebSocket bridge. Otherwise a fresh in-memory PGlite with
 * migrations applied, behind an HTTP query server of this file's own, with
 * transactions on the PGlite directly (its lock keeps the two apart). Suites
 * create their own rows with fresh ids, so they never depend on being alone in
 * the database.
 */
export function testDatabase(): Promise<Database> {
  fileDatabase ??= (async () => {
    const postgres = inject("postgres");
    if (postgres) return connectNeon(postgres);
    return await servedPglite();
  })();
  return fileDatabase;
}

async function servedPglite(): Promise<Database> {
  const embedded = await openPglite();
  await migrate(embedded.db);
  // A host that never resolves: the address only names this database to the driver and the server.
  const url = `postgres://postgres@pglite-${crypto.randomUUID().slice(0, 8)}.invalid/postgres`;
  const server = await startSqlHttpServer({ url, pglite: embedded.pg });
  const served = connectNeonHttp({
    url,
    httpEndpoint: server.url,
    transaction: (work, config) => embedded.db.transaction(work, config),
  });
  return {
    db: served.db,
    close: async () => {
      await server.close();
      await embedded.close();
    },
  };
}

export function testRedis(): Redis | undefined {
  const redis = inject("redis");
  return redis ? createRedis({ ...redis, timeoutMs: 2_000 }) : undefined;
}

/**
 * Test files share one database and one Redis in the real pass, but each file's apps must not read another file's
 * cache: factories write rows behind the API's back, so a list cached by one file (the categories) would hide the
 * rows another file just inserted. Each file's keys get a prefix of their own, and so does the purge generation the
 * apps' in-process tiers check: only the file's own deletes can purge its keys, so only they need to reach its tiers.
 */
const fileCachePrefix = `test-${crypto.randomUUID()}:`;

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
    cache: redis
      ? tieredCache(upstashCache(redis, silentLogger, { keyPrefix: fileCachePrefix }), {
        clock: systemClock,
        logger: silentLogger,
      })
      : memoryCache(systemClock),
    limiter: redis ? upstashRateLimiter(redis) : memoryRateLimiter(systemClock),
    ipLimiter: memoryIpLimiter(systemClock, testConfig(config).rateLimitPerMinute),
    clock: systemClock,
    config: testConfig(config),
    logger: silentLogger,
    mailer: outboxOnlyMailer,
    emailQueue: undefined,
    payments: paymentsFor(testConfig(config)),
    responseCache: memoryResponseCache({ clock: systemClock, logger: silentLogger }),
    clientIp: (request) => request.headers.get("CF-Connecting-IP") ?? undefined,
    ...rest,
  };
  return { app: createApp(deps), deps, db: deps.database.open().db };
}

/** A client address of its own per call, so no two tests share a rate-limit budget. */
export function freshIp(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(2));
  return `10.${bytes[0]}.${bytes[1]}.${1 + Math.floor(Math.random() * 250)}`;
}
