import { sql } from "drizzle-orm";
import type { Deps } from "../deps.ts";

export interface BusinessMetrics {
  /** Distinct users who signed in or refreshed a session in the last 30 days. */
  mau: number;
  /** Teachers with at least one published course. */
  activeTeachers: number;
  publishedCourses: number;
  /** Gross sales this calendar month (UTC) minus this month's refunds, in the main currency. */
  revenueThisMonthCents: number;
  currency: string;
  /** Completed enrollments over all enrollments that were not refunded, 0..1. */
  completionRate: number;
}

/** The seed plan's Phase 1 goals, measured by the platform itself, in one round trip. */
export async function businessMetrics({ db, clock }: Pick<Deps, "db" | "clock">): Promise<BusinessMetrics> {
  const now = clock.now();
  const result = await db.execute<{
    mau: number;
    active_teachers: number;
    published_courses: number;
    revenue: number;
    currency: string | null;
    completed: number;
    enrolled: number;
  }>(sql`
    with revenue as (
      select currency, coalesce(sum(gross_cents), 0)::int as cents
      from earnings_ledger
      where created_at >= date_trunc('month', ${now}::timestamptz at time zone 'UTC') at time zone 'UTC'
      group by currency order by cents desc limit 1
    )
    select
      (select count(*)::int from users where last_seen_at > ${now}::timestamptz - interval '30 days') as mau,
      (select count(distinct teacher_id)::int from courses where status = 'published') as active_teachers,
      (select count(*)::int from courses where status = 'published') as published_courses,
      coalesce((select cents from revenue), 0) as revenue,
      (select currency from revenue) as currency,
      (select count(*)::int from enrollments where status = 'completed') as completed,
      (select count(*)::int from enrollments where status <> 'refunded') as enrolled`);
  const row = result.rows[0]!;
  return {
    mau: row.mau,
    activeTeachers: row.active_teachers,
    publishedCourses: row.published_courses,
    revenueThisMonthCents: row.revenue,
    currency: row.currency ?? "USD",
    completionRate: row.enrolled === 0 ? 0 : Math.round((row.completed / row.enrolled) * 10_000) / 10_000,
  };
}
