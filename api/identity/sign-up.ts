import { eq } from "drizzle-orm";
import { users } from "../../db/schema/index.ts";
import type { Config } from "../env.ts";
import type { Deps } from "../deps.ts";
import { postgresCode } from "../lib/db-errors.ts";
import { AppError } from "../lib/errors.ts";
import { enqueueEmail } from "../lib/mail/outbox.ts";
import { hashPassword } from "../lib/password.ts";
import type { RateLimitRule } from "../lib/ratelimit/ratelimit.ts";
import { base64url, hmacSha256, randomToken, sameSecret } from "../lib/crypto.ts";
import { enforceEmailLimit, type UserView, userView } from "./accounts.ts";
import {
  ACTION_TOKEN_TTL_SECONDS,
  issueActionToken,
  lockActionToken,
  markActionTokenUsed,
  spendActionToken,
} from "./action-tokens.ts";
import { alreadyRegisteredEmail, verificationEmail } from "./emails.ts";
import { passwordProblems } from "./password-policy.ts";
import { openSession, signedIn, type SignedInSession } from "./sessions.ts";

export interface Registration {
  email: string;
  password: string;
  name: string;
  role: "student" | "teacher";
}

/** As for forgot-password and resend: at most this many registration emails an hour to one address. */
export const ALREADY_REGISTERED_RULE: RateLimitRule = { name: "already-registered", limit: 3, windowSeconds: 3600 };

/** The sign-up binding lasts as long as the first verification link. */
export const SIGN_UP_BINDING_SECONDS = ACTION_TOKEN_TTL_SECONDS.verify_email;

/**
 * Ties a pending verification to the browser that registered (and so typed
 * the password): an HMAC of the new user's id under the server key, kept in
 * that browser's HttpOnly cookie. Nothing is stored; any verification link of
 * that user opened in that browser proves both the mailbox and the device.
 */
async function signUpBinding(secret: string, userId: string): Promise<string> {
  return base64url(await hmacSha256(secret, `sign-up-binding:${userId}`));
}

async function isSignUpBinding(config: Config, binding: string | undefined, userId: string): Promise<boolean> {
  if (!binding) return false;
  for (const secret of [config.auth.jwtSecret, config.auth.jwtSecretPrevious]) {
    if (secret && sameSecret(binding, await signUpBinding(secret, userId))) return true;
  }
  return false;
}

/**
 * Answers the same way whether or not the email is taken (no account
 * enumeration): a new account gets a verification email, an existing one a
 * "you already have an account" email. The password is hashed in both cases
 * so the timing matches too, and both get a sign-up binding of the same form
 * (for an existing address a random one, which binds nothing). Every
 * registration counts against its address (so the limiter's round trip is in
 * both answers alike); past the limit the owner is not mailed again,
 * silently, as a 429 would tell that the address has an account.
 */
export async function register(deps: Deps, input: Registration): Promise<{ binding: string }> {
  const problems = await passwordProblems(input.password, input);
  if (problems.length > 0) throw AppError.validation(problems);
  const [passwordHash, mayMailOwner] = await Promise.all([
    hashPassword(input.password),
    withinEmailLimit(deps, ALREADY_REGISTERED_RULE, input.email),
  ]);
  const now = deps.clock.now();

  const { emailId, binding } = await deps.db
    .transaction(async (tx) => {
      const [created] = await tx
        .insert(users)
        .values({ email: input.email, name: input.name, role: input.role, passwordHash })
        .onConflictDoNothing({ target: users.email })
        .returning();
      if (created) {
        const token = await issueActionToken(tx, created.id, "verify_email", now);
        return {
          emailId: await enqueueEmail(tx, {
            ...verificationEmail(deps.config.publicUrl, created, token),
            userId: created.id,
          }),
          binding: await signUpBinding(deps.config.auth.jwtSecret, created.id),
        };
      }
      if (!mayMailOwner) return { emailId: undefined, binding: randomToken() };
      const [existing] = await tx.select().from(users).where(eq(users.email, input.email));
      if (!existing) throw new Error("email conflict without a row");
      return {
        emailId: await enqueueEmail(tx, {
          ...alreadyRegisteredEmail(deps.config.publicUrl, existing),
          userId: existing.id,
        }),
        binding: randomToken(),
      };
    })
    .catch((error) => {
      // Two sign-ups for one address at once: the loser's conflict is the same non-answer.
      if (postgresCode(error) === "23505") return { emailId: undefined, binding: randomToken() };
      throw error;
    });
  deps.dispatchEmails([emailId]);
  return { binding };
}

export type Verification =
  /** The address is confirmed now; with a session when the link was opened in the browser that registered. */
  | { outcome: "verified"; user: UserView; session: SignedInSession | undefined }
  /** The address was confirmed before (by this link or another): no session, whatever the browser. */
  | { outcome: "already_verified"; user: UserView };

export interface VerifyingDevice {
  /** The sign-up binding this browser holds, if any (and if the request is from the site itself). */
  binding: string | undefined;
  userAgent: string | undefined;
}

/**
 * Spends a verification link. A link of an address that is already confirmed
 * (a second click, or an older link) says so rather than failing, and starts
 * nothing. A first use from the browser that registered also signs it in:
 * the session is opened in the transaction that confirms the address.
 */
export async function verifyEmail(deps: Deps, token: string, device: VerifyingDevice): Promise<Verification> {
  const now = deps.clock.now();
  const result = await deps.db.transaction(async (tx) => {
    const row = await lockActionToken(tx, token, "verify_email");
    const [owner] = row ? await tx.select().from(users).where(eq(users.id, row.userId)) : [];
    if (row && owner?.emailVerifiedAt) {
      await markActionTokenUsed(tx, row, now);
      return { outcome: "already_verified" as const, user: owner };
    }
    const { userId } = await spendActionToken(tx, row, now);
    const bound = await isSignUpBinding(deps.config, device.binding, userId);
    const [verified] = await tx
      .update(users)
      .set({ emailVerifiedAt: now, ...(bound ? { lastSeenAt: now } : {}) })
      .where(eq(users.id, userId))
      .returning();
    const opened = bound ? await openSession(tx, deps, userId, device.userAgent, now) : undefined;
    return { outcome: "verified" as const, user: verified!, opened };
  });
  if (result.outcome === "already_verified") return { outcome: result.outcome, user: userView(result.user) };
  return {
    outcome: result.outcome,
    user: userView(result.user),
    session: result.opened ? await signedIn(deps, result.user, result.opened, now) : undefined,
  };
}

export const RESEND_VERIFICATION_RULE: RateLimitRule = { name: "resend-verification", limit: 3, windowSeconds: 3600 };

/** Silent for unknown and already-verified addresses; limited per address so it cannot be used to flood an inbox. */
export async function resendVerification(deps: Deps, email: string): Promise<void> {
  await enforceEmailLimit(deps, RESEND_VERIFICATION_RULE, email);
  const now = deps.clock.now();
  const emailId = await deps.db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.email, email));
    if (!user || user.emailVerifiedAt) return undefined;
    const token = await issueActionToken(tx, user.id, "verify_email", now);
    return enqueueEmail(tx, { ...verificationEmail(deps.config.publicUrl, user, token), userId: user.id });
  });
  deps.dispatchEmails([emailId]);
}

/** For mail whose refusal must not show: false past the limit, and false (no email) when the limiter cannot count. */
async function withinEmailLimit(deps: Pick<Deps, "limiter" | "logger">, rule: RateLimitRule, email: string) {
  try {
    return (await deps.limiter.hit(rule, email)).allowed;
  } catch (error) {
    deps.logger.log("error", "rate limiter unavailable, not mailing", { rule: rule.name, error: String(error) });
    return false;
  }
}
