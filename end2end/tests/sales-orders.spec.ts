import { test, expect, Page, Browser } from "@playwright/test";
import { PASSWORD, open, as } from "./helpers";

test("order from a signed contract, into production, a production delay reaches the leader; finance records a payment", async ({ browser }) => {
  // wang.fang creates an order from one of her signed contracts.
  const wang = await as(browser, "wang.fang");
  await open(wang, "/sales/orders/new");
  await wang.getByTestId("signed-contracts").locator("tbody tr a").first().click();
  await expect(wang).toHaveURL(/\/sales\/orders\/new\?contract=\d+/);
  await expect(wang.getByTestId("order-form").locator("tbody tr").first()).toBeVisible();
  const contractLines = await wang.getByTestId("order-form").locator("tbody tr").count();
  expect(contractLines).toBeGreaterThan(0);
  await wang.getByTestId("order-form").locator("button[type=submit]").click();
  await expect(wang).toHaveURL(/\/sales\/orders\/\d+$/);
  await expect(wang.locator("h1")).toContainText("DD-");
  await expect(wang.getByTestId("order-status")).toContainText("已确认");
  const number = ((await wang.locator("h1").textContent()) || "").match(/DD-\d{4}-\d{4}/)?.[0] || "";
  expect(number).not.toBe("");
  const orderUrl = wang.url();
  // Lines were copied from the contract.
  await expect(wang.getByTestId("order-lines").locator("tbody tr")).toHaveCount(contractLines);

  // Into production, after confirming.
  const step = wang.getByTestId("order-step");
  await step.locator("summary").click();
  await step.locator("button[type=submit]").click();
  await expect(wang.getByTestId("order-status")).toContainText("生产中");
  await expect(wang.getByTestId("order-step").locator("summary")).toContainText("确认发货");

  // A production delay, reported to her supervisor at once.
  await wang.locator("details.report-exception summary").click();
  await wang.locator("#exc-kind").selectOption("production_delay");
  await wang.getByTestId("exception-form").locator("button[type=submit]").click();
  await expect(wang.locator("#description-error")).toBeVisible(); // the description is required
  await wang.locator("#exc-description").fill("外购电机到货推迟五天，总装顺延。");
  await wang.getByTestId("exception-form").locator("button[type=submit]").click();
  await expect(wang.getByTestId("exceptions")).toContainText("外购电机到货推迟五天");
  await expect(wang.getByTestId("exceptions")).toContainText("李强");

  // li.qiang finds the task in My work and opens the order.
  const li = await as(browser, "li.qiang");
  const task = li.getByTestId("inbox-open").locator("a", { hasText: number });
  await expect(task).toBeVisible();
  await task.click();
  await expect(li).toHaveURL(orderUrl);
  await expect(li.locator("h1")).toContainText(number);
  await expect(li.getByTestId("exceptions")).toContainText("生产延误");

  // ma.lin (finance) records a partial payment; the ageing table changes.
  const ma = await as(browser, "ma.lin");
  await open(ma, "/sales/receivables");
  const total = ma.getByTestId("ageing").locator("tr.total").first();
  await expect(total).toBeVisible();
  const before = await total.textContent();
  await ma.locator("table.data:not(.ageing) tbody tr a").first().click();
  await expect(ma).toHaveURL(/\/sales\/receivables\/\d+$/);
  await ma.locator("body[data-hydrated]").waitFor();
  const outstandingBefore = await ma.getByTestId("outstanding").textContent();
  // More than what is outstanding is refused at the field.
  await ma.locator("#amount").fill("999999999");
  await ma.getByTestId("payment-form").locator("button[type=submit]").click();
  await expect(ma.locator("#amount-error")).toBeVisible();
  await ma.locator("#amount").fill("1000");
  await ma.locator("#reference").fill("HD-E2E-001");
  await ma.getByTestId("payment-form").locator("button[type=submit]").click();
  await expect(ma.getByTestId("payments")).toContainText("HD-E2E-001");
  await expect(ma.getByTestId("outstanding")).not.toHaveText(outstandingBefore || "");
  await open(ma, "/sales/receivables");
  await expect(ma.getByTestId("ageing").locator("tr.total").first()).not.toHaveText(before || "");
});

test("the order list filters late orders and the pages speak English", async ({ browser }) => {
  const li = await as(browser, "li.qiang");
  await open(li, "/sales/orders?late=1");
  await expect(li.getByTestId("late").first()).toBeVisible();
  // Wait until the choice is saved: the next page load reads it from the account.
  await Promise.all([li.waitForResponse(/account\/language/), li.getByTestId("lang-switch").click()]);
  await expect(li.locator("h1")).toHaveText("Orders");
  await expect(li.getByTestId("late").first()).toContainText("Late");
  await open(li, "/sales/receivables");
  await expect(li.getByTestId("ageing")).toContainText("Over 90 days overdue");
  await li.getByTestId("lang-switch").click();
  await expect(li.locator("h1")).toHaveText("应收账款");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  async function plainSignIn(page: Page, username: string) {
    await page.goto("/login");
    await page.locator("#username").fill(username);
    await page.locator("#password").fill(PASSWORD);
    await page.locator("main form button[type=submit]").click();
    await expect(page.locator(".user-name")).toBeVisible();
  }

  test("customer updates, status steps and payments work as plain form posts", async ({ browser }) => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    // The sales manager sees the department's orders, among them the demo's confirmed one.
    await plainSignIn(page, "li.qiang");
    await page.goto("/sales/orders?status=confirmed");
    await page.locator("table.data tbody tr a").first().click();
    await expect(page).toHaveURL(/\/sales\/orders\/\d+$/);
    // An empty update is refused at its field; what was chosen is kept.
    await page.locator("#channel").selectOption("visit");
    await page.getByTestId("update-form").locator("button[type=submit]").click();
    await expect(page.locator("#content-error")).toBeVisible();
    await expect(page.locator("#channel")).toHaveValue("visit");
    await page.locator("#content").fill("上门告知客户排产计划。");
    await page.getByTestId("update-form").locator("button[type=submit]").click();
    await expect(page.getByTestId("customer-updates")).toContainText("上门告知客户排产计划。");
    // A status step through the native disclosure.
    await page.getByTestId("order-step").locator("summary").click();
    await page.getByTestId("order-step").locator("button[type=submit]").click();
    await expect(page.getByTestId("order-status")).toContainText("生产中");
    await ctx.close();

    const fin = await browser.newContext({ javaScriptEnabled: false });
    const ma = await fin.newPage();
    await plainSignIn(ma, "ma.lin");
    await ma.goto("/sales/receivables?bucket=not_due");
    await ma.locator("table.data:not(.ageing) tbody tr a").first().click();
    await ma.locator("#amount").fill("999999999");
    await ma.getByTestId("payment-form").locator("button[type=submit]").click();
    await expect(ma.locator("#amount-error")).toBeVisible();
    await expect(ma.locator("#amount")).toHaveValue("999999999");
    await ma.locator("#amount").fill("10");
    await ma.getByTestId("payment-form").locator("button[type=submit]").click();
    await expect(ma.getByTestId("payments")).toContainText("¥10.00");
    await fin.close();
  });
});
