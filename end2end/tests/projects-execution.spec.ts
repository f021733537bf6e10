// Execution (2.4.2) as people do it on the demo company's projects: the PM of
// "ERP 系统升级" (xu.ming) logs progress, holds a progress meeting whose action
// item lands in the owner's My work, records a cost; the PM of "华东仓储自动化改造"
// records the delay of its overdue milestone (found through rule 2.4.2-b) and the
// leader (sun.wei) is told in My work; the PM of "客服热线系统升级" (wu.hao)
// records a failed quality check with its rework task. One check in English.
import { test, expect, Page } from "@playwright/test";
import { open, as } from "./helpers";

/** `iso` ("2026-06-15") plus `n` days. */
function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** From My work, the execution page of the project an open task of mine belongs to. */
async function projectFromMyWork(page: Page, project: string) {
  await open(page, "/");
  const link = page.getByTestId("my-project-tasks").locator("li", { hasText: project }).locator("a").first();
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/\/projects\/\d+\/execution/);
  await expect(page.getByTestId("project-name")).toHaveText(project);
  await page.locator("body[data-hydrated]").waitFor();
  await expect(page.getByTestId("schedule")).toBeVisible();
}

test("the PM logs progress, holds a progress meeting whose action item reaches its owner, and records a cost", async ({ browser }) => {
  const xu = await as(browser, "xu.ming");
  await projectFromMyWork(xu, "ERP 系统升级");

  // Progress on the data migration, from its row.
  const row = xu.getByTestId("schedule").locator("tr", { hasText: "数据迁移" });
  await expect(row).toContainText("45%");
  await row.getByRole("link", { name: "记录进度" }).click();
  const form = xu.getByTestId("progress-form");
  await expect(form).toBeVisible();
  await expect(xu.locator("#progress-form h3")).toContainText("数据迁移");
  // A finish before the start is refused at its field.
  const start = await xu.locator("#actual_start").inputValue();
  expect(start).not.toBe("");
  await xu.locator("#actual_end").fill(addDays(start, -1));
  await form.locator("button[type=submit]").click();
  await expect(xu.locator("#actual_end-error")).toBeVisible();
  await xu.locator("#actual_end").fill("");
  await xu.locator("#pct_done").fill("60");
  await xu.locator("#remaining_hours").fill("80");
  await xu.locator("#note").fill("第二轮迁移完成，科目余额核对中。");
  await form.locator("button[type=submit]").click();
  await expect(xu.getByTestId("schedule").locator("tr", { hasText: "数据迁移" })).toContainText("60%");
  await expect(xu.getByTestId("schedule").locator("tr", { hasText: "数据迁移" })).toContainText("80");

  // A progress meeting with an action item for ma.lin.
  await xu.getByTestId("meeting-new").locator("summary").click();
  const today = await xu.locator("#held_on").inputValue();
  await xu.locator("#minutes").fill("第二轮迁移完成，余额核对发现 3 个科目差异。");
  await xu.locator("#decisions").fill("差异科目本周内查明原因。");
  await xu.locator("#action-0-description").fill("核对迁移后科目余额差异");
  await xu.locator("#action-0-owner").selectOption({ label: "马琳 · 关键用户" });
  await xu.locator("#action-0-due").fill(addDays(today, 7));
  await xu.getByTestId("meeting-form").locator("button[type=submit]").click();
  await expect(xu.getByTestId("meetings")).toContainText("核对迁移后科目余额差异");
  await expect(xu.getByTestId("meeting-cadence")).toContainText(today);
  await expect(xu.getByTestId("action-tasks")).toContainText("核对迁移后科目余额差异");

  // A cost on the consultants' travel line: a wrong amount is refused first.
  await xu.getByTestId("cost-new").locator("summary").click();
  await xu.locator("#budget_line_id").selectOption({ label: "差旅 · 顾问差旅" });
  await xu.locator("#amount").fill("两千五");
  await xu.locator("#cost_description").fill("顾问往返差旅（第三次）");
  await xu.getByTestId("cost-form").locator("button[type=submit]").click();
  await expect(xu.locator("#amount-error")).toBeVisible();
  await xu.locator("#amount").fill("2,500");
  await xu.getByTestId("cost-form").locator("button[type=submit]").click();
  await expect(xu.getByTestId("costs")).toContainText("顾问往返差旅（第三次）");
  await expect(xu.getByTestId("budget-lines").locator("tr", { hasText: "顾问差旅" })).toContainText("¥10,500.00");

  // ma.lin finds the action item in her My work and opens it.
  const ma = await as(browser, "ma.lin");
  await open(ma, "/");
  const item = ma.getByTestId("my-project-tasks").locator("a", { hasText: "核对迁移后科目余额差异" });
  await expect(item).toBeVisible();
  await item.click();
  await expect(ma.getByTestId("progress-form")).toBeVisible();
  await expect(ma.locator("#progress-form h3")).toContainText("核对迁移后科目余额差异");
});

test("a slipped milestone found through rule 2.4.2-b gets its delay record and the leader is told", async ({ browser }) => {
  const xu = await as(browser, "xu.ming");
  await open(xu, "/compliance");
  const rule = xu.getByTestId("rule-2.4.2-b");
  await rule.locator("a", { hasText: "设备到货" }).click();
  await expect(xu).toHaveURL(/\/projects\/\d+\/execution/);
  await expect(xu.getByTestId("project-name")).toHaveText("华东仓储自动化改造");
  await xu.locator("body[data-hydrated]").waitFor();
  const slips = xu.getByTestId("unrecorded-slips");
  await expect(slips).toContainText("设备到货");
  await slips.locator("li", { hasText: "设备到货" }).getByRole("link", { name: "登记延误" }).click();
  const form = xu.getByTestId("delay-form");
  await expect(form).toBeVisible();
  await expect(xu.locator("#delay-form")).toContainText("孙伟");
  const today = (await xu.locator("#forecast_end").getAttribute("min")) || "";
  expect(today).not.toBe("");
  // Cause and measures are required (checked in the browser first, then by the server).
  await xu.locator("#cause").fill(" ");
  await xu.locator("#measures").fill(" ");
  await xu.locator("#forecast_end").fill(addDays(today, 10));
  await form.locator("button[type=submit]").click();
  await expect(xu.locator("#cause-error")).toBeVisible();
  await xu.locator("#cause").fill("堆垛机供应商第二批排产推迟。");
  await xu.locator("#measures").fill("供应商加班生产，到货后两班倒安装。");
  await form.locator("button[type=submit]").click();
  await expect(xu.getByTestId("delays")).toContainText("堆垛机供应商第二批排产推迟");
  await expect(xu.getByTestId("delays")).toContainText(addDays(today, 10));
  await expect(xu.getByTestId("unrecorded-slips")).toHaveCount(0);
  await expect(xu.getByTestId("schedule").locator("tr", { hasText: "设备到货" })).toContainText("已登记延误");

  // The leader has the report in My work and opens the project from it.
  const sun = await as(browser, "sun.wei");
  await open(sun, "/");
  const notice = sun.getByTestId("inbox-open").locator("a", { hasText: "设备到货" }).filter({ hasText: addDays(today, 10) });
  await expect(notice).toBeVisible();
  await notice.click();
  await expect(sun).toHaveURL(/\/projects\/\d+\/execution/);
  await expect(sun.getByTestId("delays")).toContainText("供应商加班生产");
});

test("a failed quality check creates its rework task; the page also speaks English", async ({ browser }) => {
  const wu = await as(browser, "wu.hao");
  await projectFromMyWork(wu, "客服热线系统升级");
  await wu.getByTestId("check-new").locator("summary").click();
  await wu.locator("#criterion_id").selectOption({ label: "接通率 ≥ 95%" });
  await wu.locator("#result-fail").check();
  await wu.locator("#findings").fill("试运行首周接通率 91%，高峰时段排队溢出。");
  // A failure needs its rework task.
  await wu.getByTestId("check-form").locator("button[type=submit]").click();
  await expect(wu.locator("#rework_assignee_id-error")).toBeVisible();
  await expect(wu.locator("#rework_due-error")).toBeVisible();
  const today = await wu.locator("#checked_on").inputValue();
  await wu.locator("#rework_assignee_id").selectOption({ label: "韩晓" });
  await wu.locator("#rework_due").fill(addDays(today, 5));
  await wu.getByTestId("check-form").locator("button[type=submit]").click();
  const check = wu.getByTestId("checks").locator("tr", { hasText: "试运行首周接通率 91%" });
  await expect(check).toContainText("不合格");
  await expect(check).toContainText("整改未完成");
  await expect(check).toContainText("韩晓");
  await expect(wu.getByTestId("action-tasks").locator("tr", { hasText: "接通率 ≥ 95%" })).toContainText("返工");

  // The same page in English, then back to Chinese for the people after us.
  await Promise.all([wu.waitForResponse(/account\/language/), wu.getByTestId("lang-switch").click()]);
  await expect(wu.locator("#progress h2")).toContainText("Task progress");
  await expect(wu.locator("#quality h2")).toContainText("Quality checks");
  await expect(wu.getByTestId("checks").locator("tr", { hasText: "试运行首周接通率 91%" })).toContainText("Rework open");
  await Promise.all([wu.waitForResponse(/account\/language/), wu.getByTestId("lang-switch").click()]);
  await expect(wu.locator("#progress h2")).toContainText("任务进度");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("progress and a cost are logged through plain form posts; a refused one keeps what was typed", async ({ page }) => {
    await page.goto("/login");
    await page.locator("#username").fill("xu.ming");
    await page.locator("#password").fill("Charter2026!");
    await page.locator("main form button[type=submit]").click();
    await expect(page.locator("h1")).toHaveText("我的工作");
    await page.getByTestId("my-project-tasks").locator("li", { hasText: "ERP 系统升级" }).locator("a").first().click();
    await expect(page.getByTestId("project-name")).toHaveText("ERP 系统升级");
    await page.getByTestId("schedule").locator("tr", { hasText: "用户验收测试" }).getByRole("link", { name: "记录进度" }).click();
    const form = page.getByTestId("progress-form");
    await expect(form).toBeVisible();
    // Work under way needs its actual start: refused, the typed values come back.
    await page.locator("#pct_done").fill("5");
    await page.locator("#note").fill("测试用例编写中");
    await form.locator("button[type=submit]").click();
    await expect(page.locator("#actual_start-error")).toBeVisible();
    await expect(page.locator("#pct_done")).toHaveValue("5");
    await expect(page.locator("#note")).toHaveValue("测试用例编写中");
    const today = (await page.locator("#actual_start").getAttribute("max")) || "";
    await page.locator("#actual_start").fill(today);
    await form.locator("button[type=submit]").click();
    await expect(page.getByTestId("schedule").locator("tr", { hasText: "用户验收测试" })).toContainText("5%");
    // A cost, straight from the (closed) disclosure's form.
    await page.getByTestId("cost-new").locator("summary").click();
    await page.locator("#budget_line_id").selectOption({ label: "其他 · 培训" });
    await page.locator("#amount").fill("3000");
    await page.locator("#cost_description").fill("关键用户培训教材印刷");
    await page.getByTestId("cost-form").locator("button[type=submit]").click();
    await expect(page.getByTestId("costs")).toContainText("关键用户培训教材印刷");
  });
});
