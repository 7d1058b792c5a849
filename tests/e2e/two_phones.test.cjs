// Two phones in real Chromium against the real server (docs/SYNC.md, "How to prove it"): a grid worker
// and her community secretary both log in, both lose signal, both change the same issue
// and each reports a new one; one reloads while offline; both reconnect. Both phones and
// the server then hold the same records, the clash over the shared field is listed as a
// conflict on both phones, and no record is missing anywhere.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const {
  startServer, launchBrowser, newPhone, login, waitSynced, screenshotPath, waitForServiceWorker,
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

async function api(path, { token, body } = {}) {
  const res = await fetch(server.url + path, {
    method: body ? "POST" : "GET",
    headers: { "content-type": "application/json", ...(token ? { authorization: "Bearer " + token } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return res.json();
}

/** What the server holds for `username`'s scope: live issues by id, and event ids. */
async function serverView(username) {
  const { token } = await api("/api/v1/auth/login", { body: { username, password: "wangge-demo", device_name: "check" } });
  const issues = new Map(), events = new Set(), conflicts = new Map();
  let cursor = 0;
  for (;;) {
    const page = await api(`/api/v1/sync/pull?cursor=${cursor}&limit=1000`, { token });
    for (const c of page.changes) {
      if (c.collection === "issues" && c.kind === "upsert") issues.set(c.id, c.fields);
      if (c.collection === "issues" && (c.kind === "tombstone" || c.kind === "evict")) issues.delete(c.id);
      if (c.kind === "event") events.add(c.event.id);
      if (c.kind === "conflict") conflicts.set(c.conflict.id, c.conflict);
    }
    cursor = page.cursor;
    if (!page.has_more) return { issues, events, conflicts, token };
  }
}

/** What a phone holds in IndexedDB: issue ids with title and priority, and event ids. */
async function phoneView(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open("wangge");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(["issues", "issue_history", "outbox", "rejected"]);
      const out = {};
      tx.objectStore("rejected").getAll().onsuccess = (e) => { out.rejected = e.target.result.map((r) => r.code); };
      tx.objectStore("issues").getAll().onsuccess = (e) => {
        out.issues = e.target.result.map((r) => [r.id, r.title, r.issue.priority]);
      };
      // Since schema v9 an issue's events are in its history row.
      tx.objectStore("issue_history").getAll().onsuccess = (e) => {
        out.events = e.target.result.flatMap((h) => h.events.map((ev) => ev.id));
      };
      tx.objectStore("outbox").count().onsuccess = (e) => { out.pending = e.target.result; };
      tx.oncomplete = () => { open.result.close(); resolve(out); };
      tx.onerror = () => reject(tx.error);
    };
  }));
}

async function setPriority(page, label) {
  await page.getByRole("button", { name: "修改问题信息" }).click();
  const form = page.getByRole("form", { name: "修改问题信息" });
  await form.getByLabel("紧急程度").selectOption({ label });
  await form.getByRole("button", { name: "保存修改" }).click();
  await form.waitFor({ state: "detached" });
}

async function reportIssue(page, title) {
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "问题" }).click();
  await page.getByRole("link", { name: "上报问题" }).click();
  await page.getByRole("heading", { name: "上报问题" }).waitFor();
  await page.getByLabel("问题类别").selectOption({ label: "基础设施" });
  await page.getByLabel("问题标题").fill(title);
  await page.getByRole("button", { name: "保存并上报" }).click();
  await page.getByRole("heading", { name: title }).waitFor();
}

async function syncNow(page) {
  await page.getByRole("button", { name: "立即同步" }).click();
  await waitSynced(page);
}

test("two phones edit offline, one reloads, both converge with the server, conflict listed", async () => {
  const worker = await newPhone(browser);
  const secretary = await newPhone(browser);
  const a = await worker.newPage();
  const b = await secretary.newPage();
  await login(a, server.url, "gridworker");
  await login(b, server.url, "secretary");
  await Promise.all([waitSynced(a), waitSynced(b)]);
  await Promise.all([waitForServiceWorker(a), waitForServiceWorker(b)]);

  // An open issue of the worker's grid, which the secretary's community also holds.
  const before = await serverView("gridworker");
  const [issueId, fields] = [...before.issues].find(([, f]) => f.priority.value === "normal");
  const title = fields.title.value;

  // Signal gone on both phones.
  await worker.setOffline(true);
  await secretary.setOffline(true);

  // Both change the same issue's priority, differently.
  for (const [page, label] of [[a, "紧急"], [b, "低"]]) {
    await page.goto(server.url + "/issues/" + issueId);
    await page.getByRole("heading", { name: title }).waitFor();
    await setPriority(page, label);
  }
  // Each reports a new issue.
  const fromA = "二村5栋化粪池外溢,网格员离线上报";
  const fromB = "社区广场路灯损坏,书记离线上报";
  await reportIssue(a, fromA);
  await reportIssue(b, fromB);

  // The secretary's phone reloads with no signal: its changes are still there, unsynced.
  await b.reload();
  await b.getByRole("heading", { name: fromB }).waitFor();
  const bOffline = await phoneView(b);
  assert.ok(bOffline.pending >= 3, `changes wait in the outbox: ${bOffline.pending}`);
  assert.ok(bOffline.issues.some(([, t]) => t === fromB));
  await b.screenshot({ path: screenshotPath("two-phones-offline") });

  // Signal back. Sync until both have heard everything (A's second round pulls B's work).
  // The worker's signal comes back first: each phone syncs on its own `online` event, so
  // bringing both back at once would race for which value reaches the server first.
  await worker.setOffline(false);
  await syncNow(a);
  await secretary.setOffline(false);
  await syncNow(b);
  await syncNow(a);

  // Both phones agree with the server on every issue and every event of their scope.
  const serverA = await serverView("gridworker");
  const serverB = await serverView("secretary");
  const viewA = await phoneView(a);
  const viewB = await phoneView(b);
  for (const [name, phone, srv] of [["worker", viewA, serverA], ["secretary", viewB, serverB]]) {
    assert.equal(phone.pending, 0, `${name}: nothing left to push`);
    assert.deepEqual(phone.rejected, [], `${name}: the server refused nothing`);
    assert.deepEqual(
      phone.issues.map(([id]) => id).sort(),
      [...srv.issues.keys()].sort(),
      `${name}: the phone holds exactly the server's issues for its scope`,
    );
    assert.deepEqual([...phone.events].sort(), [...srv.events].sort(), `${name}: every event`);
    for (const [id, t, priority] of phone.issues) {
      assert.equal(t, srv.issues.get(id).title.value, `${name}: title of ${id}`);
      assert.equal(priority, srv.issues.get(id).priority.value, `${name}: priority of ${id}`);
    }
  }
  // Each new issue is where its scope says: the worker's reaches her community's secretary;
  // the secretary's, filed at the community, stays out of the worker's grid.
  const has = (view, t) => view.issues.some(([, title]) => title === t);
  assert.ok(has(viewA, fromA) && has(viewB, fromA), "the worker's report is on both phones");
  assert.ok(has(viewB, fromB), "the secretary's report is on her phone");
  assert.ok(!has(viewA, fromB), "a community-level issue is not pushed into a grid worker's phone");
  // The worker's phone is in the secretary's community: the secretary sees all it sees.
  for (const id of serverA.issues.keys()) assert.ok(serverB.issues.has(id), "community scope covers the grid");

  // The worker synced first, so her 紧急 stands; the secretary's 低 is kept as a conflict.
  assert.equal(serverA.issues.get(issueId).priority.value, "urgent");
  const conflict = [...serverB.conflicts.values()].find((c) => c.record_id === issueId && c.field === "priority");
  assert.ok(conflict && !conflict.resolved, "the clash is recorded, not dropped");
  assert.equal(conflict.device_value, "low");

  // And it is listed on both phones, and shown on the issue itself.
  for (const page of [a, b]) {
    await page.getByRole("link", { name: /条冲突待处理/ }).click();
    await page.getByRole("listitem", { name: new RegExp(title) }).waitFor();
  }
  await b.screenshot({ path: screenshotPath("two-phones-conflict") });
  await a.goto(server.url + "/issues/" + issueId);
  try {
    await a.getByRole("alert").filter({ hasText: "同步冲突" }).waitFor({ timeout: 10000 });
  } catch (e) {
    await a.screenshot({ path: screenshotPath("two-phones-failure"), fullPage: true });
    throw e;
  }

  await worker.close();
  await secretary.close();
});
