import type { Level } from "./catalog.ts";
import type { LearningCourse } from "./learning.ts";
import type { Language } from "./people.ts";
import { lessonBlocks, lessonTitles } from "./phrases.ts";
import type { Random } from "./random.ts";
import { htmlToText } from "../../api/lib/sanitize.ts";
import { toHtml } from "./text.ts";
import { DAY, MINUTE, SEED_NOW } from "./time.ts";
import type { CourseRow, SeedRows } from "./write.ts";

/**
 * Blender's open movies (Creative Commons), published by the Blender
 * Foundation: stand-ins that embed and play, unlike made-up video ids.
 */
const VIDEO_URLS = [
  "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
  "https://www.youtube.com/watch?v=eRsGyueVLvQ",
  "https://www.youtube.com/watch?v=R6MlUcmOul8",
  "https://www.youtube.com/watch?v=WhWc3b3KhnY",
  "https://vimeo.com/1084537",
];

export interface CourseInput {
  teacherId: string;
  categoryId: string;
  slug: string;
  title: string;
  subtitle: string;
  /** Sanitized-form HTML; its plain text is derived the way the catalog service derives it. */
  descriptionHtml: string;
  level: Level;
  priceCents: number;
  createdAt: number;
  /** Null for a draft. */
  publishedAt: number | null;
  language: Language;
  moduleTitles: readonly string[];
  lessonsPerModule: () => number;
  quality: number;
}

/** Adds a course with its modules and lessons to `rows`; its lesson counters match exactly those rows. */
export function addCourse(random: Random, rows: SeedRows, input: CourseInput): LearningCourse {
  const createdAt = new Date(input.createdAt);
  const publishedAt = input.publishedAt === null ? null : new Date(input.publishedAt);
  const row: CourseRow = {
    id: random.uuidv7(input.createdAt),
    slug: input.slug,
    teacherId: input.teacherId,
    categoryId: input.categoryId,
    title: input.title,
    subtitle: input.subtitle,
    description: input.descriptionHtml,
    descriptionText: htmlToText(input.descriptionHtml),
    status: publishedAt ? "published" : "draft",
    level: input.level,
    language: input.language,
    priceCents: input.priceCents,
    currency: "USD",
    coverUrl: null,
    avgRating: 0,
    reviewsCount: 0,
    lessonsCount: 0,
    totalDurationSec: 0,
    publishedAt,
    createdAt,
    updatedAt: publishedAt ?? createdAt,
  };
  rows.courses.push(row);
  const lessonIds = addCurriculum(random, rows, row, input);
  return { row, lessonIds, language: input.language, quality: input.quality, ratingSum: 0 };
}

function addCurriculum(random: Random, rows: SeedRows, course: CourseRow, input: CourseInput): string[] {
  const authoredUntil = course.publishedAt?.getTime() ?? SEED_NOW - DAY;
  const authoringTime = Math.max(authoredUntil - course.createdAt.getTime(), 0);
  const lessonIds: string[] = [];
  let totalDurationSec = 0;
  const previewLessons = random.int(1, 2);

  input.moduleTitles.forEach((moduleTitle, modulePosition) => {
    const moduleCreatedAt = new Date(course.createdAt.getTime() + (authoringTime * modulePosition) / 10);
    const moduleId = random.uuidv7(moduleCreatedAt.getTime());
    rows.courseModules.push({
      id: moduleId,
      courseId: course.id,
      title: moduleTitle,
      position: modulePosition,
      createdAt: moduleCreatedAt,
      updatedAt: moduleCreatedAt,
    });

    lessonTitles(random, input.language, moduleTitle, input.lessonsPerModule()).forEach((title, position) => {
      const kind = random.chance(0.6) ? "video" : "text";
      // Text lessons carry an estimated reading time, so a course's total duration means something.
      const durationSec = kind === "video" ? random.int(4 * 60, 25 * 60) : random.int(3, 12) * 60;
      const createdAt = new Date(moduleCreatedAt.getTime() + (position + 1) * MINUTE);
      const id = random.uuidv7(createdAt.getTime());
      rows.lessons.push({
        id,
        moduleId,
        courseId: course.id,
        title,
        kind,
        body: toHtml(lessonBlocks(random, input.language, kind, moduleTitle)),
        videoUrl: kind === "video" ? random.pick(VIDEO_URLS) : null,
        durationSec,
        isPreview: lessonIds.length < previewLessons,
        position,
        createdAt,
        updatedAt: createdAt,
      });
      lessonIds.push(id);
      totalDurationSec += durationSec;
    });
  });

  course.lessonsCount = lessonIds.length;
  course.totalDurationSec = totalDurationSec;
  return lessonIds;
}
