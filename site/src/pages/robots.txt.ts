import type { APIRoute } from "astro";
import { absoluteUrl, cacheTag, sharePage } from "../lib/pages.ts";

export const prerender = false;

/**
 * Crawlers may read the catalogue and the player's pages (public outlines whose canonical is the course page);
 * personal pages and the API are not for them.
 */
const PRIVATE_PATHS = ["/api/", "/my", "/notifications", "/account", "/checkout/"];

export const GET: APIRoute = () => {
  const body = [
    "User-agent: *",
    "Allow: /",
    ...PRIVATE_PATHS.map((path) => `Disallow: ${path}`),
    "",
    `Sitemap: ${absoluteUrl("/sitemap.xml")}`,
    "",
  ].join("\n");
  const response = new Response(body, { headers: { "Content-Type": "text/plain; charset=utf-8" } });
  sharePage(response, [cacheTag.catalog]);
  return response;
};
