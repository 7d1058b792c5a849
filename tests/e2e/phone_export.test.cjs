// The phone's own exports (#16): a community secretary with no signal reports an issue
// whose title starts with `=`, filters the issue list to the open issues and opens the
// export screen from it; the CSV saved offline has the BOM, the Chinese header row, one
// row per issue the list shows (the same ids as the phone holds) and the formula
// neutralised; the export is in the phone's own log. Back online, the server's .xlsx
// downloads with the session's token and is read back (headers, the offline issue as text). Screenshots at 360 px.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { startServer, launchBrowser, newPhone, screenshotPath, login, waitSynced, waitForServiceWorker, parseCsv } =
  require("./support.cjs");
const { firstSheet } = require("./xlsx_read.cjs");

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
async function shot(page, name) {
  await page.screenshot({ path: screenshotPath(name) });
  if (fs.existsSync("/work/shots")) fs.copyFileSync(screenshotPath(name), path.join("/work/shots", name + ".png"));
}

const TITLE = `=HYPERLINK("http://x","点我") 楼道灯 ${Date.now() % 100000}`;

/** The ids of the open issues the phone holds (reported, not closed or withdrawn). */
async function openIssueIds(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open("wangge");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction("issues").objectStore("issues").getAll();
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        open.result.close();
        const shut = ["unreported", "closed", "withdrawn"];
        resolve(req.result.filter((r) => !shut.includes(r.status)).map((r) => r.id).sort());
      };
    };
  }));
}

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download"), button.click()]);
  return { name: file.suggestedFilename(), bytes: fs.readFileSync(await file.path()) };
}

test("a secretary exports the open issues as CSV offline, then downloads the .xlsx online", async () => {
  const phone = await newPhone(browser, { acceptDownloads: true });
  const page = await phone.newPage();
  await login(page, server.url, "secretary");
  await waitSynced(page);
  await waitForServiceWorker(page);

  // No signal: report an issue whose title a spreadsheet would run as a formula.
  await phone.setOffline(true);
  const nav = page.getByRole("navigation", { name: "主导航" });
  await nav.getByRole("link", { name: "问题" }).click();
  await page.getByRole("heading", { name: "问题清单" }).waitFor();
  await page.getByRole("link", { name: "上报问题" }).click();
  await page.getByLabel("问题标题").fill(TITLE);
  await page.getByLabel("问题类别").selectOption({ label: "安全隐患" });
  await page.getByRole("button", { name: "保存并上报" }).click();
  await page.getByRole("heading", { name: TITLE }).waitFor();
  const newId = page.url().split("/").pop();

  // The list, filtered to the open issues; its export link carries the filter.
  await nav.getByRole("link", { name: "问题" }).click();
  await page.getByText("筛选", { exact: true }).click();
  await page.getByLabel("状态", { exact: true }).selectOption("open");
  await page.waitForURL(/status=open/);
  const shownText = await page.getByRole("status").filter({ hasText: /^共 \d+ 条$/ }).textContent();
  const shown = Number(shownText.match(/\d+/)[0]);
  await page.getByRole("link", { name: "导出表格" }).click();
  await page.getByRole("heading", { name: "导出表格" }).waitFor();
  assert.match(page.url(), /\/export\?kind=issues&status=open/);
  assert.equal(await page.getByLabel("状态", { exact: true }).inputValue(), "open");
  await page.getByText("联网后可下载 Excel；离线可导出 CSV").waitFor();
  assert.ok(await page.getByRole("button", { name: "下载 Excel (.xlsx)" }).isDisabled(), "no Excel offline");

  const csv = await download(page, page.getByRole("button", { name: "导出表格(CSV)" }));
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  assert.equal(csv.name, `问题清单-${today}.csv`);
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 BOM");
  const rows = parseCsv(csv.bytes.toString("utf8").slice(1));
  assert.deepEqual(rows[0].slice(0, 6), ["编号", "标题", "类别", "来源", "状态", "当前层级"]);
  assert.equal(rows[0].length, 15);
  const body = rows.slice(1);
  assert.equal(body.length, shown, "one row per issue the list shows");
  assert.deepEqual(body.map((r) => r[0]).sort(), await openIssueIds(page), "the same issues the phone holds");
  const mine = body.find((r) => r[0] === newId);
  assert.ok(mine, "the issue reported offline is in the file");
  assert.equal(mine[1], "'" + TITLE, "the formula is neutralised");
  assert.equal(mine[2], "安全隐患");
  assert.ok(body.every((r) => r.length === 15 && !/^[=+\-@]/.test(r[1])), "no cell starts a formula");
  await page.getByRole("status").filter({ hasText: `已导出：${csv.name}（${shown} 行）` }).waitFor();
  await page.locator(".export-log li").filter({ hasText: `问题清单 · ${shown} 行` }).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "phone-export-offline");
  await page.locator(".export-csv").scrollIntoViewIfNeeded();
  await shot(page, "phone-export-offline-done");

  // The household ledger, with its care tags, offline too.
  await page.getByLabel("导出哪张表").selectOption("households");
  const ledger = await download(page, page.getByRole("button", { name: "导出表格(CSV)" }));
  assert.equal(ledger.name, `住户台账-${today}.csv`);
  const ledgerRows = parseCsv(ledger.bytes.toString("utf8").slice(1));
  assert.deepEqual(ledgerRows[0], ["地址", "所在网格", "关怀标签", "状态", "户主", "户主电话", "在住人数"]);
  assert.ok(ledgerRows.length > 1, "the phone's households are in the ledger");

  // Back online: the server's workbook, fetched with the session's token.
  await phone.setOffline(false);
  await waitSynced(page);
  await page.getByLabel("导出哪张表").selectOption("issues");
  const xlsxButton = page.getByRole("button", { name: "下载 Excel (.xlsx)" });
  await page.waitForFunction(() => !document.querySelector(".export-xlsx")?.disabled);
  const xlsx = await download(page, xlsxButton);
  assert.equal(xlsx.name, `问题清单-${today}.xlsx`);
  assert.equal(xlsx.bytes.subarray(0, 2).toString("latin1"), "PK", "an .xlsx is a zip");
  // Read back as Excel would: Chinese headers, a frozen header row with filters, the
  // issue reported offline (now synced) with its title as text, not a formula.
  const book = firstSheet(xlsx.bytes);
  assert.deepEqual(book.rows[0].slice(0, 6), ["编号", "标题", "类别", "来源", "状态", "当前层级"]);
  assert.ok(book.frozen && book.filter, "frozen header row with filters");
  assert.ok(!book.formulas, "no cell is a formula");
  const synced = book.rows.find((r) => r[1] === TITLE);
  assert.ok(synced, "the issue reported offline is in the workbook, its title as written");
  assert.equal(synced[2], "安全隐患");
  await page.getByRole("status").filter({ hasText: `已导出：${xlsx.name}` }).waitFor();
  await page.locator(".export-xlsx").scrollIntoViewIfNeeded();
  await shot(page, "phone-export-online");
  await nav.getByRole("link", { name: "问题" }).click();
  await page.getByRole("heading", { name: "问题清单" }).waitFor();
  await shot(page, "phone-export-issue-list-link");
  await nav.getByRole("link", { name: "设置" }).click();
  await page.locator(".export-card").scrollIntoViewIfNeeded();
  await shot(page, "phone-export-settings-card");
  await page.close();
  await phone.close();
});
