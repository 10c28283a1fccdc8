import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { actionTokens, users } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app.ts";
import {
  mailTo,
  PASSWORD,
  post,
  signUp,
  tokenFromMail,
  uniqueEmail,
  unreachableLimiter,
} from "../../support/identity.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

const NEW_PASSWORD = "an entirely new passphrase";

describe("forgot password", () => {
  it("answers known and unknown emails identically and mails only the account holder", async () => {
    const user = await signUp(t);
    const ghost = uniqueEmail("ghost");
    const known = await post(t, "/auth/forgot-password", { email: user.email });
    const unknown = await post(t, "/auth/forgot-password", { email: ghost });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(await unknown.json()).toEqual(await known.json());
    expect((await mailTo(t, user.email)).some((mail) => mail.template === "reset_password")).toBe(true);
    expect(await mailTo(t, ghost)).toHaveLength(0);
  });

  it("answers the 4th request in an hour with 429 and sends no email for it", async () => {
    const user = await signUp(t);
    for (let i = 0; i < 3; i++) {
      expect((await post(t, "/auth/forgot-password", { email: user.email })).status).toBe(202);
    }
    const fourth = await post(t, "/auth/forgot-password", { email: user.email });
    expect(fourth.status).toBe(429);
    expect(await fourth.json()).toMatchObject({ code: "rate_limited" });
    expect((await mailTo(t, user.email)).filter((mail) => mail.template === "reset_password")).toHaveLength(3);
    const ghost = uniqueEmail("ghost");
    for (let i = 0; i < 3; i++) await post(t, "/auth/forgot-password", { email: ghost });
    expect((await post(t, "/auth/forgot-password", { email: ghost })).status).toBe(429);
  });

  it("fails closed when the limiter cannot count: no email", async () => {
    const broken = await createTestApp({ limiter: unreachableLimiter() });
    const user = await signUp(t);
    const response = await post(broken, "/auth/forgot-password", { email: user.email });
    expect(response.status).toBe(503);
    expect((await mailTo(t, user.email)).filter((mail) => mail.template === "reset_password")).toHaveLength(0);
  });

  it("builds the link from configuration, never from the Host header", async () => {
    const user = await signUp(t);
    await t.app.request("https://evil.example/api/v1/auth/forgot-password", {
      method: "POST",
      headers: { "Content-Type": "application/json", Host: "evil.example", "X-Forwarded-Host": "evil.example" },
      body: JSON.stringify({ email: user.email }),
    });
    const [mail] = await mailTo(t, user.email);
    expect(mail!.text).toContain("http://localhost:8787/reset-password?token=");
    expect(mail!.text).not.toContain("evil.example");
  });
});

describe("reset password", () => {
  it("sets the new password, ends every session and sends a notice", async () => {
    const user = await signUp(t);
    const secondDevice = await post(t, "/auth/login", { email: user.email, password: PASSWORD, client: "native" });
    const secondToken = (await secondDevice.json()).refreshToken;
    await post(t, "/auth/forgot-password", { email: user.email });
    const token = await tokenFromMail(t, user.email, "reset_password");

    const reset = await post(t, "/auth/reset-password", { token, password: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    for (const refreshToken of [user.refreshToken, secondToken]) {
      const refreshed = await post(t, "/auth/refresh", { refreshToken });
      expect(await refreshed.json()).toMatchObject({ code: "refresh_token_invalid" });
    }
    expect((await post(t, "/auth/login", { email: user.email, password: PASSWORD })).status).toBe(401);
    expect((await post(t, "/auth/login", { email: user.email, password: NEW_PASSWORD })).status).toBe(200);
    expect((await mailTo(t, user.email)).some((mail) => mail.template === "password_changed")).toBe(true);
  });

  it("uses a token once, and stores only its hash", async () => {
    const user = await signUp(t);
    await post(t, "/auth/forgot-password", { email: user.email });
    const token = await tokenFromMail(t, user.email, "reset_password");
    const rows = await t.db.select().from(actionTokens).where(eq(actionTokens.userId, user.id));
    expect(rows.some((row) => row.tokenHash === token)).toBe(false);
    expect((await post(t, "/auth/reset-password", { token, password: NEW_PASSWORD })).status).toBe(200);
    const again = await post(t, "/auth/reset-password", { token, password: "yet another passphrase" });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: "token_invalid" });
  });

  it("refuses an expired token after one hour", async () => {
    const user = await signUp(t);
    await post(t, "/auth/forgot-password", { email: user.email });
    const token = await tokenFromMail(t, user.email, "reset_password");
    const [row] = await t.db.select().from(actionTokens).where(eq(actionTokens.userId, user.id)).orderBy(
      actionTokens.createdAt,
    );
    const issued = row!.createdAt.getTime();
    expect(Math.round((row!.expiresAt.getTime() - issued) / 60_000)).toBeGreaterThanOrEqual(59);
    await t.db.update(actionTokens).set({ expiresAt: new Date(Date.now() - 1) }).where(
      eq(actionTokens.userId, user.id),
    );
    const response = await post(t, "/auth/reset-password", { token, password: NEW_PASSWORD });
    expect(await response.json()).toMatchObject({ status: 400, code: "token_expired" });
  });

  it("refuses a weak new password without using up the token", async () => {
    const user = await signUp(t);
    await post(t, "/auth/forgot-password", { email: user.email });
    const token = await tokenFromMail(t, user.email, "reset_password");
    const weak = await post(t, "/auth/reset-password", { token, password: "password1" });
    expect(weak.status).toBe(422);
    expect((await post(t, "/auth/reset-password", { token, password: NEW_PASSWORD })).status).toBe(200);
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.emailVerifiedAt).not.toBeNull();
  });
});
