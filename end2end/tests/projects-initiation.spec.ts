import { test, expect, Page } from "@playwright/test";
import { PASSWORD, open, as } from "./helpers";

// Dates relative to today, as <input type=date> takes them.
function day(offset: number): string {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

const NAME = "数据中台建设（E2E）";

/** Opens a disclosure and returns the form inside it. */
async function openForm(page: Page, summaryTestId: string, formTestId: string) {
  await page.getByTestId(summaryTestId).click();
  const form = page.getByTestId(formTestId);
  await expect(form).toBeVisible();
  return form;
}

test("a PMO project manager starts a project, forms the team, holds the kickoff and plans it (in Chinese); the list in English", async ({ browser }) => {
  const xu = await as(browser, "xu.ming");
  await open(xu, "/projects");
  await expect(xu.locator("h1")).toHaveText("项目");
  await xu.getByTestId("new-project").click();
  await expect(xu).toHaveURL(/\/projects\/new$/);
  await xu.locator("body[data-hydrated]").waitFor();

  // 2.4.1-a: the project with its requesting department, objectives, scope, dates and budget.
  const form = xu.getByTestId("project-form");
  await form.locator("#requesting_department_id").selectOption({ label: "财务部" });
  await form.locator("#manager_id").selectOption({ label: "徐明" });
  await form.locator("#sponsor_id").selectOption({ label: "赵敏" });
  await form.locator("#objectives").fill("统一财务与业务数据口径，管理报表 T+1 出具。");
  await form.locator("#scope_in").fill("数据仓库、指标体系、管理驾驶舱");
  await form.locator("#scope_out").fill("实时风控");
  await form.locator("#start_date").fill(day(10));
  await form.locator("#end_date").fill(day(5));
  await form.locator("#budget").fill("800,000");
  await form.locator("#priority").selectOption("high");
  // A blank name and an end before the start are refused at their fields.
  await form.locator("#name").fill(" ");
  await form.locator("button[type=submit]").click();
  await expect(xu.locator("#name-error")).toBeVisible();
  await expect(xu.locator("#end_date-error")).toContainText("结束日期不能早于开始日期");
  await form.locator("#name").fill(NAME);
  await form.locator("#end_date").fill(day(120));
  await form.locator("button[type=submit]").click();
  await expect(xu).toHaveURL(/\/projects\/\d+$/);
  const projectUrl = xu.url();
  await expect(xu.getByTestId("project-name")).toHaveText(NAME);
  await expect(xu.getByTestId("project-status")).toContainText("启动中");
  await xu.locator("body[data-hydrated]").waitFor();

  // Planning still needs everything but the team.
  const readiness = xu.getByTestId("readiness");
  await expect(readiness).toContainText("待完成");
  await expect(readiness).toContainText("以上各项完成后");

  // 2.4.1-d: the PM is on the team; add an engineer with role, responsibilities and allocation.
  const team = xu.getByTestId("team");
  await expect(team).toContainText("徐明");
  const member = await openForm(xu, "add-member", "member-form-new");
  await member.locator("select[name='input[user_id]']").selectOption({ label: "唐凯 · 研发中心" });
  await member.locator("input[name='input[role]']").fill("开发工程师");
  await member.locator("textarea[name='input[responsibilities]']").fill("数据建模与报表开发");
  await member.locator("input[name='input[allocation_pct]']").fill("60");
  await member.locator("button[type=submit]").click();
  await expect(team.locator("tbody tr", { hasText: "唐凯" })).toContainText("开发工程师");
  await expect(team.locator("tbody tr", { hasText: "唐凯" })).toContainText("60%");

  // 2.4.1-a: the kickoff meeting with the team ticked, a guest, minutes and decisions.
  const kickoff = await openForm(xu, "record-kickoff", "kickoff-form");
  await expect(kickoff.locator("input[type=checkbox]")).toHaveCount(2);
  await kickoff.locator("input[name='input[guests]']").fill("外部顾问张工");
  await kickoff.locator("textarea[name='input[minutes]']").fill("明确了项目目标、范围、里程碑和成员分工。");
  await kickoff.locator("textarea[name='input[decisions]']").fill("每两周召开一次进度会。");
  await kickoff.locator("button[type=submit]").click();
  const record = xu.getByTestId("kickoff-record");
  await expect(record).toContainText("徐明、唐凯、外部顾问张工");
  await expect(record).toContainText("每两周召开一次进度会。");

  // 2.4.1-b: the plan — two tasks with a dependency and a milestone.
  await xu.locator("nav.tabs a", { hasText: "计划" }).click();
  await expect(xu).toHaveURL(/\/projects\/\d+\/plan$/);
  await xu.locator("body[data-hydrated]").waitFor();
  const schedule = xu.getByTestId("schedule");
  await expect(schedule).toContainText("还没有任务或里程碑");

  let task = await openForm(xu, "add-task", "task-form-new");
  await task.locator("input[name='input[name]']").fill("需求调研");
  await task.locator("input[name='input[planned_start]']").fill(day(10));
  await task.locator("input[name='input[planned_end]']").fill(day(30));
  await task.locator("select[name='input[assignee_id]']").selectOption({ label: "唐凯" });
  await task.locator("input[name='input[weight]']").fill("2");
  await task.locator("button[type=submit]").click();
  await expect(schedule.locator("tbody tr")).toHaveCount(1);

  task = await openForm(xu, "add-task", "task-form-new");
  await task.locator("input[name='input[name]']").fill("数据模型设计");
  await task.locator("input[name='input[planned_start]']").fill(day(31));
  await task.locator("input[name='input[planned_end]']").fill(day(60));
  await task.locator("select[name='input[assignee_id]']").selectOption({ label: "唐凯" });
  await task.getByLabel("#1 需求调研").check();
  await task.locator("button[type=submit]").click();
  await expect(schedule.locator("tbody tr")).toHaveCount(2);
  await expect(schedule.locator("tbody tr").nth(1).locator("td.preds")).toHaveText("#1 需求调研");

  task = await openForm(xu, "add-task", "task-form-new");
  await task.locator("input[name='input[name]']").fill("模型评审通过");
  await task.locator("select[name='input[kind]']").selectOption("milestone");
  await task.locator("input[name='input[planned_start]']").fill(day(61));
  await task.getByLabel("#2 数据模型设计").check();
  await task.locator("button[type=submit]").click();
  await expect(schedule.locator("tbody tr")).toHaveCount(3);
  const milestone = schedule.locator("tbody tr").nth(2);
  await expect(milestone.locator(".kind")).toHaveText("里程碑");
  await expect(milestone.locator("td.start")).toHaveText(day(61));
  await expect(milestone.locator("td.end")).toHaveText(day(61));
  await expect(milestone.locator("td.preds")).toHaveText("#2 数据模型设计");

  // A loop in the dependencies is refused: the first task cannot wait for the milestone.
  const first = schedule.locator("tbody tr").first();
  await first.locator("summary", { hasText: "编辑" }).click();
  const edit = first.locator("form[data-testid^='task-form-']");
  await edit.getByLabel("#3 模型评审通过").check();
  await edit.locator("button[type=submit]").click();
  await expect(first.locator("#deps-error")).toContainText("循环依赖");

  // Resource plan: a budget line equal to the budget.
  const resources = xu.getByTestId("resources");
  const line = await openForm(xu, "add-budget-line", "budget-form-new");
  await line.locator("select[name='input[category]']").selectOption("services");
  await line.locator("input[name='input[description]']").fill("数据平台实施外包");
  await line.locator("input[name='input[amount]']").fill("800000");
  await line.locator("button[type=submit]").click();
  await expect(resources.getByTestId("budget-lines")).toContainText("数据平台实施外包");
  await expect(resources.getByTestId("budget-total")).toHaveText("¥800,000.00");
  await expect(resources.getByTestId("budget-compare")).toContainText("一致");

  // Quality plan: an acceptance criterion.
  const criterion = await openForm(xu, "add-criterion", "criterion-form-new");
  await criterion.locator("input[name='input[criterion]']").fill("管理报表 T+1 出具");
  await criterion.locator("input[name='input[method]']").fill("连续两周报表出具记录");
  await criterion.locator("button[type=submit]").click();
  await expect(xu.getByTestId("quality")).toContainText("管理报表 T+1 出具");

  // Risk plan: a risk with its owner.
  const risk = await openForm(xu, "add-risk", "risk-form-new");
  await risk.locator("input[name='input[title]']").fill("源系统数据质量差");
  await risk.locator("select[name='input[likelihood]']").selectOption("4");
  await risk.locator("select[name='input[impact]']").selectOption("4");
  await risk.locator("textarea[name='input[response]']").fill("先做数据质量评估并清洗");
  await risk.locator("select[name='input[owner_id]']").selectOption({ label: "唐凯" });
  await risk.locator("button[type=submit]").click();
  const risks = xu.getByTestId("risks");
  await expect(risks.locator("tbody tr")).toHaveCount(1);
  await expect(risks.locator("tbody tr td.risk-level")).toHaveText("高");
  await expect(risks.locator("tbody tr td.risk-status")).toHaveText("未关闭");

  // Back on the overview the plan is ready to be submitted.
  await open(xu, projectUrl);
  await expect(xu.getByTestId("readiness")).toContainText("计划已具备提交审核的条件");
  await expect(xu.getByTestId("readiness")).not.toContainText("待完成");

  // The list, in English.
  await open(xu, "/projects?q=" + encodeURIComponent("数据中台"));
  await Promise.all([xu.waitForResponse(/account\/language/), xu.getByTestId("lang-switch").click()]);
  await expect(xu.locator("h1")).toHaveText("Projects");
  const row = xu.getByTestId("projects-table").locator("tbody tr", { hasText: NAME });
  await expect(row).toContainText("Initiating");
  await expect(row).toContainText("Finance");
  await expect(row).toContainText("XM-");
  await expect(xu.getByTestId("projects-table")).toContainText("Project manager");
  await open(xu, "/projects?q=nothing-like-this");
  await expect(xu.getByTestId("projects-empty")).toContainText("No projects to show yet.");
  await xu.getByTestId("lang-switch").click();
  await expect(xu.locator("h1")).toHaveText("项目");
});

test("a salesperson neither starts projects nor sees one she is not on", async ({ browser }) => {
  const wang = await as(browser, "wang.fang");
  await open(wang, "/projects");
  await expect(wang.getByTestId("new-project")).toHaveCount(0);
  await expect(wang.getByTestId("dashboard-link")).toHaveCount(0);
  // The demo's ERP project is finance's: not hers to see.
  const xu = await as(browser, "xu.ming");
  await open(xu, "/projects?q=" + encodeURIComponent("ERP 系统升级"));
  await xu.getByTestId("projects-table").locator("tbody tr a").first().click();
  await expect(xu).toHaveURL(/\/projects\/\d+$/);
  const url = xu.url();
  await open(wang, url);
  await expect(wang.locator(".alert-error")).toBeVisible();
  await expect(wang.getByTestId("team")).toHaveCount(0);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the project form and a budget line work as plain form posts", async ({ browser }) => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto("/login");
    await page.locator("#username").fill("wu.hao");
    await page.locator("#password").fill(PASSWORD);
    await page.locator("main form button[type=submit]").click();
    await expect(page.locator(".user-name")).toBeVisible();
    await page.goto("/projects/new");
    const form = page.getByTestId("project-form");
    await form.locator("#requesting_department_id").selectOption({ label: "财务部" });
    // He manages it himself (the PMO watches every project but manages those it runs).
    await form.locator("#manager_id").selectOption({ label: "吴昊" });
    await form.locator("#sponsor_id").selectOption({ label: "孙伟" });
    await form.locator("#objectives").fill("无脚本立项");
    await form.locator("#start_date").fill(day(3));
    await form.locator("#end_date").fill(day(40));
    await form.locator("#budget").fill("1000");
    // Refused with a blank name; what was typed is kept.
    await form.locator("#name").fill(" ");
    await form.locator("button[type=submit]").click();
    await expect(page.locator("#name-error")).toBeVisible();
    await expect(page.locator("#objectives")).toHaveValue("无脚本立项");
    await page.locator("#name").fill("无脚本项目（E2E）");
    await page.getByTestId("project-form").locator("button[type=submit]").click();
    await expect(page).toHaveURL(/\/projects\/\d+$/);
    await expect(page.getByTestId("project-name")).toHaveText("无脚本项目（E2E）");
    await page.locator("nav.tabs a", { hasText: "计划" }).click();
    await page.getByTestId("add-budget-line").click();
    const line = page.getByTestId("budget-form-new");
    await line.locator("input[name='input[description]']").fill("外聘顾问");
    await line.locator("input[name='input[amount]']").fill("1000");
    await line.locator("button[type=submit]").click();
    await expect(page.getByTestId("budget-lines")).toContainText("外聘顾问");
    await expect(page.getByTestId("budget-compare")).toContainText("一致");
    await ctx.close();
  });
});
