import { test, expect } from "@playwright/test";
import { PASSWORD, open, as } from "./helpers";

// Plan review and approval (2.4.1-c) and change requests (2.4.3-c) on the demo
// data: P4 "X200 新产品试产" is in plan review (finance approved, the PMO
// pending); P1 "ERP 系统升级" has a change request in review (¥800,000 → ¥850,000).

test("the PMO reviews X200's plan from My work, the leader approves it, baseline v1 is frozen", async ({ browser }) => {
  const wu = await as(browser, "wu.hao");
  await open(wu, "/");
  const review = wu.getByTestId("inbox-open").locator("a", { hasText: "X200 新产品试产" });
  await expect(review).toContainText("审核项目计划");
  await review.click();
  await expect(wu).toHaveURL(/\/projects\/\d+\/approval$/);
  await wu.locator("body[data-hydrated]").waitFor();
  const approvalUrl = wu.url();
  await expect(wu.getByTestId("project-status")).toContainText("计划审批中");
  // Finance has approved; the PMO's review is the one he may decide.
  const round = wu.getByTestId("round-plan-1");
  await expect(round.getByTestId("step-财务部")).toContainText("已通过");
  await expect(round.getByTestId("step-leader")).toContainText("等待审核完成");
  const form = wu.getByTestId("decide-form");
  await expect(form).toHaveCount(1);
  // A rejection needs a comment.
  await form.getByTestId("reject").click();
  await expect(wu.locator("#comment-error")).toBeVisible();
  await form.locator("textarea").fill("进度与资源安排合理，同意。");
  await form.getByTestId("approve").click();
  await expect(round.getByTestId("step-项目管理办公室")).toContainText("已通过");
  await expect(round.getByTestId("step-项目管理办公室")).toContainText("进度与资源安排合理，同意。");
  await expect(round.getByTestId("step-leader")).toContainText("待处理");
  await expect(wu.getByTestId("decide-form")).toHaveCount(0);
  // The task has left his open work.
  await open(wu, "/");
  await expect(wu.getByTestId("inbox-open").locator("a", { hasText: "审核项目计划" })).toHaveCount(0);

  // The leader approves from her My work.
  const zhao = await as(browser, "zhao.min");
  await open(zhao, "/");
  const approve = zhao.getByTestId("inbox-open").locator("a", { hasText: "X200 新产品试产" });
  await expect(approve).toContainText("批准项目计划");
  await approve.click();
  await expect(zhao).toHaveURL(approvalUrl);
  await zhao.locator("body[data-hydrated]").waitFor();
  await expect(zhao.getByTestId("baselines")).toContainText("计划尚未批准");
  const leader = zhao.getByTestId("decide-form");
  await expect(leader).toHaveCount(1);
  await leader.locator("textarea").fill("同意试产计划。");
  await leader.getByTestId("approve").click();
  await expect(zhao.getByTestId("project-status")).toContainText("执行中");
  await expect(zhao.getByTestId("round-plan-1").getByTestId("step-leader")).toContainText("已通过");
  const v1 = zhao.getByTestId("baseline-v1");
  await expect(v1).toContainText("版本 1");
  await expect(v1).toContainText("生效中");
  await expect(v1).toContainText("¥1,200,000.00");
  await expect(v1).toContainText("计划审批");
  // Executing now: change requests may be raised; the plan equals the baseline.
  await expect(zhao.getByTestId("change-requests")).toContainText("没有变更申请");
  await expect(zhao.getByTestId("proposal").getByTestId("cmp-budget")).toContainText("¥0.00");
});

test("P1's change request shows the budget difference against the baseline, in both languages", async ({ browser }) => {
  const wu = await as(browser, "wu.hao");
  await open(wu, "/");
  const task = wu.getByTestId("inbox-open").locator("a", { hasText: "ERP 系统升级" });
  await expect(task).toContainText("第 1 号变更申请");
  await task.click();
  await expect(wu).toHaveURL(/\/projects\/\d+\/approval$/);
  await wu.locator("body[data-hydrated]").waitFor();
  const change = wu.getByTestId("change-1");
  await expect(change).toContainText("审批中");
  await expect(change.getByTestId("change-budget")).toContainText("¥800,000.00 → ¥850,000.00");
  await expect(change.getByTestId("change-budget")).toContainText("+¥50,000.00");
  // The proposal: the current plan against baseline v1, the new line listed.
  const proposal = wu.getByTestId("proposal");
  await expect(proposal.getByTestId("cmp-budget")).toContainText("+¥50,000.00");
  await expect(proposal.getByTestId("comparison-lines")).toContainText("数据迁移外包服务");
  await expect(proposal.getByTestId("cmp-end")).toContainText("0 天");
  // Its review round: the PMO may decide.
  await expect(wu.getByTestId("round-change-1-1").getByTestId("decide-form")).toHaveCount(1);
  // Compare baseline v1 with the current plan through the form.
  await wu.getByTestId("compare-a").selectOption("1");
  await wu.getByTestId("compare-b").selectOption("0");
  await wu.getByTestId("compare-form").locator("button[type=submit]").click();
  await expect(wu).toHaveURL(/a=1&b=0/);
  const cmp = wu.getByTestId("comparison");
  await expect(cmp.getByTestId("cmp-budget")).toContainText("¥800,000.00");
  await expect(cmp.getByTestId("cmp-budget")).toContainText("¥850,000.00");
  await expect(cmp.getByTestId("comparison-tasks")).toContainText("需求调研");

  // The same page in English.
  await Promise.all([wu.waitForResponse(/account\/language/), wu.getByTestId("lang-switch").click()]);
  await expect(wu.getByTestId("change-requests").locator("h2")).toHaveText("Change requests");
  await expect(wu.getByTestId("change-1")).toContainText("In review");
  await expect(wu.getByTestId("round-change-1-1")).toContainText("Change request 1 · round 1");
  await expect(wu.getByTestId("round-change-1-1").locator("button[data-testid=approve]")).toHaveText("Approve");
  await wu.getByTestId("lang-switch").click();
  await expect(wu.getByTestId("change-requests").locator("h2")).toHaveText("变更申请");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the comparison form and a refused decision work as plain form posts", async ({ browser }) => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto("/login");
    await page.locator("#username").fill("zheng.hong");
    await page.locator("#password").fill(PASSWORD);
    await page.locator("main form button[type=submit]").click();
    await expect(page.locator(".user-name")).toBeVisible();
    // The finance manager finds P1's change request in the department's work.
    await page.goto("/");
    await page.getByTestId("inbox-open").locator("a", { hasText: "ERP 系统升级" }).click();
    await expect(page).toHaveURL(/\/projects\/\d+\/approval$/);
    // A rejection without a comment is refused at the field; nothing changes.
    const form = page.getByTestId("round-change-1-1").getByTestId("decide-form");
    await form.getByTestId("reject").click();
    await expect(page.locator("#comment-error")).toBeVisible();
    await expect(page.getByTestId("change-1")).toContainText("审批中");
    // Baseline v1 against the current plan.
    await page.getByTestId("compare-a").selectOption("1");
    await page.getByTestId("compare-b").selectOption("0");
    await page.getByTestId("compare-form").locator("button[type=submit]").click();
    await expect(page.getByTestId("comparison").getByTestId("cmp-budget")).toContainText("+¥50,000.00");
    await ctx.close();
  });
});
