import { z } from "zod";

const postgresUrl = z
  .url()
  .refine((value) => /^postgres(ql)?:$/.test(URL.parse(value)?.protocol ?? ""), "must be a postgres:// URL");

const commaList = z
  .string()
  .transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean));

const positiveInt = z.coerce.number().int().positive();

export const envSchema = z
  .object({
    APP_ENV: z.enum(["production", "development", "test"]).default("development"),
    DATABASE_URL: postgresUrl,
    DATABASE_WS_PROXY: z.string().regex(/^[\w.-]+:\d+(\/.*)?$/, "must look like host:port/path").optional(),
    DATABASE_HTTP_PROXY: z.url({ protocol: /^https?$/, error: "must be an http(s):// URL" }).optional(),
    UPSTASH_REDIS_REST_URL: z.url().optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    REDIS_TIMEOUT_MS: positiveInt.max(10_000).default(1_000),
    PUBLIC_URL: z.url().default("http://localhost:8787"),
    CORS_ORIGINS: commaList.optional(),
    RATE_LIMIT_PER_MINUTE: positiveInt.default(100),
    MAX_BODY_BYTES: positiveInt.default(1_048_576),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    JWT_SECRET: z.string().min(32, "must be at least 32 characters (256 bits)").optional(),
    JWT_SECRET_PREVIOUS: z.string().min(32, "must be at least 32 characters (256 bits)").optional(),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt.max(900, "must be at most 900 (15 minutes)").default(900),
    REFRESH_REUSE_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(60).default(10),
    REFRESH_IDLE_TIMEOUT_DAYS: positiveInt.default(7),
    REFRESH_LIFETIME_DAYS: positiveInt.default(30),
    MAIL_PROVIDER: z.enum(["outbox", "resend"]).default("outbox"),
    RESEND_API_KEY: z.string().min(1).optional(),
    MAIL_FROM: z.string().min(3).default("Lectern <no-reply@lectern.localhost>"),
    EMAIL_DELIVERY: z.enum(["inline", "queue"]).default("inline"),
    PAYMENT_PROVIDER: z.enum(["local", "stripe"]).default("local"),
    STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_/, "must be a Stripe secret or restricted key").optional(),
    STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_/, "must be a Stripe webhook signing secret (whsec_…)").optional(),
    LOCAL_WEBHOOK_SECRET: z.string().min(32).optional(),
    PLATFORM_FEE_PERCENT: z.coerce.number().int().min(0).max(100).default(20),
    REFUND_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(14),
    DEV_MAILBOX: z.enum(["on", "off"]).default("off"),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.UPSTASH_REDIS_REST_URL) !== Boolean(env.UPSTASH_REDIS_REST_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: [env.UPSTASH_REDIS_REST_URL ? "UPSTASH_REDIS_REST_TOKEN" : "UPSTASH_REDIS_REST_URL"],
        message: "UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN go together",
      });
    }
    if (env.APP_ENV === "production" && !env.JWT_SECRET) {
      ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "is required in production" });
    }
    if (env.APP_ENV === "production" && env.MAIL_PROVIDER !== "resend") {
      ctx.addIssue({ code: "custom", path: ["MAIL_PROVIDER"], message: "must be resend in production" });
    }
    if (env.MAIL_PROVIDER === "resend" && !env.RESEND_API_KEY) {
      ctx.addIssue({ code: "custom", path: ["RESEND_API_KEY"], message: "is required when MAIL_PROVIDER is resend" });
    }
    if (env.APP_ENV === "production" && env.PAYMENT_PROVIDER !== "stripe") {
      ctx.addIssue({
        code: "custom",
        path: ["PAYMENT_PROVIDER"],
        message: "must be stripe in production: local payments are fake",
      });
    }
    if (env.PAYMENT_PROVIDER === "stripe") {
      for (const name of ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"] as const) {
        if (!env[name]) {
          ctx.addIssue({ code: "custom", path: [name], message: "is required when PAYMENT_PROVIDER is stripe" });
        }
      }
    }
    if (env.APP_ENV === "production" && env.DEV_MAILBOX === "on") {
      ctx.addIssue({
        code: "custom",
        path: ["DEV_MAILBOX"],
        message: "must not be on in production: it shows every email, reset links included",
      });
    }
    if (env.APP_ENV === "production" && !env.UPSTASH_REDIS_REST_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["UPSTASH_REDIS_REST_URL"],
        message: "is required in production: the in-memory cache and limiter are per isolate",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env["APP_ENV"];
  /** False when APP_ENV was not set and `development` is a guess: the runtimes then say so (`environmentWarning`). */
  envIsExplicit: boolean;
  databaseUrl: string;
  databaseWsProxy: string | undefined;
  /** A server speaking Neon's HTTP query protocol for a Postgres that is not Neon (db/sql-http-server.ts). */
  databaseHttpProxy: string | undefined;
  redis: { url: string; token: string; timeoutMs: number } | undefined;
  publicUrl: string;
  corsOrigins: string[];
  rateLimitPerMinute: number;
  maxBodyBytes: number;
  logLevel: Env["LOG_LEVEL"];
  /** GET /api/v1/dev/mail lists the outbox. Only on when asked for (DEV_MAILBOX=on, as `npm start` sets). */
  devMailbox: boolean;
  auth: {
    jwtSecret: string;
    jwtSecretPrevious: string | undefined;
    accessTokenTtlSeconds: number;
    refreshReuseIntervalSeconds: number;
    refreshIdleTimeoutDays: number;
    refreshLifetimeDays: number;
  };
  mail: { provider: "outbox" | "resend"; resendApiKey: string | undefined; from: string; delivery: "inline" | "queue" };
  payments: {
    provider: "local" | "stripe";
    stripe: { secretKey: string; webhookSecret: string } | undefined;
    /** Signs and verifies the local provider's webhooks; random per isolate unless set. */
    localWebhookSecret: string;
    platformFeePercent: number;
    refundWindowDays: number;
  };
}

export class ConfigError extends Error {
  readonly variables: string[];
  constructor(issues: { variable: string; message: string }[]) {
    super(`Invalid configuration: ${issues.map((issue) => `${issue.variable} ${issue.message}`).join("; ")}`);
    this.name = "ConfigError";
    this.variables = issues.map((issue) => issue.variable);
  }
}

/** Validates the environment once; the message names each bad variable and never echoes its value. */
export function parseConfig(source: Record<string, unknown>): Config {
  const strings = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== "" && typeof value === "string"),
  );
  const result = envSchema.safeParse(strings);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "environment"),
        message: issue.message === "Invalid input: expected string, received undefined" ? "is required" : issue.message,
      })),
    );
  }
  const env = result.data;
  return {
    env: env.APP_ENV,
    envIsExplicit: strings.APP_ENV !== undefined,
    databaseUrl: env.DATABASE_URL,
    databaseWsProxy: env.DATABASE_WS_PROXY,
    databaseHttpProxy: env.DATABASE_HTTP_PROXY,
    redis: env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
      ? { url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN, timeoutMs: env.REDIS_TIMEOUT_MS }
      : undefined,
    publicUrl: env.PUBLIC_URL.replace(/\/$/, ""),
    corsOrigins: env.CORS_ORIGINS ?? [new URL(env.PUBLIC_URL).origin],
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    maxBodyBytes: env.MAX_BODY_BYTES,
    logLevel: env.LOG_LEVEL,
    devMailbox: env.DEV_MAILBOX === "on",
    auth: {
      // Outside production a missing secret gets a random one: sessions then end with the process, which is fine locally.
      jwtSecret: env.JWT_SECRET ?? randomSecret(),
      jwtSecretPrevious: env.JWT_SECRET_PREVIOUS,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshReuseIntervalSeconds: env.REFRESH_REUSE_INTERVAL_SECONDS,
      refreshIdleTimeoutDays: env.REFRESH_IDLE_TIMEOUT_DAYS,
      refreshLifetimeDays: env.REFRESH_LIFETIME_DAYS,
    },
    mail: {
      provider: env.MAIL_PROVIDER,
      resendApiKey: env.RESEND_API_KEY,
      from: env.MAIL_FROM,
      delivery: env.EMAIL_DELIVERY,
    },
    payments: {
      provider: env.PAYMENT_PROVIDER,
      stripe: env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET
        ? { secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET }
        : undefined,
      localWebhookSecret: env.LOCAL_WEBHOOK_SECRET ?? `whsec_${randomSecret()}`,
      platformFeePercent: env.PLATFORM_FEE_PERCENT,
      refundWindowDays: env.REFUND_WINDOW_DAYS,
    },
  };
}

/**
 * What a server started without APP_ENV must say when it starts: it runs with
 * development's defaults (random signing key, fake payments allowed, mail kept
 * in the outbox), which is never what a deployment wants.
 */
export function environmentWarning(config: Config): string | undefined {
  if (config.envIsExplicit) return undefined;
  return `APP_ENV is not set: running as "${config.env}" with development defaults (random JWT key, local payments, ` +
    "mail kept in the outbox). Set APP_ENV=production for a deployment, or APP_ENV=development to silence this.";
}

function randomSecret(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");
}
