/**
 * The site's Content-Security-Policy enforced in Chromium, on a phone and a desktop: the buyer's and the
 * teacher's journeys (course page, local checkout, player, sign-in, authoring) meet no violation, and their
 * islands hydrate and work under it.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { logIn, registerAndVerify } from "./support/accounts.ts";
import { apiJson, useBrowser } from "./support/stack.ts";
import { addModule, createCourse } from "./teach/studio-support.ts";

const browser = useBrowser();

const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };

/**
 * Every violation the page reports, every console message about the policy, and every document that arrived
 * without a policy that forbids framing: all three must stay empty.
 */
async function watchPolicy(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.exposeFunction("reportPolicyViolation", (violation: string) => problems.push(violation));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { reportPolicyViolation(violation: string): void }).reportPolicyViolation;
      report(`${location.pathname}: ${event.effectiveDirective} blocked ${event.blockedURI} (${event.sample})`);
    });
  });
  page.on("console", (message) => {
    if (/content security policy/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on("response", (response) => {
    if (response.request().resourceType() !== "document") return;
    const policy = response.headers()["content-security-policy"] ?? "";
    if (!policy.includes("frame-ancestors 'none'")) problems.push(`${response.url()}: no framing policy`);
  });
  return problems;
}

/** Until the islands that hydrate without being scrolled to have done so. */
async function islandsHydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector("astro-island[ssr]:not([client=visible])"));
}

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  describe(`under the site's Content-Security-Policy, on a ${name}`, () => {
    it("reports a script the policy does not list (the watch itself works)", async () => {
      const page = await browser.newPage({ viewport });
      const problems = await watchPolicy(page);
      await page.goto("/");
      await islandsHydrated(page);
      await page.evaluate(() => document.head.append(Object.assign(document.createElement("script"), { text: "1" })));
      await expect.poll(() => problems.some((problem) => problem.includes("script-src-elem blocked inline"))).toBe(
        true,
      );
      await page.context().close();
    });

    it("a buyer signs in, reads a course page, pays on the local checkout page and opens the player", async () => {
      const { items } = await apiJson<{ items: { slug: string; title: string }[] }>("/courses?free=false&limit=1");
      const course = items[0]!;
      const account = await registerAndVerify();
      const page = await browser.newPage({ viewport });
      const problems = await watchPolicy(page);
      await logIn(page, account, `/courses/${course.slug}`);
      await islandsHydrated(page);
      // Structured data is a data block: not run, and not refused either.
      expect(await page.locator('script[type="application/ld+json"]').count()).toBe(1);
      await page.locator("#reviews").scrollIntoViewIfNeeded();

      await page.getByRole("button", { name: /^Buy for/ }).click();
      await page.waitForURL(/\/api\/v1\/payments\/local\/checkout\//);
      expect(await page.locator(".amount").evaluate((amount) => getComputedStyle(amount).fontWeight)).toBe("700");
      await page.getByRole("button", { name: "Pay" }).click();
      await page.waitForURL(/\/checkout\/success\?/);
      await page.getByText(`Payment received. You now have access to ${course.title}.`).waitFor();

      await page.getByRole("link", { name: "Start learning" }).click();
      await page.waitForURL((url) => url.pathname === `/courses/${course.slug}`);
      await page.getByRole("link", { name: "Start learning" }).click();
      await page.waitForURL(/\/learn\//);
      await page.locator(".lesson-content").waitFor();
      await islandsHydrated(page);
      expect(problems).toEqual([]);
      await page.context().close();
    });

    it("a teacher signs in, opens the studio and authors a course", async () => {
      const teacher = await registerAndVerify(undefined, { role: "teacher" });
      const page = await browser.newPage({ viewport });
      const problems = await watchPolicy(page);
      await logIn(page, teacher, "/teach");
      await islandsHydrated(page);
      await createCourse(page, `Policy course ${crypto.randomUUID().slice(0, 6)}`);
      await addModule(page, "A module");
      await islandsHydrated(page);
      expect(problems).toEqual([]);
      await page.context().close();
    });

    it("every other page loads without a violation", async () => {
      const [category] = await apiJson<{ slug: string }[]>("/categories");
      const page = await browser.newPage({ viewport });
      const problems = await watchPolicy(page);
      const paths = ["/", "/courses", `/categories/${category!.slug}`, "/register", "/forgot-password", "/my"];
      for (const path of [...paths, "/reset-password", "/verify-email", "/no-such-page", "/teach/earnings"]) {
        await page.goto(path);
        await islandsHydrated(page);
        await page.evaluate(() => scrollTo(0, document.body.scrollHeight));
      }
      expect(problems).toEqual([]);
      await page.context().close();
    });
  });
}
