// What every journey needs: the demo password, opening a page once it is live,
// signing in, and a second signed-in person in a browser session of their own.
import { expect, Page, Browser } from "@playwright/test";

export const PASSWORD = "Charter2026!";

/** Opens a page and waits until it is hydrated (interactive). */
export async function open(page: Page, path: string) {
  await page.goto(path);
  await page.locator("body[data-hydrated]").waitFor();
}

export async function signIn(page: Page, username: string, password = PASSWORD) {
  await open(page, "/login");
  await page.locator("#username").fill(username);
  await page.locator("#password").fill(password);
  await page.locator("main form button[type=submit]").click();
  await expect(page).not.toHaveURL(/\/login/);
  await expect(page.locator(".user-name")).toBeVisible();
  await page.locator("body[data-hydrated]").waitFor();
}

/** A fresh browser session (separate cookies) signed in as `username`. */
export async function as(browser: Browser, username: string): Promise<Page> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, username);
  return page;
}
