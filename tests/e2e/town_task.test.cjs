// Issue #19's proof, end to end in real Chromium against the real server: the town
// switches 綦齿社区 into emergency and sends "check living-alone elderly" to the
// community (紧急 comes ticked); the secretary forwards it to her grids with a note; two
// workers of 二村 (the demo's and one the secretary makes through the administration API)
// tick households offline — one finds a need and raises an issue from the task in one
// step — and reconnect; the town's board shows 綦齿社区 summing its grids, 二村 with both
// results, the households not checked named; the first worker's 我的考核 moved by exactly
// her tick and her report (figures read before and after).
// Screenshots at 360 px (the worker's task offline, the town's board) and the board at
// desktop width.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const {
  startServer, launchBrowser, newPhone, login, waitSynced, screenshotPath, scriptedApi, syncNow,
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

const COMMUNITY = "g500110001001000";
const TITLE = "暴雨夜排查独居老人";
const FOUND = "独居老人家中屋顶漏雨";

/** A second grid worker for 二村, made by the secretary; returns the one-time password. */
async function secondWorker() {
  const { api, device } = scriptedApi(server.url);
  const sec = await device("secretary");
  const body = { username: "wangxiaohong", display_name: "王小红", phone: "13912345678",
    roles: ["grid_worker"], grid: "g500110001001002" };
  const res = await api("/api/v1/admin/users", { token: sec.token, body });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return res.json.one_time_password;
}

/** Opens the task from Today, and ticks target `n` with `outcome` (and a note). */
async function tick(page, n, outcome, note) {
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "今日" }).click();
  await page.locator(".today-tasks li").filter({ hasText: TITLE }).getByRole("link").click();
  await page.getByRole("heading", { name: TITLE }).waitFor();
  const target = page.locator(".task-target").nth(n);
  const name = (await target.locator(".row-title").textContent()).trim();
  await target.getByRole("button", { name: "登记结果" }).click();
  await page.locator(".tick-form").getByLabel(outcome).check();
  if (note) await page.getByLabel("情况说明（选填）").fill(note);
  await page.locator(".tick-form").getByRole("button", { name: "保存" }).click();
  await page.getByText("已保存，联网后自动上报。").waitFor();
  return name;
}

test("a town's emergency task reaches two workers through the community and its board fills in", async () => {
  const password = await secondWorker();
  const phones = await Promise.all([0, 1, 2, 3].map(() => newPhone(browser)));
  const [town, sec, a, b] = await Promise.all(phones.map((p) => p.newPage()));
  await login(town, server.url, "townofficial");
  await login(sec, server.url, "secretary");
  await login(a, server.url, "gridworker");
  await login(b, server.url, "wangxiaohong", password);
  await Promise.all([town, sec, a, b].map((p) => waitSynced(p)));

  // The town switches 綦齿社区 into emergency, then sends the task to the community.
  await town.goto(server.url + "/emergency");
  await town.getByText("启动紧急状态", { exact: true }).first().click();
  await town.locator("#emergency-scope").selectOption(COMMUNITY);
  await town.locator("#emergency-kind").selectOption("rainstorm");
  await town.locator("#emergency-reason").fill("暴雨红色预警");
  await town.locator(".switch-form").getByRole("button", { name: "启动紧急状态" }).click();
  await town.locator(".emergency-summary").getByText("暴雨红色预警").waitFor();
  await town.goto(server.url + "/tasks/new");
  await town.getByRole("heading", { name: "下发任务" }).waitFor();
  await town.getByLabel("任务名称").fill(TITLE);
  await town.getByLabel("任务要求").fill("逐户见面，查看屋顶、电线和存粮。");
  const due = await town.evaluate(() => {
    const d = new Date(Date.now() + 24 * 3600 * 1000);
    const p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T18:00`;
  });
  await town.getByLabel("完成时限").fill(due);
  await town.locator("fieldset").filter({ hasText: "下发到" }).getByLabel("綦齿社区").check();
  await town.getByLabel("按关爱标签逐户排查").check();
  // 綦齿社区 is in emergency: choosing it ticks 紧急.
  await town.waitForFunction(() => [...document.querySelectorAll("label.choice")]
    .some((l) => l.textContent.includes("紧急任务") && l.querySelector("input").checked));
  await town.getByRole("button", { name: "下发任务" }).click();
  await town.getByRole("heading", { name: new RegExp(`${TITLE}.*进度看板`) }).waitFor();
  const boardUrl = town.url();
  await syncNow(town);

  // The secretary finds it on her Today (it reached her node) and forwards it to her grids.
  await syncNow(sec);
  await sec.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "今日" }).click();
  const secRow = sec.locator(".today-tasks li").filter({ hasText: TITLE });
  assert.match(await secRow.textContent(), /紧急/, "sent during the emergency: an emergency task");
  await secRow.getByRole("link").click();
  await sec.getByRole("heading", { name: TITLE }).waitFor();
  await sec.locator(".forward-form summary").click();
  await sec.getByLabel("补充要求（选填）").fill("二村重点查看河边几户");
  await sec.locator(".forward-form").getByRole("button", { name: "转发到下级网格" }).click();
  await sec.getByText("已转发到下级网格").waitFor();
  await syncNow(sec);

  // Both workers pull it; the first reads her assessment before.
  await Promise.all([syncNow(a), syncNow(b)]);
  await openMine(a);
  const mineBefore = await figures(a.locator(".assess-table .person-row"));

  // Offline, each ticks a different household; the first raises an issue from hers.
  await phones[2].setOffline(true);
  await phones[3].setOffline(true);
  const needy = await tick(a, 0, "需帮扶", "屋顶漏雨，老人行动不便");
  await a.locator("#tick-form").getByRole("link", { name: "上报问题" }).click();
  await a.getByRole("heading", { name: "上报问题" }).waitFor();
  await a.getByLabel("问题类别").selectOption({ label: "民生救助" });
  await a.getByLabel("问题标题").fill(FOUND);
  await a.getByRole("button", { name: "保存并上报" }).click();
  await a.getByRole("heading", { name: FOUND }).waitFor();
  const safe = await tick(b, 1, "安全");
  await b.screenshot({ path: screenshotPath("town-task-worker-offline"), fullPage: true });

  // Her assessment moved by exactly her tick and her report, still offline.
  await openMine(a);
  const mine = await figures(a.locator(".assess-table .person-row"));
  assert.deepEqual(mine["task-reached"], { count: mineBefore["task-reached"].count + 1, of: mineBefore["task-reached"].of + 1 },
    "one result, reached");
  assert.equal(mine.reported.of, mineBefore.reported.of + 1, "one issue reported");

  // Reconnect; both go up.
  await phones[2].setOffline(false);
  await phones[3].setOffline(false);
  await syncNow(a);
  await syncNow(b);

  // The town's board: 綦齿社区 sums its grids; 二村 has both; the rest are named.
  await syncNow(town);
  await town.goto(boardUrl);
  const rows = town.locator(".board-table tbody tr");
  const erCun = rows.filter({ has: town.locator("td:first-child", { hasText: /^二村$/ }) });
  await erCun.waitFor();
  const [, done] = await erCun.locator("td").allTextContents();
  assert.match(done, /^2 \/ \d+$/, `二村: both workers' results count: ${done}`);
  const erCunLeft = await erCun.locator("td").nth(2).textContent();
  assert.ok(!erCunLeft.includes(needy) && !erCunLeft.includes(safe), "the two checked households are not listed");
  const community = rows.filter({ has: town.locator("td:first-child", { hasText: /^綦齿社区$/ }) });
  const [, sum] = await community.locator("td").allTextContents();
  const total = (await rows.locator("td.num").allTextContents()).slice(1).map((t) => t.split(" / ").map(Number));
  assert.equal(sum, `${total.reduce((s, [d]) => s + d, 0)} / ${total.reduce((s, [, t]) => s + t, 0)}`,
    "the community's row is its grids' sum");
  assert.ok(await rows.locator(".muted").count() >= 1, "households not yet checked are named");
  await town.screenshot({ path: screenshotPath("town-task-board"), fullPage: true });
  await town.setViewportSize({ width: 1280, height: 800 });
  await town.screenshot({ path: screenshotPath("town-task-board-desktop"), fullPage: true });

  // The issue raised from the task reached the server with the task's result naming it.
  await a.goto(server.url + "/issues");
  await a.getByText(FOUND).first().waitFor();
});
