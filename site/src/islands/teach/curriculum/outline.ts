/**
 * The curriculum as the studio edits it, and the moves a teacher can make on it. Every move returns a new outline
 * (islands re-render from it) and leaves the input untouched; `toCurriculumBody` turns any outline into the one
 * `PUT /courses/:id/curriculum` call that saves it atomically.
 */

export interface OutlineLesson {
  id: string;
  title: string;
  kind: "text" | "video";
  durationSec: number;
  isPreview: boolean;
}

export interface OutlineModule {
  id: string;
  title: string;
  lessons: OutlineLesson[];
}

export type Outline = OutlineModule[];

export interface LessonPlace {
  moduleIndex: number;
  lessonIndex: number;
}

export function findLesson(outline: Outline, lessonId: string): LessonPlace | undefined {
  for (const [moduleIndex, module] of outline.entries()) {
    const lessonIndex = module.lessons.findIndex((lesson) => lesson.id === lessonId);
    if (lessonIndex !== -1) return { moduleIndex, lessonIndex };
  }
  return undefined;
}

/** Puts a lesson at `index` of a module (clamped), wherever it was before; unknown ids leave the outline as it is. */
export function moveLessonTo(outline: Outline, lessonId: string, moduleId: string, index: number): Outline {
  const from = findLesson(outline, lessonId);
  const target = outline.findIndex((module) => module.id === moduleId);
  if (!from || target === -1) return outline;
  const lesson = outline[from.moduleIndex]!.lessons[from.lessonIndex]!;
  const without = outline.map((module, moduleIndex) =>
    moduleIndex === from.moduleIndex
      ? { ...module, lessons: module.lessons.filter((candidate) => candidate.id !== lessonId) }
      : module
  );
  const lessons = [...without[target]!.lessons];
  lessons.splice(Math.max(0, Math.min(index, lessons.length)), 0, lesson);
  return without.map((module, moduleIndex) => moduleIndex === target ? { ...module, lessons } : module);
}

/**
 * One step up or down, as the keyboard moves a lesson: past the first or last lesson of its module it crosses into
 * the neighbouring module (at its end going up, at its start going down), so every position is reachable.
 */
export function moveLessonBy(outline: Outline, lessonId: string, step: -1 | 1): Outline {
  const from = findLesson(outline, lessonId);
  if (!from) return outline;
  const module = outline[from.moduleIndex]!;
  const index = from.lessonIndex + step;
  if (index >= 0 && index < module.lessons.length) return moveLessonTo(outline, lessonId, module.id, index);
  const neighbour = outline[from.moduleIndex + step];
  if (!neighbour) return outline;
  return moveLessonTo(outline, lessonId, neighbour.id, step === -1 ? neighbour.lessons.length : 0);
}

export function moveModuleTo(outline: Outline, moduleId: string, index: number): Outline {
  const from = outline.findIndex((module) => module.id === moduleId);
  if (from === -1) return outline;
  const modules = outline.filter((module) => module.id !== moduleId);
  modules.splice(Math.max(0, Math.min(index, modules.length)), 0, outline[from]!);
  return modules;
}

export function moveModuleBy(outline: Outline, moduleId: string, step: -1 | 1): Outline {
  const from = outline.findIndex((module) => module.id === moduleId);
  return from === -1 ? outline : moveModuleTo(outline, moduleId, from + step);
}

export function sameOrder(a: Outline, b: Outline): boolean {
  return JSON.stringify(toCurriculumBody(a)) === JSON.stringify(toCurriculumBody(b));
}

export function toCurriculumBody(outline: Outline): { modules: { id: string; lessonIds: string[] }[] } {
  return {
    modules: outline.map((module) => ({ id: module.id, lessonIds: module.lessons.map((lesson) => lesson.id) })),
  };
}
