/**
 * A new visitor's whole journey: sign-up and verification through the dev
 * mailbox, a fuzzy search, a free course from the first to the last lesson,
 * a review that moves the rating, and the notifications all that produced.
 */
import { describe, expect, it } from "vitest";
import { logIn, registerAndVerify } from "./support/accounts.ts";
import { screenshot, useBrowser } from "./support/stack.ts";

const browser = useBrowser();
const FREE_COURSE = "Modern JavaScript Essentials";

describe("a new learner", () => {
  it("registers, finds a course with a typo, completes it, reviews it and is notified", async () => {
    const page = await browser.newPage();
    // Confirming the email in this browser signed the new account in: no password typed twice.
    await registerAndVerify(page);
    await page.goto("/");

    await page.locator("#site-search").fill("javascrpt esentials");
    await page.locator("#site-search").press("Enter");
    // Signed in but not enrolled yet: the course page asks, and is answered, without a single refusal.
    const refused: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400 && response.url().includes("/api/")) {
        refused.push(`${response.status()} ${response.url()}`);
      }
    });
    await page.getByRole("link", { name: FREE_COURSE }).click();
    await page.waitForURL(/\/courses\/[\w-]+$/);
    const coursePath = new URL(page.url()).pathname;
    await page.getByRole("button", { name: "Enroll for free" }).waitFor();
    await page.locator("#reviews").scrollIntoViewIfNeeded(); // the reviews island hydrates when visible
    await page.getByText("Enroll in the course to review it.").waitFor();
    expect(refused).toEqual([]);
    await page.evaluate(() => scrollTo(0, 0));
    await screenshot(page, "course");

    await page.getByRole("button", { name: "Enroll for free" }).click();
    await page.waitForURL(/\/learn\//);
    const total = Number(/of (\d+)/.exec((await page.getByText(/^Lesson 1 of \d+$/).textContent()) ?? "")?.[1]);
    expect(total).toBeGreaterThan(1);

    for (let position = 1; position < total; position++) {
      await page.getByText(`Lesson ${position} of ${total}`).waitFor();
      await page.locator(".lesson-content").waitFor();
      await page.getByRole("button", { name: "Complete and continue" }).click();
      // One completion at a time: the embedded database mixes up concurrent statements (see the README).
      await page.getByText(`${position} of ${total} lessons complete`).waitFor();
      await expect.poll(() => page.locator(".player-modules li.done").count()).toBe(position);
    }
    await page.getByText(`Lesson ${total} of ${total}`).waitFor();
    // The last one by keyboard: M marks the lesson complete.
    await page.locator(".lesson-content").waitFor();
    await page.keyboard.press("m");
    await page.getByText("Course completed!").waitFor();
    await expect.poll(() => page.getByText(`${total} of ${total} lessons complete`).count()).toBe(1);
    expect(await page.locator(".player-modules li.done").count()).toBe(total);
    await page.keyboard.press("k");
    await page.getByText(`Lesson ${total - 1} of ${total}`).waitFor();
    // With Shift (or Caps Lock) held the letters still work.
    await page.keyboard.press("Shift+J");
    await page.getByText(`Lesson ${total} of ${total}`).waitFor();
    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor();
    expect(await help.getByText("Mark complete").count()).toBe(1);
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "hidden" });
    await screenshot(page, "lesson-player");

    await page.getByRole("link", { name: "Leave a review" }).click();
    await page.waitForURL((url) => url.pathname === coursePath);
    const summary = page.locator(".rating-summary");
    await summary.waitFor();
    const countBefore = Number(/(\d+) reviews?/.exec((await summary.textContent()) ?? "")?.[1] ?? 0);
    await page.getByRole("heading", { name: "Write a review" }).waitFor();
    await page.locator(".star-input label").nth(4).click();
    await page.getByLabel("Your review (optional)").fill("Clear, practical and well paced.");
    await page.getByRole("button", { name: "Publish review" }).click();
    await page.getByText("Thanks! Your review is published.").waitFor();
    await expect.poll(() => summary.textContent()).toContain(`${countBefore + 1} review`);
    expect(await page.locator(".review-list li").first().textContent()).toContain("Clear, practical and well paced.");
    await page.reload();
    await expect.poll(() => page.locator(".course-head .rating").textContent()).toContain(`${countBefore + 1} review`);
    // Coming back edits the review they wrote, not a blank one.
    await page.getByRole("heading", { name: "Edit your review" }).waitFor();
    expect(await page.getByLabel("Your review (optional)").inputValue()).toBe("Clear, practical and well paced.");
    expect(await page.getByRole("radio", { name: "5 stars" }).isChecked()).toBe(true);
    await page.getByLabel("Your review (optional)").fill("Clear, practical, well paced; the exercises help.");
    await page.getByRole("button", { name: "Update review" }).click();
    await page.getByText("Thanks! Your review is published.").waitFor();
    await expect.poll(() => summary.textContent()).toContain(`${countBefore + 1} review`);
    expect(await page.locator(".review-list li").first().textContent()).toContain("the exercises help");

    const bell = page.getByRole("button", { name: /unread notification/ });
    await bell.waitFor();
    await bell.click();
    await page.getByRole("region", { name: "Notifications" }).getByText(/completed/i).first().waitFor();
    await page.getByRole("button", { name: "Mark all as read" }).click();
    await page.getByRole("button", { name: "Notifications", exact: true }).waitFor();

    await page.goto("/my");
    await page.getByRole("link", { name: FREE_COURSE, exact: true }).waitFor();
    expect(await page.locator(".enrollment").first().textContent()).toContain("Completed");
    expect(browser.pageErrors()).toEqual([]);
    await page.context().close();
  });

  it("is told clearly, and keeps the tick, when the server refuses a completion", async () => {
    const page = await browser.newPage();
    const account = await registerAndVerify();
    await logIn(page, account, "/my");
    await page.goto("/courses?q=Modern%20JavaScript%20Essentials");
    await page.getByRole("link", { name: FREE_COURSE }).click();
    await page.getByRole("button", { name: "Enroll for free" }).click();
    await page.waitForURL(/\/learn\//);
    await page.locator(".lesson-content").waitFor();
    await page.route("**/api/v1/lessons/*/complete", (route) =>
      route.fulfill({
        status: 503,
        contentType: "application/problem+json",
        body: JSON.stringify({ status: 503, code: "database_unavailable", detail: "The database is unreachable." }),
      }));
    await page.getByRole("button", { name: "Complete and continue" }).click();
    await page.getByText("The lesson was not marked complete").waitFor();
    await expect.poll(() => page.locator(".player-modules li.done").count()).toBe(0);
    await page.context().close();
  });
});
