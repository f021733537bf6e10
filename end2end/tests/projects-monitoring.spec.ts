import { test, expect } from "@playwright/test";
import { open, signIn, as } from "./helpers";

// Monitoring and early warning (2.4.3): the project status dashboard, the
// PMO's evaluation of a project due for one, the early warning in the project
// manager's My work, and the Gantt view — in Chinese and English.

test("the executive opens the project status dashboard: charts drawn, tables with numbers", async ({ page }) => {
  await signIn(page, "zhao.min");
  await page.locator(".sidenav").getByRole("link", { name: "项目状态" }).click();
  await expect(page).toHaveURL(/\/projects\/dashboard/);
  await expect(page.locator("h1")).toHaveText("项目状态");
  // ECharts draws each chart once the page is live.
  for (const id of ["pd-portfolio", "pd-milestones", "pd-budget", "pd-load"]) {
    await expect(page.locator(`#${id} canvas`)).toBeVisible();
  }
  // The same numbers as tables: the demo's executing projects, by phase and health.
  const measured = Number(await page.getByTestId("kpi-measured").textContent());
  expect(measured).toBeGreaterThanOrEqual(3);
  const executing = page.locator("figure.chart").first().locator("tbody tr", { hasText: "执行中" });
  await expect(executing).toBeVisible();
  await expect(page.locator("figure.chart", { has: page.locator("#pd-budget") }).locator("tbody")).toContainText("¥");
  // Projects needing attention, the red ones first, each linking to its monitoring tab.
  const attention = page.getByTestId("pd-attention");
  await expect(attention.locator("tbody tr").first()).toContainText("红");
  await expect(attention.locator("a", { hasText: "华东仓储自动化改造" })).toHaveAttribute("href", /\/projects\/\d+\/monitoring$/);
  // Filtering by requesting department: logistics requested one executing project.
  await page.locator("form.filters select[name=department]").selectOption({ label: "物流部" });
  await page.locator("form.filters button[type=submit]").click();
  await expect(page).toHaveURL(/department=\d+/);
  await expect(page.getByTestId("kpi-measured")).toHaveText("1");
  await expect(page.getByTestId("pd-attention").locator("tbody tr")).toHaveCount(1);
  await expect(page.locator("#pd-portfolio canvas")).toBeVisible();
  // English, charts and tables included.
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("h1")).toHaveText("Project status");
  await expect(page.locator("h2", { hasText: "Portfolio by phase and health" })).toBeVisible();
  await expect(page.locator("figure.chart").first().locator("thead")).toContainText("Phase");
  await expect(page.locator("#pd-portfolio canvas")).toBeVisible();
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("h1")).toHaveText("项目状态");
});

test("the PMO manager evaluates a project due for evaluation from My work", async ({ browser }) => {
  const wu = await as(browser, "wu.hao");
  const task = wu.getByTestId("inbox-open").locator("a", { hasText: "PMO 健康评估到期" }).filter({ hasText: "华东仓储自动化改造" });
  await expect(task).toBeVisible();
  await task.click();
  await expect(wu).toHaveURL(/\/projects\/\d+\/monitoring$/);
  await wu.locator("body[data-hydrated]").waitFor();
  const monitoring = wu.url();
  await expect(wu.getByTestId("project-name")).toHaveText("华东仓储自动化改造");
  await expect(wu.getByTestId("mon-eval-due")).toContainText("评估已到期");
  // The computed figures with what they mean.
  await expect(wu.getByTestId("mon-figures")).toContainText("进度绩效指数 SPI");
  // A rating other than green needs a comment.
  const form = wu.getByTestId("evaluation-form");
  await expect(form).toBeVisible();
  await wu.locator("#eval-schedule").selectOption("red");
  await wu.locator("#eval-quality").selectOption("green");
  await wu.locator("#eval-cost").selectOption("amber");
  await wu.locator("#eval-risk").selectOption("red");
  await wu.locator("#eval-overall").selectOption("red");
  await wu.getByTestId("evaluation-submit").click();
  await expect(wu.locator("#comments-error")).toBeVisible();
  await wu.locator("#eval-comments").fill("设备到货逾期二十天，要求供应商每日报告并启动分批到货。");
  await wu.getByTestId("evaluation-submit").click();
  const latest = wu.getByTestId("evaluation-history").locator("tbody tr").first();
  await expect(latest).toContainText("设备到货逾期二十天");
  await expect(latest).toContainText("吴昊");
  await expect(wu.getByTestId("mon-eval-due")).toContainText("下次评估应在");
  // The task is done: no longer in My work.
  await open(wu, "/");
  await expect(wu.getByTestId("inbox-open").locator("a", { hasText: "PMO 健康评估到期" }).filter({ hasText: "华东仓储自动化改造" })).toHaveCount(0);
  // English.
  await open(wu, monitoring);
  await wu.getByTestId("lang-switch").click();
  await expect(wu.locator("h2", { hasText: "PMO health evaluations" })).toBeVisible();
  await expect(wu.getByTestId("evaluation-history").locator("tbody tr").first()).toContainText("Red");
  await wu.getByTestId("lang-switch").click();
});

test("the project manager sees the early warning and opens the project's Gantt chart", async ({ browser }) => {
  const xu = await as(browser, "xu.ming");
  // 2.4.3-d: the warning that the project turned red, in My work.
  const warning = xu.getByTestId("inbox-open").locator("a", { hasText: "变为红色" }).filter({ hasText: "华东仓储自动化改造" });
  await expect(warning.first()).toBeVisible();
  await warning.first().click();
  await expect(xu).toHaveURL(/\/projects\/\d+\/monitoring$/);
  await expect(xu.getByTestId("mon-health-badge")).toHaveText("红");
  await expect(xu.getByTestId("mon-reasons")).toContainText("里程碑逾期");
  await expect(xu.getByTestId("mon-overdue")).toContainText("设备到货");
  await expect(xu.getByTestId("mon-history")).toContainText("红");
  // The Gantt tab: bars, milestones as diamonds, dependencies, today's line, and the table.
  await xu.locator("nav.tabs").getByRole("link", { name: "甘特图" }).click();
  await expect(xu).toHaveURL(/\/projects\/\d+\/gantt$/);
  const gantt = xu.getByTestId("gantt").locator("svg");
  await expect(gantt).toBeVisible();
  expect(await gantt.locator("rect.g-bar").count()).toBeGreaterThanOrEqual(5);
  expect(await gantt.locator("rect.g-baseline").count()).toBeGreaterThanOrEqual(5);
  expect(await gantt.locator("polygon.g-milestone").count()).toBeGreaterThanOrEqual(2);
  expect(await gantt.locator("path.g-dep").count()).toBeGreaterThanOrEqual(5);
  await expect(gantt.locator("line.g-today")).toHaveCount(1);
  const table = xu.getByTestId("gantt-table");
  expect(await table.locator("tbody tr").count()).toBeGreaterThanOrEqual(7);
  await expect(table.locator("tbody tr", { hasText: "设备到货" })).toContainText("已延误");
  // Month scale: the same chart, narrower.
  const weekWidth = Number(await gantt.getAttribute("width"));
  await xu.getByTestId("gantt-scale-month").click();
  await expect(xu).toHaveURL(/scale=month/);
  await expect.poll(async () => Number(await xu.getByTestId("gantt").locator("svg").getAttribute("width"))).toBeLessThan(weekWidth);
  // English.
  await xu.getByTestId("lang-switch").click();
  await expect(xu.locator("h2", { hasText: "Gantt chart" })).toBeVisible();
  await expect(table.locator("thead")).toContainText("Depends on");
  await expect(table.locator("tbody tr", { hasText: "设备到货" })).toContainText("Slipped");
  await xu.getByTestId("lang-switch").click();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the Gantt chart is drawn on the server and a refused evaluation keeps what was chosen", async ({ page }) => {
    await page.goto("/login");
    await page.locator("#username").fill("wu.hao");
    await page.locator("#password").fill("Charter2026!");
    await page.locator("main form button[type=submit]").click();
    await expect(page.locator("h1")).toHaveText("我的工作");
    await page.goto("/projects/dashboard");
    await page.getByTestId("pd-attention").locator("a", { hasText: "ERP 系统升级" }).click();
    await expect(page).toHaveURL(/\/projects\/\d+\/monitoring$/);
    const monitoring = page.url();
    await page.locator("details.mon-eval-form summary").click();
    await page.locator("#eval-overall").selectOption("amber");
    await page.getByTestId("evaluation-submit").click();
    await expect(page.locator("#comments-error")).toBeVisible();
    await expect(page.locator("#eval-overall option:checked")).toHaveText("黄");
    await page.goto(monitoring.replace(/monitoring$/, "gantt"));
    await expect(page.getByTestId("gantt").locator("svg rect.g-bar").first()).toBeVisible();
    await expect(page.getByTestId("gantt-table")).toContainText("数据迁移");
  });
});
