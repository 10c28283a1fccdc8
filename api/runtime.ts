import { connectNeon } from "../db/client.ts";
import { type AppDeps, type DatabaseSource, paymentsOf, sharedDatabase } from "./deps.ts";
import type { Config } from "./env.ts";
import { memoryCache } from "./lib/cache/memory.ts";
import { upstashCache } from "./lib/cache/upstash.ts";
import { systemClock } from "./lib/clock.ts";
import { jsonLogger } from "./lib/logger.ts";
import { outboxOnlyMailer } from "./lib/mail/mailer.ts";
import { resendMailer } from "./lib/mail/resend.ts";
import { memoryRateLimiter } from "./lib/ratelimit/memory.ts";
import { upstashRateLimiter } from "./lib/ratelimit/upstash.ts";
import { createRedis } from "./lib/redis.ts";
import { localProvider } from "./payments/local.ts";
import { stripeProvider } from "./payments/stripe.ts";

export interface RuntimeOptions {
  /** Workers: a pool per request. Long-lived servers: one pool for the process. */
  poolPerRequest: boolean;
  clientIp: AppDeps["clientIp"];
  /** The Queue binding, where the runtime has one (Workers). */
  emailQueue?: AppDeps["emailQueue"];
}

/** Production wiring from validated configuration: Neon driver, Upstash when configured, memory otherwise. */
export function runtimeDeps(config: Config, options: RuntimeOptions): AppDeps {
  const logger = jsonLogger(config.logLevel);
  const clock = systemClock;
  const redis = config.redis ? createRedis(config.redis) : undefined;
  const neonOptions = { url: config.databaseUrl, wsProxy: config.databaseWsProxy };
  const database: DatabaseSource = options.poolPerRequest
    ? { open: () => connectNeon(neonOptions), close: async () => {} }
    : sharedDatabase(connectNeon({ ...neonOptions, maxConnections: 20 }));
  return {
    database,
    cache: redis ? upstashCache(redis, logger) : memoryCache(clock),
    limiter: redis ? upstashRateLimiter(redis) : memoryRateLimiter(clock),
    clock,
    config,
    logger,
    mailer: config.mail.provider === "resend" && config.mail.resendApiKey
      ? resendMailer({ apiKey: config.mail.resendApiKey, from: config.mail.from })
      : outboxOnlyMailer,
    payments: paymentsFor(config),
    emailQueue: config.mail.delivery === "queue" ? options.emailQueue : undefined,
    clientIp: options.clientIp,
  };
}

/** Stripe when configured; the local provider only where configuration allows it (never production). */
export function paymentsFor(config: Config): AppDeps["payments"] {
  const stripe = config.payments.stripe ? stripeProvider(config.payments.stripe) : undefined;
  if (config.payments.provider === "stripe" && stripe) return paymentsOf(stripe);
  const local = localProvider({ publicUrl: config.publicUrl, webhookSecret: config.payments.localWebhookSecret });
  return stripe ? paymentsOf(local, stripe) : paymentsOf(local);
}
