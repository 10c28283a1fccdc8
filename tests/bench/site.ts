/**
 * `npm run bench:site`: Lighthouse's scores for the site's four kinds of page
 * — home, catalog, a course, the lesson player — and the JavaScript each
 * ships, on the embedded default (`npm start`'s stack with the demo data, as
 * the browser tests start it). Each page is measured `--runs` times, each run
 * in a fresh Chromium; the medians are compared with the site's targets and
 * written to tests/bench/results/site.{json,md}.
 *
 *   node tests/bench/site.ts [--runs 3]
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { measurePageScripts } from "../e2e/support/budgets.ts";
import { type EmbeddedStack, startEmbeddedStack } from "../e2e/support/embedded-stack.ts";
import { CHROMIUM } from "../e2e/support/stack.ts";
import { holdFreshBuild, log, positive, reproduceCommand, runMain, writeFormatted } from "./cli.ts";
import { waitForQuiet } from "./cpu.ts";
import { machineFacts } from "./report.ts";
import { CATEGORIES, type LighthouseRun, runLighthouse, signInDemoLearner } from "./site-lighthouse.ts";
import { plainTable, siteMarkdown, type SitePage, type SiteResults } from "./site-report.ts";

process.chdir(fileURLToPath(new URL("../..", import.meta.url)));

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runsPerPage = positive("runs", values.runs, 15);
const RESULTS = "tests/bench/results/site";

let stack: EmbeddedStack | undefined;

type PlannedPage = Omit<SitePage, "scripts" | "busyBeforePercent" | "runs">;

/**
 * Signs the demo learner in to find the lesson they would continue (and its
 * course), then measures each page's scripts as its visitor loads them: the
 * public pages signed out, the player signed in.
 */
async function measureScripts(origin: string): Promise<Omit<SitePage, "busyBeforePercent" | "runs">[]> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  try {
    const learner = await (await browser.newContext({ baseURL: origin })).newPage();
    const lessonPath = await signInDemoLearner(learner, origin);
    const courseSlug = lessonPath.split("/")[2];
    // Home and catalog are not island-free (the header's account area is an island), so the browser tests'
    // 35 KB budget applies to them rather than 0 KB; only the error pages are island-free.
    const planned: PlannedPage[] = [
      { name: "home", path: "/", signedIn: false, jsBudgetKB: 35 },
      { name: "catalog", path: "/courses", signedIn: false, jsBudgetKB: 35 },
      { name: "course", path: `/courses/${courseSlug}`, signedIn: false, jsBudgetKB: 35 },
      { name: "lesson player", path: lessonPath, signedIn: true, jsBudgetKB: 60 },
    ];
    const visitor = await (await browser.newContext({ baseURL: origin })).newPage();
    const measured = [];
    for (const page of planned) {
      measured.push({ ...page, scripts: await measurePageScripts(page.signedIn ? learner : visitor, page.path) });
    }
    return measured;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const releaseBuild = await holdFreshBuild();
  const pages: SitePage[] = [];
  try {
    stack = await startEmbeddedStack();
    log(`the embedded stack is ready at ${stack.url}`);
    for (const page of await measureScripts(stack.url)) {
      log(`${page.name} (${page.path}): ${page.scripts.totalGzipBytes} bytes of JavaScript, gzipped`);
      // Lighthouse simulates a slow phone from what it measures here: other work on the machine skews it.
      const busyBeforePercent = await waitForQuiet(60);
      const runs: LighthouseRun[] = [];
      for (let run = 1; run <= runsPerPage; run++) {
        runs.push(await runLighthouse(`${stack.url}${page.path}`, { signedIn: page.signedIn }));
        log(`  run ${run}: ${CATEGORIES.map((category) => `${category} ${runs.at(-1)!.scores[category]}`).join(", ")}`);
      }
      pages.push({ ...page, busyBeforePercent, runs });
    }
  } finally {
    await stack?.stop();
    stack = undefined;
    await releaseBuild();
  }
  const { nproc, cpu, memoryGiB, node, wrangler, commit } = machineFacts("PGlite");
  const results: SiteResults = {
    command: reproduceCommand("bench:site"),
    startedAt: startedAt.toISOString(),
    minutes: Math.round((Date.now() - startedAt.getTime()) / 60_000),
    machine: { nproc, cpu, memoryGiB, node, wrangler, commit, chromium: chromiumVersion() },
    runsPerPage,
    pages,
  };
  writeFormatted({
    [`${RESULTS}.json`]: `${JSON.stringify(results, null, 2)}\n`,
    [`${RESULTS}.md`]: siteMarkdown(results),
  });
  console.log(plainTable(results));
  log(`wrote ${RESULTS}.json and .md`);
}

function chromiumVersion(): string {
  return spawnSync(CHROMIUM, ["--version"], { encoding: "utf8" }).stdout.trim().split(" built on")[0] ?? CHROMIUM;
}

runMain(main, async () => await stack?.stop());
