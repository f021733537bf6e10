import { test, expect, Page, Browser } from "@playwright/test";
import { open, signIn, as } from "./helpers";

// Contracts (2.2.3): draft from a won opportunity, required terms, parallel
// review with a rejection, signing within authority, acknowledging a copy.

async function review(browser: Browser, username: string, url: string, dept: string, decision: "approve" | "reject", comment = "") {
  const page = await as(browser, username);
  await open(page, url);
  const row = page.getByTestId(`review-${dept}`);
  const form = row.getByTestId("review-form");
  if (comment) await form.locator("textarea").fill(comment);
  await form.locator(`button[value=${decision}]`).click();
  await expect(row).toContainText(decision === "approve" ? "已通过" : "已退回");
  await page.context().close();
}

test("a contract goes from a won opportunity through review, signing and distribution", async ({ page, browser }) => {
  test.setTimeout(180_000);
  // wang.fang drafts from her won opportunity.
  await signIn(page, "wang.fang");
  await open(page, "/sales/contracts");
  const draft = page.getByTestId("draft-form");
  await expect(draft).toBeVisible();
  await draft.locator("button[type=submit]").click();
  await expect(page).toHaveURL(/\/sales\/contracts\/\d+$/);
  await page.locator("body[data-hydrated]").waitFor();
  const url = new URL(page.url()).pathname;
  await expect(page.getByTestId("contract-status")).toHaveText("草稿");
  await expect(page.getByTestId("contract-number")).toHaveText(/^HT-\d{4}-\d{4}$/);
  const number = (await page.getByTestId("contract-number").textContent()) ?? "";

  // Terms, with the liability for breach left out: refused at that field.
  const form = page.getByTestId("terms-form");
  await page.locator("#rights_obligations").fill("甲方按期付款并提供场地；乙方按规格交付设备并负责安装调试和培训。");
  await page.locator("#line-0-description").fill("五轴数控加工中心");
  await page.locator("#line-0-specification").fill("VMC-850");
  await page.locator("#line-0-unit").fill("台");
  await page.locator("#line-0-quantity").fill("2");
  await page.locator("#line-0-unit_price").fill("380000");
  await page.locator("#delivery_date").fill("2027-03-31");
  await page.locator("#inst-0-due_date").fill("2027-01-15");
  await page.locator("#inst-0-amount").fill("228000");
  await page.locator("#inst-0-description").fill("预付款");
  await page.getByTestId("add-instalment").click();
  await page.locator("#inst-1-due_date").fill("2027-04-30");
  await page.locator("#inst-1-amount").fill("532000");
  await page.locator("#inst-1-description").fill("验收款");
  await page.getByTestId("submit-review").click();
  await expect(page.locator("#breach_liability-error")).toBeVisible();
  await expect(page.getByTestId("contract-status")).toHaveText("草稿");
  // What was typed is still there.
  await expect(page.locator("#line-0-unit_price")).toHaveValue("380000");
  await page.locator("#breach_liability").fill("任何一方违约，按日支付合同金额 0.05% 的违约金。");
  await page.getByTestId("submit-review").click();
  await expect(page.getByTestId("contract-status")).toHaveText("审核中");
  await expect(page.getByTestId("contract-amount")).toHaveText("¥760,000.00");

  // Finance and legal approve; production rejects with a comment.
  await review(browser, "ma.lin", url, "财务部", "approve");
  await review(browser, "lin.tao", url, "法务部", "approve");
  const zhu = await as(browser, "zhu.gang");
  await open(zhu, url);
  const prodRow = zhu.getByTestId("review-生产部");
  // A rejection needs a comment.
  await prodRow.locator("button[value=reject]").click();
  await expect(zhu.locator("#comment-error")).toBeVisible();
  await prodRow.locator("textarea").fill("交付期过紧，请顺延到 2027 年 5 月底。");
  await prodRow.locator("button[value=reject]").click();
  await expect(zhu.getByTestId("contract-status")).toHaveText("草稿");
  await zhu.context().close();

  // wang.fang sees the comment, fixes the delivery date and resubmits.
  await open(page, url);
  await expect(page.getByTestId("returned")).toContainText("交付期过紧");
  await page.locator("#delivery_date").fill("2027-05-31");
  await page.getByTestId("submit-review").click();
  await expect(page.getByTestId("contract-status")).toHaveText("审核中");

  for (const [who, dept] of [["ma.lin", "财务部"], ["lin.tao", "法务部"], ["zhu.gang", "生产部"]]) {
    await review(browser, who, url, dept, "approve");
  }
  await open(page, url);
  await expect(page.getByTestId("contract-status")).toHaveText("待签订");

  // li.qiang's limit (¥500,000) does not cover ¥760,000.
  const li = await as(browser, "li.qiang");
  await open(li, "/sales/contracts?waiting=sign");
  await li.locator("main .empty, main table.data").first().waitFor();
  await expect(li.locator("main")).not.toContainText(number);
  await open(li, url);
  await li.getByTestId("sign-box").locator("summary").click();
  await li.getByTestId("sign-confirm").click();
  await expect(li.locator("#signer-error")).toContainText("¥500,000.00");
  await expect(li.getByTestId("contract-status")).toHaveText("待签订");
  await li.context().close();

  // sun.wei finds it awaiting his signature and signs.
  const sun = await as(browser, "sun.wei");
  await open(sun, "/sales/contracts?waiting=sign");
  await expect(sun.locator("table.data")).toContainText(number);
  await open(sun, url);
  await sun.getByTestId("sign-box").locator("summary").click();
  await sun.getByTestId("sign-confirm").click();
  await expect(sun.getByTestId("contract-status")).toHaveText("已签订");
  await expect(sun.getByTestId("copies")).toContainText("物流部");
  await sun.context().close();

  // ma.lin acknowledges the finance copy (in English, to check the translation).
  const ma = await as(browser, "ma.lin");
  await open(ma, url);
  await ma.getByTestId("lang-switch").click();
  await expect(ma.getByTestId("contract-status")).toHaveText("Signed");
  const copy = ma.getByTestId("copy-财务部");
  await copy.getByTestId("ack-copy").click();
  await expect(copy).toContainText("Acknowledged");
  await expect(ma.getByTestId("copy-物流部")).toContainText("Awaiting acknowledgement");
  await ma.context().close();

  // The owner sees versions and history.
  await open(page, url);
  await expect(page.getByTestId("versions")).toContainText("第 1 版");
  await expect(page.getByTestId("history")).toContainText("签订合同");
});

test("admins manage signing authorities", async ({ page }) => {
  await signIn(page, "admin");
  await open(page, "/admin/signing");
  await expect(page.getByTestId("authority-sun.wei")).toContainText("¥5,000,000.00");
  const add = page.getByTestId("add-authority");
  // (Earlier journeys may have renamed people; 郭鹏 is left alone.)
  await add.locator("#auth-user").selectOption({ label: "郭鹏" });
  await add.locator("#auth-limit").fill("300000");
  await add.locator("button[type=submit]").click();
  await expect(page.getByTestId("authority-guo.peng")).toContainText("¥300,000.00");
});
