import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../deps.ts";
import { AppError } from "../lib/errors.ts";
import { optionalJsonBody, validate } from "../lib/validation.ts";
import { findUser, meView, updateMe } from "./accounts.ts";
import { DEVICE_TOKEN_DAYS } from "./device-token.ts";
import { type AuthEnv, requireUser } from "./middleware.ts";
import { forgotPassword, resetPassword } from "./recovery.ts";
import {
  emailBody,
  loginBody,
  refreshBody,
  registerBody,
  resetPasswordBody,
  tokenBody,
  updateMeBody,
} from "./schemas.ts";
import { becomeTeacher, login, logout, refresh, type Session, type SignedInSession } from "./sessions.ts";
import { register, resendVerification, SIGN_UP_BINDING_SECONDS, verifyEmail } from "./sign-up.ts";

export const REFRESH_COOKIE = "refresh_token";
const COOKIE_PATH = "/api/v1/auth";
/** Only sign-ins need it: ./device-token.ts. */
export const DEVICE_COOKIE = "device_token";
const DEVICE_COOKIE_PATH = "/api/v1/auth/login";
/** Only verify-email reads it: ./sign-up.ts. */
export const SIGN_UP_COOKIE = "sign_up_binding";
const SIGN_UP_COOKIE_PATH = "/api/v1/auth/verify-email";

function setRefreshCookie(c: Context, session: Session) {
  setCookie(c, REFRESH_COOKIE, session.refreshToken, {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: COOKIE_PATH,
    expires: session.refreshExpiresAt,
  });
}

function setDeviceCookie(c: Context, deviceToken: string) {
  setCookie(c, DEVICE_COOKIE, deviceToken, {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: DEVICE_COOKIE_PATH,
    maxAge: DEVICE_TOKEN_DAYS * 86_400,
  });
}

/**
 * Ties the verification link to the browser that signed up (./sign-up.ts).
 * Strict like the refresh cookie: verify-email is called by the verify page on
 * this site, so the cookie reaches it even when a webmail link opened the page.
 */
function setSignUpCookie(c: Context, binding: string) {
  setCookie(c, SIGN_UP_COOKIE, binding, {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: SIGN_UP_COOKIE_PATH,
    maxAge: SIGN_UP_BINDING_SECONDS,
  });
}

/** A browser request from a foreign page carries an Origin that is not ours; native clients send none. */
function fromOwnOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header("Origin");
  if (!origin) return true;
  const { config } = c.var.deps;
  return origin === new URL(config.publicUrl).origin || config.corsOrigins.includes(origin);
}

/** Endpoints that act on the refresh cookie refuse cross-site callers. */
function assertOwnOrigin(c: Context<AppEnv>) {
  if (!fromOwnOrigin(c)) throw new AppError(403, "forbidden", "Cross-site requests cannot use the session cookie.");
}

/** A browser's session starts: the refresh and device tokens go into their cookies, the access token in the body. */
function startBrowserSession(c: Context, session: SignedInSession) {
  c.header("Cache-Control", "no-store");
  setRefreshCookie(c, session);
  setDeviceCookie(c, session.deviceToken);
  return { accessToken: session.accessToken, expiresIn: session.expiresIn };
}

function presentedRefreshToken(c: Context<AppEnv>, body: { refreshToken?: string | undefined }): string | undefined {
  return body.refreshToken ?? getCookie(c, REFRESH_COOKIE);
}

export const authRoutes = new Hono<AppEnv>()
  .post("/register", validate("json", registerBody), async (c) => {
    const { binding } = await register(c.var.deps, c.req.valid("json"));
    setSignUpCookie(c, binding);
    return c.json({ status: "verification_sent" as const }, 202);
  })
  .post("/verify-email", validate("json", tokenBody), async (c) => {
    const binding = getCookie(c, SIGN_UP_COOKIE);
    const verification = await verifyEmail(c.var.deps, c.req.valid("json").token, {
      binding: fromOwnOrigin(c) ? binding : undefined,
      userAgent: c.req.header("User-Agent"),
    });
    if (binding) deleteCookie(c, SIGN_UP_COOKIE, { path: SIGN_UP_COOKIE_PATH, secure: true, httpOnly: true });
    const { user } = verification;
    if (verification.outcome === "already_verified") {
      return c.json({ user, alreadyVerified: true as const, signedIn: false as const });
    }
    if (!verification.session) return c.json({ user, alreadyVerified: false as const, signedIn: false as const });
    const tokens = startBrowserSession(c, verification.session);
    return c.json({ user, alreadyVerified: false as const, signedIn: true as const, ...tokens });
  })
  .post("/resend-verification", validate("json", emailBody), async (c) => {
    await resendVerification(c.var.deps, c.req.valid("json").email);
    return c.json({ status: "accepted" as const }, 202);
  })
  .post("/login", validate("json", loginBody), async (c) => {
    const input = c.req.valid("json");
    const session = await login(c.var.deps, input, {
      userAgent: c.req.header("User-Agent"),
      clientKey: c.var.clientKey,
      deviceToken: input.client === "native" ? input.deviceToken : getCookie(c, DEVICE_COOKIE),
    });
    if (input.client === "native") {
      c.header("Cache-Control", "no-store");
      return c.json({
        accessToken: session.accessToken,
        expiresIn: session.expiresIn,
        user: session.user,
        refreshToken: session.refreshToken,
        deviceToken: session.deviceToken,
      });
    }
    return c.json({ ...startBrowserSession(c, session), user: session.user });
  })
  .post("/refresh", async (c) => {
    assertOwnOrigin(c);
    const body = refreshBody.safeParse((await optionalJsonBody(c)).value);
    if (!body.success) {
      throw AppError.validation([{ path: "refreshToken", code: "invalid_type", message: "must be a string" }]);
    }
    const token = presentedRefreshToken(c, body.data);
    if (!token) throw new AppError(401, "refresh_token_invalid", "No refresh token was presented.");
    c.header("Cache-Control", "no-store");
    try {
      const session = await refresh(c.var.deps, token);
      const answer = { accessToken: session.accessToken, expiresIn: session.expiresIn };
      if (body.data.refreshToken) return c.json({ ...answer, refreshToken: session.refreshToken });
      setRefreshCookie(c, session);
      return c.json(answer);
    } catch (error) {
      if (error instanceof AppError && error.status === 401) deleteCookie(c, REFRESH_COOKIE, { path: COOKIE_PATH });
      throw error;
    }
  })
  .post("/logout", async (c) => {
    assertOwnOrigin(c);
    const body = refreshBody.safeParse((await optionalJsonBody(c)).value);
    const token = presentedRefreshToken(c, body.success ? body.data : {});
    if (token) await logout(c.var.deps, token);
    deleteCookie(c, REFRESH_COOKIE, { path: COOKIE_PATH, secure: true, httpOnly: true, sameSite: "Strict" });
    return c.body(null, 204);
  })
  .post("/forgot-password", validate("json", emailBody), async (c) => {
    await forgotPassword(c.var.deps, c.req.valid("json").email);
    return c.json({ status: "accepted" as const }, 202);
  })
  .post("/reset-password", validate("json", resetPasswordBody), async (c) => {
    await resetPassword(c.var.deps, c.req.valid("json"));
    return c.json({ status: "password_reset" as const });
  });

export const meRoutes = new Hono<AuthEnv>()
  .use(requireUser)
  .get("/", async (c) => {
    c.header("Cache-Control", "private, no-store");
    return c.json(meView(await findUser(c.var.deps, c.var.user.userId)));
  })
  .patch("/", validate("json", updateMeBody), async (c) => {
    return c.json({ user: await updateMe(c.var.deps, c.var.user.userId, c.req.valid("json")) });
  })
  .post("/teacher", async (c) => {
    c.header("Cache-Control", "private, no-store");
    return c.json(await becomeTeacher(c.var.deps, c.var.user.userId));
  });
