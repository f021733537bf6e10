import { test, expect, Page, Locator } from "@playwright/test";
import { PASSWORD, open, signIn } from "./helpers";

// The board's seven columns side by side, so a drag never has to scroll.
test.use({ viewport: { width: 1680, height: 1000 } });

function inDays(n: number): string {
  const d = new Date(Date.now() + n * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Creates an opportunity for the first customer offered and returns its id. */
async function createOpportunity(page: Page, title: string, amount: string): Promise<string> {
  await open(page, "/sales/opportunities/new");
  await page.locator("#customer_id").selectOption({ index: 1 });
  await page.locator("#title").fill(title);
  await page.locator("#amount").fill(amount);
  await page.locator("#expected_close").fill(inDays(10));
  await page.locator("#needs_analysis").fill("客户需要提升缸体加工效率，节拍 90 秒以内。");
  await page.getByTestId("opportunity-form").locator("button[type=submit]").click();
  await expect(page).toHaveURL(/\/sales\/opportunities\/\d+$/);
  await expect(page.locator("h1")).toContainText(title);
  return page.url().split("/").pop() as string;
}

/** Drags a card onto a column's header (HTML5 drag and drop). */
async function dropOn(page: Page, card: Locator, stage: string) {
  await card.dragTo(page.getByTestId(`column-${stage}`), { targetPosition: { x: 60, y: 20 } });
}

async function count(page: Page, stage: string): Promise<number> {
  return Number(await page.getByTestId(`count-${stage}`).innerText());
}

/** Waits until the board shows `n` cards counted in `stage`. */
async function expectCount(page: Page, stage: string, n: number) {
  await expect(page.getByTestId(`count-${stage}`)).toHaveText(String(n));
}

test("wang.fang moves a new opportunity across the board to won, by drag and drop and by select", async ({ page }) => {
  await signIn(page, "wang.fang");
  const title = `缸体加工线 ${Date.now() % 100000}`;
  const id = await createOpportunity(page, title, "888,000");

  await open(page, "/sales/pipeline");
  const card = page.getByTestId(`card-${id}`);
  await expect(page.getByTestId("column-lead").getByTestId(`card-${id}`)).toBeVisible();
  const lead = await count(page, "lead");
  const qualified = await count(page, "qualified");
  const needs = await count(page, "needs_analysis");
  const won = await count(page, "won");

  // Drag and drop: lead -> qualified.
  await dropOn(page, card, "qualified");
  await expect(page.getByTestId("column-qualified").getByTestId(`card-${id}`)).toBeVisible();
  await expectCount(page, "lead", lead - 1);
  await expectCount(page, "qualified", qualified + 1);

  // The stage select on the card (keyboard users): qualified -> needs analysis.
  await card.locator("select").selectOption("needs_analysis");
  await card.locator("button[type=submit]").click();
  await expect(page.getByTestId("column-needs_analysis").getByTestId(`card-${id}`)).toBeVisible();
  await expectCount(page, "qualified", qualified);
  await expectCount(page, "needs_analysis", needs + 1);

  // Dropping on "lost" asks for the reason first; an empty one is refused at the field.
  await dropOn(page, card, "lost");
  const prompt = page.getByTestId("lost-prompt");
  await expect(prompt).toBeVisible();
  await prompt.locator("button[type=submit]").click();
  await expect(prompt.locator("#lost_reason-error")).toHaveText("转为输单时必须填写输单原因。");
  await prompt.getByText("取消").click();
  await expect(prompt).toBeHidden();
  await expect(page.getByTestId("column-needs_analysis").getByTestId(`card-${id}`)).toBeVisible();

  // On through proposal (drag) and negotiation (select) to won (drag).
  await dropOn(page, card, "proposal");
  await expect(page.getByTestId("column-proposal").getByTestId(`card-${id}`)).toBeVisible();
  await card.locator("select").selectOption("negotiation");
  await card.locator("button[type=submit]").click();
  await expect(page.getByTestId("column-negotiation").getByTestId(`card-${id}`)).toBeVisible();
  await dropOn(page, card, "won");
  await expect(page.getByTestId("column-won").getByTestId(`card-${id}`)).toBeVisible();
  await expectCount(page, "won", won + 1);
  await expectCount(page, "lead", lead - 1);

  // The opportunity remembers every step and offers the contract draft.
  await open(page, `/sales/opportunities/${id}`);
  await expect(page.getByTestId("stage-badge").first()).toHaveText("赢单");
  await expect(page.getByTestId("stage-history").locator("tbody tr")).toHaveCount(6);
  await expect(page.getByTestId("draft-contract")).toBeVisible();
});

test("a quotation with a big discount waits for li.qiang's approval before it is sent", async ({ page, browser }) => {
  await signIn(page, "wang.fang");
  const id = await createOpportunity(page, `机器人焊接站 ${Date.now() % 100000}`, "536000");
  await page.getByTestId("quotation-new").locator("#valid_until").fill(inDays(30));
  await page.getByTestId("quotation-new").locator("button[type=submit]").click();
  await expect(page).toHaveURL(/\/sales\/quotations\/\d+$/);
  const quoteUrl = new URL(page.url()).pathname;
  await expect(page.locator("h1")).toContainText("BJ-");

  // A line from the catalogue: price and delivery come from it; 25 % is over the limit.
  const form = page.getByTestId("line-form");
  await form.locator("#product_id").selectOption({ index: 1 });
  await form.locator("#quantity").fill("2");
  await form.locator("#discount").fill("25");
  await form.locator("button[type=submit]").click();
  await expect(page.getByTestId("quote-lines").locator("tbody tr")).toHaveCount(1);
  await expect(page.getByTestId("quote-lines")).toContainText("25%");
  await expect(page.getByTestId("quote-lines")).toContainText("超出折扣权限");

  await page.locator("summary", { hasText: "提交" }).click();
  await page.getByTestId("submit-quote").click();
  await expect(page.locator("h1")).toContainText("待审批");
  await expect(page.getByTestId("send-quote")).toHaveCount(0);

  // li.qiang finds the task in My work and approves.
  const ctx = await browser.newContext();
  const mgr = await ctx.newPage();
  await signIn(mgr, "li.qiang");
  await expect(mgr.getByTestId("inbox-open").locator(`a[href="${quoteUrl}"]`)).toBeVisible();
  await open(mgr, quoteUrl);
  await mgr.getByTestId("decide-form").locator("#comment").fill("同意，注意回款节点。");
  await mgr.getByTestId("approve").click();
  await expect(mgr.locator("h1")).toContainText("已批准");
  await ctx.close();

  // Now wang.fang can send it.
  await open(page, quoteUrl);
  await expect(page.locator("h1")).toContainText("已批准");
  await page.locator("summary", { hasText: "标记为已发送" }).click();
  await page.getByTestId("send-quote").click();
  await expect(page.locator("h1")).toContainText("已发送");
  await open(page, `/sales/opportunities/${id}`);
  await expect(page.getByTestId("quotations")).toContainText("已发送");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("cards move by the stage select, and lost asks for the reason", async ({ page }) => {
    await page.goto("/login");
    await page.locator("#username").fill("wang.fang");
    await page.locator("#password").fill(PASSWORD);
    await page.locator("main form button[type=submit]").click();
    await expect(page.locator("h1")).toHaveText("我的工作");
    await page.goto("/sales/pipeline");
    const first = page.getByTestId("column-lead").locator(".opp-card").first();
    const id = await first.getAttribute("data-id");
    const card = page.getByTestId(`card-${id}`);
    await card.locator("select").selectOption("qualified");
    await card.locator("button[type=submit]").click();
    await expect(page.getByTestId("column-qualified").getByTestId(`card-${id}`)).toBeVisible();
    // Lost without a reason comes back with the question and the message at the field.
    await card.locator("select").selectOption("lost");
    await card.locator("button[type=submit]").click();
    const prompt = page.getByTestId("lost-prompt");
    await expect(prompt.locator("#lost_reason-error")).toHaveText("转为输单时必须填写输单原因。");
    await expect(page.getByTestId("column-qualified").getByTestId(`card-${id}`)).toBeVisible();
    await prompt.locator("#lost-reason").fill("客户选择了进口品牌。");
    await prompt.locator("button[type=submit]").click();
    await expect(page.getByTestId("column-lost").getByTestId(`card-${id}`)).toBeVisible();
    await expect(page.getByTestId("lost-prompt")).toHaveCount(0);
  });
});
