import { describe, expect, it } from "vitest";
import { ConfigError, environmentWarning, parseConfig } from "../../api/env.ts";
import { handleApi } from "../../api/worker-api.ts";
import { createTestApp } from "../support/app.ts";

const valid = { DATABASE_URL: "postgres://app@db.example.test:5432/lectern" };
const noContext = { waitUntil() {}, passThroughOnException() {}, props: {} };

function configError(source: Record<string, unknown>): ConfigError {
  try {
    parseConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("applies documented defaults", () => {
    const config = parseConfig(valid);
    expect(config).toMatchObject({
      env: "development",
      publicUrl: "http://localhost:8787",
      corsOrigins: ["http://localhost:8787"],
      rateLimitPerMinute: 100,
      redis: undefined,
      devMailbox: false,
    });
  });

  it("keeps the dev mailbox off unless DEV_MAILBOX=on, and refuses it in production", () => {
    expect(parseConfig(valid).devMailbox).toBe(false);
    expect(parseConfig({ ...valid, APP_ENV: "development" }).devMailbox).toBe(false);
    expect(parseConfig({ ...valid, DEV_MAILBOX: "on" }).devMailbox).toBe(true);
    expect(configError({ ...valid, DEV_MAILBOX: "yes" }).variables).toEqual(["DEV_MAILBOX"]);
    expect(configError({ ...valid, APP_ENV: "production", DEV_MAILBOX: "on" }).variables).toContain("DEV_MAILBOX");
  });

  it("warns when APP_ENV is not set, naming what the server runs as", () => {
    const warning = environmentWarning(parseConfig(valid));
    expect(warning).toContain("APP_ENV is not set");
    expect(warning).toContain('"development"');
    expect(environmentWarning(parseConfig({ ...valid, APP_ENV: "" }))).toBeDefined();
    expect(environmentWarning(parseConfig({ ...valid, APP_ENV: "development" }))).toBeUndefined();
  });

  it("names a missing variable", () => {
    const error = configError({});
    expect(error.variables).toEqual(["DATABASE_URL"]);
    expect(error.message).toContain("DATABASE_URL is required");
  });

  it("names malformed variables without echoing their values", () => {
    const error = configError({ DATABASE_URL: "mysql://secret-password@host/db", RATE_LIMIT_PER_MINUTE: "lots" });
    expect(error.variables).toEqual(["DATABASE_URL", "RATE_LIMIT_PER_MINUTE"]);
    expect(error.message).not.toContain("secret-password");
  });

  it("requires the Upstash URL and token together", () => {
    expect(configError({ ...valid, UPSTASH_REDIS_REST_URL: "https://redis.example.test" }).variables).toEqual([
      "UPSTASH_REDIS_REST_TOKEN",
    ]);
  });

  it("requires real secrets, mail and Redis in production", () => {
    expect(configError({ ...valid, APP_ENV: "production" }).variables.sort()).toEqual([
      "JWT_SECRET",
      "MAIL_PROVIDER",
      "PAYMENT_PROVIDER",
      "UPSTASH_REDIS_REST_URL",
    ]);
    expect(configError({ ...valid, PAYMENT_PROVIDER: "stripe" }).variables.sort()).toEqual([
      "STRIPE_SECRET_KEY",
      "STRIPE_WEBHOOK_SECRET",
    ]);
    expect(configError({ ...valid, MAIL_PROVIDER: "resend" }).variables).toEqual(["RESEND_API_KEY"]);
    expect(configError({ ...valid, JWT_SECRET: "too-short" }).message).toContain("JWT_SECRET must be at least 32");
    const production = parseConfig({
      ...valid,
      APP_ENV: "production",
      JWT_SECRET: "s".repeat(32),
      MAIL_PROVIDER: "resend",
      RESEND_API_KEY: "re_test",
      UPSTASH_REDIS_REST_URL: "https://redis.example.test",
      UPSTASH_REDIS_REST_TOKEN: "token",
      PAYMENT_PROVIDER: "stripe",
      STRIPE_SECRET_KEY: "sk_live_x",
      STRIPE_WEBHOOK_SECRET: "whsec_x",
    });
    expect(production.redis).toEqual({ url: "https://redis.example.test", token: "token", timeoutMs: 1_000 });
    expect(production.auth.jwtSecret).toBe("s".repeat(32));
  });

  it("gives development a random signing key when none is set, never a fixed one", () => {
    const first = parseConfig(valid).auth.jwtSecret;
    expect(first).toHaveLength(64);
    expect(parseConfig(valid).auth.jwtSecret).not.toBe(first);
  });

  it("takes DATABASE_HTTP_PROXY as an http(s) URL and refuses anything else, naming it", () => {
    expect(parseConfig(valid).databaseHttpProxy).toBeUndefined();
    for (const url of ["http://127.0.0.1:4444/sql", "https://sql.example.test/sql"]) {
      expect(parseConfig({ ...valid, DATABASE_HTTP_PROXY: url }).databaseHttpProxy).toBe(url);
    }
    for (const bad of ["127.0.0.1:4444/sql", "postgres://app@db.example.test/sql", "ftp://sql.example.test/sql"]) {
      const error = configError({ ...valid, DATABASE_HTTP_PROXY: bad });
      expect(error.variables).toEqual(["DATABASE_HTTP_PROXY"]);
      expect(error.message).toContain("DATABASE_HTTP_PROXY must be an http(s):// URL");
    }
  });

  it("splits the CORS allow-list", () => {
    expect(parseConfig({ ...valid, CORS_ORIGINS: "https://a.test, https://b.test" }).corsOrigins).toEqual([
      "https://a.test",
      "https://b.test",
    ]);
  });

  it("makes the Worker answer 500 bad_configuration naming the variable, with no stack trace", async () => {
    const response = await handleApi(
      new Request("http://localhost/api/v1/categories"),
      { APP_ENV: "production" },
      noContext,
    );
    expect(response.status).toBe(500);
    expect(response.headers.get("Content-Type")).toContain("application/problem+json");
    const body = await response.json();
    expect(body).toMatchObject({ status: 500, code: "bad_configuration" });
    expect(body.detail).toContain("DATABASE_URL");
    expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|\.ts:\d+/);
  });
});

describe("dev mailbox", () => {
  it("is 404 unless configuration turns it on", async () => {
    const off = await createTestApp({ config: { env: "development", devMailbox: false } });
    const closed = await off.app.request("/api/v1/dev/mail");
    expect(closed.status).toBe(404);
    expect(await closed.json()).toMatchObject({ code: "not_found" });

    const on = await createTestApp({ config: { env: "development", devMailbox: true } });
    expect((await on.app.request("/api/v1/dev/mail")).status).toBe(200);
  });
});
