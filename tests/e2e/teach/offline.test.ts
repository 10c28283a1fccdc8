import type { Dialog } from "playwright-core";
import { describe, expect, it } from "vitest";
import { apiToken, logIn, registerAndVerify } from "../support/accounts.ts";
import { apiJson, useBrowser } from "../support/stack.ts";
import { allSaved, saveState } from "./studio-support.ts";

const browser = useBrowser();

describe("teacher studio offline", () => {
  it("keeps edits made without a network, warns before leaving, and saves them when it returns", async () => {
    const teacher = await registerAndVerify(undefined, { role: "teacher" });
    const token = await apiToken(teacher);
    const [category] = await apiJson<{ slug: string }[]>("/categories");
    const course = await apiJson<{ id: string }>("/courses", {
      method: "POST",
      token,
      body: JSON.stringify({
        title: "Writing on trains",
        categorySlug: category!.slug,
        level: "beginner",
        priceCents: 0,
      }),
    });

    const page = await browser.newPage();
    await logIn(page, teacher, `/teach/courses/${course.id}`);
    await page.getByLabel("Subtitle").waitFor();

    await page.context().setOffline(true);
    await page.getByLabel("Subtitle").click();
    await page.keyboard.type("Drafted in a tunnel");
    await page.getByRole("textbox", { name: "Description" }).click();
    await page.keyboard.type("No signal here.");
    await expect.poll(() => saveState(page), { timeout: 20_000 }).toBe("offline");
    await page.getByText(/Offline: 1 change waiting/).waitFor();

    // Leaving now would lose the edits: the browser asks first, and staying keeps everything queued.
    const leaving = new Promise<Dialog>((resolve) => page.once("dialog", resolve));
    await page.evaluate(() => setTimeout(() => location.assign("/teach"), 0));
    const dialog = await leaving;
    expect(dialog.type()).toBe("beforeunload");
    await dialog.dismiss();
    expect(new URL(page.url()).pathname).toBe(`/teach/courses/${course.id}`);

    await page.context().setOffline(false);
    await allSaved(page);
    const saved = await apiJson<{ subtitle: string; description: string }>(`/courses/${course.id}`, { token });
    expect(saved.subtitle).toBe("Drafted in a tunnel");
    expect(saved.description).toBe("<p>No signal here.</p>");
  });

  it("says so when a lesson cannot be opened without a network, and opens it when the network returns", async () => {
    const teacher = await registerAndVerify(undefined, { role: "teacher" });
    const token = await apiToken(teacher);
    const [category] = await apiJson<{ slug: string }[]>("/categories");
    const post = <T>(path: string, body: object) =>
      apiJson<T>(path, { method: "POST", token, body: JSON.stringify(body) });
    const course = await post<{ id: string }>("/courses", {
      title: "Lessons on the road",
      categorySlug: category!.slug,
      level: "beginner",
      priceCents: 0,
    });
    const module = await post<{ id: string }>(`/courses/${course.id}/modules`, { title: "First steps" });
    await post(`/modules/${module.id}/lessons`, { title: "Packing light", kind: "text" });

    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await logIn(page, teacher, `/teach/courses/${course.id}`);
    await page.locator(".lesson-open", { hasText: "Packing light" }).waitFor();
    await page.context().setOffline(true);
    await page.locator(".lesson-open", { hasText: "Packing light" }).click();
    const notice = page.getByText(/You are offline, so this lesson cannot be loaded yet/);
    await notice.waitFor();
    expect(await notice.isVisible()).toBe(true);
    expect((await notice.boundingBox())!.y).toBeLessThan(844);

    await page.context().setOffline(false);
    await page.getByRole("textbox", { name: "Lesson title" }).waitFor();
    await page.context().close();
  });
});
