import { and, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { courses, earningsLedger, enrollments, payments, users } from "../../db/schema/index.ts";
import type { Config } from "../env.ts";
import { enqueueEmail } from "../lib/mail/outbox.ts";
import { accessStatus } from "../learning/enrollment.ts";
import { withdrawReview } from "../learning/reviews.ts";
import { notify } from "../notifications/events.ts";
import { refundDeadline } from "./refund-window.ts";

type PaymentRow = typeof payments.$inferSelect;

export function platformFee(config: Config, grossCents: number): number {
  return Math.round((grossCents * config.payments.platformFeePercent) / 100);
}

function money(cents: number, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(cents / 100);
}

/** In UTC and saying so: the email cannot know the reader's time zone. */
function moment(at: Date): string {
  return `${new Intl.DateTimeFormat("en", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(at)} UTC`;
}

/**
 * A successful payment's consequences, in the caller's transaction (the one
 * that records the provider event): access, the teacher's ledger entry, both
 * parties told, a receipt queued. Returns the queued email ids.
 */
export async function grantPurchase(tx: Tx, config: Config, payment: PaymentRow, now: Date): Promise<string[]> {
  const [course] = await tx.select().from(courses).where(eq(courses.id, payment.courseId));
  const [buyer] = await tx.select().from(users).where(eq(users.id, payment.userId));
  if (!course || !buyer) throw new Error(`payment ${payment.id} refers to a missing course or user`);

  const [existing] = await tx.select().from(enrollments).where(
    and(eq(enrollments.userId, payment.userId), eq(enrollments.courseId, payment.courseId)),
  );
  if (existing) {
    await tx
      .update(enrollments)
      .set({ status: accessStatus(existing), paymentId: payment.id, lastActivityAt: now })
      .where(eq(enrollments.id, existing.id));
  } else {
    await tx.insert(enrollments).values({
      userId: payment.userId,
      courseId: payment.courseId,
      paymentId: payment.id,
      enrolledAt: now,
      lastActivityAt: now,
    });
  }

  const fee = platformFee(config, payment.amountCents);
  await tx
    .insert(earningsLedger)
    .values({
      teacherId: course.teacherId,
      paymentId: payment.id,
      courseId: course.id,
      kind: "sale",
      grossCents: payment.amountCents,
      platformFeeCents: fee,
      netCents: payment.amountCents - fee,
      currency: payment.currency,
      createdAt: now,
    })
    .onConflictDoNothing({ target: [earningsLedger.paymentId, earningsLedger.kind] });

  await notify(tx, config.publicUrl, { kind: "payment_succeeded", userId: buyer.id, paymentId: payment.id, course });
  await notify(tx, config.publicUrl, {
    kind: "course_sale",
    teacherId: course.teacherId,
    paymentId: payment.id,
    course,
  });
  const receipt = await enqueueEmail(tx, {
    to: buyer.email,
    userId: buyer.id,
    template: "receipt",
    dedupeKey: `receipt:${payment.id}`,
    subject: `Your receipt for ${course.title}`,
    text: [
      `Hi ${buyer.name},`,
      "",
      `Thank you for buying ${course.title}.`,
      `Amount: ${money(payment.amountCents, payment.currency)}`,
      `Payment: ${payment.id}`,
      `Date: ${now.toISOString().slice(0, 10)}`,
      "",
      `Start learning: ${config.publicUrl}/courses/${course.slug}`,
      ...refundLines(config, payment),
      "",
      "— Lectern",
    ].join("\n"),
  });
  return receipt ? [receipt] : [];
}

/** Where and until when the buyer can refund: the page that lists their purchases, by the rule the refund keeps. */
function refundLines(config: Config, payment: PaymentRow): string[] {
  const deadline = refundDeadline(config, payment);
  if (!deadline) return [];
  return [
    `You can refund this purchase from your account until ${moment(deadline)}:`,
    `${config.publicUrl}/account/purchases`,
  ];
}

/**
 * A refund's consequences: access ends, the sale is reversed in the ledger
 * (only if a sale was recorded), the buyer is told. Access ends only if this
 * payment is what granted it; no other can still be succeeded, as a buyer has
 * at most one succeeded payment per course (payments_one_success_key).
 * The buyer's review goes with their access, so the course's rating may
 * change: returns the course, for the caller to purge after commit.
 */
export async function revokePurchase(
  tx: Tx,
  config: Config,
  payment: PaymentRow,
  now: Date,
): Promise<typeof courses.$inferSelect> {
  // The course before its enrollments, in the order curriculum edits lock them, so the two never deadlock.
  const [course] = await tx.select().from(courses).where(eq(courses.id, payment.courseId)).for("update");
  const revoked = await tx
    .update(enrollments)
    .set({ status: "refunded" })
    .where(
      and(
        eq(enrollments.userId, payment.userId),
        eq(enrollments.courseId, payment.courseId),
        eq(enrollments.paymentId, payment.id),
      ),
    )
    .returning({ id: enrollments.id });
  if (revoked.length > 0) await withdrawReview(tx, payment.userId, payment.courseId);
  const [sale] = await tx.select().from(earningsLedger).where(
    and(eq(earningsLedger.paymentId, payment.id), eq(earningsLedger.kind, "sale")),
  );
  if (sale) {
    await tx
      .insert(earningsLedger)
      .values({
        teacherId: sale.teacherId,
        paymentId: payment.id,
        courseId: sale.courseId,
        kind: "refund",
        grossCents: -sale.grossCents,
        platformFeeCents: -sale.platformFeeCents,
        netCents: -sale.netCents,
        currency: sale.currency,
        createdAt: now,
      })
      .onConflictDoNothing({ target: [earningsLedger.paymentId, earningsLedger.kind] });
  }
  await notify(tx, config.publicUrl, {
    kind: "payment_refunded",
    userId: payment.userId,
    paymentId: payment.id,
    course: course!,
  });
  return course!;
}
