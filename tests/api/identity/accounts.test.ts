import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { actionTokens, users } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app.ts";
import {
  bearer,
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

describe("registration", () => {
  it("creates an unverified account, normalizes the email and mails a verification link", async () => {
    const email = uniqueEmail();
    const response = await post(t, "/auth/register", {
      email: `  ${email.toUpperCase()} `,
      password: PASSWORD,
      name: " Ada ",
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: "verification_sent" });
    const [user] = await t.db.select().from(users).where(eq(users.email, email));
    expect(user).toMatchObject({ name: "Ada", role: "student", emailVerifiedAt: null });
    expect(user!.passwordHash).toMatch(/^scrypt\$ln=15,r=8,p=3\$/);
    const [mail] = await mailTo(t, email);
    expect(mail).toMatchObject({ template: "verify_email", subject: "Confirm your email for Lectern" });
    expect(mail!.text).toContain("http://localhost:8787/verify-email?token=");
  });

  it("answers identically for an existing email and mails the owner instead", async () => {
    const email = uniqueEmail();
    const first = await post(t, "/auth/register", { email, password: PASSWORD, name: "First" });
    const second = await post(t, "/auth/register", { email, password: "another long passphrase", name: "Second" });
    expect(second.status).toBe(first.status);
    expect(await second.json()).toEqual(await first.json());
    const rows = await t.db.select().from(users).where(eq(users.email, email));
    expect(rows.map((row) => row.name)).toEqual(["First"]);
    expect((await mailTo(t, email)).map((mail) => mail.template).sort()).toEqual([
      "already_registered",
      "verify_email",
    ]);
  });

  it("mails an existing address at most 3 times an hour, answering every repeat identically", async () => {
    const email = uniqueEmail();
    const answers = [];
    for (let i = 0; i < 8; i++) {
      const response = await post(t, "/auth/register", { email, password: PASSWORD, name: "Again" });
      answers.push({ status: response.status, body: await response.json() });
    }
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]).toEqual({ status: 202, body: { status: "verification_sent" } });
    expect((await mailTo(t, email)).map((mail) => mail.template).sort()).toEqual([
      "already_registered",
      "already_registered",
      "verify_email",
    ]);
  });

  it("still creates and verifies a new account while the limiter is down, but mails no existing one", async () => {
    const blind = await createTestApp({ limiter: unreachableLimiter() });
    const email = uniqueEmail();
    expect((await post(blind, "/auth/register", { email, password: PASSWORD, name: "New" })).status).toBe(202);
    expect((await post(blind, "/auth/register", { email, password: PASSWORD, name: "New" })).status).toBe(202);
    expect((await mailTo(t, email)).map((mail) => mail.template)).toEqual(["verify_email"]);
  });

  it("lets people register as teachers but never as admins", async () => {
    const email = uniqueEmail("teacher");
    expect((await post(t, "/auth/register", { email, password: PASSWORD, name: "T", role: "teacher" })).status).toBe(
      202,
    );
    const [user] = await t.db.select().from(users).where(eq(users.email, email));
    expect(user!.role).toBe("teacher");
    const admin = await post(t, "/auth/register", {
      email: uniqueEmail(),
      password: PASSWORD,
      name: "A",
      role: "admin",
    });
    expect(admin.status).toBe(422);
    expect((await admin.json()).errors).toEqual([expect.objectContaining({ path: "role" })]);
  });

  it("accepts 64-character and Unicode passwords unmodified", async () => {
    const long = "x".repeat(40) + "the end of a long one!!";
    expect(long.length).toBeGreaterThanOrEqual(63);
    for (const password of [long.padEnd(64, "?"), "пароль-с-пробелами и 🦉 эмодзи", "  spaces around  "]) {
      const email = uniqueEmail();
      expect((await post(t, "/auth/register", { email, password, name: "U" })).status).toBe(202);
      const login = await post(t, "/auth/login", { email, password });
      expect(login.status).toBe(200);
      expect((await post(t, "/auth/login", { email, password: password.trim() + "!" })).status).toBe(401);
    }
  });

  it("rejects short and common passwords with field errors", async () => {
    const short = await post(t, "/auth/register", { email: uniqueEmail(), password: "short", name: "U" });
    expect(short.status).toBe(422);
    expect(await short.json()).toMatchObject({
      code: "validation_failed",
      errors: [{ path: "password", code: "too_short", minimum: 8, message: "must be at least 8 characters" }],
    });
    for (const common of ["password123", "qwertyuiop", "iloveyou1"]) {
      const response = await post(t, "/auth/register", { email: uniqueEmail(), password: common, name: "U" });
      expect(response.status).toBe(422);
      expect((await response.json()).errors).toEqual([{
        path: "password",
        code: "common_password",
        message: expect.stringContaining("common"),
      }]);
    }
  });

  it("answers malformed bodies with 422 per field and broken JSON with 400 invalid_json", async () => {
    const bad = await post(t, "/auth/register", { email: "not-an-email", password: 12345678, name: "", extra: true });
    expect(bad.status).toBe(422);
    const errors = (await bad.json()).errors as { path: string; code: string }[];
    expect(errors.map(({ path, code }) => `${path}:${code}`).sort()).toEqual([
      "body:unknown_field",
      "email:invalid_email",
      "name:required",
      "password:invalid_type",
    ]);
    const broken = await post(t, "/auth/register", '{"email": "a@b.c",');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: "invalid_json", status: 400 });
    const notObject = await post(t, "/auth/register", "[1,2]");
    expect(notObject.status).toBe(422);
  });
});

describe("email verification", () => {
  it("verifies once with the emailed token, storing only its hash", async () => {
    const email = uniqueEmail();
    await post(t, "/auth/register", { email, password: PASSWORD, name: "V" });
    const token = await tokenFromMail(t, email, "verify_email");
    const stored = await t.db.select().from(actionTokens);
    expect(stored.some((row) => row.tokenHash === token)).toBe(false);
    expect(stored.every((row) => /^[0-9a-f]{64}$/.test(row.tokenHash))).toBe(true);

    const verified = await post(t, "/auth/verify-email", { token });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toMatchObject({ user: { email, emailVerified: true }, alreadyVerified: false });
    const again = await post(t, "/auth/verify-email", { token });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ user: { email, emailVerified: true }, alreadyVerified: true });
  });

  it("refuses an expired token with token_expired", async () => {
    const email = uniqueEmail();
    await post(t, "/auth/register", { email, password: PASSWORD, name: "E" });
    const token = await tokenFromMail(t, email, "verify_email");
    const [user] = await t.db.select().from(users).where(eq(users.email, email));
    await t.db.update(actionTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(
      eq(actionTokens.userId, user!.id),
    );
    const response = await post(t, "/auth/verify-email", { token });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "token_expired" });
  });

  it("refuses made-up tokens", async () => {
    const response = await post(t, "/auth/verify-email", { token: "a".repeat(43) });
    expect(await response.json()).toMatchObject({ status: 400, code: "token_invalid" });
  });

  it("resends a link to unverified accounts only, answering 202 for any address, then 429", async () => {
    const email = uniqueEmail();
    await post(t, "/auth/register", { email, password: PASSWORD, name: "R" });
    expect((await post(t, "/auth/resend-verification", { email })).status).toBe(202);
    expect((await mailTo(t, email)).filter((mail) => mail.template === "verify_email")).toHaveLength(2);
    expect((await post(t, "/auth/resend-verification", { email: uniqueEmail("nobody") })).status).toBe(202);
    await post(t, "/auth/resend-verification", { email });
    await post(t, "/auth/resend-verification", { email });
    const limited = await post(t, "/auth/resend-verification", { email });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
  });
});

describe("me", () => {
  it("returns the signed-in user and lets them rename themselves", async () => {
    const user = await signUp(t, { verified: true });
    const me = await t.app.request("/api/v1/me", { headers: bearer(user) });
    expect(me.status).toBe(200);
    const body = await me.json();
    expect(body).toMatchObject({
      id: user.id,
      email: user.email,
      name: "Test Person",
      role: "student",
      emailVerified: true,
    });
    expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);

    const renamed = await t.app.request("/api/v1/me", {
      method: "PATCH",
      headers: { ...bearer(user), "Content-Type": "application/json" },
      body: JSON.stringify({ name: "  Grace Hopper " }),
    });
    expect(renamed.status).toBe(200);
    expect((await renamed.json()).user).toMatchObject({ id: user.id, name: "Grace Hopper" });
  });

  it("rejects a blank name and unknown fields with 422", async () => {
    const user = await signUp(t);
    const response = await t.app.request("/api/v1/me", {
      method: "PATCH",
      headers: { ...bearer(user), "Content-Type": "application/json" },
      body: JSON.stringify({ name: "   ", role: "admin" }),
    });
    expect(response.status).toBe(422);
    expect((await response.json()).errors.map((error: { path: string }) => error.path).sort()).toEqual([
      "body",
      "name",
    ]);
  });

  it("turns a learner into a teacher, with a token that carries the role; teachers and admins stay", async () => {
    const learner = await signUp(t, { verified: true });
    const becoming = await t.app.request("/api/v1/me/teacher", { method: "POST", headers: bearer(learner) });
    expect(becoming.status).toBe(200);
    const body = await becoming.json();
    expect(body.user).toMatchObject({ id: learner.id, role: "teacher" });
    const studio = await t.app.request("/api/v1/teacher/courses", {
      headers: { Authorization: `Bearer ${body.accessToken}` },
    });
    expect(studio.status).toBe(200);
    expect((await t.app.request("/api/v1/me/teacher", { method: "POST", headers: bearer(learner) })).status).toBe(200);

    const admin = await signUp(t, { role: "admin" });
    const stays = await t.app.request("/api/v1/me/teacher", { method: "POST", headers: bearer(admin) });
    expect((await stays.json()).user.role).toBe("admin");
    expect((await t.app.request("/api/v1/me/teacher", { method: "POST" })).status).toBe(401);
  });

  it("answers 401 without a token", async () => {
    const response = await t.app.request("/api/v1/me");
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toBe("Bearer");
    expect(await response.json()).toMatchObject({ code: "unauthorized" });
  });
});
