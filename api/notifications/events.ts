import type { Executor } from "../../db/client.ts";
import { notifications } from "../../db/schema/index.ts";
import { enqueueEmail } from "../lib/mail/outbox.ts";

interface CourseRef {
  slug: string;
  title: string;
}

/** What other domains tell the notification service; each kind decides its text, link and emails. */
export type NotificationEvent =
  | { kind: "enrollment_created"; userId: string; course: CourseRef }
  | { kind: "course_completed"; userId: string; email: string; name: string; enrollmentId: string; course: CourseRef }
  | {
    kind: "review_received";
    teacherId: string;
    reviewId: string;
    rating: number;
    reviewerName: string;
    course: CourseRef;
  }
  | { kind: "payment_succeeded"; userId: string; paymentId: string; course: CourseRef }
  | { kind: "payment_refunded"; userId: string; paymentId: string; course: CourseRef }
  | { kind: "course_sale"; teacherId: string; paymentId: string; course: CourseRef };

interface Rendered {
  userId: string;
  title: string;
  body: string;
  link: string;
  /** Events that must notify exactly once carry a key the unique index enforces. */
  dedupeKey?: string;
}

function render(event: NotificationEvent): Rendered {
  const link = `/courses/${event.course.slug}`;
  const course = event.course.title;
  switch (event.kind) {
    case "enrollment_created":
      return {
        userId: event.userId,
        title: `You enrolled in ${course}`,
        body: "Start with the first lesson whenever you like.",
        link,
      };
    case "course_completed":
      return {
        userId: event.userId,
        title: `You completed ${course}`,
        body: "Congratulations! Every lesson is done.",
        link,
        dedupeKey: `course_completed:${event.enrollmentId}`,
      };
    case "review_received":
      return {
        userId: event.teacherId,
        title: `New ${event.rating}-star review of ${course}`,
        body: `${event.reviewerName} reviewed your course.`,
        link,
        dedupeKey: `review_received:${event.reviewId}`,
      };
    case "payment_succeeded":
      return {
        userId: event.userId,
        title: `Payment received for ${course}`,
        body: "Your course is ready.",
        link,
        dedupeKey: `payment_succeeded:${event.paymentId}`,
      };
    case "payment_refunded":
      return {
        userId: event.userId,
        title: `Refund issued for ${course}`,
        body: "Your access to the course has ended.",
        link,
        dedupeKey: `payment_refunded:${event.paymentId}`,
      };
    case "course_sale":
      return {
        userId: event.teacherId,
        title: `You sold ${course}`,
        body: "A learner bought your course.",
        link,
        dedupeKey: `course_sale:${event.paymentId}`,
      };
  }
}

/**
 * Records an event in the caller's transaction: the in-app notification and,
 * where the kind warrants one, an email in the outbox. Returns the ids of
 * queued emails for the caller to dispatch after commit. A repeated event
 * with a dedupe key changes nothing.
 */
export async function notify(tx: Executor, publicUrl: string, event: NotificationEvent): Promise<string[]> {
  const rendered = render(event);
  const [created] = await tx
    .insert(notifications)
    .values({ ...rendered, kind: event.kind })
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  if (!created || event.kind !== "course_completed") return [];
  const url = `${publicUrl}${rendered.link}`;
  const emailId = await enqueueEmail(tx, {
    to: event.email,
    userId: event.userId,
    template: "course_completed",
    dedupeKey: rendered.dedupeKey,
    subject: rendered.title,
    text: [
      `Hi ${event.name},`,
      "",
      `You completed every lesson of ${event.course.title}. Well done!`,
      "",
      url,
      "",
      "— Lectern",
    ]
      .join("\n"),
  });
  return emailId ? [emailId] : [];
}
