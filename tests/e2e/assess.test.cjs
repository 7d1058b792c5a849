// The assessment (考核) in real Chromium against the real server: the demo grid worker
// opens 我的考核 from Settings and reads her figures, records a visit to a household due
// one and reports what she found from it, and opens 我的考核 again: her row and her grid's
// moved by exactly what she did (one visit on schedule, one report within a day of a
// visit, one more open issue) — figures read before and after, no totals written here.
// The secretary then opens 网格考核 from the dashboard: a row per grid of her community
// with its people under it, her worker's grid reading what the worker's phone read; she
// exports the CSV, which the test parses (BOM, header, the same numbers as on screen).
// Screenshots at 360 px and at desktop width, and the print view; axe-core on each.
"use strict";

const fs = require("node:fs");
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const {
  startServer, launchBrowser, newPhone, login, waitSynced, screenshotPath, waitForServiceWorker, parseCsv,
  checkA11y, syncNow,
} = require("./support.cjs");
const { figures, openMine } = require("./assess_steps.cjs");

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test("a worker's assessment moves by what she did and the secretary exports her grids' figures", async () => {
  const workerPhone = await newPhone(browser);
  const w = await workerPhone.newPage();
  await login(w, server.url, "gridworker");
  await waitSynced(w);
  await waitForServiceWorker(w);

  await openMine(w);
  assert.equal(await w.locator(".assess-table tbody").count(), 1, "a worker sees her own grid");
  assert.equal(await w.locator(".assess-table .person-row").count(), 1, "and her own row only");
  const mineBefore = await figures(w.locator(".assess-table .person-row"));
  const gridBefore = await figures(w.locator(".assess-table .grid-row"));
  assert.ok(mineBefore.visits && gridBefore.visits, "the figures are shown as count / of");

  // Out of signal: she visits the household most overdue on Today and reports from it.
  await workerPhone.setOffline(true);
  await w.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "今日" }).click();
  const due = w.locator('a[href^="/visits/new/"]').first();
  await due.waitFor();
  await due.click();
  await w.getByLabel("走访情况").fill("老人腿脚不便，楼道扶手松动");
  await w.getByRole("button", { name: "保存走访" }).click();
  await w.getByText("走访已保存在本机").waitFor();
  await w.getByRole("link", { name: "走访中发现问题？上报问题" }).click();
  await w.getByRole("heading", { name: "上报问题" }).waitFor();
  await w.getByLabel("问题类别").selectOption({ label: "安全隐患" });
  const title = `楼道扶手松动 ${Date.now() % 100000}`;
  await w.getByLabel("问题标题").fill(title);
  await w.getByRole("button", { name: "保存并上报" }).click();
  await w.getByRole("heading", { name: title }).waitFor();

  await openMine(w);
  const mine = await figures(w.locator(".assess-table .person-row"));
  const grid = await figures(w.locator(".assess-table .grid-row"));
  for (const [name, before, after] of [["her row", mineBefore, mine], ["her grid", gridBefore, grid]]) {
    assert.deepEqual(after.visits, { count: before.visits.count + 1, of: before.visits.of }, `${name}: one visit on schedule`);
    assert.deepEqual(after.reported, { count: before.reported.count + 1, of: before.reported.of + 1 }, `${name}: one report within a day of the visit`);
    assert.deepEqual(after.overdue, { count: before.overdue.count, of: before.overdue.of + 1 }, `${name}: one more open, not overdue`);
    assert.deepEqual(after.closed, before.closed, `${name}: nothing closed`);
  }
  await w.screenshot({ path: screenshotPath("assess-worker"), fullPage: true });
  await checkA11y(w, "assess (worker)");

  // Back online; the secretary reads her community.
  await workerPhone.setOffline(false);
  await syncNow(w);
  const secretaryPhone = await newPhone(browser);
  const s = await secretaryPhone.newPage();
  await login(s, server.url, "secretary");
  await waitSynced(s);
  await s.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "统计" }).click();
  await s.locator(".assess-card").getByRole("link", { name: "网格考核" }).click();
  await s.getByRole("heading", { name: "网格考核" }).waitFor();
  const gridRows = s.locator(".assess-table .grid-row");
  await gridRows.first().waitFor();
  assert.ok(await gridRows.count() >= 2, "a row per grid of her community");
  assert.equal(await s.locator(".assess-table .total-row").count(), 1, "and their total");
  const erCun = s.locator(".assess-table tbody").filter({ hasText: "二村" });
  assert.ok(await erCun.locator(".person-row").count() >= 1, "the grid's people are under it");
  const seen = await figures(erCun.locator(".grid-row"));
  assert.deepEqual(seen, grid, "her phone and the worker's count the grid alike");
  await s.screenshot({ path: screenshotPath("assess-secretary"), fullPage: true });
  await s.screenshot({ path: screenshotPath("assess-secretary-top") });
  await checkA11y(s, "assess (secretary, 360 px)");

  // The CSV: BOM, header, the grid's line with the numbers on screen.
  const [file] = await Promise.all([s.waitForEvent("download"), s.getByRole("button", { name: "导出表格(CSV)" }).click()]);
  const bytes = fs.readFileSync(await file.path());
  assert.match(file.suggestedFilename(), /^考核-\d{4}-\d{2}\.csv$/);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 BOM");
  const rows = parseCsv(bytes.toString("utf8").replace(/^\uFEFF/, ""));
  const header = rows[0];
  assert.deepEqual(header.slice(0, 6), ["网格", "人员", "应走访", "按时走访", "本月上报", "走访后一日内上报"]);
  const line = rows.find((r) => r[0] === "二村" && r[1] === "全网格");
  assert.ok(line, "the grid's own line");
  const col = (name) => Number(line[header.indexOf(name)]);
  assert.deepEqual({ count: col("按时走访"), of: col("应走访") }, seen.visits);
  assert.deepEqual({ count: col("走访后一日内上报"), of: col("本月上报") }, seen.reported);
  assert.deepEqual({ count: col("网格社区内办结"), of: col("本月办结") }, seen.closed);
  assert.deepEqual({ count: col("逾期"), of: col("在办") }, seen.overdue);
  assert.equal(rows.at(-1)[0], "合计");
  const onScreen = await s.locator(".assess-table tr.grid-row, .assess-table tr.person-row, .assess-table tr.total-row").count();
  assert.equal(rows.length - 1, onScreen, "a line per row on screen");
  await s.getByText(/已导出：考核-/).waitFor();

  // The export screen's log names it.
  await s.goto(server.url + "/export");
  await s.locator(".export-log li").filter({ hasText: "考核表" }).first().waitFor();

  // Desktop width, then as printed.
  await s.goto(server.url + "/assess");
  await s.locator(".assess-table .grid-row").first().waitFor();
  await s.setViewportSize({ width: 1280, height: 800 });
  await s.screenshot({ path: screenshotPath("assess-secretary-desktop"), fullPage: true });
  await checkA11y(s, "assess (secretary, desktop)");
  await s.emulateMedia({ media: "print" });
  assert.equal(await s.locator(".bottomnav").isVisible(), false, "no nav on paper");
  await s.screenshot({ path: screenshotPath("assess-print"), fullPage: true });
});
