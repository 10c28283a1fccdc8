import { and, eq, isNull } from "drizzle-orm";
import { refreshTokenFamilies, users } from "../../db/schema/index.ts";
import type { Executor } from "../../db/client.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../lib/errors.ts";
import { enqueueEmail } from "../lib/mail/outbox.ts";
import { hashPassword } from "../lib/password.ts";
import type { RateLimitRule } from "../lib/ratelimit/ratelimit.ts";
import { enforceEmailLimit } from "./accounts.ts";
import { consumeActionToken, issueActionToken } from "./action-tokens.ts";
import { passwordChangedEmail, passwordResetEmail } from "./emails.ts";
import { passwordProblems } from "./password-policy.ts";
import { clearSignInFailures } from "./sign-in-throttle.ts";

/** Counted per address whether or not it has an account, so the 429 reveals nothing either. */
export const FORGOT_PASSWORD_RULE: RateLimitRule = { name: "forgot-password", limit: 3, windowSeconds: 3600 };

export async function forgotPassword(deps: Deps, email: string): Promise<void> {
  await enforceEmailLimit(deps, FORGOT_PASSWORD_RULE, email);
  const now = deps.clock.now();
  const emailId = await deps.db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.email, email));
    if (!user) return undefined;
    const token = await issueActionToken(tx, user.id, "reset_password", now);
    return enqueueEmail(tx, { ...passwordResetEmail(deps.config.publicUrl, user, token), userId: user.id });
  });
  deps.dispatchEmails([emailId]);
}

export async function revokeAllSessions(tx: Executor, userId: string, now: Date, reason: string): Promise<void> {
  await tx
    .update(refreshTokenFamilies)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(refreshTokenFamilies.userId, userId), isNull(refreshTokenFamilies.revokedAt)));
}

/**
 * New password, every session ended and a notice sent — all in one transaction
 * with the token's use; then the account's failed sign-ins are forgotten.
 */
export async function resetPassword(deps: Deps, input: { token: string; password: string }): Promise<void> {
  const now = deps.clock.now();
  const passwordHash = await hashPassword(input.password);
  const { emailId, email } = await deps.db.transaction(async (tx) => {
    const { userId } = await consumeActionToken(tx, input.token, "reset_password", now);
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    if (!user) throw new AppError(400, "token_invalid", "This link is invalid or has already been used.");
    const problems = await passwordProblems(input.password, user);
    if (problems.length > 0) throw AppError.validation(problems);
    // A reset proves control of the mailbox, so it verifies the address too.
    await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now })
      .where(eq(users.id, userId));
    await revokeAllSessions(tx, userId, now, "password_reset");
    const emailId = await enqueueEmail(tx, { ...passwordChangedEmail(deps.config.publicUrl, user), userId });
    return { emailId, email: user.email };
  });
  deps.dispatchEmails([emailId]);
  await clearSignInFailures(deps, email);
}
