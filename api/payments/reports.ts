import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { courses, earningsLedger, payments } from "../../db/schema/index.ts";
import type { Deps } from "../deps.ts";
import { decodeCursor, type Page, type pageQuery, timeAndIdCursor, toPage } from "../lib/cursor.ts";
import { type PaymentView, toPaymentView } from "./views.ts";

export async function listMyPayments(
  deps: Pick<Deps, "db" | "config" | "clock">,
  userId: string,
  page: z.infer<typeof pageQuery>,
): Promise<Page<PaymentView>> {
  const position = page.cursor ? decodeCursor(page.cursor, timeAndIdCursor) : undefined;
  const rows = await deps.db
    .select({ payment: payments, course: { id: courses.id, slug: courses.slug, title: courses.title } })
    .from(payments)
    .innerJoin(courses, eq(courses.id, payments.courseId))
    .where(
      and(
        eq(payments.userId, userId),
        position
          ? sql`(${payments.createdAt}, ${payments.id}) < (${position[0]}::timestamptz, ${position[1]}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(page.limit + 1);
  const now = deps.clock.now();
  return toPage(rows, page.limit, (row) => toPaymentView(deps.config, row, now), (row) => [
    row.payment.createdAt.toISOString(),
    row.payment.id,
  ]);
}

export interface Totals {
  grossCents: number;
  platformFeeCents: number;
  netCents: number;
}

export interface Earnings extends Totals {
  currency: string;
  byMonth: (Totals & { month: string; sales: number; refunds: number })[];
  sales: (Totals & {
    paymentId: string;
    kind: "sale" | "refund";
    course: { id: string; title: string };
    createdAt: string;
  })[];
  /** Sums in any other currency the teacher sold in; the headline figures are in the main one. */
  otherCurrencies: (Totals & { currency: string })[];
}

const sum = (column: AnyPgColumn) => sql<number>`coalesce(sum(${column}), 0)::int`;

/**
 * Straight from the ledger (sales, and the reversing entries of refunds), so
 * the figures always add up to its rows. The main currency is the one with
 * the most gross sales.
 */
export async function teacherEarnings({ db }: Pick<Deps, "db">, teacherId: string, recent = 20): Promise<Earnings> {
  const totals = {
    grossCents: sum(earningsLedger.grossCents),
    platformFeeCents: sum(earningsLedger.platformFeeCents),
    netCents: sum(earningsLedger.netCents),
  };
  const byCurrency = await db
    .select({ currency: earningsLedger.currency, ...totals })
    .from(earningsLedger)
    .where(eq(earningsLedger.teacherId, teacherId))
    .groupBy(earningsLedger.currency)
    .orderBy(desc(sum(earningsLedger.grossCents)), earningsLedger.currency);
  const main = byCurrency[0] ?? { currency: "USD", grossCents: 0, platformFeeCents: 0, netCents: 0 };
  const inMain = and(eq(earningsLedger.teacherId, teacherId), eq(earningsLedger.currency, main.currency));
  const month = sql<string>`to_char(date_trunc('month', ${earningsLedger.createdAt} at time zone 'UTC'), 'YYYY-MM')`;
  const [months, entries] = await Promise.all([
    db
      .select({
        month,
        ...totals,
        sales: sql<number>`count(*) filter (where ${earningsLedger.kind} = 'sale')::int`,
        refunds: sql<number>`count(*) filter (where ${earningsLedger.kind} = 'refund')::int`,
      })
      .from(earningsLedger)
      .where(inMain)
      .groupBy(month)
      .orderBy(month),
    db
      .select({ entry: earningsLedger, course: { id: courses.id, title: courses.title } })
      .from(earningsLedger)
      .innerJoin(courses, eq(courses.id, earningsLedger.courseId))
      .where(inMain)
      .orderBy(desc(earningsLedger.createdAt), desc(earningsLedger.id))
      .limit(recent),
  ]);
  return {
    currency: main.currency,
    grossCents: main.grossCents,
    platformFeeCents: main.platformFeeCents,
    netCents: main.netCents,
    byMonth: months,
    sales: entries.map(({ entry, course }) => ({
      paymentId: entry.paymentId,
      kind: entry.kind,
      course,
      grossCents: entry.grossCents,
      platformFeeCents: entry.platformFeeCents,
      netCents: entry.netCents,
      createdAt: entry.createdAt.toISOString(),
    })),
    otherCurrencies: byCurrency.slice(1),
  };
}
