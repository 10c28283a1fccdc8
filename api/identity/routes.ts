import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../deps.ts";
import { AppError } from "../lib/errors.ts";
import { optionalJsonBody, validate } from "../lib/validation.ts";
import { findUser, meView, register, resendVerification, updateMe, verifyEmail } from "./accounts.ts";
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
import { becomeTeacher, login, logout, refresh, type Session } from "./sessions.ts";

export const REFRESH_COOKIE = "refresh_token";
const COOKIE_PATH = "/api/v1/auth";
/** Only sign-ins need it: ./device-token.ts. */
export const DEVICE_COOKIE = "device_token";
const DEVICE_COOKIE_PATH = "/api/v1/auth/login";

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
 * Endpoints that act on the refresh cookie refuse cross-site callers: a
 * browser request from a foreign page carries an Origin that is not ours.
 * Native clients send no Origin and use the body instead.
 */
function assertOwnOrigin(c: Context<AppEnv>) {
  const origin = c.req.header("Origin");
  if (!origin) return;
  const { config } = c.var.deps;
  if (origin !== new URL(config.publicUrl).origin && !config.corsOrigins.includes(origin)) {
    throw new AppError(403, "forbidden", "Cross-site requests cannot use the session cookie.");
  }
}

function presentedRefreshToken(c: Context<AppEnv>, body: { refreshToken?: string | undefined }): string | undefined {
  return body.refreshToken ?? getCookie(c, REFRESH_COOKIE);
}

export const authRoutes = new Hono<AppEnv>()
  .post("/register", validate("json", registerBody), async (c) => {
    await register(c.var.deps, c.req.valid("json"));
    return c.json({ status: "verification_sent" as const }, 202);
  })
  .post("/verify-email", validate("json", tokenBody), async (c) => {
    return c.json({ user: await verifyEmail(c.var.deps, c.req.valid("json").token) });
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
    c.header("Cache-Control", "no-store");
    const answer = { accessToken: session.accessToken, expiresIn: session.expiresIn, user: session.user };
    if (input.client === "native") {
      return c.json({ ...answer, refreshToken: session.refreshToken, deviceToken: session.deviceToken });
    }
    setRefreshCookie(c, session);
    setDeviceCookie(c, session.deviceToken);
    return c.json(answer);
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
