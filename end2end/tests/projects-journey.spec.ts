// A project from idea to acceptance report, the way the people involved do it
// (2.4.1 to 2.4.4): the PMO's project manager creates the project, holds the
// kickoff and plans it; the PMO and finance review the plan from their My work
// and the leader approves it; the manager logs progress, moves a task past its
// baseline and records the delay; the early warning reaches him and the leader;
// the work is finished, acceptance applied for with the three attachments,
// finance (the requesting department) passes it and the report opens; the
// executive opens the project status dashboard.
import { test, expect, Page } from "@playwright/test";
import { open, as } from "./helpers";

function day(offset: number): string {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

const NAME = "费用报销平台（全流程）";

async function openForm(page: Page, summaryTestId: string, formTestId: string) {
  await page.getByTestId(summaryTestId).click();
  const form = page.getByTestId(formTestId);
  await expect(form).toBeVisible();
  return form;
}

/** Opens the review or approval task for the journey's project from My work. */
async function fromMyWork(page: Page, title: string) {
  await open(page, "/");
  const task = page.getByTestId("inbox-open").locator("a", { hasText: NAME }).filter({ hasText: title });
  await expect(task).toBeVisible();
  await task.click();
  await page.locator("body[data-hydrated]").waitFor();
}

async function upload(page: Page, kind: string, name: string, mimeType: string, content: string) {
  const form = page.getByTestId("upload-form");
  await form.locator("select[name=kind]").selectOption(kind);
  await form.locator("input[type=file]").setInputFiles({ name, mimeType, buffer: Buffer.from(content) });
  await Promise.all([page.waitForEvent("framenavigated"), form.getByTestId("upload").click()]);
  await page.waitForLoadState("load");
  await page.locator("body[data-hydrated]").waitFor();
}

async function logProgress(page: Page, task: string, expected: string, fill: (p: Page) => Promise<void>) {
  const row = page.getByTestId("schedule").locator("tr", { hasText: task });
  await row.getByRole("link", { name: "记录进度" }).click();
  const form = page.getByTestId("progress-form");
  await expect(form).toBeVisible();
  await fill(page);
  await form.locator("button[type=submit]").click();
  await expect(page.getByTestId("schedule").locator("tr", { hasText: task }).first()).toContainText(expected);
}

test("from idea to acceptance report: create, kickoff, plan, review, approve, progress, delay, early warning, acceptance, report, dashboard", async ({ browser }) => {
  test.setTimeout(240_000);
  // 2.4.1: the project manager creates the project for finance.
  const xu = await as(browser, "xu.ming");
  await open(xu, "/projects/new");
  const form = xu.getByTestId("project-form");
  await form.locator("#name").fill(NAME);
  await form.locator("#requesting_department_id").selectOption({ label: "财务部" });
  await form.locator("#manager_id").selectOption({ label: "徐明" });
  await form.locator("#sponsor_id").selectOption({ label: "赵敏" });
  await form.locator("#objectives").fill("员工费用报销线上化，报销周期从 10 天缩短到 3 天。");
  await form.locator("#scope_in").fill("报销申请、审批流、财务稽核、付款对接");
  await form.locator("#start_date").fill(day(0));
  await form.locator("#end_date").fill(day(45));
  await form.locator("#budget").fill("100,000");
  await form.locator("button[type=submit]").click();
  await expect(xu).toHaveURL(/\/projects\/\d+$/);
  const projectUrl = new URL(xu.url()).pathname;
  await xu.locator("body[data-hydrated]").waitFor();

  // The kickoff (2.4.1-a).
  const kickoff = await openForm(xu, "record-kickoff", "kickoff-form");
  await kickoff.locator("textarea[name='input[minutes]']").fill("明确目标、范围、里程碑与分工。");
  await kickoff.locator("textarea[name='input[decisions]']").fill("每周进度会。");
  await kickoff.locator("button[type=submit]").click();
  await expect(xu.getByTestId("kickoff-record")).toContainText("每周进度会。");

  // The plan (2.4.1-b): a task, a milestone after it, a budget line, a criterion.
  await open(xu, `${projectUrl}/plan`);
  const schedule = xu.getByTestId("schedule");
  let task = await openForm(xu, "add-task", "task-form-new");
  await task.locator("input[name='input[name]']").fill("报销流程开发");
  await task.locator("input[name='input[planned_start]']").fill(day(0));
  await task.locator("input[name='input[planned_end]']").fill(day(20));
  await task.locator("select[name='input[assignee_id]']").selectOption({ label: "徐明" });
  await task.locator("button[type=submit]").click();
  await expect(schedule.locator("tbody tr")).toHaveCount(1);
  task = await openForm(xu, "add-task", "task-form-new");
  await task.locator("input[name='input[name]']").fill("平台上线");
  await task.locator("select[name='input[kind]']").selectOption("milestone");
  await task.locator("input[name='input[planned_start]']").fill(day(30));
  await task.getByLabel("#1 报销流程开发").check();
  await task.locator("button[type=submit]").click();
  await expect(schedule.locator("tbody tr")).toHaveCount(2);
  const line = await openForm(xu, "add-budget-line", "budget-form-new");
  await line.locator("select[name='input[category]']").selectOption("labour");
  await line.locator("input[name='input[description]']").fill("开发人工");
  await line.locator("input[name='input[amount]']").fill("100000");
  await line.locator("button[type=submit]").click();
  await expect(xu.getByTestId("budget-total")).toHaveText("¥100,000.00");
  const criterion = await openForm(xu, "add-criterion", "criterion-form-new");
  await criterion.locator("input[name='input[criterion]']").fill("报销周期 ≤ 3 天");
  await criterion.locator("input[name='input[method]']").fill("上线后一个月抽样统计");
  await criterion.locator("button[type=submit]").click();
  await expect(xu.getByTestId("quality")).toContainText("报销周期 ≤ 3 天");

  // 2.4.1-c: submitted for review.
  await open(xu, `${projectUrl}/approval`);
  await xu.getByTestId("submission").locator("summary", { hasText: "提交计划审批" }).click();
  await xu.getByTestId("submit-plan").locator("button[type=submit]").click();
  await expect(xu.getByTestId("project-status")).toContainText("计划审批中");

  // The PMO and finance review in parallel from their My work; then the leader approves.
  for (const reviewer of ["wu.hao", "zheng.hong"]) {
    const p = await as(browser, reviewer);
    await fromMyWork(p, "审核项目计划");
    const decide = p.getByTestId("decide-form");
    await decide.locator("textarea").fill("同意。");
    await decide.getByTestId("approve").click();
    await expect(p.getByTestId("decide-form")).toHaveCount(0);
  }
  const zhao = await as(browser, "zhao.min");
  await fromMyWork(zhao, "批准项目计划");
  const leader = zhao.getByTestId("decide-form");
  await leader.locator("textarea").fill("同意实施。");
  await leader.getByTestId("approve").click();
  await expect(zhao.getByTestId("project-status")).toContainText("执行中");
  await expect(zhao.getByTestId("baseline-v1")).toContainText("¥100,000.00");

  // 2.4.2: progress on the task.
  await open(xu, `${projectUrl}/execution`);
  await logProgress(xu, "报销流程开发", "40%", async (p) => {
    await p.locator("#actual_start").fill(day(0));
    await p.locator("#pct_done").fill("40");
  });
  await expect(xu.getByTestId("schedule").locator("tr", { hasText: "报销流程开发" })).toContainText("40%");

  // The development will take longer: its forecast moves past the baseline...
  await open(xu, `${projectUrl}/plan`);
  const first = xu.getByTestId("schedule").locator("tbody tr").first();
  await first.locator("summary", { hasText: "编辑" }).click();
  const edit = first.locator("form[data-testid^='task-form-']");
  await edit.locator("input[name='input[planned_end]']").fill(day(27));
  await edit.locator("button[type=submit]").click();
  await expect(xu.getByTestId("schedule").locator("tbody tr").first()).toContainText(day(27));

  // ...so 2.4.2-b asks for a delay record, which reports to the leader.
  await open(xu, `${projectUrl}/execution`);
  const slips = xu.getByTestId("unrecorded-slips");
  await slips.locator("li", { hasText: "报销流程开发" }).getByRole("link", { name: "登记延误" }).click();
  const delay = xu.getByTestId("delay-form");
  await expect(delay).toBeVisible();
  await xu.locator("#cause").fill("审批规则比预期复杂，需与财务多轮确认。");
  await xu.locator("#measures").fill("增加一名开发人员，审批规则分两批上线。");
  await xu.locator("#forecast_end").fill(day(27));
  await delay.locator("button[type=submit]").click();
  await expect(xu.getByTestId("unrecorded-slips")).toHaveCount(0);

  // 2.4.3-d: the open delay turns the project amber; the early warning reaches the
  // project manager and the leader, with the delay report.
  await expect(xu.getByTestId("project-health")).toContainText("黄");
  await open(xu, "/");
  await expect(xu.getByTestId("inbox-open").locator("a", { hasText: NAME }).filter({ hasText: "变为黄色" })).toContainText("未关闭延误 1");
  await open(zhao, "/");
  const inbox = zhao.getByTestId("inbox-open");
  await expect(inbox.locator("a", { hasText: NAME }).filter({ hasText: "新的预测完成日期" })).toContainText(day(27));
  await inbox.locator("a", { hasText: NAME }).filter({ hasText: "变为黄色" }).click();
  await expect(zhao).toHaveURL(/\/projects\/\d+\/monitoring$/);
  await expect(zhao.getByTestId("mon-health")).toContainText("黄");

  // The work is done: the task finished, the milestone reached.
  await open(xu, `${projectUrl}/execution`);
  await logProgress(xu, "报销流程开发", "100%", async (p) => {
    await p.locator("#pct_done").fill("100");
    await p.locator("#actual_end").fill(day(0));
  });
  await logProgress(xu, "平台上线", "100%", async (p) => {
    await p.locator("#actual_end").fill(day(0));
  });
  await expect(xu.getByTestId("schedule").locator("tr", { hasText: "平台上线" })).toContainText("100%");

  // 2.4.4-a: acceptance applied for with the deliverables, test report and user feedback.
  await open(xu, `${projectUrl}/acceptance`);
  await upload(xu, "deliverable", "交付清单.txt", "text/plain", "费用报销平台交付清单\n1. 平台\n2. 操作手册\n");
  await upload(xu, "test_report", "测试报告.csv", "text/csv", "用例,结果\n报销申请,通过\n");
  await upload(xu, "user_feedback", "用户反馈.md", "text/markdown", "# 用户反馈\n\n- 财务部：好用。\n");
  await expect(xu.getByTestId("attachments").getByTestId("file-row")).toHaveCount(3);
  await xu.locator("#acc-summary").fill("平台已上线，申请验收。");
  const apply = xu.getByTestId("apply-form");
  await apply.locator("summary").click();
  await apply.getByTestId("apply-confirm").click();
  await expect(xu.getByTestId("project-status")).toContainText("验收中");

  // 2.4.4-b: finance, the requesting department, passes it; 2.4.4-c: the report.
  const zheng = await as(browser, "zheng.hong");
  await fromMyWork(zheng, "组织项目验收");
  const review = zheng.getByTestId("review-form");
  for (const item of ["objectives_met", "quality_ok", "documents_complete"]) {
    await review.getByTestId(`check-${item}`).getByLabel("符合", { exact: true }).check();
  }
  await review.locator("summary", { hasText: "验收通过" }).click();
  await review.getByTestId("review-pass").click();
  await expect(zheng.getByTestId("project-status")).toContainText("已关闭");
  await zheng.getByTestId("report-link").click();
  await expect(zheng).toHaveURL(/\/projects\/\d+\/report$/);
  await expect(zheng.getByTestId("report-project")).toContainText(NAME);
  await expect(zheng.getByTestId("report-deliverables")).toContainText("测试报告.csv");

  // The executive opens the project status dashboard.
  await open(zhao, "/projects/dashboard");
  await expect(zhao.locator("h1")).toHaveText("项目状态");
  await expect(zhao.locator("#pd-portfolio canvas")).toBeVisible();
  await expect(zhao.locator("figure.chart").first().locator("tbody tr", { hasText: "已关闭" })).toBeVisible();
});
