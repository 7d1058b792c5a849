// The joint committee end to end (issue #14's proof), in real Chromium against the real
// server: the community secretary holds the monthly joint meeting with no signal and
// takes one drawn item off the agenda and decides three — one handed to 区城管局 with a
// due date, one escalated, one kept in the community — and prints the minutes; back online, 城管's contact (an account that
// sees only what is handed to its unit) finds the issue on Today, replies and resolves it;
// the secretary's next meeting's minutes follow last meeting's items and show it done.
// Screenshots at 360 px and the printed minutes at desktop width.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const {
  startServer, launchBrowser, newPhone, login, waitSynced, waitForServiceWorker, screenshotPath, checkA11y,
} = require("./support.cjs");
const { openMeeting, decideNext, localAt } = require("./meeting_steps.cjs");

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const DEPARTMENT = "綦江区城市管理局";

/** `days` from today as a date input's text. */
function dayIn(days) {
  const d = new Date(Date.now() + days * 86400000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** How many rows a store of the phone's IndexedDB holds. */
function countRows(page, store) {
  return page.evaluate((name) => new Promise((resolve, reject) => {
    const open = indexedDB.open("wangge");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction(name).objectStore(name).count();
      req.onerror = () => reject(req.error);
      req.onsuccess = () => { open.result.close(); resolve(req.result); };
    };
  }), store);
}

/** The minutes of the meeting on screen, on paper: 360 px and desktop width. */
async function printMinutes(page, name) {
  await page.getByRole("link", { name: "查看纪要" }).click();
  await page.getByRole("heading", { name: /党建联席会议纪要/ }).waitFor();
  await page.screenshot({ path: screenshotPath(name + "-360"), fullPage: true });
  await page.emulateMedia({ media: "print" });
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.equal(await page.getByRole("button", { name: "打印" }).isVisible(), false, "no buttons on paper");
  await page.screenshot({ path: screenshotPath(name + "-print-1280"), fullPage: true });
  await page.emulateMedia({ media: "screen" });
  await page.setViewportSize({ width: 360, height: 740 });
}

test("a meeting held offline hands an issue to 城管, whose contact answers it; the next meeting follows it up done", async () => {
  // The secretary, with no signal in the meeting room.
  const secPhone = await newPhone(browser);
  const sec = await secPhone.newPage();
  await login(sec, server.url, "secretary");
  await waitSynced(sec);
  await waitForServiceWorker(sec);
  await secPhone.setOffline(true);
  await openMeeting(sec, localAt(new Date()), "綦齿社区党群服务中心会议室");
  // One drawn item is not discussed after all: taken off the agenda, it leaves the minutes.
  const dropped = sec.locator(".agenda-item").filter({ has: sec.getByRole("button", { name: "移出议程" }) }).last();
  const droppedTitle = (await dropped.locator("a.row-title").textContent()).trim();
  const before = await sec.locator(".agenda-item").count();
  await dropped.getByRole("button", { name: "移出议程" }).click();
  await sec.waitForFunction((n) => document.querySelectorAll(".agenda-item").length === n - 1, before);
  const handed = await decideNext(sec, "交单位/部门办理", async (f) => {
    await f.getByLabel("交给哪个单位 / 部门").selectOption({ label: DEPARTMENT + " · 区级部门" });
    await f.getByLabel("办理时限").fill(dayIn(7));
    await f.getByLabel("说明").fill("请区城管局协调施工，限期修复");
  });
  const escalated = await decideNext(sec, "提级上报", (f) => f.getByLabel(/理由/).fill("涉及管网改造，需街道统筹资金"));
  const kept = await decideNext(sec, "社区办理", (f) => f.getByLabel("说明").fill("网格员每周回访"));
  assert.equal(new Set([handed.href, escalated.href, kept.href]).size, 3, "three different items");

  await printMinutes(sec, "committee-minutes");
  const minutes = sec.locator(".minutes");
  await minutes.getByText(handed.title).first().waitFor();
  await minutes.getByText(DEPARTMENT).first().waitFor();
  await minutes.getByText("提级上报：涉及管网改造，需街道统筹资金").waitFor();
  const items = minutes.locator(".minutes-table").first();
  assert.equal(await items.getByText(droppedTitle, { exact: true }).count(), 0, "an item taken off is not minuted");
  await checkA11y(sec, "minutes");

  // Back online: everything the meeting wrote reaches the server, nothing refused.
  await secPhone.setOffline(false);
  await waitSynced(sec);
  assert.equal(await sec.getByText(/拒绝/).count(), 0, "no refused change");

  // 城管's contact: only what is handed to the unit, on Today.
  const cgPhone = await newPhone(browser);
  const cg = await cgPhone.newPage();
  await login(cg, server.url, "chengguan");
  await waitSynced(cg);
  await cg.getByRole("heading", { name: "交办给本单位的问题" }).waitFor();
  assert.equal(await countRows(cg, "households"), 0, "a unit's contact holds no resident");
  await cg.screenshot({ path: screenshotPath("committee-contact-today-360"), fullPage: true });
  await cg.getByRole("link", { name: handed.title }).first().click();
  await cg.getByRole("heading", { name: handed.title }).waitFor();
  await cg.getByRole("button", { name: "单位回复" }).click();
  await cg.getByLabel("回复内容").fill("已收到，本周内安排施工");
  await cg.getByRole("button", { name: "确认" }).click();
  await cg.getByText("已收到，本周内安排施工").first().waitFor();
  await cg.getByRole("button", { name: "办结", exact: true }).click();
  await cg.getByLabel("办结说明").fill("路面已修复，恢复通行");
  await cg.getByRole("button", { name: "确认" }).click();
  await cg.locator(".pill.status-resolved").waitFor();
  await cg.screenshot({ path: screenshotPath("committee-contact-resolved-360"), fullPage: true });
  await waitSynced(cg);
  assert.equal(await cg.getByText(/拒绝/).count(), 0, "the server took the unit's answers");

  // The secretary's next meeting: last meeting's items, and the handed one done.
  await sec.reload();
  await waitSynced(sec);
  await openMeeting(sec, localAt(new Date(Date.now() + 86400000)), "綦齿社区党群服务中心会议室");
  await printMinutes(sec, "committee-follow-up");
  const followUp = sec.locator(".minutes tr").filter({ hasText: handed.title });
  await followUp.filter({ hasText: "已办结" }).first().waitFor();
  await sec.locator(".minutes tr").filter({ hasText: escalated.title }).first().waitFor();
  await sec.goto(server.url + handed.href);
  await sec.getByText("路面已修复，恢复通行").first().waitFor();
  await sec.getByText(/联席会议研判/).first().waitFor();
  await sec.screenshot({ path: screenshotPath("committee-issue-history-360"), fullPage: true });
});
