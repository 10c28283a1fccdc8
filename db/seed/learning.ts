import { createHash } from "node:crypto";
import type { Language } from "./people.ts";
import type { Random } from "./random.ts";
import { reviewBody } from "./review-texts.ts";
import { DAY, HOUR, MINUTE, SEED_NOW } from "./time.ts";
import type { CourseRow, SeedRows } from "./write.ts";

/** The platform's cut of a sale: real sales must be booked at the same rate, or seeded and real earnings disagree. */
const PLATFORM_FEE_PERCENT = 20;

export interface LearningCourse {
  row: CourseRow;
  /** In study order: progress always covers a prefix, as a learner going through the course would. */
  lessonIds: readonly string[];
  language: Language;
  /** The rating this course's reviews gather around, so courses differ from each other. */
  quality: number;
  ratingSum: number;
}

export interface Learner {
  id: string;
  createdAt: Date;
}

export interface EnrollOptions {
  /** Share of the lessons done, 0..1; 1 completes the course. Random when omitted. */
  progress?: number;
  /** Whether the learner reviews the course. Random (likelier after more progress) when omitted. */
  review?: boolean;
}

export type EnrollmentRow = SeedRows["enrollments"][number];
export type PaymentRow = SeedRows["payments"][number];
type ReviewRow = SeedRows["reviews"][number];

export interface Enrolled {
  enrollment: EnrollmentRow;
  payment: PaymentRow | undefined;
}

/**
 * A learner's whole history with one course: purchase (for paid courses),
 * enrollment, lesson progress and maybe a review, with every counter kept
 * equal to the rows added.
 */
export function enroll(
  random: Random,
  rows: SeedRows,
  course: LearningCourse,
  learner: Learner,
  options: EnrollOptions = {},
): Enrolled {
  const publishedAt = course.row.publishedAt;
  if (!publishedAt) throw new Error(`seed: cannot enroll in the draft course ${course.row.slug}`);
  const earliest = Math.max(learner.createdAt.getTime(), publishedAt.getTime()) + HOUR;
  const latest = SEED_NOW - DAY;
  const enrolledAt = earliest + random.next() * Math.max(latest - earliest, 0) * 0.9;

  const payment = course.row.priceCents > 0 ? purchase(random, rows, course.row, learner, enrolledAt) : undefined;

  const total = course.lessonIds.length;
  const done = options.progress !== undefined
    ? Math.round(options.progress * total)
    : random.chance(0.3)
    ? total
    : random.int(0, total - 1);
  const activityEnd = Math.min(SEED_NOW - HOUR, enrolledAt + 120 * DAY);
  const completionTimes = Array.from({ length: done }, () => enrolledAt + random.next() * (activityEnd - enrolledAt))
    .sort((a, b) => a - b);
  completionTimes.forEach((time, index) => {
    rows.lessonProgress.push({
      userId: learner.id,
      lessonId: course.lessonIds[index]!,
      courseId: course.row.id,
      completedAt: new Date(time),
    });
  });

  const lastActivityAt = completionTimes.at(-1) ?? enrolledAt;
  const completed = total > 0 && done === total;
  const enrollment: EnrollmentRow = {
    id: random.uuidv7(enrolledAt),
    userId: learner.id,
    courseId: course.row.id,
    paymentId: payment?.id ?? null,
    status: completed ? "completed" : "active",
    completedLessons: done,
    enrolledAt: new Date(enrolledAt),
    lastActivityAt: new Date(lastActivityAt),
    completedAt: completed ? new Date(lastActivityAt) : null,
  };
  rows.enrollments.push(enrollment);

  const reviewChance = completed ? 0.7 : done * 2 >= total ? 0.4 : done > 0 ? 0.15 : 0.03;
  if (options.review ?? random.chance(reviewChance)) addReview(random, rows, course, learner.id, lastActivityAt);
  return { enrollment, payment };
}

function purchase(random: Random, rows: SeedRows, course: CourseRow, learner: Learner, paidAt: number): PaymentRow {
  const createdAt = new Date(paidAt - random.int(1, 10) * MINUTE);
  const paymentId = random.uuidv7(createdAt.getTime());
  const payment: PaymentRow = {
    id: paymentId,
    userId: learner.id,
    courseId: course.id,
    provider: "local",
    providerSessionId: `cs_local_${random.hex(24)}`,
    providerPaymentId: `pi_local_${random.hex(24)}`,
    amountCents: course.priceCents,
    currency: course.currency,
    status: "succeeded",
    idempotencyKey: random.uuidv7(createdAt.getTime()),
    // Stands in for the hash of the checkout request, which names nothing but the course.
    requestHash: createHash("sha256").update(`POST /api/v1/courses/${course.id}/checkout`).digest("hex"),
    paidAt: new Date(paidAt),
    createdAt,
    updatedAt: new Date(paidAt),
  };
  rows.payments.push(payment);

  const platformFeeCents = Math.round((course.priceCents * PLATFORM_FEE_PERCENT) / 100);
  rows.earningsLedger.push({
    id: random.uuidv7(paidAt),
    teacherId: course.teacherId,
    paymentId,
    courseId: course.id,
    kind: "sale",
    grossCents: course.priceCents,
    platformFeeCents,
    netCents: course.priceCents - platformFeeCents,
    currency: course.currency,
    createdAt: new Date(paidAt),
  });
  return payment;
}

function addReview(random: Random, rows: SeedRows, course: LearningCourse, userId: string, after: number): void {
  // Two uniforms make a triangular spread: most ratings land near the course's quality.
  const spread = (random.next() + random.next() - 1) * 1.6;
  const rating = Math.min(5, Math.max(1, Math.round(course.quality + spread)));
  const createdAt = new Date(Math.min(SEED_NOW - MINUTE, after + random.int(1, 48) * HOUR));
  const review: ReviewRow = {
    id: random.uuidv7(createdAt.getTime()),
    courseId: course.row.id,
    userId,
    rating,
    body: reviewBody(random, course.language, rating),
    createdAt,
    updatedAt: createdAt,
  };
  rows.reviews.push(review);
  course.ratingSum += rating;
  course.row.reviewsCount = (course.row.reviewsCount ?? 0) + 1;
  // Integer arithmetic until the last step, so halves round like Postgres' round(avg(rating), 2).
  course.row.avgRating = Math.round((course.ratingSum * 100) / course.row.reviewsCount) / 100;
}
