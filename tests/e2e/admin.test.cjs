// The administration app (crates/wangge-admin) at /admin/: a community secretary logged in
// to the worker app finds it from Settings, and it is its own page — the worker app's
// service worker never answers /admin/ with the worker shell. Then every screen against the
// real server: accounts (list, create with a one-time password, edit, reset, phones and a
// revoke, disable with a confirm, a refusal), the grid tree (add with a code checked for
// shape, rename, retire refused and allowed), handover and its import (a refusal), and the
// ledger import (column mapping, dry run with refused rows by number, confirm). Screenshots
// of every screen at 360 px and 1280 px.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { startServer, launchBrowser, newPhone, screenshotPath, login, waitForServiceWorker, scriptedApi, checkA11y } = require("./support.cjs");

let server, browser, api, context, page;
// Chromium's reports of the server's Content-Security-Policy refusing anything.
const cspViolations = [];
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  api = scriptedApi(server.url);
  context = await newPhone(browser);
  page = await context.newPage();
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const tabs = () => page.getByRole("navigation", { name: "管理后台导航" });
const row = (username) => page.locator(`tr[data-user="${username}"]`);
const grid = (id) => page.locator(`li[data-grid="${id}"]`);
const shot = async (name) => {
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
  await checkA11y(page, name);
};

async function openTab(name) {
  await tabs().getByRole("link", { name }).click();
  await page.getByRole("heading", { name, level: 2 }).waitFor();
}

test("an administrator finds 管理后台 in Settings; /admin/ is the admin app, not the worker shell", async () => {
  await login(page, server.url, "secretary");
  await waitForServiceWorker(page);
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "设置" }).click();
  await page.getByRole("link", { name: "管理后台" }).click();
  await page.waitForURL(server.url + "/admin/");
  await page.getByRole("heading", { name: "账号管理", level: 2 }).waitFor();
  // A deep link, navigated while the worker app's service worker controls the origin.
  await page.goto(server.url + "/admin/handover");
  await page.getByRole("heading", { name: "工作交接", level: 2 }).waitFor();
  const shell = await (await fetch(server.url + "/admin/grids")).text();
  assert.match(shell, /管理后台/);
  assert.doesNotMatch(shell, /register-sw/, "the admin shell is not the worker shell");
  // The worker app itself still works at /.
  await page.goto(server.url + "/");
  await page.getByRole("navigation", { name: "主导航" }).waitFor();
});

test("a grid worker sees no link, and /admin/ tells her it is not for her", async () => {
  const ctx = await newPhone(browser);
  const p = await ctx.newPage();
  await p.goto(server.url + "/admin/");
  await p.getByText("请先在网格通登录").waitFor();
  await login(p, server.url, "gridworker");
  await p.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "设置" }).click();
  await p.getByRole("heading", { name: "账号" }).waitFor();
  assert.equal(await p.getByRole("link", { name: "管理后台" }).count(), 0);
  await p.goto(server.url + "/admin/");
  await p.getByText("管理后台只对社区书记、镇街干部和区级部门干部开放").waitFor();
  await p.getByRole("link", { name: "回到网格通" }).waitFor();
  await p.screenshot({ path: screenshotPath("admin-not-allowed-360") });
  await ctx.close();
});

test("accounts: list, phones and a revoke, disable and enable, a refusal", async () => {
  const phone = await api.device("gridworker");
  await page.goto(server.url + "/admin/");
  await row("gridworker").waitFor();
  assert.match(await row("gridworker").innerText(), /网格员/);
  await shot("admin-accounts-360");

  await row("gridworker").getByRole("button", { name: "手机" }).click();
  const devices = page.locator(".admin-devices");
  await devices.getByText("script").first().waitFor();
  await shot("admin-devices-360");
  const live = devices.locator("li", { hasText: "script" }).filter({ hasText: "可同步" }).first();
  await live.getByRole("button", { name: "吊销这台手机" }).click();
  await devices.getByRole("button", { name: "确定吊销" }).click();
  await devices.getByText("已吊销，这台手机不能再同步。").waitFor();
  const pulled = await api.api("/api/v1/sync/pull?cursor=0&limit=1", { token: phone.token });
  assert.equal(pulled.status, 401, "the revoked phone is refused");

  await row("gridworker").getByRole("button", { name: "停用", exact: true }).click();
  await page.getByRole("button", { name: "确定停用" }).click();
  await page.getByText("账号已停用。").waitFor();
  await row("gridworker").getByText("已停用").waitFor();
  const refused = await api.api("/api/v1/auth/login", { body: { username: "gridworker", password: "wangge-demo", device_name: "x" } });
  assert.equal(refused.status, 403);
  await row("gridworker").getByRole("button", { name: "启用" }).click();
  await page.getByRole("button", { name: "确定启用" }).click();
  await page.getByText("账号已启用。").waitFor();

  // The server's refusal, in its own words (when the list holds the administrator's own
  // account; the duplicate username below is refused either way).
  if (await row("secretary").count()) {
    await row("secretary").getByRole("button", { name: "停用", exact: true }).click();
    await page.getByRole("button", { name: "确定停用" }).click();
    await page.getByRole("alert").filter({ hasText: "不能停用自己的账号" }).waitFor();
  }
});

test("accounts: create shows a one-time password once; edit; reset password", async () => {
  await page.getByRole("button", { name: "新建账号" }).click();
  await page.getByLabel("用户名（登录用）").fill("wangxiaohong");
  await page.getByLabel("姓名").fill("王小红");
  await page.getByLabel("手机号（可不填）").fill("12345");
  await page.getByLabel("所属网格").selectOption("g500110001001002");
  await page.getByRole("button", { name: "创建账号" }).click();
  await page.getByText("手机号码格式不对").waitFor();
  await page.getByLabel("手机号（可不填）").fill("13912345678");
  await shot("admin-account-create-360");
  await page.getByRole("button", { name: "创建账号" }).click();
  await page.getByText("账号已创建。").waitFor();
  const otp = await page.locator("[data-otp]").innerText();
  await shot("admin-account-created-360");
  const first = await api.api("/api/v1/auth/login", { body: { username: "wangxiaohong", password: otp, device_name: "x" } });
  assert.equal(first.status, 200, "the one-time password logs in");

  // The same username again: the server refuses and says why.
  await page.getByRole("button", { name: "新建账号" }).click();
  await page.getByLabel("用户名（登录用）").fill("wangxiaohong");
  await page.getByLabel("姓名").fill("王小红");
  await page.getByLabel("所属网格").selectOption("g500110001001002");
  await page.getByRole("button", { name: "创建账号" }).click();
  await page.getByRole("alert").first().waitFor();
  await page.getByRole("button", { name: "取消" }).click();

  await row("wangxiaohong").getByRole("button", { name: "修改" }).click();
  await page.getByLabel("姓名").fill("王晓红");
  await page.getByRole("button", { name: "保存" }).click();
  await page.getByText("已保存。").waitFor();
  await row("wangxiaohong").getByText("王晓红").waitFor();

  await row("wangxiaohong").getByRole("button", { name: "重置密码" }).click();
  await page.getByRole("button", { name: "确定重置密码" }).click();
  await page.getByText("密码已重置。").waitFor();
  const second = await page.locator("[data-otp]").innerText();
  assert.notEqual(second, otp);
  const again = await api.api("/api/v1/auth/login", { body: { username: "wangxiaohong", password: second, device_name: "x" } });
  assert.equal(again.status, 200);
});

test("grids: add with the code checked, rename, retire refused while households live there", async () => {
  await openTab("网格管理");
  const community = grid("g500110001001000");
  await community.waitFor();
  assert.match(await community.innerText(), /住户 \d+/);
  await shot("admin-grids-360");
  await community.getByRole("button", { name: "添加下级" }).click();
  await page.getByLabel("下级网格名称").fill("九村");
  await page.getByLabel("国家网格编码（可不填，15位数字）").fill("12345");
  await page.getByRole("button", { name: "添加", exact: true }).click();
  await page.getByText("应为15位数字").waitFor();
  await page.getByLabel("国家网格编码（可不填，15位数字）").fill("500110001001000");
  await page.getByRole("button", { name: "添加", exact: true }).click();
  await page.getByText("国家网格编码与层级对不上").waitFor();
  await shot("admin-grid-add-360");
  await page.getByLabel("国家网格编码（可不填，15位数字）").fill("");
  await page.getByRole("button", { name: "添加", exact: true }).click();
  await page.getByText("已添加下级网格。").waitFor();
  const added = page.locator("li.admin-grid", { hasText: "九村" });
  await added.waitFor();

  await added.getByRole("button", { name: "改名" }).click();
  await page.getByLabel("新名称").fill("九村小组");
  await page.getByRole("button", { name: "保存" }).click();
  await page.getByText("已改名。").waitFor();

  await grid("g500110001001002").getByRole("button", { name: "撤销" }).click();
  await page.getByRole("button", { name: "确定撤销" }).click();
  const refusal = page.getByRole("alert").first();
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /还有/, "the refusal says what still lives there");
  await shot("admin-grid-retire-refused-360");

  const nine = page.locator("li.admin-grid", { hasText: "九村小组" });
  await nine.getByRole("button", { name: "撤销" }).click();
  await page.getByRole("button", { name: "确定撤销" }).click();
  await page.getByText("网格已撤销。").waitFor();
});

test("handover: a worker's grid to a successor, and a bad export file refused", async () => {
  await openTab("工作交接");
  await page.getByLabel("离开的人").selectOption("gridworker");
  await page.getByLabel("接手的人").selectOption("wangxiaohong");
  await page.getByRole("button", { name: "交接", exact: true }).click();
  await page.locator(".admin-result").getByText("转交的未办结问题").waitFor();
  await shot("admin-handover-360");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wangge-admin-")), "wangge-gridworker-2026-12-06.json");
  fs.writeFileSync(file, JSON.stringify({ not: "an export" }));
  await page.getByLabel("选择导出文件").setInputFiles(file);
  await page.getByRole("button", { name: "导入", exact: true }).click();
  await page.getByRole("alert").first().waitFor();
  await shot("admin-handover-import-refused-360");
});

test("ledger import: template, column mapping, dry run with refused rows, confirm", async () => {
  await openTab("住户台账导入");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "下载导入模板" }).click();
  assert.match((await download).suggestedFilename(), /\.xlsx$/);
  const csv = [
    "网格编号,门牌地址,姓名,与户主关系,性别,出生年份,联系电话,标签",
    "g500110001001002,綦齿社区二村9栋1单元101,陈德明,户主,男,1950,13812345678,独居老人",
    "g500110001001002,綦齿社区二村9栋1单元102,刘桂芳,户主,女,1948,,",
    "g500110001001002,綦齿社区二村9栋1单元103,赵小梅,配偶,女,1962,,",
    "g999,綦齿社区二村9栋1单元104,孙大海,户主,男,1960,12,",
  ].join("\n");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wangge-ledger-")), "台账.csv");
  fs.writeFileSync(file, csv);
  await page.getByLabel("选择台账文件（.xlsx 或 .csv）").setInputFiles(file);
  const mapping = page.getByLabel("“门牌地址” 对应：");
  await mapping.waitFor();
  await mapping.selectOption("address");
  await shot("admin-import-mapping-360");
  await page.getByRole("button", { name: "按这个对应重新检查" }).click();
  // The first dry run's table (no address column) stays until the second answers.
  const refused = page.locator(".admin-refused", { hasText: "9栋1单元103" });
  await refused.waitFor();
  const text = await refused.innerText();
  assert.match(text, /\b4\b/, text);
  assert.match(text, /\b5\b/, text);
  await shot("admin-import-dry-run-360");
  await page.getByRole("button", { name: "确认导入" }).click();
  await page.getByRole("heading", { name: "导入完成" }).waitFor();
  await shot("admin-import-done-360");
});

test("offline: the app says it works online only; every screen at 1280 px and in English", async () => {
  await context.setOffline(true);
  await page.getByText("管理后台只能联网使用").waitFor();
  await page.locator(".badge.offline").waitFor();
  await shot("admin-offline-360");
  await context.setOffline(false);

  await page.setViewportSize({ width: 1280, height: 800 });
  for (const [name, file] of [["账号管理", "accounts"], ["网格管理", "grids"], ["工作交接", "handover"], ["住户台账导入", "import"]]) {
    await openTab(name);
    await page.waitForTimeout(300);
    await shot(`admin-${file}-1280`);
  }
  await openTab("账号管理");
  await row("gridworker").getByRole("button", { name: "手机" }).click();
  await page.locator(".admin-devices").getByText("script").first().waitFor();
  await shot("admin-devices-1280");

  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { name: "Accounts", level: 2 }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  await shot("admin-accounts-en-1280");
  await page.getByRole("button", { name: "中文" }).click();
});

test("no screen broke the Content-Security-Policy", () => {
  assert.deepEqual(cspViolations, []);
});
