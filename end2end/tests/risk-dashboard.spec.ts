// The risk dashboard (5.1-c, 5.3): the executive sees both heat maps as real
// grids, a cell opens the register filtered to it, the charts draw with the
// same figures as tables, and a department manager sees his department only.
import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { open, signIn } from "./helpers";

const PORT = Number(process.env.CHARTER_E2E_PORT || 3010);
const DB = `target-e2e-${PORT}/e2e.db`;

/** A legal risk of the risk department assessed at likelihood 5 × impact 1, with a unique name. */
function legalRisk(tag: string): string {
  const name = `看板验收风险 ${tag}`;
  const now = new Date().toISOString();
  const sql =
    `INSERT INTO risks (number, name, category_id, department_id, owner_id, status, inherent_likelihood, inherent_impact, inherent_score, ` +
    `current_score, last_assessed_at, created_at, updated_at) VALUES ('FX-E2E-${tag}', '${name}', ` +
    `(SELECT id FROM risk_categories WHERE code = 'legal'), (SELECT id FROM departments WHERE code = 'risk'), ` +
    `(SELECT id FROM users WHERE username = 'luo.yan'), 'assessed', 5, 1, 5, 5, '${now}', '${now}', '${now}');`;
  execFileSync("sqlite3", ["-cmd", ".timeout 10000", DB, sql]);
  return name;
}

test("the executive reads both heat maps and opens the register from a cell", async ({ page }) => {
  legalRisk(`${Date.now()}`);
  await signIn(page, "zhao.min");
  await page.locator(".sidenav").getByRole("link", { name: "风险看板" }).click();
  await expect(page).toHaveURL(/\/risks\/dashboard/);
  await expect(page.locator("h1")).toHaveText("风险看板");
  // Two real 5×5 grids (they work without JavaScript and print).
  for (const kind of ["inherent", "residual"]) {
    const grid = page.locator(`table.heatmap[data-kind=${kind}]`);
    await expect(grid).toBeVisible();
    await expect(grid.locator("tbody tr")).toHaveCount(5);
    await expect(grid.locator("td.heat-cell")).toHaveCount(25);
  }
  // Filter to the legal category: the cell likelihood 5 × impact 1 holds our risk.
  await page.locator("form.filters select[name=category]").selectOption({ label: "法律风险" });
  await page.locator("form.filters button[type=submit]").click();
  await expect(page).toHaveURL(/category=\d+/);
  const cell = page.locator("table.heatmap[data-kind=inherent] td[data-l='5'][data-i='1']");
  await expect(cell.locator("a")).toBeVisible();
  expect(Number(await cell.getAttribute("data-count"))).toBeGreaterThanOrEqual(1);
  const href = await cell.locator("a").getAttribute("href");
  expect(href).toMatch(/^\/risks\?kind=inherent&l=5&i=1&category=\d+$/);
  // The level cards, the charts and their tables.
  await expect(page.getByTestId("rd-level-medium")).not.toHaveText("0");
  for (const id of ["rd-category", "rd-department", "rd-trend"]) {
    await expect(page.locator(`#${id} canvas`)).toBeVisible();
  }
  await expect(page.locator("figure.chart table.data", { hasText: "法律风险" }).first()).toBeVisible();
  // The cell opens the register filtered to it.
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  await cell.locator("a").click();
  await expect(page).toHaveURL(/\/risks\?kind=inherent&l=5&i=1&category=\d+$/);
  // English, then back to Chinese for the specs after this one.
  await open(page, "/risks/dashboard");
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("h1")).toHaveText("Risk dashboard");
  await expect(page.locator("table.heatmap[data-kind=inherent] caption")).toHaveText("Inherent risk");
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("h1")).toHaveText("风险看板");
});

test("a department manager sees his department's risks only", async ({ page }) => {
  await signIn(page, "li.qiang");
  await open(page, "/risks/dashboard");
  await expect(page.getByTestId("rd-own-scope")).toBeVisible();
  await expect(page.locator("table.heatmap[data-kind=inherent]")).toBeVisible();
  // The risk department's risks are not his: filtered to it, his maps are empty.
  const riskDept = await page.locator("form.filters select[name=department] option", { hasText: "风险管理部" }).getAttribute("value");
  await open(page, `/risks/dashboard?department=${riskDept}`);
  await expect(page.locator("table.heatmap[data-kind=inherent]")).toBeVisible();
  await expect(page.locator("table.heatmap td.heat-cell a")).toHaveCount(0);
  await expect(page.getByTestId("rd-open")).toHaveText("0");
});
