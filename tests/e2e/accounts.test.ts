/**
 * Accounts as a person meets them, on a phone and a desktop: a failed submission puts focus on an error summary
 * that reads in whole sentences naming each field; confirming the email in the browser that signed up signs in
 * without the password again; a second click on the link says the address is already confirmed.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { accountMenu, DEMO, hydrated, mailLink, newAccount } from "./support/accounts.ts";
import { useBrowser } from "./support/stack.ts";

const browser = useBrowser();
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };

/** What has focus: its role, its classes and its text. */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return { role: element?.getAttribute("role"), className: element?.className, text: element?.innerText ?? "" };
  });
}

async function fillRegistration(page: Page, account: { name: string; email: string; password: string }) {
  await hydrated(page, "RegisterForm");
  await page.getByLabel("Your name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

for (const [size, viewport] of Object.entries(VIEWPORTS)) {
  describe(`accounts on a ${size}`, () => {
    it("moves focus to the error summary after a failed sign-in", async () => {
      const page = await browser.newPage({ viewport });
      await page.goto("/login");
      await hydrated(page, "LoginForm");
      await page.getByLabel("Email").fill(DEMO.student.email);
      await page.getByLabel("Password").fill("not the password at all");
      await page.getByRole("button", { name: "Log in" }).click();
      await expect.poll(async () => (await focused(page)).className).toContain("error-summary");
      expect(await focused(page)).toMatchObject({ role: "alert", text: "The email or password is incorrect." });
      expect(await page.locator(".error-summary").getAttribute("tabindex")).toBe("-1");
      // Again, after a second failure: focus comes back to the summary from wherever it was.
      await page.getByLabel("Password").fill("still not the password");
      await page.getByRole("button", { name: "Log in" }).click();
      await expect.poll(async () => (await focused(page)).className).toContain("error-summary");
      await page.context().close();
    });

    it("says a weak password is weak in a whole sentence, linked to the field, with focus on it", async () => {
      const page = await browser.newPage({ viewport });
      await page.goto("/register");
      await fillRegistration(page, { ...newAccount("weak"), password: "password123" });
      const sentence = "The password is one of the most common passwords; choose another one.";
      await expect.poll(async () => (await focused(page)).className).toContain("error-summary");
      expect((await focused(page)).text).toContain(sentence);
      await page.locator("#field-password-error").getByText(sentence).waitFor();
      expect(await page.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
      await page.locator(".error-summary").getByRole("link", { name: sentence }).click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("field-password");
      await page.context().close();
    });

    it("signs the new account in when the email is confirmed in the same browser, and says so on a second click", async () => {
      const page = await browser.newPage({ viewport });
      const account = newAccount("oneclick");
      // Sent to sign up from a page that needed an account: confirming continues there.
      await page.goto(`/login?next=${encodeURIComponent("/courses?level=beginner")}`);
      await hydrated(page, "LoginForm");
      const signUp = page.locator("main").getByRole("link", { name: "Sign up" });
      await expect.poll(() => signUp.getAttribute("href")).toContain("next=");
      await signUp.click();
      await page.waitForURL((url) => url.pathname === "/register");
      await fillRegistration(page, account);
      await page.getByText("Check your inbox").waitFor();

      const link = await mailLink(account.email, "/verify-email");
      const passwordTyped: string[] = [];
      page.on("request", (request) => {
        if (request.url().includes("/auth/login")) passwordTyped.push(request.url());
      });
      await page.goto(link);
      await page.getByText("Your email is confirmed and you are signed in.").waitFor();
      await accountMenu(page).waitFor();
      await page.locator("main").getByRole("link", { name: "Continue" }).click();
      await page.waitForURL((url) => url.pathname === "/courses" && url.search === "?level=beginner");
      await accountMenu(page).waitFor();
      expect(passwordTyped).toEqual([]);

      await page.goto(link);
      await page.getByText("This email address is already confirmed.").waitFor();
      await page.context().close();

      // On another device the link only confirms; the second click there offers to log in.
      const elsewhere = await browser.newPage({ viewport });
      await elsewhere.goto(link);
      await elsewhere.getByText("This email address is already confirmed.").waitFor();
      await elsewhere.locator("main").getByRole("link", { name: "Log in" }).waitFor();
      expect(await accountMenu(elsewhere).count()).toBe(0);
      await elsewhere.context().close();
    });

    it("only confirms the email when the link is opened in another browser", async () => {
      const signedUpIn = await browser.newPage({ viewport });
      const account = newAccount("otherdevice");
      await signedUpIn.goto("/register");
      await fillRegistration(signedUpIn, account);
      await signedUpIn.getByText("Check your inbox").waitFor();
      await signedUpIn.context().close();

      const page = await browser.newPage({ viewport });
      await page.goto(await mailLink(account.email, "/verify-email"));
      await page.getByText("Your email address is confirmed. You can log in now.").waitFor();
      await page.locator("main").getByRole("link", { name: "Log in" }).waitFor();
      expect(await accountMenu(page).count()).toBe(0);
      await page.context().close();
    });
  });
}
