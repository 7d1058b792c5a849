// A real district's first day (issue 12), from a server that never held the demo:
// `wangge-server init` makes the district and its administrator; she logs in, opens
// 管理后台 from Settings, builds a town, a community and two grids, creates a grid worker
// for one grid (one-time password), and imports the community's household ledger (CSV)
// covering both grids. The grid worker logs in on her phone with the one-time password and
// holds exactly her own grid's households; she loses signal, adds a household, reloads with
// no signal (it is still there), and when the signal returns the server has it.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const {
  startServer, launchBrowser, newPhone, screenshotPath, login, waitSynced, waitForServiceWorker,
  pendingCount, scriptedApi, checkA11y, householdsOf, phoneHouseholds,
} = require("./support.cjs");

const ADMIN = "qj_admin";
const ADMIN_PASSWORD = "Qijiang-2026-admin";

let server, browser, api;
before(async () => {
  const bin = process.env.WANGGE_SERVER_BIN;
  const data = fs.mkdtempSync(path.join(os.tmpdir(), "wangge-e2e-first-day-"));
  const init = () => spawnSync(bin, ["init", "--admin", ADMIN, "--district", "重庆市綦江区",
    "--display-name", "王主任", "--code", "500110", "--data", data],
  { env: { ...process.env, WANGGE_PASSWORD: ADMIN_PASSWORD }, encoding: "utf8" });
  const first = init();
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /重庆市綦江区/, "init says what it made");
  const again = init();
  assert.notEqual(again.status, 0, "init refuses to run twice");
  server = await startServer({ data });
  api = scriptedApi(server.url);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

/** Logs in over the API and returns the token. */
async function token(username, password) {
  const res = await api.api("/api/v1/auth/login", { body: { username, password, device_name: "check" } });
  assert.equal(res.status, 200, `${username} logs in`);
  return res.json.token;
}

/** The households (id → fields) a user's pull holds. */
async function pulledHouseholds(tok) {
  return householdsOf((await api.pullAll(tok)).changes).households;
}

test("init, an administrator builds the grid tree, a worker, the ledger; the worker's phone holds her grid", async () => {
  const desk = await newPhone(browser);
  const page = await desk.newPage();
  const shot = (name) => page.screenshot({ path: screenshotPath(name), fullPage: true });

  // The administrator's first login: an empty district, nothing of the demo.
  await login(page, server.url, ADMIN, ADMIN_PASSWORD);
  await waitSynced(page);
  const adminToken = await token(ADMIN, ADMIN_PASSWORD);
  assert.equal((await pulledHouseholds(adminToken)).size, 0, "no demo households");

  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "设置" }).click();
  await page.getByRole("link", { name: "管理后台" }).click();
  await page.getByRole("heading", { name: "账号管理", level: 2 }).waitFor();
  await page.getByRole("navigation", { name: "管理后台导航" }).getByRole("link", { name: "网格管理" }).click();
  await page.getByRole("heading", { name: "网格管理", level: 2 }).waitFor();

  /** Adds a child named `name` under the grid named `parent` (level: the next rung down). */
  async function addChild(parent, name) {
    const li = page.locator("li.admin-grid", { hasText: parent }).first();
    await li.getByRole("button", { name: "添加下级" }).click();
    await page.getByLabel("下级网格名称").fill(name);
    await page.getByRole("button", { name: "添加", exact: true }).click();
    await page.getByText("已添加下级网格。").waitFor();
    await page.locator("li.admin-grid", { hasText: name }).first().waitFor();
  }
  await addChild("重庆市綦江区", "古南街道");
  await addChild("古南街道", "綦齿社区");
  await addChild("綦齿社区", "第一网格");
  await addChild("綦齿社区", "第二网格");
  await checkA11y(page, "admin grid tree");
  await shot("first-day-grid-tree-360");

  const grids = (await api.api("/api/v1/admin/grids", { token: adminToken })).json.grids;
  const gridId = (name) => grids.find((g) => g.name === name).id;
  const [one, two] = [gridId("第一网格"), gridId("第二网格")];

  // A grid worker for 第一网格, with a one-time password.
  await page.getByRole("navigation", { name: "管理后台导航" }).getByRole("link", { name: "账号管理" }).click();
  await page.getByRole("button", { name: "新建账号" }).click();
  await page.getByLabel("用户名（登录用）").fill("liuxia");
  await page.getByLabel("姓名").fill("刘霞");
  await page.getByLabel("手机号（可不填）").fill("13922223333");
  await page.getByLabel("所属网格").selectOption(one);
  await page.getByRole("button", { name: "创建账号" }).click();
  await page.getByText("账号已创建。").waitFor();
  const otp = (await page.locator("[data-otp]").innerText()).trim();
  await shot("first-day-account-created-360");

  // The community's ledger: three households in 第一网格, two in 第二网格, one bad row.
  const csv = [
    "网格编号,地址,姓名,与户主关系,性别,出生年份,联系电话,身份证号,标签",
    `${one},綦齿社区1栋101,陈德明,户主,男,1950,13812345678,,独居老人`,
    `${one},綦齿社区1栋102,刘桂芳,户主,女,1948,,,低保`,
    `${one},綦齿社区1栋102,张小军,子女,男,1975,13700001111,,`,
    `${one},綦齿社区1栋103,赵德厚,户主,男,1941,,,退役军人、重病`,
    `${two},綦齿社区2栋201,孙秀英,户主,女,1939,,,独居老人`,
    `${two},綦齿社区2栋202,周大海,户主,男,1960,12,,`,
    `${two},綦齿社区2栋203,吴建华,户主,男,1966,,,`,
  ].join("\n");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wangge-first-day-")), "綦齿社区住户台账.csv");
  fs.writeFileSync(file, csv);
  await page.getByRole("navigation", { name: "管理后台导航" }).getByRole("link", { name: "住户台账导入" }).click();
  await page.getByLabel("选择台账文件（.xlsx 或 .csv）").setInputFiles(file);
  const refused = page.locator(".admin-refused");
  await refused.waitFor();
  assert.match(await refused.innerText(), /\b7\b/, "the bad phone's row (7) is named");
  assert.equal((await pulledHouseholds(adminToken)).size, 0, "the dry run wrote nothing");
  await shot("first-day-import-dry-run-360");
  await page.getByRole("button", { name: "确认导入" }).click();
  await page.getByRole("heading", { name: "导入完成" }).waitFor();
  const all = await pulledHouseholds(adminToken);
  assert.equal(all.size, 5, "five households imported, the refused one not");

  // The grid worker on her own phone, with the one-time password.
  const phone = await newPhone(browser);
  const worker = await phone.newPage();
  await login(worker, server.url, "liuxia", otp);
  await waitSynced(worker);
  await waitForServiceWorker(worker);
  const mine = [...all].filter(([, h]) => h.grid === one).map(([id]) => id).sort();
  assert.equal(mine.length, 3);
  const held = async () => (await phoneHouseholds(worker)).map((h) => h.id).sort();
  assert.deepEqual(await held(), mine, "her phone holds exactly her grid's households");
  await worker.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "住户台账" }).click();
  await worker.getByText("刘桂芳").first().waitFor();
  await worker.screenshot({ path: screenshotPath("first-day-worker-roster-360"), fullPage: true });

  // No signal: a household she finds that the ledger missed.
  await phone.setOffline(true);
  await worker.getByRole("link", { name: /新增住户/ }).click();
  const add = worker.getByRole("form", { name: "新增住户" });
  await add.getByLabel("地址").fill("綦齿社区1栋104");
  await add.getByLabel("姓名").fill("郑玉兰");
  await add.getByLabel("出生年份").fill("1944");
  await add.getByLabel("独居老人").check();
  await add.getByRole("button", { name: "保存" }).click();
  await worker.getByRole("heading", { name: /郑玉兰/ }).waitFor();
  const added = new URL(worker.url()).pathname.split("/").pop();
  await worker.reload();
  await worker.getByRole("heading", { name: /郑玉兰/ }).waitFor({ timeout: 10000 });
  assert.equal(await pendingCount(worker), 1, "the new household waits to be sent");

  await phone.setOffline(false);
  await worker.getByRole("button", { name: "立即同步" }).click();
  await waitSynced(worker);
  assert.equal(await pendingCount(worker), 0);
  const afterSync = await pulledHouseholds(adminToken);
  assert.equal(afterSync.get(added)?.grid, one, "the server has her household, in her grid");
  await desk.close();
  await phone.close();
});
