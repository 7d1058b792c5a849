// The issue screens as people use them, in real Chromium against the real server: a grid
// worker filters the list, reports an issue offline (validation first, GPS, a household
// found by name), finds it again after an offline reload, accepts and escalates it; a
// community secretary on another phone sees it after sync, assigns and resolves it; the
// worker then sees it resolved. Screenshots at 360×740 of the list, the form and the detail.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const {
  startServer, launchBrowser, newPhone, login, waitSynced, screenshotPath,
  waitForServiceWorker, firstHouseholdName,
} = require("./support.cjs");

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const TITLE = "二村3栋楼道灯不亮,老人夜间摔倒风险";

/** The bottom navigation's "问题" tab. */
async function openList(page) {
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "问题" }).click();
  await page.getByRole("heading", { name: "问题清单" }).waitFor();
  await page.getByRole("status").filter({ hasText: /^共 \d+ 条$/ }).waitFor();
}

async function shownCount(page) {
  const text = await page.getByRole("status").filter({ hasText: /^共 \d+ 条$/ }).textContent();
  return Number(text.match(/\d+/)[0]);
}

test("a worker filters, reports offline, escalates; a secretary assigns and resolves", async () => {
  const worker = await newPhone(browser);
  await worker.grantPermissions(["geolocation"], { origin: server.url });
  await worker.setGeolocation({ latitude: 29.028, longitude: 106.651, accuracy: 12 });
  const page = await worker.newPage();
  await login(page, server.url, "gridworker");
  await waitSynced(page);
  await waitForServiceWorker(page);

  // The list: filters with counts, kept in the URL across a reload.
  await openList(page);
  const all = await shownCount(page);
  assert.ok(all > 0, "the worker's issues were pulled");
  await page.screenshot({ path: screenshotPath("issues-list") });
  const mine = page.getByRole("checkbox", { name: /我的/ });
  await mine.check();
  await page.waitForURL(/mine=1/);
  const mineCount = await shownCount(page);
  assert.ok(mineCount <= all);
  await page.getByText("筛选", { exact: true }).click();
  await page.getByLabel("状态", { exact: true }).selectOption("open");
  await page.waitForURL(/status=open/);
  await page.reload();
  await page.getByRole("heading", { name: "问题清单" }).waitFor();
  assert.ok(await page.getByRole("checkbox", { name: /我的/ }).isChecked(), "filter survives a reload");
  assert.equal(await page.getByLabel("状态", { exact: true }).inputValue(), "open");
  await page.getByRole("button", { name: "清除筛选" }).click();
  await page.waitForURL((u) => !u.search.includes("mine"));
  assert.equal(await shownCount(page), all);

  // Report an issue with no network at all.
  await worker.setOffline(true);
  await page.getByRole("link", { name: "上报问题" }).click();
  await page.getByRole("heading", { name: "上报问题" }).waitFor();
  await page.getByRole("button", { name: "保存并上报" }).click();
  await page.getByText("请填写问题标题").waitFor();
  await page.getByText("请选择问题类别").waitFor();
  await page.getByLabel("问题标题").fill("灯".repeat(61));
  await page.getByText("问题标题最多60个字,现在是61个字,请精简").waitFor();
  await page.getByLabel("期望办结日期（可选）").fill("2026-12-31");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshotPath("issues-new") });
  assert.equal(await page.getByLabel("问题标题").inputValue(), "灯".repeat(61), "the form keeps what was typed");

  await page.getByLabel("问题标题").fill(TITLE);
  assert.equal(await page.getByText("问题标题最多60个字", { exact: false }).count(), 0, "the message follows the fix");
  await page.getByLabel("问题类别").selectOption({ label: "安全隐患" });
  await page.getByLabel("问题描述（可选）").fill("3栋2单元楼道灯坏了一周,独居老人晚上下楼看不见。");
  await page.getByLabel("紧急程度").selectOption({ label: "较急" });
  const head = await firstHouseholdName(page);
  await page.getByLabel("户主姓名").fill(head.slice(0, 2));
  await page.getByRole("list", { name: "查找结果" }).getByRole("button").first().click();
  await page.getByText("已选：").waitFor();
  await page.getByRole("button", { name: "用手机定位" }).click();
  await page.getByText(/已定位：29\.02800, 106\.65100/).waitFor();
  await page.getByRole("button", { name: "保存并上报" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath("issues-new-filled") });
  await page.getByRole("button", { name: "保存并上报" }).click();

  // Straight to its detail, offline.
  await page.getByRole("heading", { name: TITLE }).waitFor();
  assert.match(page.url(), /\/issues\/[0-9A-Z]{26}$/);
  const issueUrl = page.url();
  await page.getByText("待受理").first().waitFor();

  // Accept, then escalate: first with no reason (the core's message), then with one.
  await page.getByRole("button", { name: "受理" }).click();
  await page.getByRole("button", { name: "确认" }).click();
  await page.getByText("已受理").first().waitFor();
  await page.getByRole("button", { name: "提级上报" }).click();
  await page.getByRole("button", { name: "确认" }).click();
  await page.getByText("请填写原因").waitFor();
  await page.getByLabel("原因").fill("楼道照明归物业,需社区协调物业公司更换");
  await page.getByRole("button", { name: "确认" }).click();
  await page.getByRole("listitem").filter({ hasText: "提级到：村(社区)" }).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshotPath("issues-detail") });
  await page.getByRole("heading", { name: "办理经过" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath("issues-detail-timeline") });

  // An offline reload keeps all of it; the list finds it by title.
  await page.reload();
  await page.getByRole("heading", { name: TITLE }).waitFor({ timeout: 15000 });
  await openList(page);
  await page.getByRole("searchbox", { name: "搜索问题标题或户主姓名" }).fill("楼道灯");
  await page.getByRole("link", { name: new RegExp(TITLE) }).waitFor();
  await page.getByRole("searchbox", { name: "搜索问题标题或户主姓名" }).fill(head);
  await page.getByRole("link", { name: new RegExp(TITLE) }).waitFor();
  await page.getByRole("link", { name: new RegExp(head) }).first().waitFor();
  await page.screenshot({ path: screenshotPath("issues-list-search") });

  // Back online: everything goes up.
  await worker.setOffline(false);
  await waitSynced(page);

  // The community secretary, on another phone, sees it and handles it.
  const secretaryPhone = await newPhone(browser);
  const sec = await secretaryPhone.newPage();
  await login(sec, server.url, "secretary");
  await waitSynced(sec);
  await sec.goto(issueUrl);
  await sec.getByRole("heading", { name: TITLE }).waitFor();
  await sec.getByRole("button", { name: "受理" }).click();
  await sec.getByRole("button", { name: "确认" }).click();
  await sec.getByText("已受理").first().waitFor();
  await sec.getByRole("button", { name: "派遣处置" }).click();
  await sec.getByRole("button", { name: "确认" }).click();
  await sec.getByText("请选择处置人").waitFor();
  const workerName = (await page.locator(".who").textContent()).trim();
  const option = sec.getByLabel("处置人").locator("option", { hasText: workerName });
  await sec.getByLabel("处置人").selectOption(await option.first().getAttribute("value"));
  await sec.getByRole("button", { name: "确认" }).click();
  await sec.getByText("处置中").first().waitFor();
  await sec.getByRole("button", { name: "办结" }).click();
  await sec.getByLabel("办结说明").fill("已协调物业更换楼道灯12盏");
  await sec.getByRole("button", { name: "确认" }).click();
  await sec.getByText("已办结待核查").first().waitFor();
  await waitSynced(sec);
  await sec.screenshot({ path: screenshotPath("issues-detail-secretary") });

  // The worker sees it resolved after their next sync.
  await page.goto(issueUrl);
  await page.getByRole("heading", { name: TITLE }).waitFor();
  await page.getByRole("button", { name: "立即同步" }).click();
  await page.getByText("已办结待核查").first().waitFor({ timeout: 30000 });
  await page.getByText("已协调物业更换楼道灯12盏").waitFor();

  // The same field edited on two phones: the server keeps the first, and the other value
  // is shown on the issue as a conflict to settle.
  await worker.setOffline(true);
  await page.getByRole("button", { name: "修改问题信息" }).click();
  await page.getByLabel("问题标题", { exact: true }).fill("二村3栋楼道灯不亮(网格员改)");
  await page.getByRole("button", { name: "保存修改" }).click();
  await page.getByRole("heading", { name: "二村3栋楼道灯不亮(网格员改)" }).waitFor();
  await sec.reload();
  await sec.getByRole("button", { name: "修改问题信息" }).click();
  await sec.getByLabel("问题标题", { exact: true }).fill("二村3栋楼道灯已更换(书记改)");
  await sec.getByRole("button", { name: "保存修改" }).click();
  await sec.getByRole("heading", { name: "二村3栋楼道灯已更换(书记改)" }).waitFor();
  await waitSynced(sec);
  await worker.setOffline(false);
  await waitSynced(page);
  const conflict = page.getByRole("alert").filter({ hasText: "同步冲突" });
  await conflict.waitFor({ timeout: 30000 });
  await conflict.getByText("二村3栋楼道灯不亮(网格员改)").waitFor();
  await page.getByRole("heading", { name: "二村3栋楼道灯已更换(书记改)" }).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshotPath("issues-detail-conflict") });
  await conflict.getByRole("link", { name: "去处理冲突" }).click();
  await page.getByRole("heading", { name: "同步冲突" }).waitFor();

  await secretaryPhone.close();
  await worker.close();
});

test("without location permission the form says so and still saves", async () => {
  const phone = await newPhone(browser);
  const page = await phone.newPage();
  await login(page, server.url, "gridworker");
  await waitSynced(page);
  await page.goto(server.url + "/issues/new");
  await page.getByRole("heading", { name: "上报问题" }).waitFor();
  await page.getByRole("button", { name: "用手机定位" }).click();
  await page.getByText(/没有定位权限|暂时无法定位|定位超时/).waitFor({ timeout: 30000 });
  await page.getByLabel("问题类别").selectOption({ label: "园林绿化" });
  await page.getByLabel("问题标题").fill("树枝太高遮挡采光");
  await page.getByRole("button", { name: "保存并上报" }).click();
  await page.getByRole("heading", { name: "树枝太高遮挡采光" }).waitFor();
  await phone.close();
});
