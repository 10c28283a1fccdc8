import type { Database, Db } from "../db/client.ts";
import type { Config } from "./env.ts";
import type { Cache } from "./lib/cache/cache.ts";
import type { Clock } from "./lib/clock.ts";
import type { Logger } from "./lib/logger.ts";
import type { Mailer } from "./lib/mail/mailer.ts";
import type { IpLimiter } from "./lib/ratelimit/ip-limiter.ts";
import type { RateLimiter } from "./lib/ratelimit/ratelimit.ts";
import type { ResponseCache } from "./lib/response-cache/response-cache.ts";
import type { PaymentProvider, ProviderName } from "./payments/provider.ts";

/**
 * Where each request gets its database. On Workers a connection pool cannot
 * outlive the request that opened it, so `open` makes a fresh (lazy) pool;
 * long-lived runtimes hand out one shared pool and make `close` a no-op.
 */
export interface DatabaseSource {
  open(): Database;
  /** Ends whatever outlives a request (the shared pool), at shutdown. */
  close(): Promise<void>;
}

export interface AppDeps {
  database: DatabaseSource;
  cache: Cache;
  /** Exact counters shared by every isolate (Upstash): failed sign-ins per account, mails per address. */
  limiter: RateLimiter;
  /** The global per-client limit, counted without a network round trip. */
  ipLimiter: IpLimiter;
  clock: Clock;
  config: Config;
  logger: Logger;
  mailer: Mailer;
  /** Cloudflare Queue for email delivery (production); without it emails are delivered after the response. */
  emailQueue: EmailQueue | undefined;
  payments: Payments;
  /** Public answers kept in front of the app: in-process here; a Worker's invocation may bring Workers Cache instead. */
  responseCache: ResponseCache;
  /** The caller's address as the runtime knows it; undefined when it cannot tell. */
  clientIp(request: Request): string | undefined;
}

/** What services receive: plain values, never the Hono context. */
export interface Deps {
  db: Db;
  cache: Cache;
  limiter: RateLimiter;
  clock: Clock;
  config: Config;
  logger: Logger;
  mailer: Mailer;
  payments: Payments;
  /**
   * Work that must finish but need not delay the answer:
   * `waitUntil` on Workers; elsewhere awaited before the response is sent.
   */
  defer(work: Promise<unknown>): void;
  /** Hands emails the caller's transaction queued in the outbox to delivery. Call after that transaction commits. */
  dispatchEmails(ids: (string | undefined)[]): void;
  /**
   * Drops every stored public answer tagged with any of `tags` (Workers Cache
   * or the in-process response cache). Call after the write commits. Never
   * throws: a purge that fails is retried once and logged, and the write stands.
   */
  purgeTags(tags: string[]): Promise<void>;
}

/** The producer side of a Cloudflare Queue binding, as far as email delivery needs it. */
export interface EmailQueue {
  send(message: EmailJob): Promise<void>;
}

export interface EmailJob {
  emailIds: string[];
}

export interface AppEnv {
  Variables: {
    requestId: string;
    deps: Deps;
    /** The caller's rate-limit key (api/lib/ratelimit/client-key.ts), set by the global limit. */
    clientKey: string;
  };
}

/** A pool that lives as long as the process: every request shares it. */
export function sharedDatabase(database: Database): DatabaseSource {
  const shared: Database = { db: database.db, close: async () => {} };
  return { open: () => shared, close: () => database.close() };
}

/** The provider new checkouts go to, and every provider whose webhooks and refunds the app still handles. */
export interface Payments {
  checkout: PaymentProvider;
  byName(name: string): PaymentProvider | undefined;
}

export function paymentsOf(checkout: PaymentProvider, ...others: PaymentProvider[]): Payments {
  const all = new Map<string, PaymentProvider>([checkout, ...others].map((provider) => [provider.name, provider]));
  return { checkout, byName: (name) => all.get(name as ProviderName) };
}
