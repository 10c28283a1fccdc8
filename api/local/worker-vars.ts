import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { envSchema } from "../env.ts";

const LOCAL_JWT_SECRET_FILE = ".data/jwt-secret";

export interface LocalWorkerSettings {
  databaseUrl: string;
  wsProxy: string | undefined;
  httpProxy: string | undefined;
  publicUrl: string;
}

/**
 * The Worker's configuration for a local run: development defaults, then
 * whatever of api/env.ts's variables the shell sets, then the database we
 * started. wrangler.toml's [vars] describe production, so these replace them.
 */
export function localWorkerVars(settings: LocalWorkerSettings): Record<string, string> {
  const fromShell = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((name) => {
      const value = process.env[name];
      return value ? [[name, value]] : [];
    }),
  );
  // wrangler.toml's [vars] are production's (Resend, Stripe, the queue); a local run replaces each of them.
  const vars: Record<string, string> = {
    APP_ENV: "development",
    MAIL_PROVIDER: "outbox",
    PAYMENT_PROVIDER: "local",
    PUBLIC_URL: settings.publicUrl,
    JWT_SECRET: localJwtSecret(),
    // Mail stays in the outbox here, so the mailbox is how a local user reaches verification and reset links.
    DEV_MAILBOX: "on",
    ...fromShell,
    DATABASE_URL: settings.databaseUrl,
  };
  if (settings.wsProxy) vars.DATABASE_WS_PROXY = settings.wsProxy;
  if (settings.httpProxy) vars.DATABASE_HTTP_PROXY = settings.httpProxy;
  return vars;
}

/**
 * A file rather than `--var` flags, so secrets stay out of the process list;
 * and a file of our own rather than .dev.vars, which is the developer's.
 */
export function writeEnvFile(path: string, vars: Record<string, string>): void {
  const lines = Object.entries(vars).map(([name, value]) => {
    if (/['\r\n]/.test(value)) {
      throw new Error(`${name} contains a quote or a line break, which .env files cannot carry`);
    }
    // Single quotes keep dotenv literal; Wrangler still expands `$NAME` unless escaped.
    return `${name}='${value.replaceAll("$", "\\$")}'`;
  });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${lines.join("\n")}\n`, { mode: 0o600 });
}

/** Stable across restarts, so a local login survives them (api/env.ts would pick a new one per isolate). */
function localJwtSecret(): string {
  if (existsSync(LOCAL_JWT_SECRET_FILE)) return readFileSync(LOCAL_JWT_SECRET_FILE, "utf8").trim();
  const secret = randomBytes(32).toString("hex");
  mkdirSync(dirname(LOCAL_JWT_SECRET_FILE), { recursive: true });
  writeFileSync(LOCAL_JWT_SECRET_FILE, `${secret}\n`, { mode: 0o600 });
  return secret;
}
