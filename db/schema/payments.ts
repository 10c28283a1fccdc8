import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { courses } from "./catalog.ts";
import { createdAt, id, timestampTz, updatedAt } from "./columns.ts";
import { users } from "./identity.ts";

export const paymentStatus = pgEnum("payment_status", ["pending", "succeeded", "failed", "expired", "refunded"]);

export const payments = pgTable(
  "payments",
  {
    id: id(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "restrict" }),
    courseId: uuid("course_id").notNull().references(() => courses.id, { onDelete: "restrict" }),
    provider: text("provider").notNull(),
    providerSessionId: text("provider_session_id"),
    providerPaymentId: text("provider_payment_id"),
    /** Price and currency frozen at checkout time. */
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    status: paymentStatus("status").notNull().default("pending"),
    checkoutUrl: text("checkout_url"),
    idempotencyKey: text("idempotency_key").notNull(),
    /** SHA-256 of the checkout request, so a reused key with another body is recognised. */
    requestHash: text("request_hash").notNull(),
    paidAt: timestampTz("paid_at"),
    refundedAt: timestampTz("refunded_at"),
    /**
     * A refund decided here that the provider has not confirmed yet (a second
     * charge for an owned course): the scheduled job retries it until it has.
     */
    refundDue: boolean("refund_due").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("payments_provider_session_key").on(t.provider, t.providerSessionId),
    uniqueIndex("payments_user_id_idempotency_key_key").on(t.userId, t.idempotencyKey),
    index("payments_user_id_newest_idx").on(t.userId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("payments_course_id_idx").on(t.courseId),
    /** One open checkout per buyer and course: a second request reuses it. */
    uniqueIndex("payments_one_open_checkout_key").on(t.userId, t.courseId).where(sql`${t.status} = 'pending'`),
    /** One charge per buyer and course: a second one that still gets paid is refunded, never kept. */
    uniqueIndex("payments_one_success_key").on(t.userId, t.courseId).where(sql`${t.status} = 'succeeded'`),
    index("payments_refund_due_idx").on(t.id).where(sql`${t.refundDue}`),
    check("payments_amount_positive", sql`${t.amountCents} > 0`),
    check("payments_currency_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/** One row per provider event id, written in the same transaction as its effect: exactly-once application. */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: id(),
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    paymentId: uuid("payment_id").references(() => payments.id, { onDelete: "set null" }),
    processedAt: timestampTz("processed_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("webhook_events_provider_event_id_key").on(t.provider, t.eventId),
    index("webhook_events_payment_id_idx").on(t.paymentId),
  ],
);

export const ledgerEntryKind = pgEnum("ledger_entry_kind", ["sale", "refund"]);

/** Teacher earnings as an append-only ledger; a refund adds a reversing entry instead of editing the sale. */
export const earningsLedger = pgTable(
  "earnings_ledger",
  {
    id: id(),
    teacherId: uuid("teacher_id").notNull().references(() => users.id, { onDelete: "restrict" }),
    paymentId: uuid("payment_id").notNull().references(() => payments.id, { onDelete: "restrict" }),
    courseId: uuid("course_id").notNull().references(() => courses.id, { onDelete: "restrict" }),
    kind: ledgerEntryKind("kind").notNull(),
    grossCents: integer("gross_cents").notNull(),
    platformFeeCents: integer("platform_fee_cents").notNull(),
    netCents: integer("net_cents").notNull(),
    currency: text("currency").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("earnings_ledger_payment_id_kind_key").on(t.paymentId, t.kind),
    index("earnings_ledger_teacher_id_created_at_idx").on(t.teacherId, t.createdAt),
    index("earnings_ledger_course_id_idx").on(t.courseId),
    check("earnings_ledger_balanced", sql`${t.grossCents} = ${t.platformFeeCents} + ${t.netCents}`),
  ],
);
