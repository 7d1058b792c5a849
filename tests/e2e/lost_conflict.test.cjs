// Regression for the hardening issue's third high finding: a phone on a slow link edits
// an issue before its start-up pull has arrived, so the edit goes out with an old base and
// loses to another device's value. The phone must then show the server's value (and list
// the conflict), not go on showing its own until the record happens to change again —
// neither before nor after the worker picks "保留服务器的值".
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startServer, launchBrowser, newPhone, screenshotPath, login, waitSynced, scriptedApi } = require("./support.cjs");

let server, browser, device, pullAll;
before(async () => {
  server = await startServer();
  ({ device, pullAll } = scriptedApi(server.url));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

/** The priority the issue screen shows. */
async function shownPriority(page) {
  return (await page.locator('.issue-facts dt:text-is("紧急程度") + dd').textContent()).trim();
}

/** Waits (a few seconds at most) for the issue screen to show `label`, then returns what it
 *  shows: the screen re-reads the store after a save, a moment after the form closes. */
async function priorityBecomes(page, label) {
  await page.waitForFunction((want) => {
    const dt = [...document.querySelectorAll(".issue-facts dt")].find((d) => d.textContent.trim() === "紧急程度");
    return dt?.nextElementSibling?.textContent.trim() === want;
  }, label, { timeout: 5000 }).catch(() => {});
  return shownPriority(page);
}

test("an edit that lost a conflict gives way to the server's value on the phone", async () => {
  // Playwright cannot hold requests that pass a service worker, so this phone has none.
  const context = await newPhone(browser, { serviceWorkers: "block" });
  const page = await context.newPage();
  await login(page, server.url, "gridworker");
  await waitSynced(page);

  // One of the worker's own issues, neither urgent nor low yet.
  const other = await device("gridworker");
  const { changes, epoch } = await pullAll(other.token);
  const issue = changes.find((c) => c.kind === "upsert" && c.collection === "issues"
    && c.fields.reporter.value === other.user.person_id
    && !["urgent", "low"].includes(c.fields.priority.value));
  assert.ok(issue, "the demo worker has reported an issue");

  // The pulls of the next round are held, as on a slow link.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  let heldPulls = 0;
  await page.route("**/api/v1/sync/pull**", async (route) => {
    heldPulls += 1;
    await held;
    await route.continue();
  });

  // Another device sets 紧急; the server applies it.
  const base = issue.fields.priority.version;
  const put = { op: "put", collection: "issues", id: issue.id, fields: { priority: { value: "urgent", base } } };
  assert.equal((await other.push([put], epoch)).json.results[0].status, "applied");

  // The phone opens again; its start-up pull hangs. The worker sets 低 meanwhile.
  await page.goto(server.url + "/issues/" + issue.id);
  await page.getByRole("heading", { name: issue.fields.title.value }).waitFor();
  await page.waitForFunction(() => /同步…/.test(document.querySelector(".sync-summary")?.textContent || ""));
  await page.getByRole("button", { name: "修改问题信息" }).click();
  await page.getByLabel("紧急程度").selectOption({ label: "低" });
  await page.getByRole("button", { name: "保存修改" }).click();
  await page.waitForFunction(() => !document.querySelector("form[aria-label='修改问题信息']"));
  assert.equal(await priorityBecomes(page, "低"), "低", "the worker's edit shows at once");
  assert.ok(heldPulls >= 1, "the start-up pull is held");

  // The pull arrives, then the edit is pushed with its old base: a conflict.
  release();
  await waitSynced(page);
  const conflict = page.getByRole("alert").filter({ hasText: "同步冲突" });
  await conflict.waitFor({ timeout: 30000 });
  assert.equal(await priorityBecomes(page, "紧急"), "紧急", "the phone shows what the server kept");
  await page.screenshot({ path: screenshotPath("lost-conflict-issue") });

  // Keeping the server's value leaves it so, on the phone and on the server.
  await conflict.getByRole("link", { name: "去处理冲突" }).click();
  const card = page.getByRole("listitem", { name: new RegExp(issue.fields.title.value) });
  await card.getByRole("button", { name: "保留服务器的值" }).click();
  await waitSynced(page);
  await page.goto(server.url + "/issues/" + issue.id);
  await page.getByRole("heading", { name: issue.fields.title.value }).waitFor();
  assert.equal(await priorityBecomes(page, "紧急"), "紧急");
  assert.equal(await conflict.count(), 0, "the conflict is settled");
  const after = await pullAll(other.token);
  const latest = after.changes.filter((c) => c.kind === "upsert" && c.id === issue.id).pop();
  assert.equal(latest.fields.priority.value, "urgent");
  await context.close();
});
