import type { Course } from "../../../api/catalog/views.ts";
import { t } from "../i18n/en.ts";
import { durationMinutes } from "../i18n/format.ts";

/**
 * schema.org `Course` for search engines: provider, offer (price, free or
 * paid) and, once the course has reviews, its aggregate rating (a rating of
 * zero reviews is invalid structured data, so it is left out).
 */
export function courseJsonLd(course: Course, url: string, description: string) {
  const origin = new URL(url).origin;
  const workload = durationMinutes(course.totalDurationSec);
  return {
    "@context": "https://schema.org",
    "@type": "Course",
    "@id": url,
    url,
    name: course.title,
    description,
    educationalLevel: course.level,
    provider: { "@type": "Organization", name: t("site.name"), sameAs: origin },
    author: { "@type": "Person", name: course.teacher.name },
    datePublished: course.publishedAt ?? undefined,
    dateModified: course.updatedAt,
    offers: {
      "@type": "Offer",
      category: course.isFree ? "Free" : "Paid",
      price: (course.priceCents / 100).toFixed(2),
      priceCurrency: course.currency,
      availability: "https://schema.org/InStock",
      url,
    },
    hasCourseInstance: {
      "@type": "CourseInstance",
      courseMode: "Online",
      // Only a workload the teacher's durations add up to: none given, none claimed.
      ...(workload === undefined ? {} : { courseWorkload: `PT${workload}M` }),
    },
    ...(course.reviewsCount > 0
      ? {
        aggregateRating: {
          "@type": "AggregateRating",
          ratingValue: course.avgRating,
          reviewCount: course.reviewsCount,
          bestRating: 5,
          worstRating: 1,
        },
      }
      : {}),
  };
}

/** JSON for a `<script type="application/ld+json">`: `<` escaped so no text can close the script element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
