import { z } from "zod";
import { pageQuery } from "../lib/cursor.ts";
import { refusal } from "../lib/validation.ts";
import { COURSE_LANGUAGES } from "./languages.ts";

export const LEVELS = ["beginner", "intermediate", "advanced"] as const;
export const SORTS = ["relevance", "newest", "rating", "price_asc", "price_desc"] as const;
const language = z.enum(COURSE_LANGUAGES);
export type Sort = (typeof SORTS)[number];

const slugParam = z.string().trim().toLowerCase().regex(/^[a-z0-9-]{1,80}$/, "must be a category slug");

export const listCoursesQuery = pageQuery.extend({
  q: z.string().trim().max(200).optional().transform((value) => value || undefined),
  category: slugParam.optional(),
  level: z.enum(LEVELS).optional(),
  language: language.optional(),
  free: z.enum(["true", "false"]).transform((value) => value === "true").optional(),
  sort: z.enum(SORTS).optional(),
});
export type ListCoursesQuery = z.infer<typeof listCoursesQuery>;

const title = z.string().trim().min(3, "must be at least 3 characters").max(150);
const subtitle = z.string().trim().max(250);
const richText = z.string().max(100_000);
const currency = z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD");
const priceCents = z.number().int().min(0).max(1_000_000);
const httpsUrl = z.url({ protocol: /^https$/, message: "must be an https URL" }).max(2000);

export const createCourseBody = z.strictObject({
  title,
  subtitle: subtitle.optional(),
  description: richText.optional(),
  categorySlug: slugParam,
  level: z.enum(LEVELS),
  language: language.default("en"),
  priceCents,
  currency: currency.default("USD"),
  coverUrl: httpsUrl.optional(),
});

export const updateCourseBody = z
  .strictObject({
    title,
    subtitle: subtitle.nullable(),
    description: richText,
    categorySlug: slugParam,
    level: z.enum(LEVELS),
    language,
    priceCents,
    currency,
    coverUrl: httpsUrl.nullable(),
  })
  .partial();

export const moduleBody = z.strictObject({ title });

/** Hosts whose players the site embeds; anything else could be a tracking pixel or a phishing page. */
export const VIDEO_HOSTS = [
  "youtube.com",
  "www.youtube.com",
  "youtu.be",
  "www.youtube-nocookie.com",
  "vimeo.com",
  "player.vimeo.com",
  "videodelivery.net",
];
const VIDEO_HOST_SUFFIXES = [".cloudflarestream.com", ".r2.dev", ".r2.cloudflarestorage.com"];

/** Zod runs refinements on a value that already failed the URL check, so the host is read only if it parses. */
export const videoUrl = httpsUrl.refine((value) => {
  const host = URL.parse(value)?.hostname;
  return host !== undefined &&
    (VIDEO_HOSTS.includes(host) || VIDEO_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix)));
}, refusal("unsupported_video_host", "must be a YouTube, Vimeo, Cloudflare Stream or R2 URL"));

const lessonFields = {
  title,
  kind: z.enum(["text", "video"]),
  body: richText,
  videoUrl: videoUrl.nullable(),
  durationSec: z.number().int().min(0).max(24 * 3600),
  isPreview: z.boolean(),
};

export const createLessonBody = z
  .strictObject({
    ...lessonFields,
    body: lessonFields.body.optional(),
    videoUrl: videoUrl.optional(),
    durationSec: lessonFields.durationSec.optional(),
    isPreview: lessonFields.isPreview.optional(),
  })
  .refine((lesson) => lesson.kind === "text" || Boolean(lesson.videoUrl), {
    path: ["videoUrl"],
    ...refusal("video_required", "is required for a video lesson"),
  });

export const updateLessonBody = z.strictObject(lessonFields).partial();

export const curriculumBody = z.strictObject({
  modules: z
    .array(z.strictObject({ id: z.uuid(), lessonIds: z.array(z.uuid()).max(500) }))
    .max(200),
});
