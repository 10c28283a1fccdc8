import type { Enrolled } from "./learning.ts";
import type { Random } from "./random.ts";
import { HOUR, SEED_NOW } from "./time.ts";
import type { CourseRow, SeedRows } from "./write.ts";

type NotificationRow = SeedRows["notifications"][number];
type Draft = Omit<NotificationRow, "id" | "userId" | "readAt" | "createdAt"> & { createdAt: Date };

/** How many of a user's newest notifications stay unread, so the bell has something to show. */
const UNREAD_NEWEST = 3;

const money = (cents: number, currency: string) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency }).format(cents / 100);

const courseLink = (course: CourseRow) => `/courses/${course.slug}`;

/** What a learner would have been told about their own enrollments, purchases and completions. */
export function learnerEvents(history: readonly { course: CourseRow; enrolled: Enrolled }[]): Draft[] {
  return history.flatMap(({ course, enrolled: { enrollment, payment } }): Draft[] => [
    {
      kind: "enrollment_created",
      title: `You're enrolled in “${course.title}”`,
      body: "Start with the first lesson whenever you're ready.",
      link: courseLink(course),
      createdAt: enrollment.enrolledAt!,
    },
    ...(payment?.paidAt
      ? [{
        kind: "payment_succeeded" as const,
        title: "Payment received",
        body: `${money(payment.amountCents, payment.currency)} for “${course.title}”. Thank you!`,
        link: courseLink(course),
        createdAt: payment.paidAt,
      }]
      : []),
    ...(enrollment.completedAt
      ? [{
        kind: "course_completed" as const,
        title: `You completed “${course.title}”`,
        body: "Congratulations! A short review helps other learners choose.",
        link: courseLink(course),
        dedupeKey: `course_completed:${enrollment.id}`,
        createdAt: enrollment.completedAt,
      }]
      : []),
  ]);
}

/** What a teacher would have been told about sales of and reviews on their courses. */
export function teacherEvents(rows: SeedRows, teacherCourses: ReadonlyMap<string, CourseRow>): Draft[] {
  const sales = rows.earningsLedger.flatMap((entry): Draft[] => {
    const course = teacherCourses.get(entry.courseId);
    if (!course) return [];
    return [{
      kind: "course_sale",
      title: `New sale: “${course.title}”`,
      body: `You earned ${money(entry.netCents, entry.currency)} after the ${
        money(entry.platformFeeCents, entry.currency)
      } platform fee.`,
      link: courseLink(course),
      createdAt: entry.createdAt!,
    }];
  });
  const reviews = rows.reviews.flatMap((review): Draft[] => {
    const course = teacherCourses.get(review.courseId);
    if (!course) return [];
    return [{
      kind: "review_received",
      title: `New ${review.rating}-star review on “${course.title}”`,
      body: review.body ?? "",
      link: courseLink(course),
      createdAt: review.createdAt!,
    }];
  });
  return [...sales, ...reviews];
}

export function addInbox(random: Random, rows: SeedRows, userId: string, drafts: readonly Draft[]): void {
  const oldestFirst = [...drafts].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  oldestFirst.forEach((draft, index) => {
    const read = index < oldestFirst.length - UNREAD_NEWEST;
    rows.notifications.push({
      ...draft,
      id: random.uuidv7(draft.createdAt.getTime()),
      userId,
      readAt: read ? new Date(Math.min(SEED_NOW, draft.createdAt.getTime() + random.int(1, 12) * HOUR)) : null,
    });
  });
}
