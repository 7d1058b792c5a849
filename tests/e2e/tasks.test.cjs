// Tasks sent down the grid (任务下发) in real Chromium against the real server: the
// community secretary sends an emergency "排查独居老人" to her community's grids (every
// household tagged 独居老人); the grid worker pulls it, goes offline, finds it at the top
// of Today marked 紧急, ticks two households (one 需帮扶, which offers 上报问题 and 提出需求 —
// the need form opens for that household), reconnects;
// the secretary's board shows her grid's progress and names the households not checked
// in the others.
// Screenshots at 360 px (Today with the task, the task screen, the board) and the board at
// desktop width.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const {
  startServer, launchBrowser, newPhone, login, waitSynced, screenshotPath, waitForServiceWorker, syncNow,
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

// The demo already has "暴雨前排查独居老人" on the worker's grid: a title of its own.
const TITLE = "寒潮排查独居老人";

test("a task sent down the grid is ticked offline and its board shows the households left", async () => {
  const secretaryPhone = await newPhone(browser);
  const workerPhone = await newPhone(browser);
  const sec = await secretaryPhone.newPage();
  const w = await workerPhone.newPage();
  await login(sec, server.url, "secretary");
  await login(w, server.url, "gridworker");
  await Promise.all([waitSynced(sec), waitSynced(w)]);
  await waitForServiceWorker(w);

  // The secretary sends it from the committee's 任务 screen to every grid of hers.
  await sec.goto(server.url + "/tasks");
  await sec.getByRole("link", { name: "下发任务" }).click();
  await sec.getByRole("heading", { name: "下发任务" }).waitFor();
  await sec.getByLabel("任务名称").fill(TITLE);
  await sec.getByLabel("任务要求").fill("今晚有强降雨，逐户见面查看屋顶和电线。");
  const due = await sec.evaluate(() => {
    const d = new Date(Date.now() + 24 * 3600 * 1000);
    const p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T18:00`;
  });
  await sec.getByLabel("完成时限").fill(due);
  const boxes = sec.locator("fieldset").filter({ hasText: "下发到" }).getByRole("checkbox");
  const grids = await boxes.count();
  assert.ok(grids >= 2, "her community's grids are offered");
  for (let i = 0; i < grids; i++) await boxes.nth(i).check();
  await sec.getByLabel("按关爱标签逐户排查").check();
  await sec.getByLabel("紧急任务（置顶）").check();
  await sec.getByRole("button", { name: "下发任务" }).click();
  await sec.getByRole("heading", { name: new RegExp(`${TITLE}.*进度看板`) }).waitFor();
  const boardUrl = sec.url();
  await syncNow(sec);

  // The worker pulls it, then loses signal: it is at the top of Today, marked 紧急.
  await syncNow(w);
  await workerPhone.setOffline(true);
  await w.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "今日" }).click();
  const section = w.locator(".today-tasks");
  await section.getByText(TITLE).waitFor();
  const first = await w.locator(".today-section").first().getAttribute("class");
  assert.match(first, /today-tasks/, "tasks come first on Today");
  const row = section.locator("li").filter({ hasText: TITLE }).first();
  assert.match(await row.textContent(), /紧急/);
  assert.match(await row.textContent(), /已完成 0 \/ 共 \d+/);
  await w.screenshot({ path: screenshotPath("tasks-today") });

  // Two households ticked offline: the first needs help (上报问题 offered), the second is safe.
  await row.getByRole("link").click();
  await w.getByRole("heading", { name: TITLE }).waitFor();
  const targets = w.locator(".task-target");
  await targets.first().waitFor();
  const total = await targets.count();
  assert.ok(total >= 2, "the households of her grid tagged 独居老人");
  const tick = async (n, outcome, note) => {
    await targets.nth(n).getByRole("button", { name: "登记结果" }).click();
    await w.locator(".tick-form").getByLabel(outcome).check();
    if (note) await w.getByLabel("情况说明（选填）").fill(note);
    await w.locator(".tick-form").getByRole("button", { name: "保存" }).click();
    await w.getByText("已保存，联网后自动上报。").waitFor();
  };
  const firstName = (await targets.nth(0).locator(".row-title").textContent()).trim();
  await tick(0, "需帮扶", "屋顶漏雨，需要帮忙修补");
  await w.locator("#tick-form").getByRole("link", { name: "上报问题" }).waitFor();
  const need = w.locator("#tick-form").getByRole("link", { name: "提出需求" });
  assert.match(await need.getAttribute("href"), /^\/lists\/new\?kind=need&household=/, "a need of that household, one tap away");
  await need.click();
  await w.getByRole("heading", { name: "新增清单条目" }).waitFor();
  await w.locator(".chosen strong").filter({ hasText: firstName.split(" ")[0] }).waitFor();
  await w.goBack();
  await w.getByRole("heading", { name: TITLE }).waitFor();
  await tick(1, "安全");
  await w.waitForFunction(() => document.querySelectorAll(".task-target.done").length === 2);
  assert.match(await targets.nth(0).textContent(), /需帮扶/);
  await w.screenshot({ path: screenshotPath("tasks-task"), fullPage: true });

  // Back online: the two results go up.
  await workerPhone.setOffline(false);
  await syncNow(w);

  // The secretary's board: her worker's grid shows 2 done, the households not checked listed.
  await syncNow(sec);
  await sec.goto(boardUrl);
  const gridRow = sec.locator(".board-table tbody tr").filter({ hasText: "二村" });
  await gridRow.waitFor();
  const twoDone = new RegExp(`2 / ${total}`);
  assert.match(await gridRow.textContent(), twoDone);
  assert.ok(!(await gridRow.textContent()).includes(firstName), "a checked household is not listed");
  // The other grids have not started: their households are named as not checked.
  const unchecked = sec.locator(".board-table tbody tr").filter({ hasNotText: "二村" }).locator(".muted");
  assert.ok(await unchecked.count() >= 1, "another grid still has households to check");
  assert.ok((await unchecked.first().textContent()).trim().length > 0, "the unchecked ones are named");
  await sec.screenshot({ path: screenshotPath("tasks-board"), fullPage: true });
  await sec.setViewportSize({ width: 1280, height: 800 });
  await sec.screenshot({ path: screenshotPath("tasks-board-desktop"), fullPage: true });
});
