/**
 * The security headers of the site's answers: every path but /api and /health, which api/app.ts covers.
 *
 * The Content-Security-Policy is Astro's (`security.csp` in astro.config.mjs): at build time it hashes every inline
 * script and style it emits, the islands' hydration runtime included, so no script runs unless it comes from the
 * site or its hash is listed. Astro sends it as a header from on-demand pages and as a `<meta>` in prerendered
 * ones; `frame-ancestors` is obeyed only in a header (and in a `<meta>` it logs an error), so it is added where
 * an answer leaves: the Worker for rendered pages, `_headers` for static files.
 */

/**
 * The policy beyond scripts and styles. Lesson bodies may show images from any https host (the API's sanitizer
 * admits them); lessons embed the players and files that site/src/islands/player/video-embed.ts recognises.
 */
export const CSP_DIRECTIVES = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: https:",
  "media-src 'self' https://*.r2.dev https://*.r2.cloudflarestorage.com",
  "frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://videodelivery.net https://*.cloudflarestream.com",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];

/** Directives a `<meta>` policy cannot carry. */
const HEADER_ONLY_DIRECTIVES = ["frame-ancestors 'none'"];

/** On every site answer, static or rendered. */
export const SITE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  // For browsers that predate frame-ancestors.
  "X-Frame-Options": "DENY",
  // Reset and verification links carry their token in the query: other origins see only the site's origin.
  "Referrer-Policy": "strict-origin-when-cross-origin",
};

/** Astro's policy as a header: with the directives that only a header can carry. */
export function headerPolicy(astroPolicy: string): string {
  const directives = astroPolicy.split(";").map((directive) => directive.trim()).filter(Boolean);
  const named = new Set(directives.map((directive) => directive.split(/\s/, 1)[0]));
  const missing = HEADER_ONLY_DIRECTIVES.filter((directive) => !named.has(directive.split(/\s/, 1)[0]));
  return [...directives, ...missing].join("; ");
}
