import { desc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { categories, courses } from "../../../db/schema/index.ts";

/** The protocol's limit for one sitemap file; past it the sitemap would need an index of several files. */
export const SITEMAP_URL_LIMIT = 50_000;

export interface SitemapEntry {
  path: string;
  lastModified?: Date;
}

/**
 * Every page worth indexing, read from the database on each (edge-cached)
 * request: a course published a minute ago is listed without a redeploy.
 */
export async function sitemapEntries(db: Db): Promise<SitemapEntry[]> {
  const [courseRows, categoryRows] = await Promise.all([
    db
      .select({ slug: courses.slug, updatedAt: courses.updatedAt })
      .from(courses)
      .where(eq(courses.status, "published"))
      .orderBy(desc(courses.updatedAt))
      .limit(SITEMAP_URL_LIMIT - 100),
    db.select({ slug: categories.slug }).from(categories).orderBy(categories.slug),
  ]);
  return [
    { path: "/" },
    { path: "/courses" },
    ...categoryRows.map((row) => ({ path: `/categories/${row.slug}` })),
    ...courseRows.map((row) => ({ path: `/courses/${row.slug}`, lastModified: row.updatedAt })),
  ];
}

const escapeXml = (value: string) =>
  value.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);

export function sitemapXml(origin: string, entries: SitemapEntry[]): string {
  const urls = entries.map((entry) => {
    const lastmod = entry.lastModified ? `<lastmod>${entry.lastModified.toISOString()}</lastmod>` : "";
    return `<url><loc>${escapeXml(new URL(entry.path, origin).href)}</loc>${lastmod}</url>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${
    urls.join("\n")
  }\n</urlset>\n`;
}
