import type { APIRoute } from "astro";
import { load, PUBLIC_CACHE } from "../lib/pages.ts";
import { sitemapEntries, sitemapXml } from "../lib/sitemap.ts";

export const prerender = false;

export const GET: APIRoute = async ({ url }) => {
  const entries = await load((deps) => sitemapEntries(deps.db));
  if (!entries.ok) {
    return new Response("Sitemap unavailable", { status: 503, headers: { "Retry-After": "5" } });
  }
  return new Response(sitemapXml(url.origin, entries.value), {
    headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": PUBLIC_CACHE },
  });
};
