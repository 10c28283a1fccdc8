import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "../../db/client.ts";
import { courses, reviews, users } from "../../db/schema/index.ts";
import { invalidateCourse } from "../catalog/cache.ts";
import { canManage } from "../catalog/reading.ts";
import type { Deps } from "../deps.ts";
import type { AccessClaims } from "../identity/access-token.ts";
import { limiterUnavailable } from "../identity/accounts.ts";
import { decodeCursor, type Page, type pageQuery, timeAndIdCursor, toPage } from "../lib/cursor.ts";
import { AppError } from "../lib/errors.ts";
import { isId } from "../lib/ids.ts";
import type { RateLimitRule } from "../lib/ratelimit/ratelimit.ts";
import { rateLimitHeaders } from "../middleware/rate-limit.ts";
import { notify } from "../notifications/events.ts";
import { activeEnrollment } from "./enrollment.ts";

export const reviewBody = z.strictObject({
  rating: z.number().int().min(1).max(5),
  /** Plain text, line breaks kept; the site escapes it when rendering. */
  body: z
    .string()
    .trim()
    .max(5000)
    .refine((value) => !/[^\P{Cc}\n\t]/u.test(value), "must not contain control characters")
    .optional(),
});

export interface ReviewView {
  id: string;
  rating: number;
  body: string;
  author: { id: string; name: string };
  createdAt: string;
  updatedAt: string;
}

const reviewColumns = { review: reviews, authorName: users.name };

function toView(row: { review: typeof reviews.$inferSelect; authorName: string }): ReviewView {
  return {
    id: row.review.id,
    rating: row.review.rating,
    body: row.review.body,
    author: { id: row.review.userId, name: row.authorName },
    createdAt: row.review.createdAt.toISOString(),
    updatedAt: row.review.updatedAt.toISOString(),
  };
}

/** The course's rating and count, recomputed from its reviews in the transaction that changed them. */
async function refreshRating(tx: Executor, courseId: string): Promise<void> {
  await tx.execute(sql`
    update courses set
      reviews_count = (select count(*) from reviews where course_id = ${courseId}),
      avg_rating = (select coalesce(round(avg(rating), 2), 0) from reviews where course_id = ${courseId})
    where id = ${courseId}`);
}

/** Locks the course row: reviews of one course change its counters one at a time, so they never drift. */
async function lockCourse(tx: Executor, courseId: string) {
  const [course] = await tx.select().from(courses).where(eq(courses.id, courseId)).for("update");
  return course;
}

async function lockPublishedCourse(tx: Executor, courseId: string) {
  if (!isId(courseId)) throw AppError.notFound("course");
  const course = await lockCourse(tx, courseId);
  if (!course || course.status !== "published") throw AppError.notFound("course");
  return course;
}

/** Accounts younger than this are new: a throwaway account is new, so it can post only a few reviews a day. */
export const NEW_ACCOUNT_DAYS = 7;
export const NEW_ACCOUNT_REVIEW_RULE: RateLimitRule = { name: "new-account-reviews", limit: 3, windowSeconds: 86_400 };
const DAY_MS = 86_400_000;

/**
 * Counts a new review by a new account; fails closed like every account-level
 * counter (503 when the limiter cannot count). Rewriting one's review adds no
 * voice, so only new reviews are counted.
 */
async function limitNewAccountReviews(
  deps: Pick<Deps, "limiter" | "logger">,
  author: { id: string; createdAt: Date },
  now: Date,
): Promise<void> {
  if (now.getTime() - author.createdAt.getTime() >= NEW_ACCOUNT_DAYS * DAY_MS) return;
  const rule = NEW_ACCOUNT_REVIEW_RULE;
  const decision = await deps.limiter.hit(rule, author.id).catch((error) => {
    throw limiterUnavailable(deps, rule, error);
  });
  if (decision.allowed) return;
  const retryAfter = Math.max(1, Math.ceil((decision.resetAt - now.getTime()) / 1000));
  throw new AppError(
    429,
    "rate_limited",
    `Accounts younger than ${NEW_ACCOUNT_DAYS} days may post ${rule.limit} reviews a day; try again later.`,
    {
      headers: {
        ...rateLimitHeaders({ allowed: false, remaining: 0, resetSeconds: retryAfter }, rule),
        "Retry-After": String(retryAfter),
      },
    },
  );
}

/**
 * Creates or replaces the caller's review: enrolled learners only, never the
 * course's own teacher (a verified email is the route's to require).
 */
export async function putReview(
  deps: Deps,
  author: AccessClaims,
  courseId: string,
  input: z.infer<typeof reviewBody>,
): Promise<ReviewView> {
  const outcome = await deps.db.transaction(async (tx) => {
    const course = await lockPublishedCourse(tx, courseId);
    if (course.teacherId === author.userId) {
      throw new AppError(403, "forbidden", "Teachers cannot review their own course.");
    }
    await activeEnrollment(tx, author.userId, course.id);
    const now = deps.clock.now();
    const body = input.body ?? "";
    const [existing] = await tx.select({ id: reviews.id }).from(reviews).where(
      and(eq(reviews.userId, author.userId), eq(reviews.courseId, course.id)),
    );
    const [authorRow] = await tx.select({ id: users.id, name: users.name, createdAt: users.createdAt }).from(users)
      .where(eq(users.id, author.userId));
    if (!existing) await limitNewAccountReviews(deps, authorRow!, now);
    const [saved] = await tx
      .insert(reviews)
      .values({
        userId: author.userId,
        courseId: course.id,
        rating: input.rating,
        body,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [reviews.userId, reviews.courseId],
        set: { rating: input.rating, body, updatedAt: now },
      })
      .returning();
    await refreshRating(tx, course.id);
    const emailIds = existing ? [] : await notify(tx, deps.config.publicUrl, {
      kind: "review_received",
      teacherId: course.teacherId,
      reviewId: saved!.id,
      rating: input.rating,
      reviewerName: authorRow!.name,
      course,
    });
    return { course, emailIds, view: toView({ review: saved!, authorName: authorRow!.name }) };
  });
  deps.dispatchEmails(outcome.emailIds);
  await invalidateCourse(deps, outcome.course);
  return outcome.view;
}

export async function deleteReview(deps: Deps, author: AccessClaims, courseId: string): Promise<void> {
  const course = await deps.db.transaction(async (tx) => {
    const locked = await lockPublishedCourse(tx, courseId);
    const [deleted] = await tx
      .delete(reviews)
      .where(and(eq(reviews.userId, author.userId), eq(reviews.courseId, locked.id)))
      .returning({ id: reviews.id });
    if (!deleted) throw AppError.notFound("review");
    await refreshRating(tx, locked.id);
    return locked;
  });
  await invalidateCourse(deps, course);
}

/**
 * Takes back a learner's review when they lose the course (their purchase is
 * refunded): a rating speaks for learners who kept it. In the caller's
 * transaction, recounting the rating there; the course row is locked first, as
 * for every review write. The caller purges the course's public answers after
 * commit.
 */
export async function withdrawReview(tx: Executor, userId: string, courseId: string): Promise<void> {
  await lockCourse(tx, courseId);
  const [withdrawn] = await tx
    .delete(reviews)
    .where(and(eq(reviews.userId, userId), eq(reviews.courseId, courseId)))
    .returning({ id: reviews.id });
  if (withdrawn) await refreshRating(tx, courseId);
}

/** A course's status and owner, or 404 when the viewer may not see it (drafts: owner and admins only). */
async function visibleCourse(db: Executor, courseId: string, viewer: AccessClaims | undefined) {
  if (!isId(courseId)) throw AppError.notFound("course");
  const [course] = await db.select({ status: courses.status, teacherId: courses.teacherId }).from(courses).where(
    eq(courses.id, courseId),
  );
  if (!course || (course.status !== "published" && !canManage(viewer, course))) throw AppError.notFound("course");
  return course;
}

/** The caller's own review of the course, or null when they have not written one. */
export async function getOwnReview(
  { db }: Pick<Deps, "db">,
  author: AccessClaims,
  courseId: string,
): Promise<ReviewView | null> {
  await visibleCourse(db, courseId, author);
  const [row] = await db
    .select(reviewColumns)
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.userId))
    .where(and(eq(reviews.courseId, courseId), eq(reviews.userId, author.userId)));
  return row ? toView(row) : null;
}

/** Public, newest first; a draft's reviews only to those who may see the draft. */
export async function listReviews(
  { db }: Pick<Deps, "db">,
  courseId: string,
  viewer: AccessClaims | undefined,
  page: z.infer<typeof pageQuery>,
): Promise<Page<ReviewView>> {
  await visibleCourse(db, courseId, viewer);
  return reviewsOf(db, courseId, page);
}

/** A page of a course's reviews, newest first, for a caller that already knows the course may be shown. */
export async function reviewsOf(
  db: Deps["db"],
  courseId: string,
  page: z.infer<typeof pageQuery>,
): Promise<Page<ReviewView>> {
  const position = page.cursor ? decodeCursor(page.cursor, timeAndIdCursor) : undefined;
  const rows = await db
    .select(reviewColumns)
    .from(reviews)
    .innerJoin(users, eq(users.id, reviews.userId))
    .where(
      and(
        eq(reviews.courseId, courseId),
        position
          ? sql`(${reviews.createdAt}, ${reviews.id}) < (${position[0]}::timestamptz, ${position[1]}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, toView, (row) => [row.review.createdAt.toISOString(), row.review.id]);
}
