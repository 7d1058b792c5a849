// Meetings (issue #14) through the UI: the secretary opens last month's joint meeting and
// decides two items, then this month's — offline — and decides three (one handed to a
// unit, one escalated, one kept in the community), finalises the minutes and prints them;
// the minutes list the decisions and follow last meeting's items. No serious or critical
// axe-core finding on any meeting screen. Screenshots at 360 px, and the print view at
// desktop width under `emulateMedia({ media: "print" })`.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { startServer, launchBrowser, newPhone, screenshotPath, login, waitSynced, checkA11y } = require("./support.cjs");
const { nav, openMeeting, nextItem, decideNext, localAt } = require("./meeting_steps.cjs");

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

/** Also under /work/shots when it exists (the helper's hand-back). */
async function shot(page, name, opts = {}) {
  await page.screenshot({ path: screenshotPath(name), fullPage: true, ...opts });
  if (fs.existsSync("/work/shots")) fs.copyFileSync(screenshotPath(name), path.join("/work/shots", name + ".png"));
}

test("a joint meeting is opened offline, decided, finalised and printed with last meeting's follow-up", async () => {
  const context = await newPhone(browser);
  const page = await context.newPage();
  await login(page, server.url, "secretary");
  await waitSynced(page);

  // Last month's meeting: two items handed on.
  const last = new Date(Date.now() - 30 * 86400000);
  await openMeeting(page, localAt(last), "社区党群服务中心二楼会议室");
  const agenda = page.locator(".agenda-item");
  assert.ok(await agenda.count() >= 4, "the agenda is drawn from the issue list");
  await decideNext(page, "社区办理");
  await decideNext(page, "交单位/部门办理", async (f) => {
    await f.getByLabel("交给哪个单位 / 部门").selectOption({ index: 1 });
  });
  await page.getByRole("button", { name: "定稿" }).click();
  await page.getByText("纪要已定稿").first().waitFor();
  await waitSynced(page);

  // This month's, with no signal.
  await context.setOffline(true);
  await openMeeting(page, localAt(new Date()), "社区党群服务中心二楼会议室", async () => {
    await checkA11y(page, "new meeting");
    await shot(page, "meetings-open-form-360");
  });
  await checkA11y(page, "meeting");
  await decideNext(page, "交单位/部门办理", async (f) => {
    await f.getByLabel("交给哪个单位 / 部门").selectOption({ index: 1 });
    await f.getByLabel("办理时限").fill("2027-01-15");
    await f.getByLabel("说明").fill("请物业公司牵头，一周内清理");
  }, async () => {
    await checkA11y(page, "decision form");
    await shot(page, "meetings-decision-form-360");
  });
  // Escalating without a reason is refused with the core's message, and nothing is written.
  await nextItem(page).getByRole("button", { name: "研判" }).click();
  const form = page.locator(".decide-form");
  await form.getByLabel("研判结果").selectOption({ label: "提级上报" });
  await form.getByRole("button", { name: "保存研判" }).click();
  await form.getByRole("alert").filter({ hasText: "需要写明理由" }).waitFor();
  await form.getByLabel(/理由/).fill("涉及管网改造，需街道协调资金");
  await form.getByRole("button", { name: "保存研判" }).click();
  await form.waitFor({ state: "detached" });
  await decideNext(page, "社区办理", async (f) => f.getByLabel("说明").fill("网格员每周回访"));
  await page.getByRole("textbox", { name: "会议纪要" }).fill("会议要求各承办单位按时限办结，下次会议通报进展。");
  await page.getByRole("button", { name: "保存纪要" }).click();
  await page.getByText("已保存", { exact: true }).waitFor();
  await shot(page, "meetings-meeting-360");

  await page.getByRole("link", { name: "查看纪要" }).click();
  await page.getByRole("heading", { name: /党建联席会议纪要/ }).waitFor();
  await page.getByRole("heading", { name: "上次会议事项跟进" }).waitFor();
  const minutes = page.locator(".minutes");
  await minutes.getByText("交单位/部门办理").first().waitFor();
  await minutes.getByText("提级上报：涉及管网改造，需街道协调资金").waitFor();
  await minutes.getByText("物业公司项目经理 刘建国").waitFor();
  await checkA11y(page, "minutes");
  await shot(page, "meetings-minutes-360");

  // The list, newest first, with items decided.
  await nav(page).getByRole("link", { name: "会议" }).click();
  await page.locator(".meeting-rows li").nth(1).waitFor();
  await checkA11y(page, "meetings list");
  await shot(page, "meetings-list-360");
  await context.setOffline(false);
  await waitSynced(page);
  // The server took every write: nothing refused is listed.
  assert.equal(await page.getByText(/拒绝/).count(), 0, "no refused change");
  await context.close();
});

test("the minutes print on A4 at desktop width: no navigation or buttons, black on white", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
  const page = await context.newPage();
  await login(page, server.url, "secretary");
  await waitSynced(page);
  await nav(page).getByRole("link", { name: "会议" }).click();
  await page.locator(".meeting-rows li a").first().click();
  await page.getByRole("link", { name: "查看纪要" }).click();
  await page.getByRole("heading", { name: /党建联席会议纪要/ }).waitFor();
  await page.emulateMedia({ media: "print" });
  assert.equal(await nav(page).isVisible(), false, "no navigation on paper");
  assert.equal(await page.getByRole("button", { name: "打印" }).isVisible(), false, "no buttons on paper");
  await shot(page, "meetings-minutes-print-1280");
  await context.close();
});

test("an on-site office starts with no agenda; an issue taken on site is added by title", async () => {
  const context = await newPhone(browser);
  const page = await context.newPage();
  await login(page, server.url, "secretary");
  await waitSynced(page);
  await nav(page).getByRole("link", { name: "会议" }).click();
  await page.getByRole("link", { name: /新建会议/ }).click();
  await page.getByLabel("现场办公").check();
  await page.getByLabel("地点").fill("二村小区1栋楼下");
  await page.getByRole("button", { name: "开始会议" }).click();
  await page.getByRole("heading", { name: /现场办公/ }).waitFor();
  await page.getByText("还没有议题。").waitFor();
  await page.getByRole("link", { name: /现场上报新问题/ }).waitFor();
  await page.getByLabel("按标题查找手机上的问题").fill("工资");
  await page.locator(".add-item .found").first().getByRole("button", { name: "加入" }).click();
  await page.locator(".agenda-item").filter({ hasText: "临时增加" }).waitFor();
  assert.equal(await page.getByLabel("按标题查找手机上的问题").inputValue(), "", "the search empties once added");
  await checkA11y(page, "on-site office");
  await shot(page, "meetings-onsite-360");
  await context.close();
});
