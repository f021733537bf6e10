import { test, expect, Page } from "@playwright/test";
import { open, signIn } from "./helpers";

test("the executive opens the pipeline dashboard and sees the charts and their numbers", async ({ page }) => {
  await signIn(page, "zhao.min");
  await page.locator(".sidenav").getByRole("link", { name: "销售看板" }).click();
  await expect(page).toHaveURL(/\/sales\/dashboard/);
  await expect(page.locator("h1")).toHaveText("销售看板");
  // ECharts draws into each chart's element once the page is live.
  for (const id of ["dash-funnel", "dash-months", "dash-owners", "dash-departments", "dash-ageing"]) {
    await expect(page.locator(`#${id} canvas`)).toBeVisible();
  }
  // The same figures as tables, with the demo's history in them.
  await expect(page.locator("figure.chart").first().locator("table.data tbody tr").first()).toBeVisible();
  await expect(page.getByTestId("kpi-open")).not.toHaveText("0");
  await expect(page.getByTestId("dash-top-deals").locator("tbody tr").first()).toBeVisible();
  // Filtering by department keeps the page working without a full reload.
  await page.locator("form.filters select[name=department]").selectOption({ label: "销售部" });
  await page.locator("form.filters button[type=submit]").click();
  await expect(page).toHaveURL(/department=/);
  await expect(page.locator("#dash-funnel canvas")).toBeVisible();
  // English.
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("h2").first()).toHaveText("Sales funnel");
  await expect(page.locator("h1")).toHaveText("Sales dashboard");
  await page.getByTestId("lang-switch").click();
});

test("an executive sets a monthly target and sees it against won business", async ({ page }) => {
  await signIn(page, "zhao.min");
  await open(page, "/sales/dashboard");
  await page.locator("#target-amount").fill("abc");
  await page.locator("#target-amount").locator("xpath=ancestor::form").locator("button[type=submit]").click();
  await expect(page.locator("#amount-error")).toBeVisible();
  await page.locator("#target-amount").fill("1,000,000");
  await page.locator("#target-amount").locator("xpath=ancestor::form").locator("button[type=submit]").click();
  await expect(page.locator("#amount-error")).toHaveCount(0);
  const month = await page.locator("#target-month").inputValue();
  const row = page.locator("figure.chart table.data tbody tr", { hasText: month });
  await expect(row.first()).toContainText("¥1,000,000");
});

test("an admin changes a business setting, with the value checked", async ({ page }) => {
  await signIn(page, "admin");
  await page.locator(".sidenav").getByRole("link", { name: "业务参数" }).click();
  const depts = page.locator("[id='sales.review_departments']");
  await expect(depts).toHaveValue("finance,legal,production");
  await depts.fill("finance,nowhere");
  await depts.locator("xpath=ancestor::form").locator("button[type=submit]").click();
  await expect(page.locator("[id='sales.review_departments-error']")).toBeVisible();
  const field = page.locator("[id='sales.visit_days']");
  await field.fill("60");
  await field.locator("xpath=ancestor::form").locator("button[type=submit]").click();
  await expect(page.locator("[id='sales.review_departments-error']")).toHaveCount(0);
  await page.reload();
  await expect(page.locator("[id='sales.visit_days']")).toHaveValue("60");
  await expect(page.locator("[id='sales.review_departments']")).toHaveValue("finance,legal,production");
});
