import { eq, sql } from "drizzle-orm";
import { users } from "../../db/schema/index.ts";
import { invalidateTeacher } from "../catalog/cache.ts";
import type { Deps } from "../deps.ts";
import { postgresCode } from "../lib/db-errors.ts";
import { AppError } from "../lib/errors.ts";
import { enqueueEmail } from "../lib/mail/outbox.ts";
import { hashPassword } from "../lib/password.ts";
import type { RateLimitRule } from "../lib/ratelimit/ratelimit.ts";
import { consumeActionToken, issueActionToken } from "./action-tokens.ts";
import { alreadyRegisteredEmail, verificationEmail } from "./emails.ts";
import { passwordProblems } from "./password-policy.ts";

type UserRow = typeof users.$inferSelect;

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: UserRow["role"];
  emailVerified: boolean;
}

export interface MeView extends UserView {
  createdAt: string;
}

export function userView(user: UserRow): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    emailVerified: user.emailVerifiedAt !== null,
  };
}

export function meView(user: UserRow): MeView {
  return { ...userView(user), createdAt: user.createdAt.toISOString() };
}

export async function findUser({ db }: Pick<Deps, "db">, userId: string): Promise<UserRow> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError(401, "unauthorized", "This account no longer exists.");
  return user;
}

export interface Registration {
  email: string;
  password: string;
  name: string;
  role: "student" | "teacher";
}

/** As for forgot-password and resend: at most this many registration emails an hour to one address. */
export const ALREADY_REGISTERED_RULE: RateLimitRule = { name: "already-registered", limit: 3, windowSeconds: 3600 };

/**
 * Answers the same way whether or not the email is taken (no account
 * enumeration): a new account gets a verification email, an existing one a
 * "you already have an account" email. The password is hashed in both cases
 * so the timing matches too. Every registration counts against its address
 * (so the limiter's round trip is in both answers alike); past the limit the
 * owner is not mailed again, silently, as a 429 would tell that the address
 * has an account.
 */
export async function register(deps: Deps, input: Registration): Promise<void> {
  const problems = await passwordProblems(input.password, input);
  if (problems.length > 0) throw AppError.validation(problems);
  const [passwordHash, mayMailOwner] = await Promise.all([
    hashPassword(input.password),
    withinEmailLimit(deps, ALREADY_REGISTERED_RULE, input.email),
  ]);
  const now = deps.clock.now();

  const emailId = await deps.db
    .transaction(async (tx) => {
      const [created] = await tx
        .insert(users)
        .values({ email: input.email, name: input.name, role: input.role, passwordHash })
        .onConflictDoNothing({ target: users.email })
        .returning();
      if (created) {
        const token = await issueActionToken(tx, created.id, "verify_email", now);
        return enqueueEmail(tx, { ...verificationEmail(deps.config.publicUrl, created, token), userId: created.id });
      }
      if (!mayMailOwner) return undefined;
      const [existing] = await tx.select().from(users).where(eq(users.email, input.email));
      if (!existing) throw new Error("email conflict without a row");
      return enqueueEmail(tx, { ...alreadyRegisteredEmail(deps.config.publicUrl, existing), userId: existing.id });
    })
    .catch((error) => {
      // Two sign-ups for one address at once: the loser's conflict is the same non-answer.
      if (postgresCode(error) === "23505") return undefined;
      throw error;
    });
  deps.dispatchEmails([emailId]);
}

export async function verifyEmail(deps: Deps, token: string): Promise<UserView> {
  const now = deps.clock.now();
  const user = await deps.db.transaction(async (tx) => {
    const { userId } = await consumeActionToken(tx, token, "verify_email", now);
    const [verified] = await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now})` })
      .where(eq(users.id, userId))
      .returning();
    return verified!;
  });
  return userView(user);
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

/**
 * Account-level counters fail closed: when the limiter cannot count, the
 * action it guards is refused for a minute rather than left unlimited.
 */
export function limiterUnavailable(deps: Pick<Deps, "logger">, rule: { name: string }, error: unknown): AppError {
  deps.logger.log("error", "rate limiter unavailable, refusing", { rule: rule.name, error: String(error) });
  return new AppError(503, "service_unavailable", "This is temporarily unavailable; try again in a minute.", {
    headers: { "Retry-After": "60" },
  });
}

/**
 * Per-address limits on mail-sending endpoints fail closed: if the limiter
 * cannot count, no email goes out.
 */
export async function enforceEmailLimit(
  deps: Pick<Deps, "limiter" | "logger" | "clock">,
  rule: RateLimitRule,
  email: string,
) {
  let decision;
  try {
    decision = await deps.limiter.hit(rule, email);
  } catch (error) {
    throw limiterUnavailable(deps, rule, error);
  }
  if (!decision.allowed) {
    const retryAfter = Math.max(1, Math.ceil((decision.resetAt - deps.clock.now().getTime()) / 1000));
    throw new AppError(429, "rate_limited", `At most ${rule.limit} of these per hour for one address.`, {
      headers: { "Retry-After": String(retryAfter) },
    });
  }
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

export async function updateMe(deps: Deps, userId: string, changes: { name?: string | undefined }): Promise<MeView> {
  if (changes.name === undefined) return meView(await findUser(deps, userId));
  const [user] = await deps.db.update(users).set({ name: changes.name }).where(eq(users.id, userId)).returning();
  if (!user) throw new AppError(401, "unauthorized", "This account no longer exists.");
  if (user.role !== "student") await invalidateTeacher(deps, user.id);
  return meView(user);
}
