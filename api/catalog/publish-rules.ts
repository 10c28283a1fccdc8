import { asc, eq, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.ts";
import { courseModules, lessons } from "../../db/schema/index.ts";
import { AppError, type FieldError } from "../lib/errors.ts";

/**
 * What a course must have before learners see it: a lesson at all, no module without lessons (the course page would
 * show an empty box), and a duration on every lesson (the page shows each lesson's time and the course's total, and
 * must never make one up). Each unmet rule is one entry naming the module or lesson to fix, in curriculum order;
 * `path` is that resource's API path, where the teacher fixes it.
 */
export async function unmetPublishRules(tx: Executor, courseId: string): Promise<FieldError[]> {
  const rows = await tx
    .select({
      moduleId: courseModules.id,
      moduleTitle: courseModules.title,
      lessonId: lessons.id,
      lessonTitle: lessons.title,
      durationSec: lessons.durationSec,
    })
    .from(courseModules)
    .leftJoin(lessons, eq(lessons.moduleId, courseModules.id))
    .where(eq(courseModules.courseId, courseId))
    .orderBy(asc(courseModules.position), asc(courseModules.id), asc(lessons.position), asc(lessons.id));
  return rows.flatMap((row): FieldError[] => {
    if (row.lessonId === null) {
      return [{
        path: `modules/${row.moduleId}`,
        code: "empty_module",
        message: `the module “${row.moduleTitle}” has no lessons`,
      }];
    }
    if (row.durationSec === 0) {
      return [{
        path: `lessons/${row.lessonId}`,
        code: "missing_duration",
        message: `the lesson “${row.lessonTitle}” has no duration`,
      }];
    }
    return [];
  });
}

/**
 * Refuses to publish a course that breaks a rule: `course_empty` (the contract's code) without a single lesson,
 * otherwise `course_incomplete` listing every unmet rule.
 */
export async function assertPublishable(tx: Executor, courseId: string): Promise<void> {
  const [{ lessonCount } = { lessonCount: 0 }] = await tx
    .select({ lessonCount: sql<number>`count(*)::int` })
    .from(lessons)
    .where(eq(lessons.courseId, courseId));
  if (lessonCount === 0) throw new AppError(422, "course_empty", "Add at least one lesson before publishing.");
  const unmet = await unmetPublishRules(tx, courseId);
  if (unmet.length > 0) {
    const problems = unmet.map((rule) => rule.message).join("; ");
    throw new AppError(422, "course_incomplete", `The course is not ready to publish: ${problems}.`, {
      errors: unmet,
    });
  }
}
