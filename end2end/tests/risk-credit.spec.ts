import { test, expect } from "@playwright/test";
import { open, signIn, as } from "./helpers";

// Credit risk (5.2-c): the risk analyst evaluates a customer, the risk manager
// approves the limit, a contract over it is flagged in review with the
// customer's rating; the receivables ageing shows the provision.

function inDays(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}

test("a credit evaluation is approved and a contract over the limit is flagged in review", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const stamp = Date.now() % 1_000_000;
  const customer = `信用评估测试${stamp}有限公司`;
  const title = `信用测试产线 ${stamp}`;

  // wang.fang files a customer and wins an opportunity with it.
  await signIn(page, "wang.fang");
  await open(page, "/sales/customers/new");
  await page.locator("#name").fill(customer);
  await page.locator("#status").selectOption("customer");
  // The credit limit is no longer typed on the customer form.
  await expect(page.locator("#credit_limit")).toHaveCount(0);
  await page.getByTestId("customer-form").locator("button[type=submit]").click();
  await expect(page).toHaveURL(/\/sales\/customers\/\d+$/);
  const customerId = page.url().split("/").pop() as string;
  await page.locator("body[data-hydrated]").waitFor();
  await expect(page.getByTestId("customer-credit")).toBeVisible();
  await expect(page.getByTestId("credit-limit")).toHaveText("—");

  await open(page, "/sales/opportunities/new");
  await page.locator("#customer_id").selectOption({ label: customer });
  await page.locator("#title").fill(title);
  await page.locator("#amount").fill("760,000");
  await page.locator("#expected_close").fill(inDays(10));
  await page.locator("#needs_analysis").fill("整线自动化改造。");
  await page.getByTestId("opportunity-form").locator("button[type=submit]").click();
  await expect(page).toHaveURL(/\/sales\/opportunities\/\d+$/);
  const oppId = page.url().split("/").pop() as string;
  await page.setViewportSize({ width: 1680, height: 1000 });
  await open(page, "/sales/pipeline");
  const card = page.getByTestId(`card-${oppId}`);
  await card.locator("select").selectOption("won");
  await card.locator("button[type=submit]").click();
  await expect(page.getByTestId("column-won").getByTestId(`card-${oppId}`)).toBeVisible();

  // gao.jun (risk analyst) evaluates the customer: facts from the data, rated factors.
  const gao = await as(browser, "gao.jun");
  await open(gao, `/risks/credit/new?customer=${customerId}`);
  await expect(gao.getByTestId("form-customer")).toHaveText(customer);
  await expect(gao.getByTestId("fact-on-time")).toHaveText("无付款记录");
  // A factor left out is refused at its field.
  await gao.locator("#financial_standing").selectOption("3");
  await gao.locator("#management_quality").selectOption("3");
  await gao.locator("#proposed_limit").fill("500,000");
  await gao.locator("#industry_outlook").evaluate((el) => el.removeAttribute("required"));
  await gao.getByTestId("save-evaluation").click();
  await expect(gao.locator("#industry_outlook-error")).toBeVisible();
  await gao.locator("#industry_outlook").selectOption("3");
  await gao.getByTestId("save-evaluation").click();
  await expect(gao).toHaveURL(/\/risks\/credit\/\d+$/);
  await gao.locator("body[data-hydrated]").waitFor();
  const evalUrl = new URL(gao.url()).pathname;
  await expect(gao.getByTestId("eval-status").first()).toHaveText("草稿");
  // No history: the rated factors weigh 60 → 30, nothing overdue 15 → 45, B.
  await expect(gao.getByTestId("eval-score")).toHaveText("45");
  await expect(gao.getByTestId("rating").first()).toHaveText("B");
  await expect(gao.getByTestId("without-history")).toBeVisible();
  await expect(gao.getByTestId("proposed-limit")).toHaveText("¥500,000.00");
  const number = ((await gao.getByTestId("eval-number").textContent()) ?? "").trim();
  expect(number).toMatch(/^XY-\d{4}-\d{4}$/);
  await gao.getByTestId("submit-evaluation").click();
  await expect(gao.getByTestId("eval-status").first()).toHaveText("待审批");
  // The analyst cannot approve.
  await expect(gao.getByTestId("decide")).toHaveCount(0);
  await gao.context().close();

  // luo.yan (risk manager) finds it awaiting her approval and approves.
  const luo = await as(browser, "luo.yan");
  await open(luo, "/risks/credit");
  await expect(luo.getByTestId("awaiting")).toContainText(number);
  await luo.getByTestId("awaiting").getByRole("link", { name: number }).click();
  await expect(luo).toHaveURL(new RegExp(`${evalUrl}$`));
  await luo.locator("body[data-hydrated]").waitFor();
  await expect(luo.locator("#limit")).toHaveValue("500000.00");
  await luo.getByTestId("approve").click();
  await expect(luo.getByTestId("eval-status").first()).toHaveText("已批准");
  await expect(luo.getByTestId("approved-limit")).toHaveText("¥500,000.00");
  await expect(luo.getByTestId("decide")).toHaveCount(0);
  await luo.context().close();

  // The customer page shows the rating, the limit and the evaluation.
  await open(page, `/sales/customers/${customerId}`);
  await expect(page.getByTestId("customer-credit").getByTestId("rating")).toHaveText("B");
  await expect(page.getByTestId("credit-limit")).toHaveText("¥500,000.00");
  await expect(page.getByTestId("credit-evaluation-link")).toHaveAttribute("href", evalUrl);

  // wang.fang drafts a 760,000 contract from the won opportunity and submits it.
  await open(page, "/sales/contracts");
  const draft = page.getByTestId("draft-form");
  await draft.locator("#opportunity_id").selectOption({ label: `${title} · ${customer}` });
  await draft.locator("button[type=submit]").click();
  await expect(page).toHaveURL(/\/sales\/contracts\/\d+$/);
  await page.locator("body[data-hydrated]").waitFor();
  await page.locator("#rights_obligations").fill("甲方按期付款；乙方按规格交付设备并负责安装调试。");
  await page.locator("#line-0-description").fill("自动化产线");
  await page.locator("#line-0-specification").fill("AL-2");
  await page.locator("#line-0-unit").fill("套");
  await page.locator("#line-0-quantity").fill("2");
  await page.locator("#line-0-unit_price").fill("380000");
  await page.locator("#delivery_date").fill(inDays(120));
  await page.locator("#inst-0-due_date").fill(inDays(30));
  await page.locator("#inst-0-amount").fill("760000");
  await page.locator("#inst-0-description").fill("全款");
  await page.locator("#breach_liability").fill("任何一方违约，按日支付合同金额 0.05% 的违约金。");
  await page.getByTestId("submit-review").click();
  await expect(page.getByTestId("contract-status")).toHaveText("审核中");

  // The review shows the flag with the customer's evaluated rating and limit.
  const flag = page.getByTestId("credit-flag");
  await expect(flag).toBeVisible();
  await expect(flag.getByTestId("credit-note")).toBeVisible();
  await expect(flag.getByTestId("rating")).toHaveText("B");
  await expect(flag.getByTestId("credit-note-limit")).toHaveText("¥500,000.00");
  const contractUrl = new URL(page.url()).pathname;
  // A reviewer in finance sees the same.
  const ma = await as(browser, "ma.lin");
  await open(ma, contractUrl);
  await expect(ma.getByTestId("credit-flag").getByTestId("credit-note-limit")).toHaveText("¥500,000.00");
  await ma.context().close();
});

test("the receivables ageing groups open receivables by bucket with the provision", async ({ page }) => {
  await signIn(page, "luo.yan");
  await open(page, "/risks/ageing");
  await expect(page.locator("h1")).toHaveText("应收账款账龄");
  await expect(page.getByTestId("ageing-total").first()).toBeVisible();
  await expect(page.getByTestId("ageing-provision").first()).toBeVisible();
  await expect(page.getByTestId("ageing-row").first()).toBeVisible();
  await page.getByRole("link", { name: "按部门" }).click();
  await expect(page).toHaveURL(/by=department/);
  await expect(page.getByTestId("ageing-row").first()).toBeVisible();
  // The customers over their limit (also on the risk dashboard): the demo has one.
  await open(page, "/risks/credit");
  await expect(page.getByTestId("breach-list").getByTestId("breach-row").first()).toBeVisible();
  await expect(page.getByTestId("unevaluated")).toBeVisible();
});
