/** Accounts for browser tests: new ones registered and verified through the dev mailbox, or the seeded demo ones. */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { apiJson, baseUrl } from "./stack.ts";

export interface Account {
  email: string;
  password: string;
  name: string;
}

export type Credentials = Pick<Account, "email" | "password">;

/** The seeded demo accounts (db/seed/demo.ts). */
export const DEMO = {
  student: { email: "student@lectern.dev", password: "learn-lectern-2026" },
  teacher: { email: "teacher@lectern.dev", password: "teach-lectern-2026" },
} as const satisfies Record<string, Credentials>;

export function newAccount(label = "learner"): Account {
  const id = crypto.randomUUID().slice(0, 8);
  return { email: `${label}-${id}@example.test`, password: `a long passphrase ${id}`, name: `E2E ${label} ${id}` };
}

/** The newest link to `path` (e.g. "/verify-email") in the dev mailbox of `email`, waiting for it to arrive. */
export async function mailLink(email: string, path: string): Promise<string> {
  const pattern = new RegExp(`${baseUrl().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${path}\\?token=[\\w%.-]+`);
  for (let attempt = 0; attempt < 40; attempt++) {
    const mailbox = await apiJson<{ items: { text: string }[] }>(`/dev/mail?to=${encodeURIComponent(email)}`);
    const link = mailbox.items.map((mail) => pattern.exec(mail.text)?.[0]).find(Boolean);
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no ${path} link was mailed to ${email}`);
}

/**
 * Waits for a form's island to hydrate. A click before that finds the button
 * still disabled, or submits the bare HTML form (a GET back to the same page),
 * and the test then waits for something that never comes; on a loaded
 * machine, and on the first page the stack serves, that happened.
 */
export function hydrated(page: Page, component: string): Promise<void> {
  return page.locator(`astro-island[component-url*="/${component}."]:not([ssr])`).waitFor({ state: "attached" });
}

/**
 * A new, verified account. With a page it goes through the site (register
 * form, the mailed link opened in the same browser, which signs it in: the
 * page ends signed in); without one, through the API (nobody signed in).
 */
export async function registerAndVerify(
  page?: Page,
  options: { role?: "student" | "teacher"; account?: Account } = {},
): Promise<Account> {
  const account = options.account ?? newAccount(options.role ?? "learner");
  if (!page) {
    await apiJson("/auth/register", {
      method: "POST",
      body: JSON.stringify({ ...account, role: options.role ?? "student" }),
    });
    const token = new URL(await mailLink(account.email, "/verify-email")).searchParams.get("token");
    await apiJson("/auth/verify-email", { method: "POST", body: JSON.stringify({ token }) });
    return account;
  }
  await page.goto("/register");
  await hydrated(page, "RegisterForm");
  await page.getByLabel("Your name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  if (options.role === "teacher") await page.getByLabel("I want to teach on Lectern").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByText("Check your inbox").waitFor();
  await page.goto(await mailLink(account.email, "/verify-email"));
  await page.getByText("Your email is confirmed and you are signed in.").waitFor();
  await accountMenu(page).waitFor();
  return account;
}

/** The header's account menu button, there only while someone is signed in. */
export function accountMenu(page: Page) {
  return page.getByRole("button", { name: /Account menu/ });
}

/**
 * Opens the login page at `loginUrl`, fills and sends its form once it is
 * live, and waits to land on `landsOn`. Needs no test runner (the site
 * benchmark signs in with it).
 */
export async function submitLoginForm(
  page: Page,
  account: Credentials,
  loginUrl: string,
  landsOn: string,
): Promise<void> {
  await page.goto(loginUrl);
  await hydrated(page, "LoginForm");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => url.pathname === landsOn);
}

/**
 * Signs in through the login form and waits to land on `landsOn` with the
 * header showing the account menu. `next: null` leaves `?next=` out (as the
 * header's own link does), so the site picks where the user lands: the studio
 * for teachers, My learning for learners.
 */
export async function logIn(
  page: Page,
  account: Credentials,
  next: string | null = "/",
  landsOn: string = next ?? "/my",
): Promise<void> {
  await submitLoginForm(page, account, next === null ? "/login" : `/login?next=${encodeURIComponent(next)}`, landsOn);
  // The signed-in part of the header is fetched once the session is known: on a busy machine that takes a while.
  await expect.poll(() => accountMenu(page).count(), { timeout: 15_000 }).toBe(1);
}

/** An access token for API calls made on a user's behalf outside the browser. */
export async function apiToken(account: Credentials): Promise<string> {
  const session = await apiJson<{ accessToken: string }>("/auth/login", {
    method: "POST",
    body: JSON.stringify({ email: account.email, password: account.password, client: "native" }),
  });
  return session.accessToken;
}
