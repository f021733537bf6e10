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

test("a refused form keeps what was typed (never the password) without JavaScript", async ({ page }) => {
  await page.goto("/login");
  await page.locator("#username").fill("admin");
  await page.locator("#password").fill("Charter2026!");
  await page.locator("main form button[type=submit]").click();
  await page.goto("/admin/users/new");
  await page.locator("#username").fill("nojs.user");
  await page.locator("#display_name").fill("沈无脚本");
  await page.locator("#department_id").selectOption({ label: "财务部" });
  await page.locator("#password").fill("short");
  await page.getByTestId("employee-form").locator("button[type=submit]").click();
  await expect(page.locator("#password-error")).toBeVisible();
  await expect(page.locator("#username")).toHaveValue("nojs.user");
  await expect(page.locator("#display_name")).toHaveValue("沈无脚本");
  await expect(page.locator("#department_id option:checked")).toHaveText("财务部");
  await expect(page.locator("#password")).toHaveValue("");
  // Corrected, it saves and opens the new person's page.
  await page.locator("#password").fill("No-script-2026");
  await page.getByTestId("employee-form").locator("button[type=submit]").click();
  await expect(page.locator("h1")).toContainText("沈无脚本");
});
