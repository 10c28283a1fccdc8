/**
 * The account's Purchases page, on a phone and a desktop: a course bought on the local checkout shows with its
 * amount, date and status, opens its receipt, and is refunded from its button (once, however it is clicked), after
 * which its lessons are closed. The receipt email links here, and a refusal reads as a sentence.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { apiToken, type Credentials, logIn, registerAndVerify } from "./support/accounts.ts";
import { apiJson, baseUrl, screenshot, useBrowser } from "./support/stack.ts";

const browser = useBrowser();

const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };

interface PaidCourse {
  id: string;
  slug: string;
  title: string;
  priceCents: number;
  currency: string;
  modules: { lessons: { id: string; isPreview: boolean }[] }[];
}

interface Payment {
  id: string;
  status: string;
  paidAt: string | null;
  refundableUntil: string | null;
}

async function paidCourse(index: number): Promise<PaidCourse & { lockedLessonId: string }> {
  const { items } = await apiJson<{ items: { slug: string }[] }>("/courses?free=false&limit=5");
  const course = await apiJson<PaidCourse>(`/courses/${items[index]!.slug}`);
  const locked = course.modules.flatMap((module) => module.lessons).find((lesson) => !lesson.isPreview);
  if (!locked) throw new Error(`${course.slug} has no lesson that only buyers may open`);
  return { ...course, lockedLessonId: locked.id };
}

const money = (course: PaidCourse) =>
  new Intl.NumberFormat("en", { style: "currency", currency: course.currency }).format(course.priceCents / 100);

async function myPayments(account: Credentials): Promise<Payment[]> {
  return (await apiJson<{ items: Payment[] }>("/me/payments", { token: await apiToken(account) })).items;
}

async function lessonStatus(account: Credentials, lessonId: string): Promise<number> {
  const response = await fetch(`${baseUrl()}/api/v1/lessons/${lessonId}`, {
    headers: { Authorization: `Bearer ${await apiToken(account)}` },
  });
  return response.status;
}

async function buyOnTheLocalCheckout(page: Page, course: PaidCourse): Promise<void> {
  await page.goto(`/courses/${course.slug}`);
  await page.getByRole("button", { name: /^Buy for/ }).click();
  await page.waitForURL(/\/api\/v1\/payments\/local\/checkout\//);
  await page.getByRole("button", { name: "Pay" }).click();
  await page.getByText(`Payment received. You now have access to ${course.title}.`).waitFor();
}

/** The receipt email's link to the purchases page, waiting for the email to arrive. */
async function receiptLink(email: string): Promise<string> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const mailbox = await apiJson<{ items: { subject: string; text: string }[] }>(
      `/dev/mail?to=${encodeURIComponent(email)}`,
    );
    const receipt = mailbox.items.find((mail) => mail.subject.startsWith("Your receipt"));
    if (receipt) return /\S+\/account\/purchases\b/.exec(receipt.text)?.[0] ?? "no link in the receipt";
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no receipt was mailed to ${email}`);
}

const noHorizontalScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  describe(`the purchases page, on a ${name}`, () => {
    it("lists a bought course with its receipt, and refunds it from the button, closing its lessons", async () => {
      const course = await paidCourse(name === "phone" ? 2 : 3);
      const account = await registerAndVerify();
      const page = await browser.newPage({ viewport });
      await logIn(page, account, `/courses/${course.slug}`);
      await buyOnTheLocalCheckout(page, course);
      const [payment] = await myPayments(account);
      expect(payment).toMatchObject({ status: "succeeded" });
      expect(await lessonStatus(account, course.lockedLessonId)).toBe(200);

      await page.getByRole("button", { name: /Account menu/ }).click();
      await page.getByRole("link", { name: "Purchases" }).click();
      await page.waitForURL((url) => url.pathname === "/account/purchases");
      const row = page.locator(".purchase", { has: page.getByRole("link", { name: course.title }) });
      await row.waitFor();
      const today = new Intl.DateTimeFormat("en", { dateStyle: "medium" }).format(new Date(payment!.paidAt!));
      const deadline = new Intl.DateTimeFormat("en", { dateStyle: "long" }).format(
        new Date(payment!.refundableUntil!),
      );
      expect(await row.locator(".purchase-amount").textContent()).toBe(money(course));
      expect(await row.locator(".purchase-status").textContent()).toBe("Paid");
      await row.getByText(`Paid on ${today}`).waitFor();
      await row.getByText(`Refundable until ${deadline}`).waitFor();

      await row.getByRole("button", { name: `View receipt for ${course.title}` }).click();
      const receipt = row.getByRole("region", { name: "Receipt" });
      await receipt.waitFor();
      const receiptText = await receipt.textContent();
      for (const line of ["Sold by", "Lectern", account.email, payment!.id, course.title, money(course), "Date paid"]) {
        expect(receiptText).toContain(line);
      }
      expect(await noHorizontalScroll(page)).toBe(true);

      // "Print receipt" prints that receipt alone: the browser's print dialog is stood in for, the print styles are not.
      await page.evaluate(() => {
        globalThis.print = () => document.body.setAttribute("data-printed", "yes");
      });
      await receipt.getByRole("button", { name: "Print receipt" }).click();
      expect(await page.locator("body").getAttribute("data-printed")).toBe("yes");
      await page.emulateMedia({ media: "print" });
      const visibility = (selector: string) =>
        page.locator(selector).first().evaluate((element) => getComputedStyle(element).visibility);
      expect(await visibility(".site-header .brand")).toBe("hidden");
      expect(await visibility(".purchase h2")).toBe("hidden");
      expect(await visibility(".receipt dl")).toBe("visible");
      await page.evaluate(() => dispatchEvent(new Event("afterprint")));
      await page.emulateMedia({ media: "screen" });
      expect(await page.evaluate(() => document.documentElement.classList.contains("printing-receipt"))).toBe(false);

      // Keyboard: the question takes focus on its safe answer, and Escape puts it away.
      const askRefund = row.getByRole("button", { name: `Request a refund for ${course.title}` });
      await askRefund.focus();
      await page.keyboard.press("Enter");
      const question = row.getByText(`Refund ${money(course)} for ${course.title}?`);
      await question.waitFor();
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Keep the course");
      await page.keyboard.press("Escape");
      await expect.poll(() => question.count()).toBe(0);
      expect(await askRefund.evaluate((button) => button === document.activeElement)).toBe(true);

      const refundRequests: string[] = [];
      page.on("request", (request) => {
        if (request.method() === "POST" && request.url().endsWith(`/payments/${payment!.id}/refund`)) {
          refundRequests.push(request.url());
        }
      });
      await askRefund.click();
      await question.waitFor();
      expect(await noHorizontalScroll(page)).toBe(true);
      await screenshot(page, `purchases-${name}`);
      await row.getByRole("button", { name: `Yes, refund ${money(course)}` }).dblclick();
      await row.getByText(
        `Your refund of ${money(course)} is on its way. You no longer have access to ${course.title}.`,
      )
        .waitFor();
      await expect.poll(() => row.locator(".purchase-status").textContent()).toBe("Refunded");
      await row.getByText(`Refunded on ${new Intl.DateTimeFormat("en", { dateStyle: "medium" }).format(new Date())}`)
        .waitFor();
      expect(await row.getByRole("button", { name: /Request a refund/ }).count()).toBe(0);
      expect(refundRequests).toHaveLength(1);
      expect((await myPayments(account))[0]).toMatchObject({ id: payment!.id, status: "refunded" });
      expect(await noHorizontalScroll(page)).toBe(true);

      expect(await lessonStatus(account, course.lockedLessonId)).toBe(403);
      await page.goto(`/learn/${course.slug}/${course.lockedLessonId}`);
      await page.getByText("Enroll in this course to open its lessons.").waitFor();
      await page.context().close();
    });

    it("tells an account with no purchases so, with the way to the catalog", async () => {
      const account = await registerAndVerify();
      const page = await browser.newPage({ viewport });
      await logIn(page, account, "/account/purchases");
      await page.getByText("You have not bought anything yet.").waitFor();
      await page.getByRole("link", { name: "Browse courses" }).click();
      await page.waitForURL((url) => url.pathname === "/courses");
      await page.context().close();
    });
  });
}

describe("the purchases page", () => {
  it("is where the receipt email sends the buyer, and says why a refund it can no longer make failed", async () => {
    const course = await paidCourse(4);
    const account = await registerAndVerify();
    const token = await apiToken(account);
    const started = await apiJson<{ paymentId: string; checkoutUrl: string }>(`/courses/${course.id}/checkout`, {
      method: "POST",
      token,
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: "{}",
    });
    const paid = await fetch(`${baseUrl()}${new URL(started.checkoutUrl).pathname}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "outcome=paid",
      redirect: "manual",
    });
    expect(paid.status).toBe(303);

    const page = await browser.newPage();
    await logIn(page, account, "/");
    const purchasesLink = await receiptLink(account.email);
    expect(purchasesLink).toBe(`${baseUrl()}/account/purchases`);
    await page.goto(purchasesLink);
    const row = page.locator(".purchase", { has: page.getByRole("link", { name: course.title }) });
    await row.getByRole("button", { name: /Request a refund/ }).click();

    // Refunded elsewhere (another tab, support) while this page still offers it.
    await apiJson(`/payments/${started.paymentId}/refund`, { method: "POST", token });
    await row.getByRole("button", { name: `Yes, refund ${money(course)}` }).click();
    const refusal = row.getByRole("alert");
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe("The refund did not go through. A refunded payment cannot be refunded.");
    await expect.poll(() => row.locator(".purchase-status").textContent()).toBe("Refunded");
    await page.context().close();
  });
});
