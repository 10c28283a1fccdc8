import { and, eq } from "drizzle-orm";
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

export interface ActionTokenRow {
  id: string;
  userId: string;
  usedAt: Date | null;
  expiresAt: Date;
}

/**
 * The token's row, locked until the caller's transaction ends, so of two
 * concurrent uses the second sees what the first did. Only the hash is looked up.
 */
export async function lockActionToken(
  tx: Executor,
  token: string,
  purpose: ActionPurpose,
): Promise<ActionTokenRow | undefined> {
  const [row] = await tx
    .select({
      id: actionTokens.id,
      userId: actionTokens.userId,
      usedAt: actionTokens.usedAt,
      expiresAt: actionTokens.expiresAt,
    })
    .from(actionTokens)
    .where(and(eq(actionTokens.tokenHash, await sha256Hex(token)), eq(actionTokens.purpose, purpose)))
    .for("update");
  return row;
}

export async function markActionTokenUsed(tx: Executor, row: ActionTokenRow, now: Date): Promise<void> {
  if (!row.usedAt) await tx.update(actionTokens).set({ usedAt: now }).where(eq(actionTokens.id, row.id));
}

/**
 * Spends a locked token, or refuses it: unknown, used and other-purpose
 * tokens are all `token_invalid`; a known one past its TTL is `token_expired`.
 */
export async function spendActionToken(
  tx: Executor,
  row: ActionTokenRow | undefined,
  now: Date,
): Promise<{ userId: string }> {
  if (!row || row.usedAt) throw new AppError(400, "token_invalid", "This link is invalid or has already been used.");
  if (row.expiresAt <= now) throw new AppError(400, "token_expired", "This link has expired; ask for a new one.");
  await markActionTokenUsed(tx, row, now);
  return { userId: row.userId };
}

/** Marks the token used and returns its user: of two concurrent uses exactly one wins. */
export async function consumeActionToken(
  tx: Executor,
  token: string,
  purpose: ActionPurpose,
  now: Date,
): Promise<{ userId: string }> {
  return spendActionToken(tx, await lockActionToken(tx, token, purpose), now);
}
