import { test, expect, Page } from "@playwright/test";
import { open, as } from "./helpers";

// Acceptance (2.4.4) on the demo's P6 "质量追溯平台": applied for by xu.ming (demo),
// production (zhu.gang) reviews it from My work.

/** Uploads one attachment; the form is a plain multipart post that comes back to the page. */
async function upload(page: Page, kind: string, name: string, mimeType: string, content: string | Buffer, hydrated = true) {
  const form = page.getByTestId("upload-form");
  await form.locator("select[name=kind]").selectOption(kind);
  await form.locator("input[type=file]").setInputFiles({ name, mimeType, buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) });
  await Promise.all([page.waitForEvent("framenavigated"), form.getByTestId("upload").click()]);
  await page.waitForLoadState("load");
  if (hydrated) await page.locator("body[data-hydrated]").waitFor();
}

test("production returns P6, the PM applies again with three attachments, production passes it, the report prints, lessons are found", async ({ browser }) => {
  // Five people, three uploads and a printed report: about a minute on this machine.
  test.setTimeout(180_000);
  // zhu.gang finds the review in My work.
  const zhu = await as(browser, "zhu.gang");
  const task = zhu.getByTestId("inbox-open").locator("a", { hasText: "质量追溯平台" });
  await expect(task).toBeVisible();
  await task.click();
  await expect(zhu).toHaveURL(/\/projects\/\d+\/acceptance$/);
  await zhu.locator("body[data-hydrated]").waitFor();
  const projectUrl = new URL(zhu.url()).pathname;
  await expect(zhu.getByTestId("project-status")).toContainText("验收中");
  await expect(zhu.getByTestId("round-1")).toContainText("交付清单.txt");

  // Documents not complete: passing is refused at the decision; returning needs reasons.
  const review = zhu.getByTestId("review-form");
  await review.getByTestId("check-objectives_met").getByLabel("符合", { exact: true }).check();
  await review.getByTestId("check-quality_ok").getByLabel("符合", { exact: true }).check();
  await review.getByTestId("check-documents_complete").getByLabel("不符合").check();
  await zhu.locator("#acc-documents_note").fill("缺少与 MES 的接口说明");
  await review.locator("summary", { hasText: "验收通过" }).click();
  await review.getByTestId("review-pass").click();
  await expect(zhu.locator("#decision-error")).toBeVisible();
  await review.locator("summary", { hasText: "验收通过" }).click();
  await review.locator("summary", { hasText: "退回" }).click();
  await review.getByTestId("review-return").click();
  await expect(zhu.locator("#return_reason-error")).toBeVisible();
  await zhu.locator("#acc-return-reason").fill("请补充与 MES 的接口说明后重新申请。");
  await review.getByTestId("review-return").click();
  await expect(zhu.getByTestId("project-status")).toContainText("执行中");
  await expect(zhu.getByTestId("round-1").getByTestId("round-status")).toContainText("已退回");
  await expect(zhu.getByTestId("round-1").getByTestId("return-reason")).toContainText("接口说明");

  // xu.ming sees the reasons; first without JavaScript: a refused upload, an
  // upload, a deletion, the deliverables list (multipart form posts).
  const nojsCtx = await browser.newContext({ javaScriptEnabled: false });
  const nojs = await nojsCtx.newPage();
  await nojs.goto("/login");
  await nojs.locator("#username").fill("xu.ming");
  await nojs.locator("#password").fill("Charter2026!");
  await nojs.locator("main form button[type=submit]").click();
  await expect(nojs).not.toHaveURL(/\/login/);
  await nojs.goto(projectUrl);
  await expect(nojs.getByTestId("returned")).toContainText("接口说明");
  await upload(nojs, "deliverable", "setup.exe", "application/octet-stream", Buffer.from("MZ"), false);
  await expect(nojs.locator("#file-error")).toContainText("不支持这种文件类型");
  await upload(nojs, "deliverable", "草稿.txt", "text/plain", "草稿", false);
  const nojsRows = nojs.getByTestId("attachments").getByTestId("file-row");
  await expect(nojsRows).toHaveCount(1);
  await expect(nojs.locator("#file-error")).toHaveCount(0);
  await nojsRows.first().locator("summary").click();
  await nojsRows.first().getByTestId("delete-file-confirm").click();
  await expect(nojs.getByTestId("attachments").getByTestId("file-row")).toHaveCount(0);
  await upload(nojs, "deliverable", "交付清单-v2.txt", "text/plain", "质量追溯平台交付清单\n1. 平台\n2. 与 MES 的接口说明\n", false);
  await expect(nojs.getByTestId("attachments").getByTestId("file-row")).toHaveCount(1);
  await nojsCtx.close();

  // Then with JavaScript: a renamed executable is refused at the field; two more files.
  const xu = await as(browser, "xu.ming");
  await open(xu, projectUrl);
  await expect(xu.getByTestId("returned")).toContainText("接口说明");
  await upload(xu, "test_report", "接口测试报告.pdf", "application/pdf", Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]));
  await expect(xu.locator("#file-error")).toContainText("文件内容与扩展名不符");
  await upload(xu, "test_report", "接口测试报告.csv", "text/csv", "用例,结果\nMES 批次同步,通过\n");
  await upload(xu, "user_feedback", "用户反馈-v2.md", "text/markdown", "# 用户反馈\n\n- 生产部：接口稳定。\n");
  const pending = xu.getByTestId("attachments").getByTestId("file-row");
  await expect(pending).toHaveCount(3);
  const fileHref = (await pending.first().locator("a").getAttribute("href")) || "";
  expect(fileHref).toMatch(/^\/files\/projects\/\d+$/);
  const own = await xu.request.get(fileHref);
  expect(own.status()).toBe(200);
  expect(own.headers()["content-disposition"]).toContain("attachment");
  expect(own.headers()["x-content-type-options"]).toBe("nosniff");
  await xu.locator("#acc-summary").fill("已补充与 MES 的接口说明，重新申请验收。");
  const apply = xu.getByTestId("apply-form");
  await apply.locator("summary").click();
  await apply.getByTestId("apply-confirm").click();
  await expect(xu.getByTestId("project-status")).toContainText("验收中");
  await expect(xu.getByTestId("waiting-review")).toBeVisible();
  await expect(xu.getByTestId("round-2")).toContainText("交付清单-v2.txt");
  await expect(xu.getByTestId("round-1")).toContainText("已退回");

  // A stranger gets "not found" for the attachment.
  const wang = await as(browser, "wang.fang");
  const stranger = await wang.request.get(fileHref);
  expect(stranger.status()).toBe(404);

  // zhu.gang passes round 2: the project closes and the report is issued.
  await open(zhu, projectUrl);
  const review2 = zhu.getByTestId("review-form");
  await expect(zhu.getByTestId("review")).toContainText("第 2 轮");
  for (const item of ["objectives_met", "quality_ok", "documents_complete"]) {
    await review2.getByTestId(`check-${item}`).getByLabel("符合", { exact: true }).check();
  }
  await zhu.locator("#acc-objectives_note").fill("追溯时间由半天缩短到 5 分钟以内");
  await review2.locator("summary", { hasText: "验收通过" }).click();
  await review2.getByTestId("review-pass").click();
  await expect(zhu.getByTestId("project-status")).toContainText("已关闭");
  await zhu.getByTestId("report-link").click();
  await expect(zhu).toHaveURL(/\/projects\/\d+\/report$/);
  await expect(zhu.locator("h1")).toHaveText("项目验收报告");
  await expect(zhu.getByTestId("report-number")).toHaveText(/^YS-\d{4}-\d{4}$/);
  await expect(zhu.getByTestId("report-project")).toContainText("质量追溯平台");
  await expect(zhu.getByTestId("report-deliverables")).toContainText("接口测试报告.csv");
  await expect(zhu.getByTestId("report-checklist")).toContainText("追溯时间由半天缩短到 5 分钟以内");
  await expect(zhu.getByTestId("report-reviewer")).toHaveText("朱刚");
  await expect(zhu.getByTestId("print")).toBeVisible();
  // Printed: no navigation, no buttons, the report itself.
  await zhu.emulateMedia({ media: "print" });
  await expect(zhu.locator(".sidenav")).toBeHidden();
  await expect(zhu.getByTestId("print")).toBeHidden();
  await expect(zhu.getByTestId("report")).toBeVisible();
  await zhu.emulateMedia({ media: "screen" });

  // xu.ming writes the retrospective; lessons are searchable across projects.
  await open(xu, projectUrl);
  await xu.locator("#retro-well").fill("条码终端选型得当，上线顺利。");
  await xu.locator("#retro-badly").fill("与 MES 的接口说明遗漏，第一轮验收被退回。");
  await xu.locator("#retro-lessons").fill("验收资料清单要在计划阶段确定，接口文档与开发同步交付。");
  await xu.getByTestId("retro-save").click();
  await expect(xu.getByTestId("retrospective")).toContainText("最后更新");
  await open(xu, "/projects/lessons");
  await xu.getByTestId("lessons-q").fill("供应商");
  await xu.getByTestId("lessons-search").click();
  await expect(xu.getByTestId("lessons")).toContainText("官网改版");
  await expect(xu.getByTestId("lessons")).toContainText("研发测试实验室建设");
  await xu.getByTestId("lessons-q").fill("接口文档");
  await xu.getByTestId("lessons-search").click();
  await expect(xu.getByTestId("lesson-row")).toHaveCount(1);
  await expect(xu.getByTestId("lessons")).toContainText("质量追溯平台");
  await xu.getByTestId("lessons-q").fill("没有这种经验");
  await xu.getByTestId("lessons-search").click();
  await expect(xu.getByTestId("lessons")).toContainText("没有找到匹配的项目总结");
  // A stranger finds nothing: the projects are not theirs to see.
  await open(wang, "/projects/lessons?q=%E4%BE%9B%E5%BA%94%E5%95%86");
  await expect(wang.getByTestId("lessons")).toContainText("没有找到匹配的项目总结");

  // In English: the lessons page and the report's labels (the data as stored).
  await open(xu, "/projects/lessons?q=%E4%BE%9B%E5%BA%94%E5%95%86");
  await Promise.all([xu.waitForResponse(/account\/language/), xu.getByTestId("lang-switch").click()]);
  await expect(xu.locator("h1")).toHaveText("Lessons learned");
  await expect(xu.getByTestId("lessons")).toContainText("What did not go well");
  await open(xu, projectUrl.replace("/acceptance", "/report"));
  await expect(xu.locator("h1")).toHaveText("Project acceptance report");
  await expect(xu.getByTestId("report-conclusion")).toContainText("the project is accepted");
  await expect(xu.getByTestId("report-project")).toContainText("质量追溯平台");
  // Back to Chinese: the language is the person's setting, and later journeys are his too.
  await Promise.all([xu.waitForResponse(/account\/language/), xu.getByTestId("lang-switch").click()]);
  await expect(xu.locator("h1")).toHaveText("项目验收报告");
});
