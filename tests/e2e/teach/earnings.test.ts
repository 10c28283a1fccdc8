import { describe, expect, it } from "vitest";
import { apiToken, logIn, registerAndVerify } from "../support/accounts.ts";
import { apiJson, screenshot, useBrowser } from "../support/stack.ts";
import { publishedCourse } from "./studio-support.ts";

const browser = useBrowser();

describe("teacher earnings", () => {
  it("show a sale a learner paid for through the local provider, in totals, chart, recent sales and /teach", async () => {
    const teacher = await registerAndVerify(undefined, { role: "teacher" });
    const title = `Bookbinding ${crypto.randomUUID().slice(0, 6)}`;
    const course = await publishedCourse(await apiToken(teacher), { title, priceCents: 2500 });

    const learner = await registerAndVerify();
    const checkout = await apiJson<{ checkoutUrl: string }>(`/courses/${course.id}/checkout`, {
      method: "POST",
      token: await apiToken(learner),
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: "{}",
    });
    const buyer = await browser.newPage();
    await buyer.goto(checkout.checkoutUrl);
    await buyer.getByRole("button", { name: "Pay" }).click();
    await buyer.waitForURL((url) => url.pathname.startsWith("/checkout/success"));

    // A learner account has no studio: it is told why instead.
    const learnerPage = await browser.newPage();
    await logIn(learnerPage, learner, "/teach");
    await learnerPage.getByText("this one is a learner account").waitFor();

    const page = await browser.newPage();
    await logIn(page, teacher, "/teach/earnings");
    await page.getByRole("heading", { name: "Recent sales" }).waitFor();
    expect(await page.getByTestId("earnings.gross").locator("dd").textContent()).toBe("$25.00");
    expect(await page.getByTestId("earnings.fee").locator("dd").textContent()).toBe("$5.00");
    expect(await page.getByTestId("earnings.net").locator("dd").textContent()).toBe("$20.00");
    const sale = page.getByTestId("recent-sales").getByRole("row", { name: new RegExp(title) });
    expect(await sale.getByRole("cell").allTextContents()).toEqual(
      expect.arrayContaining(["Sale", "$25.00", "$20.00"]),
    );
    await page.getByRole("img", { name: /Net earnings and platform fee by month/ }).waitFor();
    await page.getByText("Show the figures as a table").click();
    await page.getByRole("table", { name: "By month" }).getByRole("cell", { name: "$20.00" }).waitFor();
    await screenshot(page, "teach-earnings");

    await page.getByRole("link", { name: "Your courses" }).click();
    const row = page.getByRole("row", { name: new RegExp(title) });
    await row.waitFor();
    expect(await row.getByRole("cell").allTextContents()).toEqual(expect.arrayContaining(["1", "$20.00"]));
    // The local checkout page is the API's stand-in for Stripe's; only the studio's own pages are checked here.
    expect(browser.pageErrors().filter((error) => error.includes("/teach"))).toEqual([]);
  });
});
