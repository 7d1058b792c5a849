// Sync on a real phone-sized Chromium against the real server: a field conflict made by
// two other devices reaches the phone and is listed; settling it while the phone's token
// has been revoked keeps the change through a reload, asks the worker to log in again,
// and after the re-login the server has the settled value. Nothing is lost on the way.
// And while a long pull runs, the sync line counts the changes that have arrived.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startServer, launchBrowser, newPhone, screenshotPath, login, waitSynced, scriptedApi } = require("./support.cjs");

let server, browser, api, device, pullAll;
before(async () => {
  server = await startServer();
  ({ api, device, pullAll } = scriptedApi(server.url));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

/** Waits until the sync line counts `n` waiting changes (it counts after the page opens). */
async function pendingIs(page, n) {
  await page.waitForFunction((n) => document.querySelector(".sync-summary")?.dataset.pending === String(n), n, { timeout: 10000 });
}

test("a conflict is listed, settled while logged out, and reaches the server after re-login", async () => {
  const context = await newPhone(browser);
  const page = await context.newPage();
  page.on("console", (m) => process.env.WANGGE_E2E_DEBUG && console.log("console:", m.text()));
  await login(page, server.url, "gridworker");
  await waitSynced(page);

  // Two other devices change the priority of one of the worker's issues from the same
  // starting point: the second write loses and is kept as a conflict.
  const worker2 = await device("gridworker");
  const secretary = await device("secretary");
  const { changes, epoch } = await pullAll(worker2.token);
  // One the worker reported that never went above the community: both may edit it.
  const above = new Set(changes.filter((c) => c.kind === "event" && c.event.kind.type === "escalated"
    && c.event.kind.to !== "community").map((c) => c.event.issue));
  const issue = changes.find((c) => c.kind === "upsert" && c.collection === "issues" && !above.has(c.id)
    && c.fields.reporter.value === worker2.user.person_id
    && c.fields.priority.value !== "urgent" && c.fields.priority.value !== "low");
  assert.ok(issue, "the worker has an issue to edit");
  const base = issue.fields.priority.version;
  const put = (value) => ({ op: "put", collection: "issues", id: issue.id, fields: { priority: { value, base } } });
  const first = await worker2.push([put("urgent")], epoch);
  assert.equal(first.json.results[0].status, "applied");
  const second = await secretary.push([put("low")], epoch);
  assert.equal(second.json.results[0].status, "conflict");

  // The phone pulls it and lists it.
  await page.getByRole("button", { name: "立即同步" }).click();
  const link = page.getByRole("link", { name: /条冲突待处理/ });
  await link.waitFor();
  await link.click();
  await page.getByRole("heading", { name: "同步冲突" }).waitFor();
  const title = issue.fields.title.value;
  const card = page.getByRole("listitem", { name: new RegExp(title) });
  await card.waitFor();
  assert.match(await card.textContent(), /服务器上的值紧急/);
  assert.match(await card.textContent(), /被搁置的值低/);
  await page.screenshot({ path: screenshotPath("conflicts") });

  // The phone's token is revoked (as an administrator would, or as it expires).
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem("wangge.session")).token);
  assert.equal((await api("/api/v1/auth/logout", { token, body: {} })).status, 200);

  // The worker settles for the value set aside: two changes wait, and the sync is refused.
  await card.getByRole("button", { name: "改用被搁置的值" }).click();
  try {
    await page.getByRole("button", { name: "重新登录" }).waitFor({ timeout: 15000 });
  } catch (e) {
    await page.screenshot({ path: screenshotPath("conflicts-failure") });
    throw e;
  }
  assert.match(await page.locator(".sync-problem").textContent(), /登录已过期/);
  await pendingIs(page, 2);
  assert.equal(await page.getByRole("listitem", { name: new RegExp(title) }).count(), 0, "settled at once on the phone");

  // A reload keeps both the waiting changes and the request to log in again.
  await page.reload();
  await page.getByRole("button", { name: "重新登录" }).waitFor();
  await pendingIs(page, 2);

  await page.getByRole("button", { name: "重新登录" }).click();
  assert.equal(await page.getByLabel("用户名").inputValue(), "gridworker", "the username is remembered");
  await page.getByLabel("密码").fill("wangge-demo");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await waitSynced(page);

  // The server has the settled value and the conflict marked resolved.
  const after = await pullAll(secretary.token);
  const latest = after.changes.filter((c) => c.kind === "upsert" && c.id === issue.id).pop();
  assert.equal(latest.fields.priority.value, "low");
  const conflicts = after.changes.filter((c) => c.kind === "conflict" && c.conflict.record_id === issue.id);
  assert.ok(conflicts.length > 0 && conflicts[conflicts.length - 1].conflict.resolved, JSON.stringify(conflicts));
  await context.close();
});

test("a long pull shows the worker how many changes have arrived so far", async () => {
  // Playwright cannot route what passes a service worker, so this phone runs without one.
  const context = await newPhone(browser, { serviceWorkers: "block" });
  const page = await context.newPage();
  // The demo fits one page, so the first page is passed on as "more to come" and the
  // next request is held: the round is then visibly under way, one page in.
  let firstPage = null;
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route("**/api/v1/sync/pull**", async (route) => {
    const response = await route.fetch();
    if (firstPage === null) {
      const body = await response.json();
      firstPage = body.changes.length;
      await route.fulfill({ response, json: { ...body, has_more: true } });
    } else {
      await held;
      await route.fulfill({ response });
    }
  });
  await login(page, server.url, "secretary");
  await page.waitForFunction(() => /已接收 \d+ 条/.test(document.querySelector(".sync-summary")?.textContent || ""), null, { timeout: 20000 });
  assert.ok(firstPage > 0, "the secretary's first page carries changes");
  assert.match(await page.locator(".sync-summary").textContent(), new RegExp(`^正在同步… 已接收 ${firstPage} 条 · `));
  // Today already lists what the first page brought, while the round is still open.
  const overdue = page.getByRole("region", { name: "超期督办" });
  await overdue.getByRole("link").first().waitFor({ timeout: 10000 });
  assert.match(await page.locator(".sync-summary").textContent(), /^正在同步…/, "still one page in");
  await page.screenshot({ path: screenshotPath("sync-progress") });
  release();
  await waitSynced(page);
  assert.match(await page.locator(".sync-summary").textContent(), /^全部已同步 · 上次同步/);
  assert.equal(await page.getByText("本机还没有数据").count(), 0, "no 'no data' message once data is here");
  await context.close();
});
