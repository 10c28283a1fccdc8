/** A buyer pays through the local provider's checkout page and can open the course's lessons. */
import { describe, expect, it } from "vitest";
import { logIn, registerAndVerify } from "./support/accounts.ts";
import { apiJson, useBrowser } from "./support/stack.ts";

const browser = useBrowser();

describe("a buyer", () => {
  it("pays for a course, sees the payment confirmed and opens its lessons", async () => {
    const { items } = await apiJson<{ items: { slug: string; title: string }[] }>("/courses?free=false&limit=1");
    const course = items[0]!;
    const account = await registerAndVerify();
    const page = await browser.newPage();
    await logIn(page, account, `/courses/${course.slug}`);
    const missing: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400 && !response.url().includes("/api/v1/")) missing.push(response.url());
    });

    await page.getByRole("button", { name: /^Buy for/ }).click();
    await page.waitForURL(/\/api\/v1\/payments\/local\/checkout\//);
    // The provider's page names its icon, so the browser does not go looking for /favicon.ico.
    await expect.poll(() => page.evaluate(() => document.querySelector("link[rel=icon]")?.getAttribute("href")))
      .toBe("/favicon.svg");
    await page.getByRole("button", { name: "Pay" }).click();
    await page.waitForURL(/\/checkout\/success\?/);
    await page.getByText(`Payment received. You now have access to ${course.title}.`).waitFor();

    await page.getByRole("link", { name: "Start learning" }).click();
    await page.waitForURL((url) => url.pathname === `/courses/${course.slug}`);
    await page.getByRole("link", { name: "Start learning" }).click();
    await page.waitForURL(/\/learn\//);
    await page.locator(".lesson-content").waitFor();
    expect(await page.getByText("Enroll in this course").count()).toBe(0);
    expect(missing).toEqual([]);
    await page.context().close();
  });

  it("cancelling at the provider comes back to a page that says nothing was charged", async () => {
    const { items } = await apiJson<{ items: { slug: string }[] }>("/courses?free=false&limit=2");
    const course = items[1]!;
    const account = await registerAndVerify();
    const page = await browser.newPage();
    await logIn(page, account, `/courses/${course.slug}`);
    await page.getByRole("button", { name: /^Buy for/ }).click();
    await page.waitForURL(/\/api\/v1\/payments\/local\/checkout\//);
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.waitForURL(/\/checkout\/cancel\?/);
    await page.getByText("You cancelled the checkout").waitFor();
    await page.getByText("The payment did not go through").waitFor();
    await page.context().close();
  });
});
