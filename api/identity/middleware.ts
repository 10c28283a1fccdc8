import { eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { users } from "../../db/schema/index.ts";
import type { AppEnv } from "../deps.ts";
import { AppError } from "../lib/errors.ts";
import { type AccessClaims, type Role, verifyAccessToken } from "./access-token.ts";
import { signingKeys } from "./sessions.ts";

export interface AuthEnv extends AppEnv {
  Variables: AppEnv["Variables"] & { user: AccessClaims };
}

const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/;

/** 401 unless a valid access token is presented; then `c.var.user` holds its claims. */
export const requireUser = createMiddleware<AuthEnv>(async (c, next) => {
  const match = BEARER.exec(c.req.header("Authorization") ?? "");
  if (!match) {
    throw new AppError(401, "unauthorized", "Sign in to do this.", { headers: { "WWW-Authenticate": "Bearer" } });
  }
  const { config, clock } = c.var.deps;
  c.set("user", await verifyAccessToken(signingKeys(config), match[1]!, clock.now()));
  await next();
});

/** 403 for a signed-in user without one of the roles (use after requireUser). */
export function requireRole(...roles: Role[]) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    if (!roles.includes(c.var.user.role)) {
      throw new AppError(403, "forbidden", `This needs the ${roles.join(" or ")} role.`);
    }
    await next();
  });
}

/**
 * 403 email_not_verified until the address is confirmed. Read from the
 * database, not the token, so it takes effect the moment the link is clicked.
 */
export const requireVerifiedEmail = createMiddleware<AuthEnv>(async (c, next) => {
  const [user] = await c.var.deps.db
    .select({ emailVerifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, c.var.user.userId));
  if (!user) throw new AppError(401, "unauthorized", "This account no longer exists.");
  if (!user.emailVerifiedAt) {
    throw new AppError(403, "email_not_verified", "Confirm your email address first; we can send the link again.");
  }
  await next();
});

/** Anonymous callers pass through; a presented token must still be valid (401 otherwise). */
export const optionalUser = createMiddleware<OptionalAuthEnv>(async (c, next) => {
  const header = c.req.header("Authorization");
  if (header) {
    const match = BEARER.exec(header);
    if (!match) throw new AppError(401, "unauthorized", "Malformed Authorization header.");
    const { config, clock } = c.var.deps;
    c.set("user", await verifyAccessToken(signingKeys(config), match[1]!, clock.now()));
  }
  await next();
});

export interface OptionalAuthEnv extends AppEnv {
  Variables: AppEnv["Variables"] & { user?: AccessClaims };
}
