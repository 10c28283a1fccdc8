import { describe, expect, it } from "vitest";
import { apiToken, registerAndVerify } from "../support/accounts.ts";
import { baseUrl, screenshot, useBrowser } from "../support/stack.ts";
import { addLesson, addModule, allSaved, createCourse, storedCurriculum } from "./studio-support.ts";

const browser = useBrowser();

// Typed as text it must show as text; pasted as HTML it must lose every active part.
const TYPED_PAYLOAD = `<img src=x onerror="window.__xss='typed'">`;
const PASTED_PAYLOAD = `<p>Pasted <strong>bold</strong></p><img src=x onerror="window.__xss='pasted'">` +
  `<script>window.__xss='script'</script><a href="javascript:window.__xss='link'">a trap</a>`;

describe("teacher studio: from sign-up to a published course", () => {
  it("registers, builds a course with two modules, reorders by keyboard, publishes; visitors find it", async () => {
    const page = await browser.newPage();
    const teacher = await registerAndVerify(page, { role: "teacher" });
    await page.goto("/teach");
    await page.getByRole("heading", { name: "Your courses" }).waitFor();
    await page.getByText("You have no courses yet").waitFor();
    await screenshot(page, "teach-empty");

    const word = `Quokka${crypto.randomUUID().slice(0, 6)}`;
    const title = `Typesetting for ${word}`;
    const courseId = await createCourse(page, title);

    await page.getByLabel("Subtitle").fill("Make pages people enjoy reading");
    const description = page.getByRole("textbox", { name: "Description" });
    await description.click();
    await page.keyboard.type(`Learn typesetting. ${TYPED_PAYLOAD}`);
    await page.getByRole("button", { name: "Bold" }).click();
    await page.keyboard.type(" Bold words.");
    await description.evaluate((element, html) => {
      const data = new DataTransfer();
      data.setData("text/html", html);
      data.setData("text/plain", "pasted");
      element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, PASTED_PAYLOAD);
    await allSaved(page);

    await addModule(page, "Getting started");
    await addModule(page, "Going further");
    await addLesson(page, "Getting started", { title: "Welcome", minutes: 4 });
    const lessonBody = page.getByRole("textbox", { name: "Lesson text" });
    await lessonBody.click();
    await page.keyboard.type("Welcome to the course.");
    await addLesson(page, "Getting started", {
      title: "Install the tools",
      kind: "video",
      videoUrl: "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
      minutes: 12,
    });
    await page.getByRole("button", { name: "Preview", exact: true }).click();
    await page.getByTitle("Video: Install the tools").waitFor();
    await addLesson(page, "Going further", { title: "Your first page", minutes: 8 });
    await allSaved(page);

    const token = await apiToken(teacher);
    expect(await storedCurriculum(courseId, token)).toEqual([
      ["Getting started", ["Welcome", "Install the tools"]],
      ["Going further", ["Your first page"]],
    ]);

    // Keyboard only: Alt+Arrow on a focused lesson moves it, across modules too; focus stays on it.
    await page.getByRole("button", { name: "Edit Install the tools" }).focus();
    await page.keyboard.press("Alt+ArrowUp");
    await page.getByText("Install the tools moved to position 1 of Getting started.").waitFor();
    await page.getByRole("button", { name: "Edit Your first page" }).focus();
    await page.keyboard.press("Alt+ArrowUp");
    await page.getByText("Your first page moved to position 3 of Getting started.").waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label")))
      .toBe("Edit Your first page");
    await allSaved(page);
    expect(await storedCurriculum(courseId, token)).toEqual([
      ["Getting started", ["Install the tools", "Welcome", "Your first page"]],
      ["Going further", []],
    ]);

    // An empty module may not be published: the teacher deletes it first.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Delete Going further" }).click();
    await allSaved(page);
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText("This course is published").waitFor();
    await page.evaluate(() => scrollTo(0, 0));
    await screenshot(page, "teach-authoring");

    await page.goto("/teach");
    const row = page.getByRole("row", { name: new RegExp(title) });
    await row.getByText("Published").waitFor();
    await screenshot(page, "teach-courses");

    // A visitor who never signed in finds it by a word of its title, opens it, and nothing of the payload runs.
    const visitor = await browser.newPage();
    await visitor.goto(`/courses?q=${encodeURIComponent(word.toLowerCase())}`);
    await visitor.getByRole("link", { name: title }).first().click();
    await visitor.getByRole("heading", { name: title, level: 1 }).waitFor();
    await visitor.getByText(TYPED_PAYLOAD).waitFor();
    await visitor.getByText("Pasted").first().waitFor();
    expect(await visitor.evaluate(() => (window as { __xss?: string }).__xss)).toBeUndefined();
    const activeParts = await visitor.evaluate(() => ({
      handlers: document.querySelectorAll("[onerror], [onclick], [onload]").length,
      scripts: [...document.scripts].filter((script) => script.textContent?.includes("__xss")).length,
    }));
    expect(activeParts).toEqual({ handlers: 0, scripts: 0 });
    expect(await visitor.locator("a[href^='javascript:']").count()).toBe(0);
    const slug = new URL(visitor.url()).pathname.split("/").at(-1)!;

    const sitemap = await (await fetch(`${baseUrl()}/sitemap.xml`)).text();
    expect(sitemap).toContain(`/courses/${slug}</loc>`);
    // The only complaint allowed: the site's policy refusing the pasted onerror when the editor parses it to clean.
    const refusedPayload = /Executing inline event handler violates the following Content Security Policy/;
    expect(browser.pageErrors().filter((error) => !refusedPayload.test(error))).toEqual([]);
  });
});
