import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  customType,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, timestampTz, updatedAt } from "./columns.ts";
import { users } from "./identity.ts";

export const categories = pgTable(
  "categories",
  {
    id: id(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("categories_slug_key").on(t.slug)],
);

/** Postgres full-text document; only ever written by generated columns, and never selected by the app. */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * Search splits words with Postgres' language-neutral `simple` parser (course
 * content is written in any language, and English stemming would mangle
 * Russian), so the query, the documents and the lexicon all agree on words.
 */
const words = (source: ReturnType<typeof sql>) => sql`to_tsvector('simple'::regconfig, ${source})`;

export const courseStatus = pgEnum("course_status", ["draft", "published"]);
export const courseLevel = pgEnum("course_level", ["beginner", "intermediate", "advanced"]);

export const courses = pgTable(
  "courses",
  {
    id: id(),
    slug: text("slug").notNull(),
    teacherId: uuid("teacher_id").notNull().references(() => users.id, { onDelete: "restrict" }),
    categoryId: uuid("category_id").notNull().references(() => categories.id, { onDelete: "restrict" }),
    title: text("title").notNull(),
    subtitle: text("subtitle"),
    /** Sanitized HTML, as served. */
    description: text("description").notNull().default(""),
    /** The description without markup: what search reads, so tags never count as matches. */
    descriptionText: text("description_text").notNull().default(""),
    status: courseStatus("status").notNull().default("draft"),
    level: courseLevel("level").notNull(),
    /** The language the course is taught in (ISO 639-1), whatever the language of the site around it. */
    language: text("language").notNull().default("en"),
    priceCents: integer("price_cents").notNull().default(0),
    currency: text("currency").notNull().default("USD"),
    coverUrl: text("cover_url"),
    avgRating: numeric("avg_rating", { precision: 3, scale: 2, mode: "number" }).notNull().default(0),
    reviewsCount: integer("reviews_count").notNull().default(0),
    lessonsCount: integer("lessons_count").notNull().default(0),
    totalDurationSec: integer("total_duration_sec").notNull().default(0),
    publishedAt: timestampTz("published_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** The title's words: a search match here ranks above matches elsewhere. */
    titleWords: tsvector("title_words").generatedAlwaysAs(() => words(sql`title`)).notNull(),
    /** Every searchable word: title, subtitle and the description's text. */
    searchWords: tsvector("search_words").generatedAlwaysAs(() =>
      words(sql`title || ' ' || coalesce(subtitle, '') || ' ' || description_text`)
    ).notNull(),
  },
  (t) => [
    uniqueIndex("courses_slug_key").on(t.slug),
    index("courses_teacher_id_idx").on(t.teacherId),
    index("courses_category_id_idx").on(t.categoryId),
    index("courses_published_newest_idx").on(t.publishedAt.desc().nullsFirst(), t.id.desc().nullsFirst()).where(
      sql`${t.status} = 'published'`,
    ),
    index("courses_published_rating_idx").on(t.avgRating.desc().nullsFirst(), t.id.desc().nullsFirst()).where(
      sql`${t.status} = 'published'`,
    ),
    index("courses_published_price_idx").on(t.priceCents, t.id).where(sql`${t.status} = 'published'`),
    // The same orders within one category: a category page reads its own slice instead of filtering the catalog's.
    index("courses_category_newest_idx").on(t.categoryId, t.publishedAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.status} = 'published'`),
    index("courses_category_rating_idx").on(t.categoryId, t.avgRating.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.status} = 'published'`),
    index("courses_category_price_idx").on(t.categoryId, t.priceCents, t.id).where(sql`${t.status} = 'published'`),
    index("courses_title_words_idx").using("gin", t.titleWords),
    index("courses_search_words_idx").using("gin", t.searchWords),
    index("courses_title_prefix_idx").using("btree", sql`lower(${t.title}) text_pattern_ops`),
    check("courses_price_non_negative", sql`${t.priceCents} >= 0`),
    check("courses_currency_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("courses_language_iso", sql`${t.language} ~ '^[a-z]{2}$'`),
    check("courses_rating_range", sql`${t.avgRating} between 0 and 5`),
    check(
      "courses_counters_non_negative",
      sql`${t.reviewsCount} >= 0 and ${t.lessonsCount} >= 0 and ${t.totalDurationSec} >= 0`,
    ),
    check("courses_published_has_date", sql`${t.status} = 'draft' or ${t.publishedAt} is not null`),
  ],
);

export const courseModules = pgTable(
  "course_modules",
  {
    id: id(),
    courseId: uuid("course_id").notNull().references(() => courses.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    position: integer("position").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("course_modules_course_id_position_idx").on(t.courseId, t.position)],
);

export const lessonKind = pgEnum("lesson_kind", ["text", "video"]);

export const lessons = pgTable(
  "lessons",
  {
    id: id(),
    moduleId: uuid("module_id").notNull().references(() => courseModules.id, { onDelete: "cascade" }),
    /** Denormalized from the module so access checks and counters need no join. */
    courseId: uuid("course_id").notNull().references(() => courses.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    kind: lessonKind("kind").notNull(),
    body: text("body").notNull().default(""),
    videoUrl: text("video_url"),
    durationSec: integer("duration_sec").notNull().default(0),
    isPreview: boolean("is_preview").notNull().default(false),
    position: integer("position").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("lessons_module_id_position_idx").on(t.moduleId, t.position),
    index("lessons_course_id_idx").on(t.courseId),
    check("lessons_duration_non_negative", sql`${t.durationSec} >= 0`),
    check("lessons_video_has_url", sql`${t.kind} = 'text' or ${t.videoUrl} is not null`),
  ],
);

/**
 * Every word of every course's title, subtitle and description (kept by a
 * trigger on courses), trigram-indexed: search corrects a misspelled query
 * word to the nearest real words here, then matches those words exactly.
 * Words are never removed: a stale one only corrects to nothing.
 */
export const searchLexicon = pgTable(
  "search_lexicon",
  { word: text("word").primaryKey() },
  (t) => [index("search_lexicon_word_trgm_idx").using("gin", t.word.op("gin_trgm_ops"))],
);
