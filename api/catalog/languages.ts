/** Languages a course may be taught in (ISO 639-1); the site names them with Intl.DisplayNames. */
export const COURSE_LANGUAGES = [
  "en",
  "ru",
  "uk",
  "de",
  "fr",
  "es",
  "it",
  "pt",
  "pl",
  "tr",
  "zh",
  "ja",
  "ko",
  "ar",
  "hi",
] as const;
export type CourseLanguage = (typeof COURSE_LANGUAGES)[number];
