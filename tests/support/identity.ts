import { desc, eq } from "drizzle-orm";
import { expect } from "vitest";
import { emailOutbox, users } from "../../db/schema/index.ts";
import type { RateLimiter } from "../../api/lib/ratelimit/ratelimit.ts";
import type { TestApp } from "./app.ts";

export const PASSWORD = "a sturdy passphrase for tests";

export function uniqueEmail(prefix = "learner"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 12)}@example.test`;
}

export function post(t: TestApp, path: string, body: unknown, headers: Record<string, string> = {}) {
  return t.app.request(`/api/v1${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export async function mailTo(t: TestApp, email: string) {
  return t.db.select().from(emailOutbox).where(eq(emailOutbox.to, email)).orderBy(desc(emailOutbox.createdAt));
}

/** The token in the newest emailed link of a template. */
export async function tokenFromMail(t: TestApp, email: string, template: string): Promise<string> {
  const mail = (await mailTo(t, email)).find((row) => row.template === template);
  expect(mail, `a ${template} email to ${email}`).toBeDefined();
  const match = /[?&]token=([\w-]+)/.exec(mail!.text);
  expect(match).not.toBeNull();
  return decodeURIComponent(match![1]!);
}

export function refreshCookie(response: Response): string | undefined {
  const header = response.headers.getSetCookie().find((cookie) => cookie.startsWith("refresh_token="));
  return header?.split(";")[0]?.slice("refresh_token=".length) || undefined;
}

export interface SignedIn {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers through the API, optionally verifies through the emailed link, and signs in as a native client. */
export async function signUp(
  t: TestApp,
  options: { role?: "student" | "teacher" | "admin"; verified?: boolean; email?: string } = {},
): Promise<SignedIn> {
  const email = options.email ?? uniqueEmail(options.role ?? "student");
  const role = options.role === "teacher" ? "teacher" : "student";
  expect((await post(t, "/auth/register", { email, password: PASSWORD, name: "Test Person", role })).status).toBe(202);
  if (options.verified) {
    const token = await tokenFromMail(t, email, "verify_email");
    expect((await post(t, "/auth/verify-email", { token })).status).toBe(200);
  }
  if (options.role === "admin") await t.db.update(users).set({ role: "admin" }).where(eq(users.email, email));
  const login = await post(t, "/auth/login", { email, password: PASSWORD, client: "native" });
  expect(login.status).toBe(200);
  const body = await login.json();
  return { id: body.user.id, email, accessToken: body.accessToken, refreshToken: body.refreshToken };
}

export function bearer(user: { accessToken: string }): Record<string, string> {
  return { Authorization: `Bearer ${user.accessToken}` };
}

/** A limiter whose store is unreachable: every call fails, as with Upstash down. */
export function unreachableLimiter(): RateLimiter {
  const down = () => Promise.reject(new Error("Upstash unreachable"));
  return { hit: down, remaining: down, reset: down, streak: down, recordFailure: down, clearStreaks: down };
}
