/** Where signing in lands each role, and a learner who turns their account into a teacher's from the profile. */
import { describe, expect, it } from "vitest";
import { logIn, registerAndVerify } from "../support/accounts.ts";
import { useBrowser } from "../support/stack.ts";

const browser = useBrowser();

describe("the way into the studio", () => {
  it("lands teachers in the studio and learners in My learning when no destination was asked for", async () => {
    const teacher = await registerAndVerify(undefined, { role: "teacher" });
    const teacherPage = await browser.newPage();
    await logIn(teacherPage, teacher, null, "/teach");
    await teacherPage.getByRole("button", { name: "New course" }).waitFor();

    const learner = await registerAndVerify();
    const learnerPage = await browser.newPage();
    await logIn(learnerPage, learner, null, "/my");
    // `next` still wins, and only for paths on this site.
    const teacherAgain = await browser.newPage();
    await logIn(teacherAgain, teacher, "/notifications");
    const offSite = await browser.newPage();
    await logIn(offSite, teacher, "//example.com/phish", "/teach");
  });

  it("turns a learner into a teacher from the studio's gate and the profile, straight into the studio", async () => {
    const learner = await registerAndVerify();
    const page = await browser.newPage();
    await logIn(page, learner, "/teach");
    await page.getByText("this one is a learner account").waitFor();
    await page.getByRole("link", { name: "Start teaching from your profile" }).click();
    await page.waitForURL((url) => url.pathname === "/account" && url.hash === "#teach");
    await page.getByRole("heading", { name: "Want to teach?" }).waitFor();
    expect(await page.getByText("Teachers can still learn").count()).toBe(1);

    await page.getByRole("button", { name: "Start teaching" }).click();
    await page.waitForURL((url) => url.pathname === "/teach");
    await page.getByRole("button", { name: "New course" }).waitFor();

    // The role is the account's now, not the page's: a fresh page (a refreshed token) still opens the studio.
    await page.reload();
    await page.getByRole("button", { name: "New course" }).waitFor();
    await page.goto("/account");
    await page.getByRole("link", { name: "Open the teacher studio" }).waitFor();
    expect(browser.pageErrors()).toEqual([]);
  });
});
