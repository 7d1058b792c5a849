// A hand-picked task, completed by a visit, then closed (任务下发, issue #19), in real
// Chromium against the real server: the community secretary sends "复核指定住户" to the
// grid worker's grid with two households picked by hand (the list filtered by a name);
// the worker records a visit to one of them and the visit form offers to tick the task
// (checked): the task shows 1 of 2 done; the secretary's board shows it and names the
// other household; she closes the task with a note — the board says 已结束 and still lists
// the household not checked — and the task leaves the worker's Today.
// Screenshots at 360 px (the sending form's picked list, the visit form with the task,
// the closed board) and the closed board at desktop width.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startServer, launchBrowser, newPhone, login, waitSynced, screenshotPath, syncNow } = require("./support.cjs");

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const TITLE = "复核指定住户";

test("a hand-picked task is ticked by a visit, and closing it keeps what was not done", async () => {
  const sec = await (await newPhone(browser)).newPage();
  const w = await (await newPhone(browser)).newPage();
  await login(sec, server.url, "secretary");
  await login(w, server.url, "gridworker");
  await Promise.all([waitSynced(sec), waitSynced(w)]);

  // The secretary picks two households of 二村 by hand.
  await sec.goto(server.url + "/tasks/new");
  await sec.getByRole("heading", { name: "下发任务" }).waitFor();
  await sec.getByLabel("任务名称").fill(TITLE);
  const due = await sec.evaluate(() => {
    const d = new Date(Date.now() + 24 * 3600 * 1000);
    const p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T18:00`;
  });
  await sec.getByLabel("完成时限").fill(due);
  await sec.locator("fieldset").filter({ hasText: "下发到" }).getByLabel("二村").check();
  await sec.getByLabel("指定住户").check();
  const picks = sec.locator('input[name="task-pick"]');
  await picks.first().waitFor();
  const all = await picks.count();
  assert.ok(all >= 2, `二村's households are offered: ${all}`);
  // Filtering by the first one's name narrows the list to households matching it.
  const firstLabel = (await sec.locator(".pick-households label").first().textContent()).trim();
  const name = firstLabel.split(" ")[0];
  await sec.getByPlaceholder("按姓名或地址筛选").fill(name);
  await sec.waitForFunction((all) => document.querySelectorAll('input[name="task-pick"]').length < all, all);
  const chosen = [await picks.first().getAttribute("value")];
  await picks.first().check();
  await sec.getByPlaceholder("按姓名或地址筛选").fill("");
  await sec.waitForFunction((all) => document.querySelectorAll('input[name="task-pick"]').length === all, all);
  for (let i = 0; i < all && chosen.length < 2; i++) {
    const value = await picks.nth(i).getAttribute("value");
    if (value === chosen[0]) continue;
    await picks.nth(i).check();
    chosen.push(value);
  }
  assert.match(await sec.locator(".pick-households").textContent(), /已选 2/);
  await sec.screenshot({ path: screenshotPath("task-pick"), fullPage: true });
  await sec.getByRole("button", { name: "下发任务" }).click();
  await sec.getByRole("heading", { name: new RegExp(`${TITLE}.*进度看板`) }).waitFor();
  const boardUrl = sec.url();
  const row = sec.locator(".board-table tbody tr").filter({ hasText: "二村" });
  assert.match(await row.textContent(), /0 \/ 2/, "only the two picked households are targets");
  await syncNow(sec);

  // The worker visits the first one: the visit form offers the task, checked.
  await syncNow(w);
  await w.goto(server.url + `/visits/new/${chosen[0]}`);
  const also = w.locator(".also-tasks");
  await also.getByText(TITLE).waitFor();
  assert.ok(await also.locator("label").filter({ hasText: TITLE }).getByRole("checkbox").isChecked());
  await w.getByLabel("走访情况").fill("老人在家，身体尚好，已复核。");
  await w.screenshot({ path: screenshotPath("task-visit"), fullPage: true });
  await w.getByRole("button", { name: "保存走访" }).click();
  await w.getByText("走访已保存在本机").waitFor();
  await w.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "今日" }).click();
  const today = w.locator(".today-tasks li").filter({ hasText: TITLE });
  await today.waitFor();
  assert.match(await today.textContent(), /已完成 1 \/ 共 2/, "the visit ticked the task");
  await syncNow(w);

  // The secretary's board: 1 of 2, the other household named; she closes it.
  await syncNow(sec);
  await sec.goto(boardUrl);
  await row.waitFor();
  assert.match(await row.textContent(), /1 \/ 2/);
  const left = (await row.locator(".muted").textContent()).trim();
  assert.ok(left.length > 0, "the household not visited is named");
  await sec.getByRole("button", { name: "结束任务" }).click();
  assert.match(await sec.locator(".close-form").textContent(), /尚未完成的对象：1/);
  await sec.getByLabel("结束说明（选填）").fill("其余一户已电话联系，下周补访");
  await sec.getByRole("button", { name: "确认结束" }).click();
  await sec.getByText("1 项已结束").waitFor();
  await sec.locator(".closed-line").getByText("其余一户已电话联系").waitFor();
  assert.equal((await row.locator(".muted").textContent()).trim(), left, "what was not done stays listed");
  assert.equal(await sec.getByRole("button", { name: "结束任务" }).count(), 0, "nothing left to close");
  await sec.screenshot({ path: screenshotPath("task-closed"), fullPage: true });
  await sec.setViewportSize({ width: 1280, height: 800 });
  await sec.screenshot({ path: screenshotPath("task-closed-desktop"), fullPage: true });
  await syncNow(sec);

  // The worker's Today no longer lists it.
  await syncNow(w);
  await w.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "今日" }).click();
  await w.locator(".today-section").first().waitFor();
  await w.waitForFunction((t) => ![...document.querySelectorAll(".today-tasks li")].some((li) => li.textContent.includes(t)), TITLE);
});
