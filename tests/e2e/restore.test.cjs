// A server restored from a backup loses nothing any phone still holds (hardening finding
// 11): two phones sync, the server is backed up, each phone reports an issue that the
// server acknowledges, then the server is killed and restored from the backup, which
// lacks both. On their next sync the phones see the new epoch, offer back their own work,
// and afterwards the server and both phones hold both issues with their reports.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const path = require("node:path");
const { startServer, launchBrowser, newPhone, screenshotPath, login, waitSynced, scriptedApi } = require("./support.cjs");

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

async function report(page, title) {
  await page.goto(server.url + "/issues/new");
  await page.getByLabel("问题类别").selectOption({ label: "安全隐患" });
  await page.getByLabel("问题标题").fill(title);
  await page.getByRole("button", { name: "保存并上报" }).click();
  await page.getByRole("heading", { name: title }).waitFor();
  await waitSynced(page);
}

/** The issues (by title) and report events the server holds, as the secretary sees it. */
async function onServer(titles) {
  const { device, pullAll } = scriptedApi(server.url);
  const { changes } = await pullAll((await device("secretary")).token);
  return titles.map((title) => {
    const issue = changes.find((c) => c.kind === "upsert" && c.collection === "issues" && c.fields.title.value === title);
    const reported = issue && changes.some((c) => c.kind === "event" && c.event.issue === issue.id && c.event.kind.type === "reported");
    return { title, issue: Boolean(issue), reported: Boolean(reported) };
  });
}

test("after a restore from an older backup, both phones' acknowledged reports are back on the server", async () => {
  const worker = await (await newPhone(browser)).newPage();
  const secretary = await (await newPhone(browser)).newPage();
  await login(worker, server.url, "gridworker");
  await login(secretary, server.url, "secretary");
  await waitSynced(worker);
  await waitSynced(secretary);

  const backup = path.join(server.data, "..", path.basename(server.data) + "-backup.sqlite3");
  execFileSync(server.bin, ["backup", backup, "--data", server.data]);
  const titles = ["备份之后上报的路灯问题", "备份之后书记上报的井盖问题"];
  await report(worker, titles[0]);
  await report(secretary, titles[1]);
  assert.deepEqual(await onServer(titles), titles.map((title) => ({ title, issue: true, reported: true })));

  // The server dies and is put back from the backup, which predates both reports.
  await server.kill();
  execFileSync(server.bin, ["restore", backup, "--data", server.data]);
  server = { ...server, ...(await startServer({ data: server.data, addr: server.addr })) };
  assert.deepEqual(await onServer(titles), titles.map((title) => ({ title, issue: false, reported: false })), "the backup lacks them");

  for (const page of [worker, secretary]) {
    await page.getByRole("button", { name: "立即同步" }).click();
    await waitSynced(page, 60000);
  }
  assert.deepEqual(await onServer(titles), titles.map((title) => ({ title, issue: true, reported: true })));
  // And the phones hold them again, pulled from the restored server: the worker his own
  // (the secretary's is at the community, above his grid), the secretary both.
  for (const [page, shown] of [[worker, titles.slice(0, 1)], [secretary, titles]]) {
    await page.goto(server.url + "/issues");
    for (const title of shown) {
      await page.getByRole("link", { name: new RegExp(title) }).first().waitFor({ timeout: 30000 });
    }
  }
  await worker.screenshot({ path: screenshotPath("restore-worker-list") });
});
