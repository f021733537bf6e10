import { test, expect } from "@playwright/test";
import { open, as } from "./helpers";

// A unique name, so that the spec does not depend on other specs' leftovers.
const NAME = `注塑机液压系统泄漏（E2E ${Date.now() % 100000}）`;

test("a department manager registers a risk and assesses it; the heat-map cell of the register shows it (5.1)", async ({ browser }) => {
  const zhu = await as(browser, "zhu.gang");
  await open(zhu, "/risks");
  await expect(zhu.locator("h1")).toContainText("风险登记");
  await zhu.getByTestId("new-risk").click();
  await expect(zhu).toHaveURL(/\/risks\/new$/);
  await zhu.locator("body[data-hydrated]").waitFor();

  // 5.1-b: the register entry; a blank name is refused at its field.
  const form = zhu.getByTestId("risk-form");
  await form.locator("#description").fill("两台注塑机液压管路老化，存在泄漏停机与火灾隐患。");
  await form.locator("#source").fill("设备使用超过八年，预防性维护不到位。");
  await form.locator("#category_id").selectOption({ label: "操作风险" });
  await expect(form.locator("#department_id option:checked")).toHaveText("生产部");
  await form.locator("#owner_id").selectOption({ label: "胡斌" });
  await form.locator("#name").fill(" ");
  await form.locator("button[type=submit]").click();
  await expect(zhu.locator("#name-error")).toBeVisible();
  await form.locator("#name").fill(NAME);
  await form.locator("button[type=submit]").click();
  await expect(zhu).toHaveURL(/\/risks\/\d+$/);
  await expect(zhu.getByTestId("risk-title")).toContainText(NAME);
  await expect(zhu.getByTestId("risk-title")).toContainText(/FX-\d{4}-\d{4}/);
  await expect(zhu.getByTestId("history")).toContainText("尚未评估");
  await zhu.locator("body[data-hydrated]").waitFor();

  // 5.1-c: inherent 4 × 4 with the written definitions, and a quantitative estimate.
  const assess = zhu.getByTestId("assess");
  await expect(assess.getByTestId("assess-kind")).toHaveValue("inherent");
  await expect(assess).toContainText("可能性");
  await assess.getByTestId("likelihood-4").check();
  await assess.getByTestId("impact-4").check();
  await assess.locator("#assess-probability").fill("25");
  await assess.locator("#assess-loss").fill("400,000");
  await assess.locator("#assess-rationale").fill("上月已发生一次轻微泄漏，备件采购周期长。");
  await assess.getByTestId("assess-submit").click();
  await expect(zhu.getByTestId("inherent")).toContainText("16");
  await expect(zhu.getByTestId("inherent")).toContainText("高");
  await expect(zhu.getByTestId("expected-loss")).toContainText("100,000.00");
  await expect(zhu.getByTestId("history-row")).toHaveCount(1);
  await expect(zhu.getByTestId("history-row").first()).toContainText("固有风险");

  // The heat map's cell (inherent, likelihood 4 × impact 4) lists it.
  await open(zhu, "/risks?kind=inherent&l=4&i=4");
  await expect(zhu.getByTestId("cell-filter")).toBeVisible();
  const row = zhu.locator("tr", { hasText: NAME });
  await expect(row).toBeVisible();
  await expect(row).toContainText("高");
  // Another cell does not.
  await open(zhu, "/risks?kind=inherent&l=1&i=1");
  await expect(zhu.locator("tr", { hasText: NAME })).toHaveCount(0);
  // The owner's leader (zhu.gang himself is hu.bin's leader) was told at once (5.3-d).
  await open(zhu, "/");
  await expect(zhu.locator("body")).toContainText(NAME);
});

test("a project manager registers a plan risk in the register; the plan shows its number and level (2.4.1-b, 2.4.3-d)", async ({ browser }) => {
  const xu = await as(browser, "xu.ming");
  await open(xu, "/projects");
  await xu.getByRole("link", { name: "ERP 系统升级" }).first().click();
  await expect(xu).toHaveURL(/\/projects\/\d+$/);
  await open(xu, xu.url() + "/plan");
  const row = xu.getByTestId("risks").locator("tbody tr", { hasText: "历史数据质量差" });
  await expect(row).toBeVisible();
  const button = row.getByTestId("register-risk").first();
  if (await button.count()) {
    await button.click();
  }
  const link = row.getByTestId("register-link");
  await expect(link).toContainText(/FX-\d{4}-\d{4}/);
  // Its current level from the register (plan 4 × 3 = 12: high under the default bands).
  await expect(link).toContainText("高");
  // The risk office opens it: linked to the project, assessed once from the plan.
  const number = (await link.locator("a").innerText()).trim();
  const gao = await as(browser, "gao.jun");
  await open(gao, "/risks?q=" + encodeURIComponent(number));
  await gao.getByRole("link", { name: number }).click();
  await expect(gao).toHaveURL(/\/risks\/\d+$/);
  await expect(gao.getByTestId("risk-title")).toContainText("历史数据质量差");
  await expect(gao.getByTestId("project-link")).toContainText("ERP 系统升级");
  await expect(gao.getByTestId("history-row")).toHaveCount(1);
});
