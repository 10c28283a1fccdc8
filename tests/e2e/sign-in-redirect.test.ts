/**
 * `/login?next=` never sends a signed-in user off the site: hostile targets, including those whose tab or line
 * break the browser drops while parsing, fall back to the user's home; a path on the site is honoured.
 */
import { describe, expect, it } from "vitest";
import { DEMO, hydrated } from "./support/accounts.ts";
import { baseUrl, useBrowser } from "./support/stack.ts";

const browser = useBrowser();

/** Signs the demo learner in at `/login?next=<encodedNext>` and returns where the browser ends up. */
async function landingAfterSignIn(encodedNext: string): Promise<URL> {
  const page = await browser.newPage();
  // Should the site send the browser away, the foreign page "loads", so the test sees where it went.
  await page.route((url) => url.origin !== new URL(baseUrl()).origin, (route) => route.fulfill({ body: "phished" }));
  await page.goto(`/login?next=${encodedNext}`);
  await hydrated(page, "LoginForm");
  await page.getByLabel("Email").fill(DEMO.student.email);
  await page.getByLabel("Password").fill(DEMO.student.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  const landed = new URL(page.url());
  await page.context().close();
  return landed;
}

describe("the target after signing in", () => {
  const hostile = [
    "%2F%09%2Fevil.example%2Fphish",
    "%2F%0A%2Fevil.example%2Fphish",
    "%2F%0D%2Fevil.example%2Fphish",
    "%2F%2Fevil.example%2Fphish",
    "%2F%5Cevil.example%2Fphish",
    "https%3A%2F%2Fevil.example%2Fphish",
    "javascript%3Aalert(document.domain)",
  ];
  for (const next of hostile) {
    it(`stays on the site for next=${next}`, async () => {
      const landed = await landingAfterSignIn(next);
      expect(landed.origin).toBe(new URL(baseUrl()).origin);
      expect(landed.pathname).toBe("/my");
    });
  }

  it("keeps a path that normalizes to //host on the site, where it is only a path", async () => {
    // `/.//evil.example` is a same-origin URL whose path is `//evil.example/phish`; handed on as a bare path it
    // would name a host, so the form navigates to the absolute URL it checked.
    const landed = await landingAfterSignIn("%2F.%2F%2Fevil.example%2Fphish");
    expect(landed.origin).toBe(new URL(baseUrl()).origin);
  });

  it("follows a path on the site, with its query and fragment", async () => {
    const landed = await landingAfterSignIn(encodeURIComponent("/courses?level=beginner#results"));
    expect(landed.origin).toBe(new URL(baseUrl()).origin);
    expect(`${landed.pathname}${landed.search}${landed.hash}`).toBe("/courses?level=beginner#results");
  });
});
