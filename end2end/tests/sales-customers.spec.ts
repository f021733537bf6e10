import { test, expect, Page } from "@playwright/test";
import { PASSWORD, open, signIn } from "./helpers";

/** Today in the company's time zone, yyyy-mm-dd. */
function companyToday(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
}

const NAME = "星河测控技术有限公司";

test("a salesperson files a customer, adds a contact, plans a visit and finds it in the calendar and in My work", async ({ page }) => {
  await signIn(page, "wang.fang");
  await open(page, "/sales/customers");
  await expect(page.locator("h1")).toHaveText("客户");
  await page.getByTestId("new-customer").click();
  await expect(page).toHaveURL(/\/sales\/customers\/new$/);
  await page.locator("body[data-hydrated]").waitFor();

  // A bad phone is refused at the field.
  const form = page.getByTestId("customer-form");
  await page.locator("#name").fill(NAME);
  await page.locator("#phone").fill("no phone");
  await form.locator("button[type=submit]").click();
  await expect(page.locator("#phone-error")).toBeVisible();
  await expect(page.locator("#phone-error")).toContainText("电话号码");

  await page.locator("#phone").fill("0571-8765 4321");
  await page.locator("#tax_id").fill("91330100MA2XYZ0001");
  await page.locator("#industry").fill("工业测控");
  await page.locator("#region").fill("浙江杭州");
  await page.locator("#source_channel").selectOption("trade_show");
  await page.locator("#source_detail").fill("2026 杭州工业自动化展");
  await page.locator("#intent").selectOption("high");
  await page.locator("#needs").fill("产线数据采集与设备联网。");
  await form.locator("button[type=submit]").click();
  await expect(page).toHaveURL(/\/sales\/customers\/\d+$/);
  await expect(page.locator("h1")).toContainText(NAME);
  await expect(page.locator("h1")).toContainText("潜在客户");
  const customerUrl = page.url();

  // Filing the same company again (another legal form) warns with a link; "create anyway" goes through.
  await open(page, "/sales/customers/new");
  await page.locator("#name").fill("星河测控技术 股份有限公司");
  await page.getByTestId("customer-form").locator("button[type=submit]").click();
  const dups = page.getByTestId("duplicates");
  await expect(dups).toBeVisible();
  await expect(dups.locator("a")).toHaveText(NAME);
  await expect(dups).toContainText("名称相同");
  await page.getByTestId("confirm-duplicate").check();
  await page.getByTestId("customer-form").locator("button[type=submit]").click();
  await expect(page).toHaveURL(/\/sales\/customers\/\d+$/);
  expect(page.url()).not.toEqual(customerUrl);

  // Add a contact.
  await open(page, customerUrl);
  await page.getByTestId("add-contact").click();
  await page.locator("#contact-new-name").fill("周晓东");
  await page.locator("#contact-new-title").fill("设备部主任");
  await page.locator("#contact-new-phone").fill("139 0571 0001");
  await page.locator("#contact-new-primary").check();
  await page.getByTestId("contact-new-c-form").locator("button[type=submit]").click();
  const contacts = page.getByTestId("contacts");
  await expect(contacts.locator("table")).toContainText("周晓东");
  await expect(contacts.locator("table")).toContainText("主要联系人");

  // Plan a visit for today with that contact.
  const today = companyToday();
  await page.getByTestId("plan-visit").click();
  await page.locator("#plan-date").fill(today);
  await page.locator("#plan-purpose").fill("演示数据采集方案");
  await page.locator("#plan-contact").selectOption({ label: "周晓东" });
  await page.getByTestId("plan-visit-form").locator("button[type=submit]").click();
  const visits = page.getByTestId("visits");
  await expect(visits.locator("table")).toContainText("演示数据采集方案");
  await expect(visits.locator("table")).toContainText("已计划");

  // The calendar shows it on today's date, linking to the customer.
  await open(page, "/sales/visits");
  const cell = page.locator(`td[data-date="${today}"]`);
  await expect(cell).toHaveClass(/today/);
  await expect(cell.locator("a", { hasText: NAME })).toHaveAttribute("href", new URL(customerUrl).pathname);
  // Previous and next months are a click away.
  await page.getByTestId("next-month").click();
  await expect(page.getByTestId("month")).not.toHaveText(today.slice(0, 7));
  await page.getByTestId("prev-month").click();
  await expect(page.getByTestId("month")).toHaveText(today.slice(0, 7));

  // My work holds the visit as a task due today.
  await open(page, "/");
  await expect(page.getByTestId("inbox-open")).toContainText(`拜访${NAME}：演示数据采集方案`);

  // Recording the visit closes the task.
  await open(page, customerUrl);
  const row = page.getByTestId("visits").locator("tr", { hasText: "演示数据采集方案" });
  await row.locator("summary", { hasText: "记录拜访" }).click();
  await row.locator("textarea").fill("客户认可方案，要求报价。");
  await row.locator("input[name='input[next_step]']").fill("一周内报价");
  await row.locator("form button[type=submit]").first().click();
  await expect(page.getByTestId("visits").locator("table")).toContainText("已拜访");
  await open(page, "/");
  await expect(page.getByTestId("inbox-open")).not.toContainText(`拜访${NAME}：演示数据采集方案`);
});

test("the customer pages are translated into English", async ({ page }) => {
  await signIn(page, "wang.fang");
  await open(page, "/sales/customers?q=%E6%81%92%E8%BF%9C");
  await page.locator("table.data a", { hasText: "苏州恒远精密机械有限公司" }).click();
  await expect(page.locator("h1")).toContainText("苏州恒远精密机械有限公司");
  await page.locator("body[data-hydrated]").waitFor();
  await expect(page.getByTestId("contacts").locator("h2")).toHaveText("联系人");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByTestId("contacts").locator("h2")).toHaveText("Contacts");
  await expect(page.getByTestId("visits").locator("h2")).toHaveText("Visits");
  await expect(page.locator("h1")).toContainText("Customer");
  await expect(page.locator("h1")).toContainText("Key account");
  await expect(page.getByTestId("customer-details")).toContainText("Purchase intent");
  await expect(page.getByTestId("opportunities")).toContainText("Opportunities");
  await expect(page.getByTestId("history")).toContainText("History");
  // Other pages follow, from the server too.
  await open(page, "/sales/customers");
  await expect(page.locator("h1")).toHaveText("Customers");
  await expect(page.locator("table.data thead")).toContainText("Purchase intent");
  await open(page, "/sales/visits");
  await expect(page.locator("table.calendar thead")).toContainText("Mon");
  // Back to Chinese for the other tests.
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("table.calendar thead")).toContainText("周一");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the customer form refuses bad input at the field, warns about duplicates and saves", async ({ page }) => {
    await page.goto("/login");
    await page.locator("#username").fill("zhang.lei");
    await page.locator("#password").fill(PASSWORD);
    await page.locator("main form button[type=submit]").click();
    await expect(page.locator(".user-name")).toBeVisible();

    await page.goto("/sales/customers/new");
    await page.locator("#name").fill("苏州恒远精密机械股份有限公司");
    await page.locator("#phone").fill("x");
    await page.getByTestId("customer-form").locator("button[type=submit]").click();
    await expect(page.locator("#phone-error")).toBeVisible();
    await expect(page.locator("#name")).toHaveValue("苏州恒远精密机械股份有限公司");
    await page.locator("#phone").fill("0512 1234 5678");
    await page.getByTestId("customer-form").locator("button[type=submit]").click();
    // The existing customer is wang.fang's: named, with its owner, but no link for zhang.lei.
    const dups = page.getByTestId("duplicates");
    await expect(dups).toContainText("苏州恒远精密机械有限公司");
    await expect(dups).toContainText("王芳");
    await expect(dups.locator("a")).toHaveCount(0);
    await page.getByTestId("confirm-duplicate").check();
    await page.getByTestId("customer-form").locator("button[type=submit]").click();
    await expect(page).toHaveURL(/\/sales\/customers\/\d+$/);
    await expect(page.locator("h1")).toContainText("苏州恒远精密机械股份有限公司");

    // Contacts and visits are plain form posts too.
    await page.getByTestId("add-contact").click();
    await page.locator("#contact-new-name").fill("郑文斌");
    await page.getByTestId("contact-new-c-form").locator("button[type=submit]").click();
    await expect(page.getByTestId("contacts").locator("table")).toContainText("郑文斌");
    await page.getByTestId("plan-visit").click();
    await page.locator("#plan-date").fill(companyToday());
    await page.locator("#plan-purpose").fill("无脚本拜访计划");
    await page.getByTestId("plan-visit-form").locator("button[type=submit]").click();
    await expect(page.getByTestId("visits").locator("table")).toContainText("无脚本拜访计划");
  });
});
