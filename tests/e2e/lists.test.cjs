// The three lists (issue #15) through the UI: the secretary, with no signal, adds a
// resource, raises a need from an issue (prefilled from it), matches the need to the
// resource, has a party member claim it and records it met; the issue then shows its need
// and the dashboard's list figures move by exactly that need. Back online, sync takes
// every write with no refusal. The list prints on A4 at desktop width. Screenshots at
// 360 px. The demo may hold list entries of its own: this test looks for its own titles
// and compares figures before and after its own actions.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { startServer, launchBrowser, newPhone, screenshotPath, login, waitSynced, checkA11y } = require("./support.cjs");

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const nav = (page) => page.getByRole("navigation", { name: "主导航" });
const stamp = Date.now().toString(36).slice(-5);
const RESOURCE = `E2E会议室${stamp}`;
const NEED = `E2E坡道需求${stamp}`;

/** Also under /work/shots when it exists (the helper's hand-back). */
async function shot(target, name, opts = {}) {
  const full = typeof target.goto === "function" ? { fullPage: true } : {};
  await target.screenshot({ path: screenshotPath(name), ...full, ...opts });
  if (fs.existsSync("/work/shots")) fs.copyFileSync(screenshotPath(name), path.join("/work/shots", name + ".png"));
}

/** "40%（2/5）" under the dashboard's list figure `name`, as [part, whole]. */
async function figure(page, name) {
  const section = page.locator(".list-figures");
  await section.locator("dd").first().waitFor();
  const text = await section.locator("dt", { hasText: name }).locator("xpath=following-sibling::dd[1]").textContent();
  const m = text.match(/（(\d+)\/(\d+)）/);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

test("a need raised from an issue offline is matched, claimed and met, and syncs with no refusal", async () => {
  const context = await newPhone(browser);
  const page = await context.newPage();
  await login(page, server.url, "secretary");
  await waitSynced(page);
  await nav(page).getByRole("link", { name: "统计" }).click();
  const metBefore = await figure(page, "需求已办结");

  await context.setOffline(true);
  // 会议 → 三张清单, then a resource.
  await nav(page).getByRole("link", { name: "会议" }).click();
  // The committee's sub-nav keeps the 会议 tab lit, 调解 too (a worker reaches it from 今日).
  await page.getByRole("navigation", { name: "会议" }).getByRole("link", { name: "调解案件" }).click();
  await page.getByRole("heading", { name: "调解案件" }).waitFor();
  await nav(page).locator("a[aria-current=page]", { hasText: "会议" }).waitFor();
  await page.getByRole("navigation", { name: "会议" }).getByRole("link", { name: "三张清单" }).click();
  await page.getByRole("heading", { name: "三张清单" }).waitFor();
  await page.getByRole("link", { name: /新增/ }).click();
  await page.getByRole("heading", { name: "新增清单条目" }).waitFor();
  await page.getByLabel("资源", { exact: true }).check();
  await page.getByLabel("名称", { exact: true }).fill(RESOURCE);
  await page.getByLabel("联系人", { exact: true }).fill("李红");
  await page.getByLabel("联系电话", { exact: true }).fill("1380013");
  await page.getByLabel("可用时间", { exact: true }).fill("每周三下午");
  await page.getByRole("button", { name: "保存" }).click();
  // The core's phone check speaks beside the field; nothing is saved.
  await page.locator(".field-error").first().waitFor();
  await page.getByLabel("联系电话", { exact: true }).fill("13800138000");
  await checkA11y(page, "new list entry");
  await shot(page, "lists-add-form-360");
  await page.getByRole("button", { name: "保存" }).click();
  await page.getByRole("heading", { name: RESOURCE }).waitFor();

  // A need raised from an issue, prefilled from it.
  await nav(page).getByRole("link", { name: "问题" }).click();
  await page.locator(".issue-row a").first().click();
  const issueTitle = (await page.locator("#issue-title").textContent()).trim();
  await page.getByRole("link", { name: /提出需求/ }).click();
  const title = page.getByLabel("名称", { exact: true });
  await page.waitForFunction((t) => document.querySelector("input[name=title]")?.value === t, issueTitle);
  await page.getByText(`来源问题：${issueTitle}`).waitFor();
  await title.fill(NEED);
  await page.getByRole("button", { name: "保存" }).click();
  await page.getByRole("heading", { name: NEED }).waitFor();
  await page.locator(".list-status", { hasText: "待对接" }).waitFor();

  // Matched to the resource, claimed by a party member, then met.
  await page.locator("select[name=offer]").selectOption({ label: RESOURCE });
  await page.getByRole("button", { name: "匹配", exact: true }).click();
  await page.locator("h2 .list-status", { hasText: "已匹配" }).waitFor();
  await page.locator(".need-actions .list-pick").first().click();
  await page.locator("h2 .list-status", { hasText: "已认领" }).waitFor();
  await checkA11y(page, "need");
  await shot(page, "lists-need-match-claim-360");
  await page.getByLabel("办理情况").fill("会议室每周三下午开放，已安排");
  await page.getByRole("button", { name: "办结" }).click();
  await page.locator("h2 .list-status", { hasText: "已办结" }).waitFor();

  // The issue shows its need and where it stands.
  await page.getByRole("link", { name: issueTitle }).click();
  const box = page.locator(".issue-needs");
  await box.getByRole("link", { name: NEED }).waitFor();
  await box.getByText("已办结").waitFor();

  // The lists: each tab, the need among the needs.
  await nav(page).getByRole("link", { name: "会议" }).click();
  await page.getByRole("navigation", { name: "会议" }).getByRole("link", { name: "三张清单" }).click();
  await page.getByRole("button", { name: "资源" }).click();
  await page.locator(".list-rows").getByText(RESOURCE).waitFor();
  await checkA11y(page, "lists");
  await shot(page, "lists-resources-360");
  await page.getByRole("button", { name: "项目" }).click();
  await shot(page, "lists-projects-360");
  await page.getByRole("button", { name: "需求" }).click();
  await page.locator(".list-rows").getByText(NEED).waitFor();
  await shot(page, "lists-needs-360");

  // The dashboard's list figures moved by this need.
  await nav(page).getByRole("link", { name: "统计" }).click();
  const metAfter = await figure(page, "需求已办结");
  assert.deepEqual(metAfter, [metBefore[0] + 1, metBefore[1] + 1], "one more need, and met");
  await page.locator(".mediation-figures").scrollIntoViewIfNeeded();
  await shot(page.locator(".mediation-figures"), "lists-dashboard-mediation-360");
  await shot(page.locator(".list-figures"), "lists-dashboard-lists-360");

  await context.setOffline(false);
  await waitSynced(page);
  await nav(page).getByRole("link", { name: "今日" }).click();
  assert.equal(await page.getByText(/拒绝/).count(), 0, "no refused change");
  await context.close();
});

test("the needs list prints on A4 at desktop width: a table, no navigation or buttons", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
  const page = await context.newPage();
  await login(page, server.url, "secretary");
  await waitSynced(page);
  await nav(page).getByRole("link", { name: "会议" }).click();
  await page.getByRole("navigation", { name: "会议" }).getByRole("link", { name: "三张清单" }).click();
  await page.getByRole("button", { name: "需求" }).click();
  await page.locator(".list-rows, .empty").first().waitFor();
  await page.emulateMedia({ media: "print" });
  assert.equal(await nav(page).isVisible(), false, "no navigation on paper");
  assert.equal(await page.getByRole("button", { name: "打印清单" }).isVisible(), false, "no buttons on paper");
  assert.equal(await page.locator(".print-sheet table").isVisible(), true, "the list as a table");
  await shot(page, "lists-print-1280");
  await context.close();
});
