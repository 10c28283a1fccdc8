/**
 * What a browser test needs from the running stack (started by
 * ./global-setup.ts): its URL, Chromium pages, the dev mailbox, screenshots.
 */
import { mkdirSync } from "node:fs";
import { type Browser, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, inject } from "vitest";

/** Debian's Chromium; a downloaded browser is never used. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS_DIR = "tests/e2e/screenshots";

export function baseUrl(): string {
  return inject("e2e").url;
}

export interface PageOptions extends BrowserContextOptions {
  /** False renders the page as a crawler without JavaScript would see it. */
  javaScript?: boolean;
}

export interface BrowserSession {
  /** A page in a fresh context (its own cookies and storage), opened on the stack's origin. */
  newPage(options?: PageOptions): Promise<Page>;
  /** Uncaught errors and console errors seen on any page so far (not failed requests, which pages may expect). */
  pageErrors(): string[];
}

/** Launches Chromium for the calling test file and closes it after its tests. */
export function useBrowser(): BrowserSession {
  let browser: Browser | undefined;
  const errors: string[] = [];
  const pages = new Set<Page>();
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  });
  // A failed test leaves a picture of every page it had open, to see what the browser saw.
  afterEach(async (context) => {
    if (context.task.result?.state === "fail") {
      let index = 0;
      for (const page of pages) {
        if (!page.isClosed()) await screenshot(page, `failed-${context.task.name.slice(0, 40)}-${++index}`);
      }
    }
    pages.clear();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async newPage({ javaScript = true, ...options } = {}) {
      if (!browser) throw new Error("useBrowser(): the browser starts in beforeAll");
      const context = await browser.newContext({
        baseURL: baseUrl(),
        javaScriptEnabled: javaScript,
        viewport: { width: 1280, height: 900 },
        reducedMotion: "reduce",
        ...options,
      });
      const page = await context.newPage();
      pages.add(page);
      page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
          errors.push(`${page.url()}: ${message.text()}`);
        }
      });
      return page;
    },
    pageErrors: () => [...errors],
  };
}

/** A full-page PNG under tests/e2e/screenshots/ (CI keeps the folder as an artifact). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS_DIR}/${name}.png`, fullPage: true });
}

/** JSON from the stack's API, outside any browser (setup and checks). */
export async function apiJson<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  if (init.body) headers.set("Content-Type", "application/json");
  const response = await fetch(`${baseUrl()}/api/v1${path}`, { ...init, headers });
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}
