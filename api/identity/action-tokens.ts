import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "../../db/client.ts";
import { actionTokens } from "../../db/schema/index.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { AppError } from "../lib/errors.ts";

export type ActionPurpose = "verify_email" | "reset_password";

export const ACTION_TOKEN_TTL_SECONDS: Record<ActionPurpose, number> = {
  verify_email: 24 * 3600,
  reset_password: 3600,
};

/** Issues a single-use emailed token; only its SHA-256 is stored. Returns the token to put in the link. */
export async function issueActionToken(
  tx: Executor,
  userId: string,
  purpose: ActionPurpose,
  now: Date,
): Promise<string> {
  const token = randomToken();
  await tx.insert(actionTokens).values({
    userId,
    purpose,
    tokenHash: await sha256Hex(token),
    expiresAt: new Date(now.getTime() + ACTION_TOKEN_TTL_SECONDS[purpose] * 1000),
  });
  return token;
}

/**
 * Marks the token used and returns its user, atomically: of two concurrent
 * uses exactly one wins. Unknown, used and other-purpose tokens are all
 * `token_invalid`; a known one past its TTL is `token_expired`.
 */
export async function consumeActionToken(
  tx: Executor,
  token: string,
  purpose: ActionPurpose,
  now: Date,
): Promise<{ userId: string }> {
  const tokenHash = await sha256Hex(token);
  const [used] = await tx
    .update(actionTokens)
    .set({ usedAt: now })
    .where(and(eq(actionTokens.tokenHash, tokenHash), eq(actionTokens.purpose, purpose), isNull(actionTokens.usedAt)))
    .returning({ userId: actionTokens.userId, expiresAt: actionTokens.expiresAt });
  if (!used) throw new AppError(400, "token_invalid", "This link is invalid or has already been used.");
  if (used.expiresAt <= now) throw new AppError(400, "token_expired", "This link has expired; ask for a new one.");
  return { userId: used.userId };
}
