// A grid worker's roster and visits, a second phone, and the secretary's dashboard, in
// real Chromium against the real server: the worker finds an elderly person living alone
// in the roster, records a visit with no signal, reloads offline and still sees it,
// exports the phone's data and imports it on a second phone; logging out waits for the
// sync; the community secretary sees the figures and prints the meeting list.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const {
  startServer, launchBrowser, newPhone, screenshotPath, login, waitSynced,
  waitServiceWorker, pendingCount,
} = require("./support.cjs");

const NOTE = "老人身体良好，e2e 离线走访记录";
let server, browser, phoneA, pageA, household, exportPath;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const nav = (page) => page.getByRole("navigation", { name: "主导航" });
const shot = (page, name) => page.screenshot({ path: screenshotPath(name) });

test("a grid worker finds an elderly person living alone and records a visit offline", async () => {
  phoneA = await newPhone(browser);
  pageA = await phoneA.newPage();
  const page = pageA;
  await login(page, server.url, "gridworker");
  await waitSynced(page);
  await waitServiceWorker(page);

  // A worker's navigation has Visits, not the Dashboard.
  assert.equal(await nav(page).getByRole("link", { name: "走访" }).count(), 1);
  assert.equal(await nav(page).getByRole("link", { name: "统计" }).count(), 0);

  await nav(page).getByRole("link", { name: "住户台账" }).click();
  await page.getByRole("heading", { name: "网格住户台账" }).waitFor();
  await page.locator(".hh-list a").first().waitFor();
  await shot(page, "roster");

  await page.getByRole("button", { name: "独居老人", exact: true }).click();
  assert.match(page.url(), /tag=living_alone_elderly/);
  const first = page.locator(".hh-list a").first();
  await first.waitFor();
  const name = (await first.locator(".hh-name").textContent()).trim();
  await first.click();
  await page.getByRole("heading", { name: new RegExp(name) }).waitFor();
  household = new URL(page.url()).pathname.split("/").pop();
  assert.ok(await page.getByText("独居老人").first().isVisible());
  await page.getByRole("heading", { name: "走访记录" }).waitFor();
  await shot(page, "household");

  // No signal from here on.
  await phoneA.setOffline(true);
  await page.getByRole("link", { name: "记录走访", exact: true }).click();
  await page.getByRole("heading", { name: "记录走访" }).waitFor();
  await page.getByText(name).first().waitFor();
  await page.getByLabel("走访情况").fill(NOTE);
  await page.getByRole("button", { name: "身体状况良好" }).click();
  assert.equal(await page.getByLabel("走访情况").inputValue(), NOTE + "，身体状况良好");
  await shot(page, "new-visit");
  await page.getByRole("button", { name: "保存走访" }).click();

  // Back on the household, with the visit in its history and an offer to report an issue.
  await page.getByText("走访已保存在本机").waitFor();
  assert.equal(new URL(page.url()).pathname, `/households/${household}`);
  const report = page.getByRole("link", { name: "走访中发现问题？上报问题" });
  assert.equal(await report.getAttribute("href"), `/issues/new?household=${household}`);
  await page.getByText(NOTE).waitFor();
  assert.equal(await pendingCount(page), 1);

  await page.reload();
  await page.getByRole("heading", { name: new RegExp(name) }).waitFor({ timeout: 15000 });
  await page.getByText(NOTE).waitFor();
  assert.equal(await pendingCount(page), 1, "the change still waits to sync");

  await nav(page).getByRole("link", { name: "走访" }).click();
  await page.getByRole("heading", { name: "待走访" }).waitFor();
  await page.locator(".due-list li").first().waitFor();
  await page.getByRole("heading", { name: "最近走访" }).waitFor();
  await page.getByText(NOTE).first().waitFor();
  await shot(page, "visits");

  await page.goto(server.url + "/dashboard");
  await page.getByText("统计分析仅供社区书记").waitFor();
});

test("the phone's data exports to a file that imports on a second phone", async () => {
  const page = pageA;
  await nav(page).getByRole("link", { name: "设置" }).click();
  await page.getByRole("heading", { name: "设置" }).waitFor();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "导出本机数据" }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^wangge-gridworker-\d{4}-\d\d-\d\d\.json$/);
  exportPath = screenshotPath("export").replace(/\.png$/, ".json");
  await download.saveAs(exportPath);
  const file = JSON.parse(fs.readFileSync(exportPath, "utf8"));
  assert.equal(file.format, "wangge-export");
  assert.equal(file.outbox.length, 1, "the unsynced visit travels in the file");
  assert.ok(file.stores.households.length > 0 && file.stores.grids.length > 0);
  await page.getByText("已导出文件").waitFor();
  await shot(page, "settings");

  // A second phone, online, logged in as the same worker: the server has not seen the
  // visit yet, so only the file can bring it.
  const phoneB = await newPhone(browser);
  const b = await phoneB.newPage();
  await login(b, server.url, "gridworker");
  await waitSynced(b);
  await b.goto(`${server.url}/households/${household}`);
  await b.getByRole("heading", { name: "走访记录" }).waitFor();
  assert.equal(await b.getByText(NOTE).count(), 0);

  await nav(b).getByRole("link", { name: "设置" }).click();
  await b.getByLabel("从文件导入").setInputFiles(exportPath);
  await b.getByRole("button", { name: "确认导入" }).click();
  await b.getByText("导入完成").waitFor();
  await b.screenshot({ path: screenshotPath("settings-imported") });
  await b.goto(`${server.url}/households/${household}`);
  await b.getByText(NOTE).waitFor();
  await waitSynced(b);
  await phoneB.close();
});

test("logging out waits for unsynced changes, then syncs and logs out", async () => {
  const page = pageA;
  await page.getByRole("button", { name: "退出登录" }).click();
  const blocked = page.getByRole("alert").filter({ hasText: "还有 1 条修改未同步" });
  await blocked.waitFor();
  await blocked.getByRole("button", { name: "立即同步" }).waitFor();
  await blocked.getByRole("button", { name: "仍然退出（放弃未同步的修改）" }).waitFor();
  await page.screenshot({ path: screenshotPath("settings-logout-blocked") });
  // Back in signal: the phone syncs by itself and the warning goes away.
  await phoneA.setOffline(false);
  await waitSynced(page);
  await blocked.waitFor({ state: "detached" });
  await page.getByRole("button", { name: "退出登录" }).click();
  await page.getByRole("heading", { name: "登录网格通" }).waitFor();
  await phoneA.close();
});

test("the community secretary sees the figures and prints the meeting list", async () => {
  const context = await newPhone(browser);
  const page = await context.newPage();
  await login(page, server.url, "secretary");
  await waitSynced(page);
  assert.equal(await nav(page).getByRole("link", { name: "走访" }).count(), 0);
  await nav(page).getByRole("link", { name: "统计" }).click();
  await page.getByRole("heading", { name: "统计分析" }).waitFor();
  const open = page.getByRole("group", { name: "未结案" });
  await open.waitFor();
  assert.ok(Number(await open.locator(".tile-value").textContent()) > 0, "open issues counted");
  await page.getByRole("img", { name: /网格内办结 \d+%/ }).waitFor();
  await page.getByRole("img", { name: /^按类别：/ }).waitFor();
  await shot(page, "dashboard");
  await page.screenshot({ path: screenshotPath("dashboard-full"), fullPage: true });

  await page.getByRole("link", { name: /联席会议问题清单/ }).click();
  await page.getByRole("heading", { name: /问题清单/ }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/dashboard/meeting");
  assert.ok(await page.locator("table.issue-sheet tbody tr").count() > 0);
  await page.getByRole("button", { name: "打印" }).waitFor();
  await shot(page, "meeting");
  // On A4 paper (794 px wide at 96 dpi): a plain table, no app chrome.
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: "print" });
  assert.equal(await nav(page).isVisible(), false, "no navigation on paper");
  assert.equal(await page.getByRole("button", { name: "打印" }).isVisible(), false);
  assert.equal(await page.locator("table.issue-sheet thead").first().isVisible(), true);
  await page.screenshot({ path: screenshotPath("meeting-print") });
  await context.close();
});

test("a new version waiting in the service worker is offered and applied", async () => {
  // A server of its own, over a copy of the build, so the "deploy" below touches
  // nothing the other tests use.
  const path = require("node:path");
  const os = require("node:os");
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), "wangge-dist-"));
  fs.cpSync(process.env.WANGGE_DIST, dist, { recursive: true });
  const original = process.env.WANGGE_DIST;
  process.env.WANGGE_DIST = dist;
  const own = await startServer();
  process.env.WANGGE_DIST = original;
  const context = await newPhone(browser);
  try {
    const page = await context.newPage();
    await login(page, own.url, "gridworker");
    await waitServiceWorker(page);
    await nav(page).getByRole("link", { name: "设置" }).click();
    const card = page.getByRole("region", { name: "应用更新" });
    await card.getByText("已是最新版本").waitFor();

    // Deploy a new build: the service worker script changes (a new build id).
    const sw = path.join(dist, "sw.js");
    fs.writeFileSync(sw, fs.readFileSync(sw, "utf8").replace(/const BUILD_ID = "([^"]+)"/, 'const BUILD_ID = "$1-next"'));
    // Its precompressed copies are the old script: drop them as a deploy would rewrite them.
    for (const copy of [".gz", ".br"]) fs.rmSync(sw + copy, { force: true });

    await card.getByRole("button", { name: "检查更新" }).click();
    const update = card.getByRole("button", { name: "有新版本，点击更新" });
    await update.waitFor({ timeout: 20000 });
    await page.screenshot({ path: screenshotPath("settings-update") });
    await Promise.all([page.waitForEvent("load"), update.click()]);
    await page.getByRole("heading", { name: "设置" }).waitFor();
    await card.getByText("已是最新版本").waitFor();
    const caches = await page.evaluate(() => caches.keys());
    assert.ok(caches.some((k) => k.endsWith("-next")), JSON.stringify(caches));
    assert.ok(!caches.some((k) => /^wangge-shell-[0-9a-f]+$/.test(k)), "the old version's cache is gone");
  } finally {
    await context.close();
    own.stop();
    fs.rmSync(dist, { recursive: true, force: true });
  }
});
