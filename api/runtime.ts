import { connectNeon } from "../db/client.ts";
import { type AppDeps, type DatabaseSource, paymentsOf, sharedDatabase } from "./deps.ts";
import type { Config } from "./env.ts";
import { memoryCache } from "./lib/cache/memory.ts";
import { tieredCache } from "./lib/cache/tiered.ts";
import { upstashCache } from "./lib/cache/upstash.ts";
import { systemClock } from "./lib/clock.ts";
import { jsonLogger } from "./lib/logger.ts";
import { outboxOnlyMailer } from "./lib/mail/mailer.ts";
import { resendMailer } from "./lib/mail/resend.ts";
import { bindingIpLimiter, type RateLimitBinding } from "./lib/ratelimit/binding.ts";
import { memoryIpLimiter, memoryRateLimiter } from "./lib/ratelimit/memory.ts";
import { upstashRateLimiter } from "./lib/ratelimit/upstash.ts";
import { createRedis } from "./lib/redis.ts";
import { memoryResponseCache } from "./lib/response-cache/memory.ts";
import { localProvider } from "./payments/local.ts";
import { stripeProvider } from "./payments/stripe.ts";

export interface RuntimeOptions {
  /** Workers: a database per request (its pool opened by a transaction, if any). Long-lived servers: one for all. */
  poolPerRequest: boolean;
  clientIp: AppDeps["clientIp"];
  /** The Queue binding, where the runtime has one (Workers). */
  emailQueue?: AppDeps["emailQueue"];
  /** The Rate Limiting binding, where the runtime has one (Workers, and wrangler dev, which emulates it). */
  ipRateLimiter?: RateLimitBinding | undefined;
}

/** Production wiring from validated configuration: Neon driver, Upstash when configured, memory otherwise. */
export function runtimeDeps(config: Config, options: RuntimeOptions): AppDeps {
  const logger = jsonLogger(config.logLevel);
  const clock = systemClock;
  const redis = config.redis ? createRedis(config.redis) : undefined;
  // One-shot queries over HTTP where there is an endpoint (Neon's, or DATABASE_HTTP_PROXY): opening a database per
  // request then costs nothing until a transaction needs the WebSocket pool.
  const neonOptions = {
    url: config.databaseUrl,
    wsProxy: config.databaseWsProxy,
    httpEndpoint: config.databaseHttpProxy,
    logger,
  };
  const database: DatabaseSource = options.poolPerRequest
    ? { open: () => connectNeon(neonOptions), close: async () => {} }
    : sharedDatabase(connectNeon({ ...neonOptions, maxConnections: 20 }));
  return {
    database,
    cache: redis
      ? tieredCache(upstashCache(redis, logger), { clock, logger, remoteTimeoutMs: config.redis?.timeoutMs })
      : memoryCache(clock),
    limiter: redis ? upstashRateLimiter(redis) : memoryRateLimiter(clock),
    ipLimiter: options.ipRateLimiter
      ? bindingIpLimiter(options.ipRateLimiter, config.rateLimitPerMinute)
      : memoryIpLimiter(clock, config.rateLimitPerMinute),
    clock,
    config,
    logger,
    mailer: config.mail.provider === "resend" && config.mail.resendApiKey
      ? resendMailer({ apiKey: config.mail.resendApiKey, from: config.mail.from })
      : outboxOnlyMailer,
    payments: paymentsFor(config),
    responseCache: memoryResponseCache({ clock, logger }),
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
