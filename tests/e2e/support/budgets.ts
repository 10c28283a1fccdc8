/**
 * What a page costs in JavaScript, measured the way a visitor pays for it:
 * every script the browser actually fetched while loading (islands, their
 * chunks, the hydration runtime) plus inline scripts, each gzipped.
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

export async function measurePageScripts(page: Page, path: string): Promise<PageScripts> {
  const fetched: Promise<ScriptCost | undefined>[] = [];
  const onResponse = (response: import("playwright-core").Response) => {
    if (response.request().resourceType() !== "script") return;
    fetched.push(
      response.body().then(
        (body) => ({ source: new URL(response.url()).pathname, gzipBytes: gzipSize(body) }),
        () => undefined,
      ),
    );
  };
  page.on("response", onResponse);
  await page.goto(path, { waitUntil: "networkidle" });
  page.off("response", onResponse);
  const inline = await page.$$eval<string[], HTMLScriptElement>(
    "script:not([src])",
    (scripts) =>
      scripts
        .filter((script) => !script.type || script.type === "module" || script.type === "text/javascript")
        .map((script) => script.textContent ?? ""),
  );
  const scripts = [
    ...(await Promise.all(fetched)).filter((cost): cost is ScriptCost => cost !== undefined),
    ...inline.map((text, index) => ({ source: `inline #${index + 1}`, gzipBytes: gzipSize(text) })),
  ];
  return { scripts, totalGzipBytes: scripts.reduce((sum, script) => sum + script.gzipBytes, 0) };
}

export const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
