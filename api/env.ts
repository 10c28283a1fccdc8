import { z } from "zod";

const postgresUrl = z
  .string()
  .url()
  .refine((value) => /^postgres(ql)?:$/.test(new URL(value).protocol), "must be a postgres:// URL");

const commaList = z
  .string()
  .transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean));

const positiveInt = z.coerce.number().int().positive();

export const envSchema = z
  .object({
    APP_ENV: z.enum(["production", "development", "test"]).default("development"),
    DATABASE_URL: postgresUrl,
    DATABASE_WS_PROXY: z.string().regex(/^[\w.-]+:\d+(\/.*)?$/, "must look like host:port/path").optional(),
    UPSTASH_REDIS_REST_URL: z.string().url().optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    PUBLIC_URL: z.string().url().default("http://localhost:8787"),
    CORS_ORIGINS: commaList.optional(),
    RATE_LIMIT_PER_MINUTE: positiveInt.default(100),
    MAX_BODY_BYTES: positiveInt.default(1_048_576),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.UPSTASH_REDIS_REST_URL) !== Boolean(env.UPSTASH_REDIS_REST_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: [env.UPSTASH_REDIS_REST_URL ? "UPSTASH_REDIS_REST_TOKEN" : "UPSTASH_REDIS_REST_URL"],
        message: "UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN go together",
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
  databaseUrl: string;
  databaseWsProxy: string | undefined;
  redis: { url: string; token: string } | undefined;
  publicUrl: string;
  corsOrigins: string[];
  rateLimitPerMinute: number;
  maxBodyBytes: number;
  logLevel: Env["LOG_LEVEL"];
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
    databaseUrl: env.DATABASE_URL,
    databaseWsProxy: env.DATABASE_WS_PROXY,
    redis: env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
      ? { url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN }
      : undefined,
    publicUrl: env.PUBLIC_URL.replace(/\/$/, ""),
    corsOrigins: env.CORS_ORIGINS ?? [new URL(env.PUBLIC_URL).origin],
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    maxBodyBytes: env.MAX_BODY_BYTES,
    logLevel: env.LOG_LEVEL,
  };
}
