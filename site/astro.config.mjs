import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import cloudflare from "@astrojs/cloudflare";
import preact from "@astrojs/preact";
import { defineConfig } from "astro/config";
import { CSP_DIRECTIVES, headerPolicy, SITE_SECURITY_HEADERS } from "./src/lib/security-headers.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/**
 * Cloudflare's Vite plugin leaves `.wrangler/deploy/config.json` (which points
 * Wrangler at the built Worker) under Vite's root, site/. Wrangler only honours
 * it beside the wrangler.toml it finds, at the repository root, so a copy goes
 * there with its paths rebased.
 */
function wranglerRedirectAtRepoRoot() {
  return {
    name: "lectern:wrangler-redirect",
    hooks: {
      "astro:build:done": async () => {
        const built = fileURLToPath(new URL(".wrangler/deploy/config.json", import.meta.url));
        const target = resolve(repoRoot, ".wrangler/deploy/config.json");
        const rebase = (path) => path && relative(dirname(target), resolve(dirname(built), path));
        const redirect = JSON.parse(await readFile(built, "utf8"));
        await mkdir(dirname(target), { recursive: true });
        await writeFile(
          target,
          JSON.stringify({
            configPath: rebase(redirect.configPath),
            auxiliaryWorkers: redirect.auxiliaryWorkers.map((worker) => ({ configPath: rebase(worker.configPath) })),
            prerenderWorkerConfigPath: rebase(redirect.prerenderWorkerConfigPath),
          }),
        );
      },
    },
  };
}

/** Cloudflare ignores longer lines of `_headers`; a policy cut short would be a broken site, so the build fails. */
const HEADERS_LINE_LIMIT = 2000;
const META_POLICY = /<meta http-equiv="content-security-policy" content="([^"]*)"/;

/**
 * Prerendered pages are static files that Cloudflare serves without running the Worker, so their headers come
 * from `_headers`: the site's security headers for every file, and for each page the policy Astro wrote into its
 * `<meta>`, as a header (site/src/lib/security-headers.ts). Appended to what the Cloudflare adapter writes there.
 */
function staticSecurityHeaders() {
  return {
    name: "lectern:static-security-headers",
    hooks: {
      "astro:build:done": async ({ dir }) => {
        const client = fileURLToPath(dir);
        const rules = [["/*", SITE_SECURITY_HEADERS]];
        for (const file of await readdir(client, { recursive: true })) {
          if (!file.endsWith(".html")) continue;
          const policy = META_POLICY.exec(await readFile(join(client, file), "utf8"))?.[1];
          if (!policy) throw new Error(`${file} has no Content-Security-Policy <meta>`);
          const path = `/${file.split(sep).join("/").replace(/\.html$/, "")}`;
          rules.push([path, { "Content-Security-Policy": headerPolicy(policy) }]);
        }
        const lines = rules.flatMap(([path, headers]) => [
          path,
          ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`),
        ]);
        const tooLong = lines.find((line) => line.length > HEADERS_LINE_LIMIT);
        if (tooLong) throw new Error(`A _headers line is over ${HEADERS_LINE_LIMIT} characters: ${tooLong}`);
        const headersFile = join(client, "_headers");
        const existing = await readFile(headersFile, "utf8").catch(() => "");
        await writeFile(headersFile, `${existing.trimEnd()}\n${lines.join("\n")}\n`.trimStart());
      },
    },
  };
}

export default defineConfig({
  adapter: cloudflare({
    configPath: "../wrangler.toml",
    // No Cloudflare Images binding: images are served as they are.
    imageService: "passthrough",
  }),
  // Astro's sessions would need a KV namespace; the API keeps its own state.
  session: false,
  security: {
    csp: {
      directives: CSP_DIRECTIVES,
      // Server-rendered islands and components set style attributes (a progress bar's width, a rating's fill),
      // which hashes cannot cover; style elements and every script still need a hash or the site's origin.
      styleDirective: { resources: [{ resource: "'unsafe-inline'", kind: "attribute" }] },
    },
  },
  // Static pages as /login.html served at /login: the same addresses as on-demand pages, with no redirect to /login/.
  build: { format: "file" },
  // The site has no Markdown; Shiki, the highlighter it would use, writes style attributes the policy refuses.
  markdown: { syntaxHighlight: false },
  integrations: [preact(), wranglerRedirectAtRepoRoot(), staticSecurityHeaders()],
  vite: {
    // Listed up front so `astro dev` never re-optimizes Preact mid-session: a late
    // discovery left workerd with two Preact copies (hooks fail with "reading '__H'").
    optimizeDeps: {
      include: ["preact", "preact/hooks", "preact/jsx-runtime", "preact/jsx-dev-runtime", "preact/devtools"],
    },
  },
});
