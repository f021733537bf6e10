import { test, expect, Page } from "@playwright/test";
import { open, signIn } from "./helpers";

test("sign in and switch between Chinese and English", async ({ page }) => {
  await signIn(page, "wang.fang");
  await expect(page.locator("h1")).toHaveText("我的工作");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("h1")).toHaveText("My work");
  await expect(page.locator(".sidenav")).toContainText("Regulation");
  // Remembered for the user: a fresh page load stays in English.
  await page.reload();
  await page.locator("body[data-hydrated]").waitFor();
  await expect(page.locator("h1")).toHaveText("My work");
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("h1")).toHaveText("我的工作");
  await page.reload();
  await expect(page.locator(".sidenav")).toContainText("管理制度");
});

test("admin creates an employee who signs in, acknowledges the code of conduct and leaves the compliance list", async ({ page, browser }) => {
  await signIn(page, "admin");
  await open(page, "/admin/users/new");
  await page.locator("#username").fill("zhou.xin");
  await page.locator("#display_name").fill("周欣");
  await page.locator("#email").fill("zhou.xin@huachen-tech.cn");
  await page.locator("#department_id").selectOption({ label: "销售部" });
  await page.locator("#role").selectOption("staff");
  // A bad password is refused at the field, nothing is saved.
  await page.locator("#password").fill("short");
  await page.getByTestId("employee-form").locator("button[type=submit]").click();
  await expect(page.locator("#password-error")).toBeVisible();
  await page.locator("#password").fill("Welcome-2026-zx");
  await page.getByTestId("employee-form").locator("button[type=submit]").click();
  await expect(page).toHaveURL(/\/people\/\d+$/);
  await expect(page.locator("h1")).toContainText("周欣");
  await expect(page.getByTestId("history")).toContainText("新建");

  // The audit page shows the creation.
  await page.goto("/admin/audit?entity=user&action=create");
  await expect(page.locator("table.data")).toContainText("周欣");

  // The compliance page lists the new employee under 3.1-a.
  await page.goto("/compliance");
  await expect(page.getByTestId("rule-3.1-a")).toContainText("周欣");

  // The new employee signs in, sees the task and acknowledges.
  const ctx = await browser.newContext();
  const p2 = await ctx.newPage();
  await signIn(p2, "zhou.xin", "Welcome-2026-zx");
  await expect(p2.getByTestId("inbox-open")).toContainText("职业行为准则");
  await open(p2, "/conduct");
  await p2.getByTestId("acknowledge").click();
  await expect(p2.getByTestId("conduct-status")).toContainText("已确认");
  await ctx.close();

  await page.goto("/compliance");
  await expect(page.getByTestId("rule-3.1-a")).not.toContainText("周欣");
});

test("staff are refused the admin pages", async ({ page }) => {
  await signIn(page, "wang.fang");
  await expect(page.locator(".sidenav")).not.toContainText("审计日志");
  const res = await page.goto("/admin/users");
  expect(res?.status()).toBe(403);
  await expect(page.locator("body")).toContainText("您没有权限");
});

test("the regulation can be browsed and searched", async ({ page }) => {
  await signIn(page, "wang.fang");
  await page.goto("/regulation");
  await expect(page.locator("#clause-3\\.1-a")).toBeVisible();
  await page.locator("#q").fill("商业秘密");
  await page.locator("form.filters button").click();
  await expect(page.getByTestId("clause-count")).toHaveText("共 1 条");
  await expect(page.locator("#clause-3\\.1-b")).toBeVisible();
});

test("a stale save is refused with the current values", async ({ page, context }) => {
  await signIn(page, "admin");
  const other = await context.newPage();
  // Both open the same employee's form.
  await open(page, "/people/6");
  const editHref = await page.locator("a[href$='/edit']").getAttribute("href");
  await open(page, editHref!);
  await open(other, editHref!);
  // The first saves a new name.
  await page.locator("#display_name").fill("张磊（大客户）");
  await page.getByTestId("employee-form").locator("button[type=submit]").click();
  await expect(page.locator("h1")).toContainText("张磊（大客户）");
  // The second, still on the old version, is told and shown what is stored now.
  await other.locator("#phone").fill("13911112222");
  await other.getByTestId("employee-form").locator("button[type=submit]").click();
  await expect(other.locator(".alert-error")).toContainText("其他人已修改");
  await expect(other.locator(".alert-error table")).toContainText("张磊（大客户）");
  await other.close();
  await open(page, "/people/6");
  await expect(page.locator("dl.kv")).not.toContainText("13911112222");
});
