import { describe, expect, it } from "vitest";
import { apiToken, logIn, newAccount } from "../support/accounts.ts";
import { apiJson, useBrowser } from "../support/stack.ts";
import { addLesson, addModule, allSaved, createCourse, storedCurriculum } from "./studio-support.ts";

const browser = useBrowser();

describe("teacher studio outline and publishing rules", () => {
  it("explains why a course cannot be published yet, and reorders by drag and drop and by buttons", async () => {
    // Registered but not yet verified: the studio opens, and says what that blocks.
    const teacher = newAccount("teacher");
    await apiJson("/auth/register", { method: "POST", body: JSON.stringify({ ...teacher, role: "teacher" }) });
    const page = await browser.newPage();
    page.on("dialog", (dialog) => void dialog.accept());
    await logIn(page, teacher, "/teach");
    await page.getByText("Confirm your email address to publish courses").waitFor();
    const courseId = await createCourse(page, "Knots for sailors");

    const publish = page.getByRole("button", { name: "Publish", exact: true });
    expect(await publish.isDisabled()).toBe(true);
    const rules = page.getByRole("list", { name: "Before publishing" });
    expect(await rules.getByRole("listitem").allTextContents()).toEqual([
      "✗ Add at least one lesson before publishing.(to do)",
      "✗ Confirm your email address before publishing.(to do)",
    ]);

    await addModule(page, "Basic knots");
    await addModule(page, "Advanced knots");
    await addLesson(page, "Basic knots", { title: "Reef knot" });
    await addLesson(page, "Basic knots", { title: "Bowline" });
    await addLesson(page, "Basic knots", { title: "Scrap lesson" });
    expect(await rules.getByRole("listitem").first().textContent()).toContain("(done)");

    // Pointer: drag the bowline into the empty module.
    await page.locator("li.outline-lesson", { hasText: "Bowline" }).dragTo(
      page.getByText("No lessons in this module yet."),
    );
    await page.getByRole("list", { name: "Advanced knots" }).getByRole("button", { name: "Edit Bowline" }).waitFor();
    // Buttons: the second module moves up; a lesson is deleted (the confirmation is accepted above).
    await page.getByRole("button", { name: "Move Advanced knots up" }).click();
    await page.getByRole("button", { name: "Delete Scrap lesson" }).click();
    await page.getByRole("button", { name: "Edit Scrap lesson" }).waitFor({ state: "detached" });
    await allSaved(page);

    expect(await storedCurriculum(courseId, await apiToken(teacher))).toEqual([
      ["Advanced knots", ["Bowline"]],
      ["Basic knots", ["Reef knot"]],
    ]);
    await publish.click();
    await page.getByRole("alert").getByText("Confirm your email address before publishing.").waitFor();
    expect(await page.getByTestId("course-status").textContent()).toContain("draft");
  });
});
