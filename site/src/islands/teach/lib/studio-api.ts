/**
 * The authoring and earnings calls the studio makes, over the shared typed client: one place that knows the
 * routes, so components deal in courses and lessons rather than paths.
 */
import type { CourseLanguage } from "../../../../../api/catalog/languages.ts";
import { api, call } from "../../lib/api.ts";
import type { Outline } from "../curriculum/outline.ts";
import { toCurriculumBody } from "../curriculum/outline.ts";

export type Level = "beginner" | "intermediate" | "advanced";

export interface CoursePatch {
  title?: string;
  subtitle?: string | null;
  description?: string;
  categorySlug?: string;
  level?: Level;
  language?: CourseLanguage;
  priceCents?: number;
  coverUrl?: string | null;
}

export interface LessonPatch {
  title?: string;
  kind?: "text" | "video";
  body?: string;
  videoUrl?: string | null;
  durationSec?: number;
  isPreview?: boolean;
}

export interface NewLesson {
  title: string;
  kind: "text" | "video";
  videoUrl?: string;
}

export const studioApi = {
  teacherCourses: (cursor?: string) =>
    call(api.teacher.courses.$get({ query: { limit: "20", ...(cursor ? { cursor } : {}) } })),
  categories: () => call(api.categories.$get()),
  course: (id: string) => call(api.courses[":idOrSlug"].$get({ param: { idOrSlug: id } })),
  createCourse: (input: { title: string; categorySlug: string; level: Level }) =>
    call(api.courses.$post({ json: { ...input, priceCents: 0 } })),
  updateCourse: (id: string, patch: CoursePatch) => call(api.courses[":id"].$patch({ param: { id }, json: patch })),
  deleteCourse: (id: string) => call(api.courses[":id"].$delete({ param: { id } })),
  publish: (id: string) => call(api.courses[":id"].publish.$post({ param: { id } })),
  unpublish: (id: string) => call(api.courses[":id"].unpublish.$post({ param: { id } })),
  saveOrder: (id: string, outline: Outline) =>
    call(api.courses[":id"].curriculum.$put({ param: { id }, json: toCurriculumBody(outline) })),
  addModule: (courseId: string, title: string) =>
    call(api.courses[":id"].modules.$post({ param: { id: courseId }, json: { title } })),
  renameModule: (id: string, title: string) => call(api.modules[":id"].$patch({ param: { id }, json: { title } })),
  deleteModule: (id: string) => call(api.modules[":id"].$delete({ param: { id } })),
  addLesson: (moduleId: string, lesson: NewLesson) =>
    call(api.modules[":id"].lessons.$post({ param: { id: moduleId }, json: lesson })),
  lesson: (id: string) => call(api.lessons[":id"].$get({ param: { id } })),
  updateLesson: (id: string, patch: LessonPatch) => call(api.lessons[":id"].$patch({ param: { id }, json: patch })),
  deleteLesson: (id: string) => call(api.lessons[":id"].$delete({ param: { id } })),
  earnings: () => call(api.teacher.earnings.$get()),
  resendVerification: (email: string) => call(api.auth["resend-verification"].$post({ json: { email } })),
};

export type StudioCourse = Awaited<ReturnType<typeof studioApi.course>>;
export type TeacherCourseRow = Awaited<ReturnType<typeof studioApi.teacherCourses>>["items"][number];
export type Category = Awaited<ReturnType<typeof studioApi.categories>>[number];
export type StudioLesson = Awaited<ReturnType<typeof studioApi.lesson>>;
export type Earnings = Awaited<ReturnType<typeof studioApi.earnings>>;
