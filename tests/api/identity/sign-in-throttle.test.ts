import { beforeAll, describe, expect, it } from "vitest";
import { LOGIN_FAILURE_RULE } from "../../../api/identity/sign-in-throttle.ts";
import type { Clock } from "../../../api/lib/clock.ts";
import { createTestApp, freshIp, type TestApp } from "../../support/app.ts";
import { PASSWORD, post, signUp, tokenFromMail } from "../../support/identity.ts";

/** A clock that stands still until the test moves it: backoff waits pass without sleeping, and never by themselves. */
function steppedClock(): Clock & { advance(seconds: number): void } {
  let nowMs = Date.now();
  return { now: () => new Date(nowMs), advance: (seconds) => (nowMs += seconds * 1000) };
}

let t: TestApp;
let clock: ReturnType<typeof steppedClock>;

beforeAll(async () => {
  clock = steppedClock();
  t = await createTestApp({ clock });
});

const WRONG = "not the password at all";

function signIn(email: string, password: string, ip: string, deviceToken?: string) {
  const body = { email, password, client: "native", ...(deviceToken ? { deviceToken } : {}) };
  return post(t, "/auth/login", body, { "CF-Connecting-IP": ip });
}

/** Signs in once as the owner would, keeping the device token it hands out. */
async function ownDevice(email: string, ip: string): Promise<string> {
  const response = await signIn(email, PASSWORD, ip);
  expect(response.status).toBe(200);
  const { deviceToken } = await response.json();
  expect(deviceToken).toEqual(expect.any(String));
  return deviceToken;
}

describe("sign-in throttling", () => {
  it("slows an attacker's address and lets the owner in from another address", async () => {
    const owner = await signUp(t);
    const attacker = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push((await signIn(owner.email, WRONG, attacker)).status);
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(90);
    expect((await signIn(owner.email, PASSWORD, attacker)).status).toBe(429);

    expect((await signIn(owner.email, PASSWORD, freshIp())).status).toBe(200);
  });

  it("doubles the attacker's wait after each failure past the free ones", async () => {
    const owner = await signUp(t);
    const attacker = freshIp();
    for (let i = 0; i < 5; i++) expect((await signIn(owner.email, WRONG, attacker)).status).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      expect((await signIn(owner.email, WRONG, attacker)).status).toBe(401);
      const refused = await signIn(owner.email, WRONG, attacker);
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ code: "rate_limited" });
      const wait = Number(refused.headers.get("Retry-After"));
      waits.push(wait);
      clock.advance(wait);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16]);
  });

  it("lets the owner in on a known device from the attacker's own address", async () => {
    const owner = await signUp(t);
    const shared = freshIp();
    const device = await ownDevice(owner.email, shared);
    for (let i = 0; i < 20; i++) await signIn(owner.email, WRONG, shared);
    expect((await signIn(owner.email, PASSWORD, shared)).status).toBe(429);
    expect((await signIn(owner.email, PASSWORD, shared, device)).status).toBe(200);
  });

  it("shuts the account to new devices after 100 failures an hour, but not the owner's devices", async () => {
    const owner = await signUp(t);
    const device = await ownDevice(owner.email, freshIp());
    for (let i = 0; i < LOGIN_FAILURE_RULE.limit; i++) await t.deps.limiter.hit(LOGIN_FAILURE_RULE, owner.email);

    const fromNewDevice = await signIn(owner.email, PASSWORD, freshIp());
    expect(fromNewDevice.status).toBe(429);
    expect(fromNewDevice.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(await fromNewDevice.json()).toMatchObject({ code: "rate_limited" });
    expect((await signIn(owner.email, PASSWORD, freshIp(), device)).status).toBe(200);
  });

  it("sets the device token as a strict, HttpOnly cookie for browsers, and honours it", async () => {
    const owner = await signUp(t);
    const web = await post(t, "/auth/login", { email: owner.email, password: PASSWORD });
    const cookie = web.headers.getSetCookie().find((value) => value.startsWith("device_token="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth\/login/);
    for (let i = 0; i < LOGIN_FAILURE_RULE.limit; i++) await t.deps.limiter.hit(LOGIN_FAILURE_RULE, owner.email);

    const withCookie = (ip: string) =>
      post(t, "/auth/login", { email: owner.email, password: PASSWORD }, {
        "CF-Connecting-IP": ip,
        Cookie: cookie.split(";")[0]!,
      });
    expect((await withCookie(freshIp())).status).toBe(200);
    expect((await signIn(owner.email, PASSWORD, freshIp())).status).toBe(429);
  });

  it("does not count another account's device as known", async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    const othersDevice = await ownDevice(other.email, freshIp());
    for (let i = 0; i < LOGIN_FAILURE_RULE.limit; i++) await t.deps.limiter.hit(LOGIN_FAILURE_RULE, owner.email);
    expect((await signIn(owner.email, PASSWORD, freshIp(), othersDevice)).status).toBe(429);
    expect((await signIn(owner.email, PASSWORD, freshIp(), owner.accessToken)).status).toBe(429);
  });

  it("forgets the account's failures after a password reset", async () => {
    const owner = await signUp(t);
    const ip = freshIp();
    for (let i = 0; i < 10; i++) await signIn(owner.email, WRONG, ip);
    for (let i = 0; i < LOGIN_FAILURE_RULE.limit; i++) await t.deps.limiter.hit(LOGIN_FAILURE_RULE, owner.email);
    expect((await signIn(owner.email, PASSWORD, ip)).status).toBe(429);

    expect((await post(t, "/auth/forgot-password", { email: owner.email })).status).toBe(202);
    const token = await tokenFromMail(t, owner.email, "reset_password");
    const password = "a brand new passphrase after the attack";
    expect((await post(t, "/auth/reset-password", { token, password })).status).toBe(200);
    expect((await signIn(owner.email, password, ip)).status).toBe(200);
  });
});
