/**
 * One Lighthouse run of a page for `npm run bench:site`: a fresh Debian
 * Chromium with a new profile (as the Lighthouse CLI starts one), Lighthouse's
 * default configuration — a mobile phone with simulated slow 4G and a 4×
 * slower CPU — and the four categories of the site's targets.
 */
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { type Result } from "lighthouse";
import { chromium, type Page } from "playwright-core";
import { DEMO, submitLoginForm } from "../e2e/support/accounts.ts";
import { CHROMIUM } from "../e2e/support/stack.ts";

export const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
export type Category = (typeof CATEGORIES)[number];

/** The metrics behind the performance score, in milliseconds (layout shift has no unit). */
export const METRICS = {
  "first-contentful-paint": "FCP",
  "largest-contentful-paint": "LCP",
  "total-blocking-time": "TBT",
  "cumulative-layout-shift": "CLS",
  "speed-index": "SI",
} as const;
export type Metric = keyof typeof METRICS;

export interface LighthouseRun {
  /** 0 to 100, as Lighthouse shows them. */
  scores: Record<Category, number>;
  metrics: Record<Metric, number>;
  /** Per category, the weighted audits that did not pass: "id" or "id (score)". */
  failingAudits: Record<Category, string[]>;
  /** Lighthouse's own measure of the machine's speed (its score calibration assumes about 1000+). */
  benchmarkIndex: number;
  lighthouseVersion: string;
  runWarnings: string[];
}

const CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage"];

/**
 * Signs the demo learner in through the site's login form, as a visitor
 * would, and returns the first lesson My learning offers to continue: the
 * refresh cookie and the "signed in" flag then stay in the browser's profile
 * for the page Lighthouse loads next.
 */
export async function signInDemoLearner(page: Page, origin: string): Promise<string> {
  await submitLoginForm(page, DEMO.student, `${origin}/login?next=%2Fmy`, "/my");
  // My learning renders once the session is restored: its refresh has rotated the cookie by then.
  const lessonPath = await page.locator('a[href^="/learn/"]').first().getAttribute("href");
  if (!lessonPath) throw new Error("My learning of the demo learner offers no lesson to continue");
  return lessonPath;
}

async function signInOverDevTools(port: number, origin: string): Promise<void> {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  try {
    const context = browser.contexts()[0];
    if (!context) throw new Error("Chromium has no default browser context");
    const page = await context.newPage();
    await signInDemoLearner(page, origin);
    await page.close();
  } finally {
    await browser.close(); // only disconnects: Lighthouse uses the same Chromium next
  }
}

function failingAudits(lhr: Result, category: Category): string[] {
  return lhr.categories[category]!.auditRefs
    .filter((ref) => ref.weight > 0)
    .flatMap((ref) => {
      const audit = lhr.audits[ref.id]!;
      if (audit.scoreDisplayMode === "error") return [`${ref.id} (error)`];
      if (audit.score === null || audit.score >= 1) return [];
      return [audit.scoreDisplayMode === "binary" ? ref.id : `${ref.id} (${audit.score.toFixed(2)})`];
    });
}

export async function runLighthouse(url: string, options: { signedIn: boolean }): Promise<LighthouseRun> {
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS, logLevel: "silent" });
  try {
    if (options.signedIn) await signInOverDevTools(chrome.port, new URL(url).origin);
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: [...CATEGORIES],
    });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const { lhr } = result;
    if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const byCategory = <T>(value: (category: Category) => T) =>
      Object.fromEntries(CATEGORIES.map((category) => [category, value(category)])) as Record<Category, T>;
    return {
      scores: byCategory((category) => Math.round((lhr.categories[category]?.score ?? Number.NaN) * 100)),
      metrics: Object.fromEntries(
        Object.keys(METRICS).map((id) => [id, lhr.audits[id]?.numericValue ?? Number.NaN]),
      ) as Record<Metric, number>,
      failingAudits: byCategory((category) => failingAudits(lhr, category)),
      benchmarkIndex: lhr.environment.benchmarkIndex,
      lighthouseVersion: lhr.lighthouseVersion,
      runWarnings: lhr.runWarnings.map(String),
    };
  } finally {
    chrome.kill();
  }
}
