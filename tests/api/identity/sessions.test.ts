import { and, eq, isNull } from "drizzle-orm";
import { SignJWT, UnsecuredJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { refreshTokenFamilies, refreshTokens, users } from "../../../db/schema/index.ts";
import { hashPassword } from "../../../api/lib/password.ts";
import { createTestApp, type TestApp, testConfig } from "../../support/app.ts";
import {
  bearer,
  PASSWORD,
  post,
  refreshCookie,
  signUp,
  uniqueEmail,
  unreachableLimiter,
} from "../../support/identity.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

const refreshWith = (token: string) => post(t, "/auth/refresh", { refreshToken: token });

async function liveTokens(userId: string) {
  return t.db
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .innerJoin(refreshTokenFamilies, eq(refreshTokenFamilies.id, refreshTokens.familyId))
    .where(
      and(
        eq(refreshTokenFamilies.userId, userId),
        isNull(refreshTokens.retiredAt),
        isNull(refreshTokenFamilies.revokedAt),
      ),
    );
}

describe("login", () => {
  it("returns a short-lived access token and sets a strict, HttpOnly refresh cookie for browsers", async () => {
    const email = uniqueEmail();
    await post(t, "/auth/register", { email, password: PASSWORD, name: "Web" });
    const response = await post(t, "/auth/login", { email: email.toUpperCase(), password: PASSWORD });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ expiresIn: 900, user: { email, role: "student", emailVerified: false } });
    expect(body.refreshToken).toBeUndefined();
    const cookie = response.headers.getSetCookie().find((value) => value.startsWith("refresh_token="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth/);
    expect(response.headers.get("Cache-Control")).toBe("no-store");

    const me = await t.app.request("/api/v1/me", { headers: bearer(body) });
    expect(me.status).toBe(200);
  });

  it("answers unknown emails and wrong passwords with the same 401", async () => {
    const user = await signUp(t);
    const wrong = await post(t, "/auth/login", { email: user.email, password: "not the password at all" });
    const unknown = await post(t, "/auth/login", { email: uniqueEmail("ghost"), password: PASSWORD });
    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(401);
      const body = await response.json();
      expect(body).toMatchObject({ code: "invalid_credentials", detail: "The email or password is incorrect." });
    }
  });

  it("refuses sign-ins while the per-account failure counter cannot be read (fails closed)", async () => {
    const user = await signUp(t);
    const blind = await createTestApp({ limiter: unreachableLimiter() });
    const response = await post(blind, "/auth/login", { email: user.email, password: PASSWORD });
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("60");
    expect(await response.json()).toMatchObject({ code: "service_unavailable" });
  });
  it("rehashes a password stored with older scrypt parameters", async () => {
    const user = await signUp(t);
    const { scrypt } = await import("node:crypto");
    const salt = Buffer.from("0123456789abcdef");
    const key = await new Promise<Buffer>((resolve, reject) =>
      scrypt(
        PASSWORD,
        salt,
        32,
        { N: 2 ** 14, r: 8, p: 1 },
        (error, derived) => (error ? reject(error) : resolve(derived)),
      )
    );
    const old = `scrypt$ln=14,r=8,p=1$${salt.toString("base64")}$${key.toString("base64")}`;
    await t.db.update(users).set({ passwordHash: old }).where(eq(users.id, user.id));
    expect((await post(t, "/auth/login", { email: user.email, password: PASSWORD })).status).toBe(200);
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.passwordHash).toMatch(/^scrypt\$ln=15,r=8,p=3\$/);
  });

  it("refuses stored hashes with out-of-range parameters without deriving", async () => {
    const user = await signUp(t);
    const honest = await hashPassword(PASSWORD);
    await t.db.update(users).set({ passwordHash: honest.replace("ln=15", "ln=30") }).where(eq(users.id, user.id));
    const started = Date.now();
    expect((await post(t, "/auth/login", { email: user.email, password: PASSWORD })).status).toBe(401);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("refresh rotation", () => {
  it("rotates: a new access token and refresh token, the old one retired", async () => {
    const user = await signUp(t);
    const response = await refreshWith(user.refreshToken);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ expiresIn: 900 });
    expect(body.refreshToken).not.toBe(user.refreshToken);
    expect((await t.app.request("/api/v1/me", { headers: bearer(body) })).status).toBe(200);
    expect(await liveTokens(user.id)).toHaveLength(1);
  });

  it("rotates the cookie for browser clients", async () => {
    const email = uniqueEmail();
    await post(t, "/auth/register", { email, password: PASSWORD, name: "Web" });
    const login = await post(t, "/auth/login", { email, password: PASSWORD });
    const first = refreshCookie(login)!;
    const response = await t.app.request("/api/v1/auth/refresh", {
      method: "POST",
      headers: { Cookie: `refresh_token=${first}`, Origin: "http://localhost:8787" },
    });
    expect(response.status).toBe(200);
    const second = refreshCookie(response);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect((await response.json()).refreshToken).toBeUndefined();
  });

  it("detects reuse: a replayed token is refused and the newest token of its family dies too", async () => {
    const user = await signUp(t, { email: uniqueEmail() });
    const reuseless = await createTestApp({
      config: { auth: { ...testConfig().auth, refreshReuseIntervalSeconds: 0 } },
    });
    const child =
      (await (await post(reuseless, "/auth/refresh", { refreshToken: user.refreshToken })).json()).refreshToken;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const replay = await post(reuseless, "/auth/refresh", { refreshToken: user.refreshToken });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ code: "refresh_token_reused" });
    const newest = await post(reuseless, "/auth/refresh", { refreshToken: child });
    expect(newest.status).toBe(401);
    expect(await newest.json()).toMatchObject({ code: "refresh_token_invalid" });
    const [family] = await t.db.select().from(refreshTokenFamilies).where(eq(refreshTokenFamilies.userId, user.id));
    expect(family).toMatchObject({ revokedReason: "reuse" });
  });

  it("returns the identical child to a client that presents the same token twice within the interval", async () => {
    const user = await signUp(t);
    const first = await (await refreshWith(user.refreshToken)).json();
    const second = await refreshWith(user.refreshToken);
    expect(second.status).toBe(200);
    expect((await second.json()).refreshToken).toBe(first.refreshToken);
    expect(await liveTokens(user.id)).toHaveLength(1);
  });

  it("treats a token two generations old as reuse even inside the interval", async () => {
    const user = await signUp(t);
    const child = (await (await refreshWith(user.refreshToken)).json()).refreshToken;
    await refreshWith(child);
    const grandparent = await refreshWith(user.refreshToken);
    expect(grandparent.status).toBe(401);
    expect(await grandparent.json()).toMatchObject({ code: "refresh_token_reused" });
    expect(await liveTokens(user.id)).toHaveLength(0);
  });

  it("leaves exactly one live token after 10 concurrent refreshes of one token", async () => {
    const user = await signUp(t);
    const answers = await Promise.all(Array.from({ length: 10 }, () => refreshWith(user.refreshToken)));
    expect(answers.map((response) => response.status)).toEqual(Array(10).fill(200));
    const children = new Set(await Promise.all(answers.map(async (response) => (await response.json()).refreshToken)));
    expect(children.size).toBe(1);
    expect(await liveTokens(user.id)).toHaveLength(1);
  });

  it("refuses unknown tokens, missing tokens and revoked families", async () => {
    expect(await (await refreshWith("x".repeat(43))).json()).toMatchObject({
      status: 401,
      code: "refresh_token_invalid",
    });
    const none = await post(t, "/auth/refresh", "");
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: "refresh_token_invalid" });
  });

  it("ends a family after its absolute lifetime and after the idle timeout", async () => {
    const idle = await signUp(t);
    await t.db.update(refreshTokenFamilies).set({ lastUsedAt: new Date(Date.now() - 8 * 86_400_000) }).where(
      eq(refreshTokenFamilies.userId, idle.id),
    );
    expect(await (await refreshWith(idle.refreshToken)).json()).toMatchObject({ code: "refresh_token_invalid" });
    const old = await signUp(t);
    await t.db.update(refreshTokenFamilies).set({ expiresAt: new Date(Date.now() - 1000) }).where(
      eq(refreshTokenFamilies.userId, old.id),
    );
    expect(await (await refreshWith(old.refreshToken)).json()).toMatchObject({ code: "refresh_token_invalid" });
  });

  it("refuses cookie requests from a foreign origin", async () => {
    const user = await signUp(t);
    const response = await t.app.request("/api/v1/auth/refresh", {
      method: "POST",
      headers: { Cookie: `refresh_token=${user.refreshToken}`, Origin: "https://evil.example" },
    });
    expect(response.status).toBe(403);
  });
});

describe("logout", () => {
  it("revokes the family and clears the cookie", async () => {
    const user = await signUp(t);
    const response = await post(t, "/auth/logout", { refreshToken: user.refreshToken });
    expect(response.status).toBe(204);
    const cleared = response.headers.getSetCookie().find((value) => value.startsWith("refresh_token="));
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    expect(await (await refreshWith(user.refreshToken)).json()).toMatchObject({ code: "refresh_token_invalid" });
    expect(await liveTokens(user.id)).toHaveLength(0);
  });

  it("answers 204 even without a token", async () => {
    expect((await post(t, "/auth/logout", "")).status).toBe(204);
  });
});

describe("access tokens", () => {
  const config = testConfig();
  const key = new TextEncoder().encode(config.auth.jwtSecret);
  const me = (token: string) => t.app.request("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });

  async function forged(
    options: {
      alg?: string;
      secret?: Uint8Array;
      aud?: string;
      iss?: string;
      iat?: number;
      exp?: number;
      kid?: string;
    } = {},
    sub: string = crypto.randomUUID(),
  ) {
    const user = await signUp(t);
    const now = Math.floor(Date.now() / 1000);
    const real = JSON.parse(atob(user.accessToken.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/")));
    return new SignJWT({ role: "admin" })
      .setProtectedHeader({ alg: options.alg ?? "HS256", kid: options.kid ?? real.kid })
      .setSubject(sub === "self" ? user.id : sub)
      .setIssuer(options.iss ?? config.publicUrl)
      .setAudience(options.aud ?? "lectern-api")
      .setIssuedAt(options.iat ?? now - 60)
      .setExpirationTime(options.exp ?? now + 600)
      .sign(options.secret ?? key);
  }

  it("accepts a correctly signed token (the control case)", async () => {
    expect((await me(await forged({}, "self"))).status).toBe(200);
  });

  it.each([
    ["the wrong key", { secret: new TextEncoder().encode("another-secret-of-sufficient-length-0123456789") }],
    ["the wrong audience", { aud: "someone-else" }],
    ["the wrong issuer", { iss: "https://evil.example" }],
    ["an expired exp", { exp: Math.floor(Date.now() / 1000) - 10 }],
    ["HS512 instead of HS256", { alg: "HS512" }],
    ["an unknown kid", { kid: "not-a-key" }],
    ["a ten-year lifetime", { exp: Math.floor(Date.now() / 1000) + 10 * 365 * 86_400 }],
    ["a lifetime one second over the maximum", {
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 901,
    }],
    ["an iat in the future", {
      iat: Math.floor(Date.now() / 1000) + 3600,
      exp: Math.floor(Date.now() / 1000) + 3600 + 600,
    }],
    ["an iat older than the maximum lifetime", {
      iat: Math.floor(Date.now() / 1000) - 1000,
      exp: Math.floor(Date.now() / 1000) + 60,
    }],
  ])("rejects a token with %s", async (_, options) => {
    const response = await me(await forged(options, "self"));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "unauthorized" });
  });

  it("rejects alg: none", async () => {
    const user = await signUp(t);
    const unsigned = new UnsecuredJWT({ role: "admin" })
      .setSubject(user.id)
      .setIssuer(config.publicUrl)
      .setAudience("lectern-api")
      .setExpirationTime("10m")
      .encode();
    expect((await me(unsigned)).status).toBe(401);
  });

  it("keeps accepting tokens signed with the previous key during a rotation", async () => {
    const user = await signUp(t);
    const rotated = await createTestApp({
      config: {
        auth: {
          ...config.auth,
          jwtSecret: "a-brand-new-secret-that-is-long-enough-0000",
          jwtSecretPrevious: config.auth.jwtSecret,
        },
      },
    });
    const response = await rotated.app.request("/api/v1/me", { headers: bearer(user) });
    expect(response.status).toBe(200);
  });
});
