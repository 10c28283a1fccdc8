import type { CategorySlug } from "./categories.ts";
import { ENGLISH_GENERAL_COURSES } from "./courses-en-general.ts";
import { ENGLISH_SOFTWARE_COURSES } from "./courses-en-software.ts";
import { ENGLISH_DATA_AND_OPS_COURSES } from "./courses-en-data-ops.ts";
import { RUSSIAN_COURSES } from "./courses-ru.ts";
import type { Language } from "./people.ts";

export type Level = "beginner" | "intermediate" | "advanced";

/** The demo catalog's teachers; `alex` is the one behind teacher@lectern.dev. */
export const TEACHERS = {
  alex: { name: "Alex Morgan", language: "en" },
  priya: { name: "Priya Raman", language: "en" },
  marcus: { name: "Marcus Webb", language: "en" },
  sofia: { name: "Sofia Martins", language: "en" },
  daniel: { name: "Daniel Okafor", language: "en" },
  hannah: { name: "Hannah Weiss", language: "en" },
  lucas: { name: "Lucas Bennett", language: "en" },
  emily: { name: "Emily Carter", language: "en" },
  anna: { name: "Анна Смирнова", language: "ru" },
  dmitry: { name: "Дмитрий Волков", language: "ru" },
  igor: { name: "Игорь Соколов", language: "ru" },
  olga: { name: "Ольга Кузнецова", language: "ru" },
} as const satisfies Record<string, { name: string; language: Language }>;

export type TeacherKey = keyof typeof TEACHERS;
export const DEMO_TEACHER: TeacherKey = "alex";

/** One hand-written course; its lessons are generated from the module titles. */
export interface CourseSpec {
  teacher: TeacherKey;
  category: CategorySlug;
  level: Level;
  priceCents?: number;
  draft?: true;
  title: string;
  subtitle: string;
  summary: string;
  outcomes: readonly string[];
  modules: readonly string[];
}

export interface DemoCourseSpec extends CourseSpec {
  language: Language;
}

export const DEMO_COURSES: readonly DemoCourseSpec[] = [
  ...ENGLISH_SOFTWARE_COURSES.map((course) => ({ ...course, language: "en" as const })),
  ...ENGLISH_DATA_AND_OPS_COURSES.map((course) => ({ ...course, language: "en" as const })),
  ...ENGLISH_GENERAL_COURSES.map((course) => ({ ...course, language: "en" as const })),
  ...RUSSIAN_COURSES.map((course) => ({ ...course, language: "ru" as const })),
];
