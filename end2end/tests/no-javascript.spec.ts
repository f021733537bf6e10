import { test, expect } from "@playwright/test";

// Every page and form works before (and without) the browser bundle.
test.use({ javaScriptEnabled: false });

test("sign in, see errors at the field and switch language without JavaScript", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=%2F$/);
  await page.locator("#username").fill("wang.fang");
  await page.locator("#password").fill("wrong-password-1");
  await page.locator("main form button[type=submit]").click();
  await expect(page.locator("#password-error")).toHaveText("用户名或密码不正确。");
  await page.locator("#username").fill("wang.fang");
  await page.locator("#password").fill("Charter2026!");
  await page.locator("main form button[type=submit]").click();
  await expect(page.locator("h1")).toHaveText("我的工作");
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("h1")).toHaveText("My work");
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("h1")).toHaveText("我的工作");
  // Lists filter through plain GET forms; the chart's numbers are in a table.
  await page.goto("/compliance");
  await expect(page.locator("table.chart-data")).toContainText("3.1-a");
});
