/**
 * Every page, for every role, at a phone's width and at a desktop's: nothing is wider than the screen, the
 * header's account area settles (visitors get their sign-in links, however the islands race), and the header's
 * panels open inside the screen. The phone layouts of the course page, the player and the studio are
 * photographed for the README.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { apiToken, DEMO, logIn, registerAndVerify } from "./support/accounts.ts";
import { apiJson, SCREENSHOTS_DIR, useBrowser } from "./support/stack.ts";

const browser = useBrowser();

const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const;

interface CourseDetail {
  id: string;
  slug: string;
  priceCents: number;
  modules: { lessons: { id: string; isPreview: boolean }[] }[];
}

async function course(query: string): Promise<CourseDetail> {
  const { items } = await apiJson<{ items: { slug: string }[] }>(`/courses?${query}&limit=1`);
  return apiJson<CourseDetail>(`/courses/${items[0]!.slug}`);
}

/** Until every island that hydrates without being scrolled to has done so. */
async function islandsHydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector("astro-island[ssr]:not([client=visible])"));
}

/**
 * How far the page reaches past the right edge of the screen, in CSS pixels (0 when it fits), and the
 * innermost elements that do, to say what to fix.
 */
function overflow(page: Page): Promise<{ beyond: number; culprits: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.body.querySelectorAll("*")].filter((element) =>
      element.getBoundingClientRect().right > width + 0.5
    );
    const innermost = wide.filter((element) => !wide.some((other) => other !== element && element.contains(other)));
    return {
      beyond: document.documentElement.scrollWidth - width,
      culprits: innermost.slice(0, 5).map((element) =>
        `<${element.tagName.toLowerCase()} class="${element.className}"> ends at ${
          Math.round(element.getBoundingClientRect().right)
        }`
      ),
    };
  });
}

/** The header's sign-in links, visible (not merely present, which they are while the session loads). */
async function visitorLinksShown(page: Page): Promise<void> {
  await expect.poll(() => page.locator(".header-user:not(.holding) a[href='/login']").isVisible(), { timeout: 5_000 })
    .toBe(true);
  await expect.poll(() => page.getByRole("link", { name: "Sign up" }).isVisible()).toBe(true);
}

async function expectInsideScreen(page: Page, selector: string, width: number): Promise<void> {
  const box = await page.locator(selector).boundingBox();
  expect(box, selector).not.toBeNull();
  expect(box!.x, `${selector} starts on screen`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${selector} ends on screen`).toBeLessThanOrEqual(width);
}

for (const [size, viewport] of Object.entries(VIEWPORTS)) {
  describe(`every screen on a ${size} (${viewport.width} px)`, () => {
    it("no page scrolls sideways, for a visitor, a learner or a teacher", async () => {
      const free = await course("free=true");
      const paid = await course("free=false");
      const [category] = await apiJson<{ slug: string }[]>("/categories");
      const preview = paid.modules.flatMap((module) => module.lessons).find((lesson) => lesson.isPreview);
      const publicPaths = [
        "/",
        "/courses",
        "/courses?q=javascrpt",
        `/courses/${paid.slug}`,
        `/categories/${category!.slug}`,
        ...(preview ? [`/learn/${paid.slug}/${preview.id}`] : []),
        "/login",
        "/register",
        "/forgot-password",
        "/reset-password",
        "/verify-email",
        "/no-such-page",
      ];
      const signedInPaths = ["/my", "/account", "/account/purchases", "/notifications"];

      const learner = await registerAndVerify();
      await apiJson(`/courses/${free.id}/enroll`, { method: "POST", token: await apiToken(learner) });
      const teacherToken = await apiToken(DEMO.teacher);
      const { items: taught } = await apiJson<{ items: { id: string }[] }>("/teacher/courses", {
        token: teacherToken,
      });
      const roles = [
        { role: "visitor", account: undefined, paths: publicPaths },
        {
          role: "learner",
          account: learner,
          paths: [...publicPaths, ...signedInPaths, `/learn/${free.slug}/${free.modules[0]!.lessons[0]!.id}`],
        },
        {
          role: "teacher",
          account: DEMO.teacher,
          paths: [...publicPaths, ...signedInPaths, "/teach", "/teach/earnings", `/teach/courses/${taught[0]!.id}`],
        },
      ];

      const tooWide: string[] = [];
      for (const { role, account, paths } of roles) {
        const page = await browser.newPage({ viewport });
        if (account) await logIn(page, account, "/");
        for (const path of paths) {
          await page.goto(path);
          await islandsHydrated(page);
          // Pages that must ship no script (404, errors) have no account area to wait for.
          const hasAccountArea = await page.locator(".user astro-island").count() > 0;
          if (account && hasAccountArea) await page.getByRole("button", { name: /Account menu/ }).waitFor();
          const { beyond, culprits } = await overflow(page);
          if (beyond > 0) tooWide.push(`${role} ${path}: ${beyond} px too wide (${culprits.join("; ")})`);
        }
        await page.context().close();
      }
      expect(tooWide).toEqual([]);
    });

    it("a visitor always gets the sign-in links, on every visit and after signing out and going Back", async () => {
      const { slug } = await course("free=false");
      const page = await browser.newPage({ viewport });
      // The second visit finds every module cached, so the islands that settle the session hydrate first.
      for (const path of [`/courses/${slug}`, `/courses/${slug}`, "/my", `/courses/${slug}`]) {
        await page.goto(path);
        await visitorLinksShown(page);
      }

      const learner = await registerAndVerify();
      await logIn(page, learner, "/my");
      await page.getByRole("button", { name: /Account menu/ }).click();
      await page.getByRole("button", { name: "Log out" }).click();
      await page.waitForURL((url) => url.pathname === "/");
      await visitorLinksShown(page);
      await page.goBack();
      await page.waitForURL((url) => url.pathname === "/my");
      await visitorLinksShown(page);
      await page.context().close();
    });

    it("the catalog counts its results, says how it read a search, titles its filters and pages both ways", async () => {
      const page = await browser.newPage({ viewport });
      await page.goto("/courses?q=javascrpt");
      await page.getByText(/^\d+ courses? match/).waitFor();
      await page.getByText(/Showing results for “javascript”/).waitFor();

      await page.goto("/courses?level=beginner&free=true");
      expect(await page.locator("h1").textContent()).toBe("Courses: Beginner, Free");
      const filters = page.locator(".filters-panel > summary");
      const levelField = page.getByLabel("Level");
      if (viewport.width < 500) {
        // Behind a button that counts them, so the results are on the first screen.
        expect(await filters.textContent()).toContain("2 active");
        expect(await levelField.isVisible()).toBe(false);
        await filters.click();
      } else {
        expect(await filters.isVisible()).toBe(false);
      }
      expect(await levelField.isVisible()).toBe(true);

      await page.goto("/courses");
      const total = Number(/^(\d+)/.exec((await page.getByText(/courses match/).textContent()) ?? "")?.[1]);
      const firstTitle = () => page.locator(".course-card .title").first().textContent();
      const onFirstPage = await firstTitle();
      await page.getByRole("link", { name: "Next page" }).click();
      await page.waitForURL(/cursor=/);
      expect(await page.getByText(/courses match/).textContent()).toContain(String(total));
      const onSecondPage = await firstTitle();
      if (await page.getByRole("link", { name: "Next page" }).count() > 0) {
        await page.getByRole("link", { name: "Next page" }).click();
        await page.getByRole("link", { name: "First page" }).waitFor();
        await page.getByRole("link", { name: "Previous page" }).click();
        expect(await firstTitle()).toBe(onSecondPage);
      }
      await page.getByRole("link", { name: "Previous page" }).click();
      await page.waitForURL((url) => url.pathname === "/courses" && !url.searchParams.has("cursor"));
      expect(await firstTitle()).toBe(onFirstPage);
      await page.context().close();
    });

    it("the notifications panel and the account menu open inside the screen, and reach their links", async () => {
      const page = await browser.newPage({ viewport });
      await logIn(page, DEMO.teacher, "/teach");
      await islandsHydrated(page);
      await expectInsideScreen(page, ".header-user", viewport.width);

      await page.locator(".bell-button").click();
      await expectInsideScreen(page, "#notifications-panel", viewport.width);
      await expect.poll(() => page.getByRole("link", { name: "See all" }).isVisible()).toBe(true);
      await page.keyboard.press("Escape");

      await page.getByRole("button", { name: /Account menu/ }).click();
      await expectInsideScreen(page, "#account-panel", viewport.width);
      for (const name of ["Profile", "Log out"]) {
        await expect.poll(() => page.locator("#account-panel").getByText(name, { exact: true }).isVisible()).toBe(true);
      }
      await page.context().close();
    });
  });
}

describe("phone layouts, for the README", () => {
  it("photographs the course page, the player and the studio at 390 px", async () => {
    const free = await course("free=true");
    const learner = await registerAndVerify();
    await apiJson(`/courses/${free.id}/enroll`, { method: "POST", token: await apiToken(learner) });
    const page = await browser.newPage({ viewport: VIEWPORTS.phone, deviceScaleFactor: 2 });
    await logIn(page, learner, `/courses/${free.slug}`);
    await islandsHydrated(page);
    await page.screenshot({ path: `${SCREENSHOTS_DIR}/phone-course.png` });

    await page.goto(`/learn/${free.slug}/${free.modules[0]!.lessons[0]!.id}`);
    await page.locator(".lesson-content").waitFor();
    await expectInsideScreen(page, ".player-actions .button:not(.secondary)", VIEWPORTS.phone.width);
    const complete = await page.getByRole("button", { name: /Complete and continue|Mark complete/ }).boundingBox();
    expect(complete!.y + complete!.height, "completing is in reach without scrolling").toBeLessThanOrEqual(
      VIEWPORTS.phone.height,
    );
    await page.screenshot({ path: `${SCREENSHOTS_DIR}/phone-player.png` });
    await page.context().close();

    const teacher = await browser.newPage({ viewport: VIEWPORTS.phone, deviceScaleFactor: 2 });
    await logIn(teacher, DEMO.teacher, "/teach");
    const { items } = await apiJson<{ items: { id: string }[] }>("/teacher/courses", {
      token: await apiToken(DEMO.teacher),
    });
    await teacher.goto(`/teach/courses/${items[0]!.id}`);
    await islandsHydrated(teacher);
    await teacher.getByRole("button", { name: /Account menu/ }).waitFor();
    await teacher.locator(".skeleton").first().waitFor({ state: "detached" });
    await teacher.screenshot({ path: `${SCREENSHOTS_DIR}/phone-studio.png` });
    await teacher.context().close();
  });
});
