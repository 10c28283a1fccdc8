import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db, Executor } from "../../../db/client.ts";
import { emailOutbox } from "../../../db/schema/index.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import type { Email, Mailer } from "./mailer.ts";

export interface OutboxEmail extends Email {
  template: string;
  userId?: string | undefined;
  /** Makes the same logical email impossible to queue twice (unique index). */
  dedupeKey?: string | undefined;
}

export const MAX_ATTEMPTS = 8;
const LEASE_SECONDS = 300;

/** Queues an email in the caller's transaction: it exists if and only if the change that caused it committed. */
export async function enqueueEmail(tx: Executor, email: OutboxEmail): Promise<string | undefined> {
  const [row] = await tx
    .insert(emailOutbox)
    .values({
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      template: email.template,
      userId: email.userId,
      dedupeKey: email.dedupeKey,
    })
    .onConflictDoNothing({ target: emailOutbox.dedupeKey })
    .returning({ id: emailOutbox.id });
  return row?.id;
}

export interface DeliveryDeps {
  db: Db;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
}

/** Exponential backoff, capped at an hour: 30 s, 1 min, 2 min … */
function retryDelaySeconds(attempt: number): number {
  return Math.min(3600, 30 * 2 ** (attempt - 1));
}

/**
 * Claims due emails with a lease (so concurrent deliverers never send one
 * twice), sends them, and records the outcome. After MAX_ATTEMPTS an email is
 * dead and kept for inspection.
 */
export async function deliverOutbox(deps: DeliveryDeps, ids?: string[]): Promise<{ sent: number; failed: number }> {
  const now = deps.clock.now();
  const due = and(
    eq(emailOutbox.status, "pending"),
    lte(emailOutbox.nextAttemptAt, now),
    ids ? inArray(emailOutbox.id, ids) : undefined,
  );
  const claimable = deps.db.select({ id: emailOutbox.id }).from(emailOutbox).where(due).limit(50).for("update", {
    skipLocked: true,
  });
  const claimed = await deps.db
    .update(emailOutbox)
    .set({
      attempts: sql`${emailOutbox.attempts} + 1`,
      nextAttemptAt: new Date(now.getTime() + LEASE_SECONDS * 1000),
    })
    .where(inArray(emailOutbox.id, claimable))
    .returning();

  let sent = 0;
  let failed = 0;
  for (const email of claimed) {
    try {
      await deps.mailer.send(
        { to: email.to, subject: email.subject, text: email.text, html: email.html ?? undefined },
        email.id,
      );
      await deps.db.update(emailOutbox).set({ status: "sent", sentAt: deps.clock.now(), lastError: null }).where(
        eq(emailOutbox.id, email.id),
      );
      sent++;
    } catch (error) {
      failed++;
      const dead = email.attempts >= MAX_ATTEMPTS;
      deps.logger.log(dead ? "error" : "warn", "email delivery failed", {
        emailId: email.id,
        attempt: email.attempts,
        error: String(error),
      });
      await deps.db
        .update(emailOutbox)
        .set({
          status: dead ? "dead" : "pending",
          lastError: String(error).slice(0, 1000),
          nextAttemptAt: new Date(deps.clock.now().getTime() + retryDelaySeconds(email.attempts) * 1000),
        })
        .where(eq(emailOutbox.id, email.id));
    }
  }
  return { sent, failed };
}
