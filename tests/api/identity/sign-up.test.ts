/**
 * Sign-up in one go: the browser that registered is signed in by its verification link, without the password
 * again; anywhere else the link only confirms the address, and a link of an address already confirmed says so.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { actionTokens, users } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp, testConfig } from "../../support/app.ts";
import { bearer, PASSWORD, post, refreshCookie, tokenFromMail, uniqueEmail } from "../../support/identity.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

const SITE = "http://localhost:8787";

function setCookie(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${name}=`));
}

function cookieValue(response: Response, name: string): string | undefined {
  return setCookie(response, name)?.split(";")[0]?.slice(name.length + 1) || undefined;
}

/** Registers from a "browser" and returns its sign-up cookie and the emailed token. */
async function registerInBrowser(app: TestApp = t, email = uniqueEmail()) {
  const response = await post(app, "/auth/register", { email, password: PASSWORD, name: "New Person" });
  expect(response.status).toBe(202);
  const binding = cookieValue(response, "sign_up_binding");
  expect(binding).toBeDefined();
  return { email, binding: binding!, token: await tokenFromMail(app, email, "verify_email") };
}

function verifyFrom(binding: string | undefined, token: string, origin = SITE, app: TestApp = t) {
  return post(app, "/auth/verify-email", { token }, {
    Origin: origin,
    ...(binding ? { Cookie: `sign_up_binding=${binding}` } : {}),
  });
}

describe("the sign-up cookie", () => {
  it("is HttpOnly, Secure, strict, scoped to verify-email for a day, and alike whether or not the address is taken", async () => {
    const email = uniqueEmail();
    const created = await post(t, "/auth/register", { email, password: PASSWORD, name: "First" });
    const taken = await post(t, "/auth/register", { email, password: PASSWORD, name: "Second" });
    const attributes = (response: Response) => setCookie(response, "sign_up_binding")!.split(";").slice(1);
    expect(attributes(created)).toEqual(attributes(taken));
    expect(setCookie(created, "sign_up_binding")).toMatch(
      /^sign_up_binding=[\w-]{43}; Max-Age=86400; Path=\/api\/v1\/auth\/verify-email; HttpOnly; Secure; SameSite=Strict$/,
    );
    expect(cookieValue(taken, "sign_up_binding")).toMatch(/^[\w-]{43}$/);
    expect(cookieValue(taken, "sign_up_binding")).not.toBe(cookieValue(created, "sign_up_binding"));
  });
});

describe("verifying in the browser that registered", () => {
  it("confirms the address and starts a session like a sign-in, clearing the sign-up cookie", async () => {
    const { email, binding, token } = await registerInBrowser();
    const response = await verifyFrom(binding, token);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toContain("no-store");
    const body = await response.json();
    expect(body).toMatchObject({
      user: { email, emailVerified: true },
      alreadyVerified: false,
      signedIn: true,
      expiresIn: 900,
      accessToken: expect.any(String),
    });
    expect(body.refreshToken).toBeUndefined();
    expect(setCookie(response, "refresh_token")).toMatch(/HttpOnly; Secure; SameSite=Strict/);
    expect(setCookie(response, "device_token")).toMatch(/Path=\/api\/v1\/auth\/login/);
    expect(setCookie(response, "sign_up_binding")).toMatch(/^sign_up_binding=;.*Max-Age=0/);

    const me = await t.app.request("/api/v1/me", { headers: bearer(body) });
    expect(await me.json()).toMatchObject({ email, emailVerified: true });
    const refreshed = await post(t, "/auth/refresh", "", {
      Cookie: `refresh_token=${refreshCookie(response)}`,
      Origin: SITE,
    });
    expect(refreshed.status).toBe(200);
    const [user] = await t.db.select().from(users).where(eq(users.email, email));
    expect(user!.lastSeenAt).not.toBeNull();
  });

  it("signs in with a resent link too: the cookie binds the account, not one link", async () => {
    const { email, binding } = await registerInBrowser();
    expect((await post(t, "/auth/resend-verification", { email })).status).toBe(202);
    const resent = await tokenFromMail(t, email, "verify_email");
    const body = await (await verifyFrom(binding, resent)).json();
    expect(body.accessToken).toEqual(expect.any(String));
  });

  it("still signs in after the signing key is rotated", async () => {
    const { binding, token } = await registerInBrowser();
    const secrets = testConfig().auth;
    const rotated = await createTestApp({
      config: {
        auth: {
          ...secrets,
          jwtSecret: "a-new-secret-that-is-long-enough-for-hs256-abcdef",
          jwtSecretPrevious: secrets.jwtSecret,
        },
      },
    });
    const body = await (await verifyFrom(binding, token, SITE, rotated)).json();
    expect(body.accessToken).toEqual(expect.any(String));
  });
});

describe("verifying anywhere else", () => {
  it("only confirms the address without the sign-up cookie", async () => {
    const { email, token } = await registerInBrowser();
    const response = await verifyFrom(undefined, token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      user: expect.objectContaining({ email, emailVerified: true }),
      alreadyVerified: false,
      signedIn: false,
    });
    expect(setCookie(response, "refresh_token")).toBeUndefined();
  });

  it("only confirms the address with another registration's cookie", async () => {
    const mine = await registerInBrowser();
    const theirs = await registerInBrowser();
    const body = await (await verifyFrom(mine.binding, theirs.token)).json();
    expect(body).toMatchObject({ user: { email: theirs.email }, alreadyVerified: false });
    expect(body.accessToken).toBeUndefined();
  });

  it("ignores the cookie on a request from a foreign page", async () => {
    const { binding, token } = await registerInBrowser();
    const response = await verifyFrom(binding, token, "https://evil.example");
    expect(response.status).toBe(200);
    expect((await response.json()).accessToken).toBeUndefined();
    expect(setCookie(response, "refresh_token")).toBeUndefined();
  });

  it("gives the cookie of an address that was already taken no power over its account", async () => {
    const { email, binding: ownerBinding, token } = await registerInBrowser();
    const intruder = await post(t, "/auth/register", { email, password: PASSWORD, name: "Intruder" });
    const body = await (await verifyFrom(cookieValue(intruder, "sign_up_binding"), token)).json();
    expect(body).toMatchObject({ alreadyVerified: false });
    expect(body.accessToken).toBeUndefined();
    expect(ownerBinding).not.toBe(cookieValue(intruder, "sign_up_binding"));
  });
});

describe("a link of an address already confirmed", () => {
  it("answers alreadyVerified on a second click, and starts no second session even in the registering browser", async () => {
    const { email, binding, token } = await registerInBrowser();
    expect((await (await verifyFrom(binding, token)).json()).accessToken).toEqual(expect.any(String));
    const again = await verifyFrom(binding, token);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({
      user: expect.objectContaining({ email, emailVerified: true }),
      alreadyVerified: true,
      signedIn: false,
    });
    expect(setCookie(again, "refresh_token")).toBeUndefined();
  });

  it("answers alreadyVerified for an older link, used or not, expired or not", async () => {
    const { email, binding, token: first } = await registerInBrowser();
    await post(t, "/auth/resend-verification", { email });
    const second = await tokenFromMail(t, email, "verify_email");
    expect(await (await verifyFrom(undefined, second)).json()).toMatchObject({ alreadyVerified: false });
    const [user] = await t.db.select().from(users).where(eq(users.email, email));
    await t.db.update(actionTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(
      eq(actionTokens.userId, user!.id),
    );
    const older = await verifyFrom(binding, first);
    expect(older.status).toBe(200);
    expect(await older.json()).toMatchObject({ alreadyVerified: true });
    expect(setCookie(older, "refresh_token")).toBeUndefined();
    // Spent now, like any link that was followed.
    const links = await t.db.select().from(actionTokens).where(eq(actionTokens.userId, user!.id));
    expect(links.map((link) => link.usedAt === null)).toEqual([false, false]);
  });

  it("still refuses links of unconfirmed addresses that are unknown, used up or expired", async () => {
    expect(await (await verifyFrom(undefined, "b".repeat(43))).json()).toMatchObject({ code: "token_invalid" });
    const { email, token } = await registerInBrowser();
    const [user] = await t.db.select().from(users).where(eq(users.email, email));
    await t.db.update(actionTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(
      eq(actionTokens.userId, user!.id),
    );
    expect(await (await verifyFrom(undefined, token)).json()).toMatchObject({ code: "token_expired" });
  });
});
