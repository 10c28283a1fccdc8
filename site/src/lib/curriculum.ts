import type { Course } from "../../../api/catalog/views.ts";

/**
 * The modules learners are shown. A published course can gain a module that has no lessons yet (publishing refuses
 * one, editing a live course cannot): until it has some, it would be an empty box on the page.
 */
export function modulesForLearners(course: Pick<Course, "modules">): Course["modules"] {
  return course.modules.filter((module) => module.lessons.length > 0);
}
