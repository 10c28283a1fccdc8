import type { APIRoute } from "astro";
import { cacheTag, load, PRIVATE_CACHE, sharePage, siteOrigin } from "../lib/pages.ts";
import { sitemapEntries, sitemapXml } from "../lib/sitemap.ts";

export const prerender = false;

export const GET: APIRoute = async () => {
  const entries = await load((deps) => sitemapEntries(deps.db));
  if (!entries.ok) {
    return new Response("Sitemap unavailable", {
      status: 503,
      headers: { "Retry-After": "5", "Cache-Control": PRIVATE_CACHE },
    });
  }
  const response = new Response(sitemapXml(siteOrigin(), entries.value), {
    headers: { "Content-Type": "application/xml; charset=utf-8" },
  });
  sharePage(response, [cacheTag.catalog]);
  return response;
};
