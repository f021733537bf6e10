import { test, expect, Page } from "@playwright/test";
import { open, as } from "./helpers";

// Response (5.2-a): the sales manager registers and assesses a high risk of
// his department and accepts it; every executive gets the approval in My
// work; zhao.min approves it from there on the risk's page; the rule 5.2-a
// no longer lists it. Also a measure with an owner and a link to clause 3.1-a.

/** Registers a sales risk owned by 王芳 and assesses it 4 × 4 (high); returns its page's path. */
async function registerHighRisk(page: Page, name: string): Promise<string> {
  await open(page, "/risks/new");
  const form = page.getByTestId("risk-form");
  await form.locator("#name").fill(name);
  await form.locator("#description").fill("主要客户集中于单一行业，行业下行时订单可能大幅减少。");
  await form.locator("#department_id").selectOption({ label: "销售部" });
  await form.locator("#owner_id").selectOption({ label: "王芳" });
  await form.getByTestId("save-risk").click();
  await expect(page).toHaveURL(/\/risks\/\d+$/);
  await page.locator("body[data-hydrated]").waitFor();
  const assess = page.getByTestId("assess");
  await assess.getByTestId("likelihood-4").check();
  await assess.getByTestId("impact-4").check();
  await assess.locator("textarea").fill("行业景气度下降，已有两家客户减少采购。");
  await assess.getByTestId("assess-submit").click();
  await expect(page.getByTestId("current")).toContainText("高");
  const path = new URL(page.url()).pathname;
  await open(page, path);
  await expect(page.getByTestId("current-level")).toContainText("高");
  return path;
}

test("a manager accepts a high risk, zhao.min approves it from My work, rule 5.2-a is satisfied", async ({ browser }) => {
  const name = `行业集中风险 ${Date.now()}`;
  const li = await as(browser, "li.qiang");
  const path = await registerHighRisk(li, name);
  const number = (await li.getByTestId("risk-title").innerText()).split(" ")[0];

  const panel = li.getByTestId("response-panel");
  await expect(panel.getByTestId("strategy")).toContainText("未制定策略");
  const strategy = li.getByTestId("strategy-form");
  await strategy.getByTestId("strategy-accept").check();
  await strategy.getByTestId("strategy-note").fill("已签订长期框架协议，可承受短期订单下降。");
  await strategy.getByTestId("strategy-save").click();
  await expect(panel.getByTestId("strategy")).toContainText("接受");
  await expect(panel.getByTestId("acceptance")).toContainText("待审批");
  await expect(panel.getByTestId("awaiting-approval")).toBeVisible();
  // The manager may not decide it himself.
  await expect(li.getByTestId("decision-form")).toHaveCount(0);

  // A measure for 王芳, linked to a clause of the regulation (5.2-d).
  const measure = li.getByTestId("measure-form");
  await measure.getByTestId("measure-action").fill(`客户多元化培训 ${name}`);
  await measure.getByTestId("measure-due").fill("2030-06-30");
  await measure.getByTestId("measure-link-kind").selectOption("rule");
  await measure.getByTestId("measure-link-ref").fill("9.9-z");
  await measure.getByTestId("measure-add").click();
  await expect(li.locator("#link_ref-error")).toBeVisible();
  await measure.getByTestId("measure-link-ref").fill("3.1-a");
  await measure.getByTestId("measure-add").click();
  const row = li.getByTestId("measure-row").filter({ hasText: name });
  await expect(row).toContainText("王芳");
  await expect(row).toContainText("计划中");
  await expect(row.getByTestId("measure-link")).toHaveAttribute("href", "/regulation#clause-3.1-a");

  // Both executives have the task; zhao.min opens it from My work.
  const sun = await as(browser, "sun.wei");
  await open(sun, "/");
  await expect(sun.getByTestId("inbox-open").locator("a", { hasText: number })).toContainText("审批风险接受");
  const zhao = await as(browser, "zhao.min");
  await open(zhao, "/");
  const task = zhao.getByTestId("inbox-open").locator("a", { hasText: number });
  await expect(task).toContainText("审批风险接受");
  await task.click();
  await expect(zhao).toHaveURL(new RegExp(`${path}$`));
  await zhao.locator("body[data-hydrated]").waitFor();
  const decision = zhao.getByTestId("decision-form");
  await decision.getByTestId("decision-note").fill("同意接受，每季度复核客户结构。");
  await decision.locator("summary", { hasText: "批准接受" }).click();
  await decision.getByTestId("approve-confirm").click();
  const zpanel = zhao.getByTestId("response-panel");
  await expect(zpanel.getByTestId("acceptance")).toContainText("已批准接受");
  await expect(zpanel.getByTestId("acceptance")).toContainText("赵敏");
  await expect(zhao.getByTestId("decision-form")).toHaveCount(0);

  // The other executive's task is done too; the owner's manager sees the approval.
  await open(sun, "/");
  await expect(sun.getByTestId("inbox-open").locator("a", { hasText: number })).toHaveCount(0);
  await open(li, path);
  await expect(li.getByTestId("response-panel").getByTestId("acceptance")).toContainText("同意接受，每季度复核客户结构。");

  // Rule 5.2-a no longer lists the risk.
  await open(zhao, "/compliance");
  await expect(zhao.locator("main")).toContainText("5.2-a");
  await expect(zhao.locator(`a[href="${path}"]`)).toHaveCount(0);
});
