import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { courseModules, lessons } from "../../db/schema/index.ts";
import type { Tx } from "../../db/client.ts";
import type { Deps } from "../deps.ts";
import type { AccessClaims } from "../identity/access-token.ts";
import { hasChanges } from "../lib/changes.ts";
import { AppError } from "../lib/errors.ts";
import { isId } from "../lib/ids.ts";
import { plainText, sanitizeHtml } from "../lib/sanitize.ts";
import { changeCourse, editCourse, refreshCourseCounters } from "./authoring.ts";
import type { createLessonBody, curriculumBody, updateLessonBody } from "./schemas.ts";
import { type Course, type Lesson, toLesson } from "./views.ts";

type ModuleRow = typeof courseModules.$inferSelect;
type LessonRow = typeof lessons.$inferSelect;

async function courseOfModule(deps: Deps, moduleId: string): Promise<string> {
  if (!isId(moduleId)) throw AppError.notFound("module");
  const [module] = await deps.db.select({ courseId: courseModules.courseId }).from(courseModules).where(
    eq(courseModules.id, moduleId),
  );
  if (!module) throw AppError.notFound("module");
  return module.courseId;
}

async function courseOfLesson(deps: Deps, lessonId: string): Promise<string> {
  if (!isId(lessonId)) throw AppError.notFound("lesson");
  const [lesson] = await deps.db.select({ courseId: lessons.courseId }).from(lessons).where(eq(lessons.id, lessonId));
  if (!lesson) throw AppError.notFound("lesson");
  return lesson.courseId;
}

/** Re-reads the module under the course lock: it may have moved or gone since it was first looked up. */
async function moduleInCourse(tx: Tx, moduleId: string, courseId: string): Promise<ModuleRow> {
  const [module] = await tx.select().from(courseModules).where(
    and(eq(courseModules.id, moduleId), eq(courseModules.courseId, courseId)),
  );
  if (!module) throw AppError.notFound("module");
  return module;
}

async function lessonInCourse(tx: Tx, lessonId: string, courseId: string): Promise<LessonRow> {
  const [lesson] = await tx.select().from(lessons).where(and(eq(lessons.id, lessonId), eq(lessons.courseId, courseId)));
  if (!lesson) throw AppError.notFound("lesson");
  return lesson;
}

async function nextPosition(tx: Tx, table: typeof courseModules | typeof lessons, parent: ReturnType<typeof eq>) {
  const [row] = await tx.select({ next: sql<number>`coalesce(max(${table.position}) + 1, 0)::int` }).from(table).where(
    parent,
  );
  return row?.next ?? 0;
}

export async function addModule(deps: Deps, courseId: string, editor: AccessClaims, title: string) {
  let created: ModuleRow | undefined;
  await changeCourse(deps, courseId, editor, async (tx, course) => {
    const position = await nextPosition(tx, courseModules, eq(courseModules.courseId, course.id));
    [created] = await tx.insert(courseModules).values({ courseId: course.id, title: plainText(title), position })
      .returning();
  });
  return { id: created!.id, title: created!.title, position: created!.position, lessons: [] };
}

export async function renameModule(deps: Deps, moduleId: string, editor: AccessClaims, title: string) {
  const courseId = await courseOfModule(deps, moduleId);
  let renamed: ModuleRow | undefined;
  await changeCourse(deps, courseId, editor, async (tx) => {
    await moduleInCourse(tx, moduleId, courseId);
    [renamed] = await tx.update(courseModules).set({ title: plainText(title) }).where(eq(courseModules.id, moduleId))
      .returning();
  });
  return { id: renamed!.id, title: renamed!.title, position: renamed!.position };
}

/** Deleting a module deletes its lessons and the learners' progress on them; counters follow in the same transaction. */
export async function deleteModule(deps: Deps, moduleId: string, editor: AccessClaims): Promise<void> {
  const courseId = await courseOfModule(deps, moduleId);
  await changeCourse(deps, courseId, editor, async (tx) => {
    await moduleInCourse(tx, moduleId, courseId);
    await tx.delete(courseModules).where(eq(courseModules.id, moduleId));
    await refreshCourseCounters(tx, courseId);
  });
}

function lessonContent(input: Partial<z.infer<typeof updateLessonBody>>) {
  return {
    title: input.title === undefined ? undefined : plainText(input.title),
    kind: input.kind,
    body: input.body === undefined ? undefined : sanitizeHtml(input.body),
    videoUrl: input.videoUrl,
    durationSec: input.durationSec,
    isPreview: input.isPreview,
  };
}

export async function addLesson(
  deps: Deps,
  moduleId: string,
  editor: AccessClaims,
  input: z.infer<typeof createLessonBody>,
): Promise<Lesson> {
  const courseId = await courseOfModule(deps, moduleId);
  let created: LessonRow | undefined;
  await changeCourse(deps, courseId, editor, async (tx) => {
    await moduleInCourse(tx, moduleId, courseId);
    const position = await nextPosition(tx, lessons, eq(lessons.moduleId, moduleId));
    const content = lessonContent(input);
    [created] = await tx
      .insert(lessons)
      .values({ ...content, title: content.title!, kind: input.kind, courseId, moduleId, position })
      .returning();
    await refreshCourseCounters(tx, courseId);
  });
  return toLesson(created!);
}

export async function updateLesson(
  deps: Deps,
  lessonId: string,
  editor: AccessClaims,
  input: z.infer<typeof updateLessonBody>,
): Promise<Lesson> {
  const courseId = await courseOfLesson(deps, lessonId);
  let updated: LessonRow | undefined;
  await changeCourse(deps, courseId, editor, async (tx) => {
    const current = await lessonInCourse(tx, lessonId, courseId);
    const kind = input.kind ?? current.kind;
    const videoUrl = input.videoUrl === undefined ? current.videoUrl : input.videoUrl;
    if (kind === "video" && !videoUrl) {
      throw AppError.validation([{
        path: "videoUrl",
        code: "video_required",
        message: "is required for a video lesson",
      }]);
    }
    const content = lessonContent(input);
    [updated] = hasChanges(content)
      ? await tx.update(lessons).set(content).where(eq(lessons.id, lessonId)).returning()
      : [current];
    await refreshCourseCounters(tx, courseId);
  });
  return toLesson(updated!);
}

export async function deleteLesson(deps: Deps, lessonId: string, editor: AccessClaims): Promise<void> {
  const courseId = await courseOfLesson(deps, lessonId);
  await changeCourse(deps, courseId, editor, async (tx) => {
    await lessonInCourse(tx, lessonId, courseId);
    await tx.delete(lessons).where(eq(lessons.id, lessonId));
    await refreshCourseCounters(tx, courseId);
  });
}

/**
 * Reorders the whole curriculum in one transaction. The request must name
 * every module and every lesson of the course exactly once; anything else is
 * refused before a single row changes.
 */
export async function reorderCurriculum(
  deps: Deps,
  courseId: string,
  editor: AccessClaims,
  input: z.infer<typeof curriculumBody>,
): Promise<Course> {
  return editCourse(deps, courseId, editor, async (tx, course) => {
    const [moduleRows, lessonRows] = await Promise.all([
      tx.select({ id: courseModules.id }).from(courseModules).where(eq(courseModules.courseId, course.id)),
      tx.select({ id: lessons.id }).from(lessons).where(eq(lessons.courseId, course.id)),
    ]);
    const sameSet = (have: string[], want: string[]) =>
      have.length === want.length && new Set(want).size === want.length && want.every((id) => have.includes(id));
    const listedLessons = input.modules.flatMap((module) => module.lessonIds);
    if (!sameSet(moduleRows.map((row) => row.id), input.modules.map((module) => module.id))) {
      throw AppError.validation([{
        path: "modules",
        code: "curriculum_mismatch",
        message: "must list every module of the course exactly once",
      }]);
    }
    if (!sameSet(lessonRows.map((row) => row.id), listedLessons)) {
      throw AppError.validation([{
        path: "modules",
        code: "curriculum_mismatch",
        message: "must list every lesson of the course exactly once",
      }]);
    }
    // Two statements however long the curriculum: one for module positions, one for lesson placement.
    const modulePlaces = input.modules.map((module, position) => sql`(${module.id}::uuid, ${position}::int)`);
    if (modulePlaces.length > 0) {
      await tx.execute(sql`update course_modules set position = v.position
        from (values ${sql.join(modulePlaces, sql`, `)}) as v(id, position) where course_modules.id = v.id`);
    }
    const lessonPlaces = input.modules.flatMap((module) =>
      module.lessonIds.map((lessonId, position) => sql`(${lessonId}::uuid, ${module.id}::uuid, ${position}::int)`)
    );
    if (lessonPlaces.length > 0) {
      await tx.execute(sql`update lessons set module_id = v.module_id, position = v.position
        from (values ${sql.join(lessonPlaces, sql`, `)}) as v(id, module_id, position) where lessons.id = v.id`);
    }
  });
}
