import { test, expect } from "@playwright/test";
import { open, as } from "./helpers";

// Monitoring (5.3): the key risk indicators on live data, and the company risk
// warning report issued by the risk manager (luo.yan), opened and printable.

test("the indicators page lists the built-in key risk indicators with values and thresholds", async ({ browser }) => {
  const luo = await as(browser, "luo.yan");
  await open(luo, "/risks/indicators");
  const table = luo.getByTestId("indicators");
  await expect(table).toBeVisible();
  for (const code of ["overdue_receivables", "overdue_90_share", "credit_limit_breaches", "projects_red", "projects_spi_below", "order_exceptions_month"]) {
    await expect(table.getByTestId(`kri-${code}`)).toBeVisible();
  }
  await expect(table.getByTestId("kri-overdue_receivables")).toContainText("逾期应收账款");
  await expect(table.getByTestId("kri-overdue_receivables").getByTestId("kri-value")).toContainText("¥");
  // The risk office evaluates now; the trend page of an indicator opens with its chart and table.
  await luo.getByTestId("evaluate-now").locator("button").click();
  await expect(table.getByTestId("kri-overdue_receivables")).toHaveAttribute("data-status", /ok|warning|breached/);
  await table.getByTestId("kri-overdue_receivables").locator("a").first().click();
  await expect(luo).toHaveURL(/\/risks\/indicators\/\d+$/);
  await expect(luo.locator("h1")).toContainText("逾期应收账款");
  await expect(luo.getByTestId("kri-values")).toBeVisible();
});

test("the risk manager issues a warning report; it opens with its heat maps, printable", async ({ browser }) => {
  const luo = await as(browser, "luo.yan");
  await open(luo, "/risks/reports");
  // The demo's report of last month is listed.
  await expect(luo.getByTestId("warning-reports").getByTestId("warning-row").first()).toBeVisible();
  const form = luo.getByTestId("warning-form");
  const summary = `e2e 预警综述 ${Date.now()}`;
  await form.getByTestId("warning-summary").fill(summary);
  await form.locator("textarea[name=recommendations]").fill("加强逾期应收账款催收");
  await form.locator("summary", { hasText: "发布报告" }).click();
  await form.getByTestId("warning-issue").click();
  await expect(luo).toHaveURL(/\/risks\/reports\/warning\/\d+$/);
  const report = luo.getByTestId("warning-report");
  await expect(report).toBeVisible();
  await expect(luo.getByTestId("report-number")).toHaveText(/^FXYJ-\d{4}-\d{4}$/);
  await expect(luo.getByTestId("report-summary")).toHaveText(summary);
  // Both heat maps are real 5×5 grids.
  await expect(report.locator("table.heatmap")).toHaveCount(2);
  await expect(report.locator("table.heatmap[data-kind=inherent] td.heat-cell")).toHaveCount(25);
  // Changes since the demo's report of last month.
  await expect(report.getByTestId("changes")).toContainText("自上期预警报告");
  // Printable: the print media hides the page chrome and the buttons.
  await luo.emulateMedia({ media: "print" });
  await expect(luo.getByTestId("print")).toBeHidden();
  await expect(report.locator("table.heatmap").first()).toBeVisible();
  await luo.emulateMedia({ media: "screen" });
  await expect(luo.getByTestId("print")).toBeVisible();
});
