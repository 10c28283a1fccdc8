import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestampTz } from "./columns.ts";
import { users } from "./identity.ts";

export const notificationKind = pgEnum("notification_kind", [
  "enrollment_created",
  "course_completed",
  "review_received",
  "payment_succeeded",
  "payment_refunded",
  "course_sale",
]);

export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    kind: notificationKind("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    link: text("link"),
    /** Set for events that must notify once (e.g. course completion), enforced by the unique index. */
    dedupeKey: text("dedupe_key"),
    readAt: timestampTz("read_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("notifications_user_id_newest_idx").on(t.userId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("notifications_user_id_unread_idx").on(t.userId).where(sql`${t.readAt} is null`),
    uniqueIndex("notifications_dedupe_key_key").on(t.dedupeKey),
  ],
);

export const emailStatus = pgEnum("email_status", ["pending", "sent", "dead"]);

/** Emails are written here in the transaction that causes them and delivered afterwards, with retries. */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: id(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    to: text("to_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text_body").notNull(),
    html: text("html_body"),
    template: text("template").notNull(),
    dedupeKey: text("dedupe_key"),
    status: emailStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    nextAttemptAt: timestampTz("next_attempt_at").notNull().defaultNow(),
    sentAt: timestampTz("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("email_outbox_user_id_idx").on(t.userId),
    index("email_outbox_to_newest_idx").on(t.to, t.createdAt.desc().nullsFirst()),
    index("email_outbox_pending_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    uniqueIndex("email_outbox_dedupe_key_key").on(t.dedupeKey),
    check("email_outbox_attempts_non_negative", sql`${t.attempts} >= 0`),
  ],
);
