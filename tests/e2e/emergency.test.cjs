// Emergency mode (平急转换) in real Chromium against the real server: the town official
// switches 綦齿社区 into emergency with a reason; the secretary's 下发任务 form has 紧急
// ticked already and she sends "暴雨排查独居老人" to her grids; the grid worker's phone,
// after a sync, shows the red banner on Today with the emergency task on top, and she
// ticks a household; a committee member (an account the secretary makes) reports
// available with a note; the official sees the report on the call roster (tel: links)
// and the board shows per grid the households checked and not; the official switches
// back and the emergency shows in the history with its report.
// Screenshots at 360 px (Today's banner, the emergency screen, the history) and the
// emergency screen at desktop width.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const {
  startServer, launchBrowser, newPhone, login, waitSynced, screenshotPath, scriptedApi, syncNow, checkA11y,
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

const COMMUNITY = "g500110001001000";
const REASON = "气象台发布暴雨红色预警，綦河水位上涨";
const TITLE = "暴雨排查独居老人";

/** A committee member of 綦齿社区, made by the secretary through the administration API;
 *  returns the one-time password. */
async function makeMember() {
  const { api, device } = scriptedApi(server.url);
  const sec = await device("secretary");
  const body = { username: "weiyuan", display_name: "秦文忠", phone: "13900139000",
    roles: ["committee_member"], grid: COMMUNITY };
  const res = await api("/api/v1/admin/users", { token: sec.token, body });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return res.json.one_time_password;
}

test("a town switched into emergency: banner, emergency task first, 主动报到, board, history", async () => {
  const password = await makeMember();
  const [officialPhone, secretaryPhone, workerPhone, memberPhone] =
    await Promise.all([newPhone(browser), newPhone(browser), newPhone(browser), newPhone(browser)]);
  const [o, sec, w, m] = await Promise.all([officialPhone, secretaryPhone, workerPhone, memberPhone].map((p) => p.newPage()));
  await login(o, server.url, "townofficial");
  await login(sec, server.url, "secretary");
  await login(w, server.url, "gridworker");
  await login(m, server.url, "weiyuan", password);
  await Promise.all([o, sec, w, m].map((p) => waitSynced(p)));

  // The official reaches 紧急状态 from the committee's sub-nav and switches 綦齿社区.
  await o.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "会议" }).click();
  await o.locator(".subnav").getByRole("link", { name: "紧急状态" }).click();
  await o.getByText("当前没有紧急状态。").waitFor();
  await o.getByText("启动紧急状态", { exact: true }).first().click();
  await o.locator("#emergency-scope").selectOption(COMMUNITY);
  await o.locator("#emergency-kind").selectOption("rainstorm");
  await o.locator("#emergency-reason").fill(REASON);
  await checkA11y(o, "emergency switch form");
  await o.locator(".switch-form").getByRole("button", { name: "启动紧急状态" }).click();
  await o.locator(".emergency-summary").getByText(REASON).waitFor();
  assert.match(await o.locator(".emergency-headline").textContent(), /紧急状态 · 暴雨 · 自\d+月\d+日 \d\d:\d\d起/);
  await syncNow(o);

  // The secretary's 下发任务 form comes with 紧急 ticked; she sends to every grid of hers.
  await syncNow(sec);
  await sec.goto(server.url + "/tasks/new");
  await sec.getByRole("heading", { name: "下发任务" }).waitFor();
  const urgent = sec.getByLabel("紧急任务（置顶）");
  await sec.waitForFunction(() => [...document.querySelectorAll("label.choice")]
    .some((l) => l.textContent.includes("紧急任务") && l.querySelector("input").checked));
  assert.ok(await urgent.isChecked(), "an emergency is on: the task goes out as an emergency task");
  await sec.getByLabel("任务名称").fill(TITLE);
  const due = await sec.evaluate(() => {
    const d = new Date(Date.now() + 24 * 3600 * 1000);
    const p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T18:00`;
  });
  await sec.getByLabel("完成时限").fill(due);
  const boxes = sec.locator("fieldset").filter({ hasText: "下发到" }).getByRole("checkbox");
  for (let i = 0; i < await boxes.count(); i++) await boxes.nth(i).check();
  await sec.getByLabel("按关爱标签逐户排查").check();
  await sec.getByRole("button", { name: "下发任务" }).click();
  await sec.getByRole("heading", { name: new RegExp(`${TITLE}.*进度看板`) }).waitFor();
  await syncNow(sec);

  // The worker's Today: the red banner first, then the emergency task on top.
  await syncNow(w);
  await w.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "今日" }).click();
  const banner = w.locator(".emergency-banner");
  await banner.waitFor();
  assert.match(await banner.textContent(), /紧急状态 · 暴雨/);
  assert.match(await banner.textContent(), new RegExp(REASON));
  const taskRow = w.locator(".today-tasks li").filter({ hasText: TITLE });
  await taskRow.waitFor();
  assert.match(await taskRow.textContent(), /紧急/);
  assert.match(await w.locator(".today-tasks li").first().textContent(), /紧急/, "emergency tasks on top");
  const order = await w.evaluate(() => [...document.querySelectorAll(".emergency-banner, .today-section")].map((e) => e.className));
  assert.match(order[0], /emergency-banner/, "the banner comes first on Today");
  await w.screenshot({ path: screenshotPath("emergency-today-banner") });
  await checkA11y(w, "today with the emergency banner");

  // She ticks the first household of the task as safe.
  await taskRow.getByRole("link").click();
  await w.getByRole("heading", { name: TITLE }).waitFor();
  const target = w.locator(".task-target").first();
  const checkedName = (await target.locator(".row-title").textContent()).trim();
  await target.getByRole("button", { name: "登记结果" }).click();
  await w.locator(".tick-form").getByLabel("安全").check();
  await w.locator(".tick-form").getByRole("button", { name: "保存" }).click();
  await w.getByText("已保存，联网后自动上报。").waitFor();
  await syncNow(w);

  // The committee member taps the banner and reports available.
  await syncNow(m);
  await m.locator(".emergency-banner").click();
  await m.locator("#report-note").fill("可出动3人，有抽水泵一台");
  await m.getByRole("button", { name: "主动报到" }).click();
  await m.getByText("已报到，联网后自动上报。").waitFor();
  await syncNow(m);

  // The official sees the report on the roster, the tel: links and the board.
  await syncNow(o);
  const member = o.locator(".roster-line").filter({ hasText: "秦文忠" });
  await member.getByText("已报到").waitFor();
  assert.match(await member.textContent(), /可出动3人/);
  assert.equal(await o.locator(".roster-line").first().textContent().then((t) => t.includes("秦文忠")), true,
    "the one who reported comes first");
  const tel = member.locator("a.tel");
  assert.equal(await tel.getAttribute("href"), "tel:13900139000");
  assert.ok(await o.locator(".roster-line a.tel").count() >= 2, "units and members with phones can be called");
  const row = o.locator(".emergency-board tbody tr").filter({ has: o.locator("td:first-child", { hasText: /^二村$/ }) });
  await row.waitFor();
  const cells = await row.locator("td").allTextContents();
  assert.ok(Number(cells[1]) >= 1, `二村 has a checked household: ${cells}`);
  assert.ok(Number(cells[2]) >= 1, "and households still to check, named");
  assert.ok(!cells[3].includes(checkedName), "the checked household is not among the unchecked");
  await o.screenshot({ path: screenshotPath("emergency-screen"), fullPage: true });
  await checkA11y(o, "emergency screen");
  await o.setViewportSize({ width: 1280, height: 800 });
  await o.screenshot({ path: screenshotPath("emergency-screen-desktop"), fullPage: true });
  await o.setViewportSize({ width: 360, height: 740 });

  // The official switches back: the record stays, in the history, with its report.
  await o.locator("#emergency-end-note").fill("雨停，道路已清理");
  await o.getByRole("button", { name: "解除紧急状态" }).click();
  await o.getByText("当前没有紧急状态。").waitFor();
  const past = o.locator(".emergency-past").first();
  await past.getByText(/已解除/).waitFor();
  assert.match(await past.textContent(), /雨停/);
  assert.match(await past.textContent(), /已报到 1/);
  await o.screenshot({ path: screenshotPath("emergency-history"), fullPage: true });
  await syncNow(o);
  await syncNow(w);
  await w.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "今日" }).click();
  await w.locator(".today-tasks").waitFor();
  assert.equal(await w.locator(".emergency-banner").count(), 0, "the banner is gone after the switch back");
});
