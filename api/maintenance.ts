import { and, isNotNull, lt, or } from "drizzle-orm";
import { actionTokens, notifications, refreshTokenFamilies } from "../db/schema/index.ts";
import type { Deps } from "./deps.ts";
import { deliverOutbox } from "./lib/mail/outbox.ts";
import { retryDueRefunds } from "./payments/refunds.ts";

const DAY_MS = 86_400_000;
/** Read notifications are kept this long; unread ones until they are read. */
export const READ_NOTIFICATION_RETENTION_DAYS = 90;
/** Ended sessions are kept a while for the audit trail of reuse detection. */
export const ENDED_SESSION_RETENTION_DAYS = 30;

export interface PurgeReport {
  actionTokens: number;
  notifications: number;
  sessions: number;
}

/**
 * Purges spent or expired email tokens, old read notifications and
 * long-ended sessions. Part of the scheduled job; `npm run jobs:maintenance`
 * runs it by hand.
 */
export async function purgeExpired(deps: Pick<Deps, "db" | "clock" | "logger">): Promise<PurgeReport> {
  const now = deps.clock.now().getTime();
  const [tokens, read, sessions] = await Promise.all([
    deps.db
      .delete(actionTokens)
      .where(or(lt(actionTokens.expiresAt, new Date(now)), isNotNull(actionTokens.usedAt)))
      .returning({ id: actionTokens.id }),
    deps.db
      .delete(notifications)
      .where(
        and(
          isNotNull(notifications.readAt),
          lt(notifications.readAt, new Date(now - READ_NOTIFICATION_RETENTION_DAYS * DAY_MS)),
        ),
      )
      .returning({ id: notifications.id }),
    deps.db
      .delete(refreshTokenFamilies)
      .where(
        or(
          lt(refreshTokenFamilies.revokedAt, new Date(now - ENDED_SESSION_RETENTION_DAYS * DAY_MS)),
          lt(refreshTokenFamilies.expiresAt, new Date(now - ENDED_SESSION_RETENTION_DAYS * DAY_MS)),
        ),
      )
      .returning({ id: refreshTokenFamilies.id }),
  ]);
  const report = { actionTokens: tokens.length, notifications: read.length, sessions: sessions.length };
  deps.logger.log("info", "purged expired rows", { ...report });
  return report;
}

/**
 * The Cron Trigger: purges, then sends any email whose first delivery did not
 * happen and asks the provider again for refunds still due.
 */
export async function runScheduledMaintenance(
  deps: Pick<Deps, "db" | "clock" | "mailer" | "logger" | "payments">,
): Promise<void> {
  await purgeExpired(deps);
  const emails = await deliverOutbox(deps);
  deps.logger.log("info", "outbox sweep", emails);
  deps.logger.log("info", "due refunds sweep", await retryDueRefunds(deps));
}
