import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import cloudflare from "@astrojs/cloudflare";
import preact from "@astrojs/preact";
import { defineConfig } from "astro/config";

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

export default defineConfig({
  adapter: cloudflare({
    configPath: "../wrangler.toml",
    // No Cloudflare Images binding: images are served as they are.
    imageService: "passthrough",
  }),
  // Astro's sessions would need a KV namespace; the API keeps its own state.
  session: false,
  // Static pages as /login.html served at /login: the same addresses as on-demand pages, with no redirect to /login/.
  build: { format: "file" },
  integrations: [preact(), wranglerRedirectAtRepoRoot()],
  vite: {
    // Listed up front so `astro dev` never re-optimizes Preact mid-session: a late
    // discovery left workerd with two Preact copies (hooks fail with "reading '__H'").
    optimizeDeps: {
      include: ["preact", "preact/hooks", "preact/jsx-runtime", "preact/jsx-dev-runtime", "preact/devtools"],
    },
  },
});
