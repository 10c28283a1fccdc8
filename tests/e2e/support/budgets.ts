/**
 * What a page costs in JavaScript, counted the way the budgets are defined: every module its islands load
 * (each island's `component-url` and `renderer-url`, and everything they import, however late the island
 * hydrates), every other script the page names, and its inline scripts, each file gzipped on its own.
 */
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";

export interface ScriptCost {
  /** A script's URL path, or "inline #n". */
  source: string;
  gzipBytes: number;
}

export interface PageScripts {
  scripts: ScriptCost[];
  totalGzipBytes: number;
}

const gzipSize = (text: string | Buffer) => gzipSync(text, { level: 9 }).length;

/** Static imports and re-exports of a built module (`import{a as b}from"./x.js"`, `import"./y.js"`). */
const STATIC_IMPORT = /\b(?:import|export)(?![.(\w$])\s*(?:[\w$*{}\s,]*?from\s*)?["']([^"']+)["']/g;

/** Every module reachable from `entries` through static imports, fetched once each. */
async function moduleGraph(entries: string[]): Promise<ScriptCost[]> {
  const seen = new Set<string>();
  const costs: ScriptCost[] = [];
  let frontier = entries;
  while (frontier.length > 0) {
    const fresh = [...new Set(frontier)].filter((url) => !seen.has(url));
    for (const url of fresh) seen.add(url);
    const texts = await Promise.all(fresh.map(async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return { url, text: await response.text() };
    }));
    frontier = [];
    for (const { url, text } of texts) {
      costs.push({ source: new URL(url).pathname, gzipBytes: gzipSize(text) });
      for (const [, specifier] of text.matchAll(STATIC_IMPORT)) frontier.push(new URL(specifier!, url).href);
    }
  }
  return costs;
}

export async function measurePageScripts(page: Page, path: string): Promise<PageScripts> {
  await page.goto(path, { waitUntil: "load" });
  const { entries, inline } = await page.evaluate(() => ({
    entries: [
      ...[...document.querySelectorAll("astro-island")].flatMap((island) =>
        ["component-url", "renderer-url"].map((name) => island.getAttribute(name))
      ),
      ...[...document.querySelectorAll<HTMLScriptElement>("script[src]")].map((script) => script.src),
    ].filter((url): url is string => Boolean(url)).map((url) => new URL(url, location.href).href),
    inline: [...document.querySelectorAll<HTMLScriptElement>("script:not([src])")]
      .filter((script) => !script.type || script.type === "module" || script.type === "text/javascript")
      .map((script) => script.textContent ?? ""),
  }));
  const scripts = [
    ...(await moduleGraph([...new Set(entries)])),
    ...inline.map((text, index) => ({ source: `inline #${index + 1}`, gzipBytes: gzipSize(text) })),
  ];
  return { scripts, totalGzipBytes: scripts.reduce((sum, script) => sum + script.gzipBytes, 0) };
}

export const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
