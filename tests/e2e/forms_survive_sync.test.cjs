// A background sync never closes a form or loses what is typed (STYLE.md, "Forms outlive
// data changes"). A grid worker has the edit form and the comment form of one issue open
// and half-typed while another device changes data: once another issue (the screen must
// not even re-render), once this very issue (the new priority shows, the forms stay). The
// edit then sends only what the worker changed, judged against the issue as the form
// opened on it: a field another device changed meanwhile is not written back, and a field
// both changed becomes a conflict instead of a silent overwrite.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startServer, launchBrowser, newPhone, screenshotPath, login, waitSynced } = require("./support.cjs");

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
  return { status: res.status, json: await res.json() };
}

/** Another device, driven over the API: log in, read the latest issues, push edits. */
async function device(username) {
  const { json } = await api("/api/v1/auth/login", { body: { username, password: "wangge-demo", device_name: "script" } });
  let seq = 0;
  return {
    person: json.user.person_id,
    /** The latest upsert of every issue in scope, by id, and the server's epoch. */
    async issues() {
      const issues = new Map();
      let cursor = 0, epoch;
      for (;;) {
        const page = (await api(`/api/v1/sync/pull?cursor=${cursor}&limit=1000`, { token: json.token })).json;
        for (const c of page.changes) if (c.kind === "upsert" && c.collection === "issues") issues.set(c.id, c);
        ({ cursor, epoch } = page);
        if (!page.has_more) return { issues, epoch };
      }
    },
    /** Sets one field of an issue, based on the version this device last saw. */
    async set(issue, field, value, epoch) {
      const fields = { [field]: { value, base: issue.fields[field].version } };
      const mutations = [{ seq: ++seq, op: "put", collection: "issues", id: issue.id, fields }];
      const { json: answer } = await api("/api/v1/sync/push", { token: json.token, body: { client_id: json.device_id, schema_version: 1, epoch, mutations } });
      assert.equal(answer.results[0].status, "applied", JSON.stringify(answer));
    },
  };
}

/** The issue as the phone holds it in IndexedDB (to know a pulled change has landed). */
async function onPhone(page, id) {
  return page.evaluate((id) => new Promise((resolve, reject) => {
    const open = indexedDB.open("wangge");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction("issues").objectStore("issues").get(id);
      req.onerror = () => reject(req.error);
      req.onsuccess = () => { open.result.close(); resolve(req.result && req.result.issue); };
    };
  }), id);
}

/** A sync round the way the phone starts one by itself (coming online), without
 *  touching the screen, so focus stays where the worker left it. */
async function backgroundSync(page) {
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
}

test("a sync keeps the open edit and comment forms and what was typed in them", async () => {
  const context = await newPhone(browser);
  const page = await context.newPage();
  await login(page, server.url, "gridworker");
  await waitSynced(page);

  // The worker's second phone makes the other changes.
  const other = await device("gridworker");
  let { issues, epoch } = await other.issues();
  const reported = [...issues.values()].filter((c) => c.fields.reporter.value === other.person && c.fields.priority.value === "normal");
  assert.ok(reported.length >= 2, "the worker reported at least two issues of normal priority");
  const [here, elsewhere] = reported;
  const title = here.fields.title.value;

  await page.goto(`${server.url}/issues/${here.id}`);
  await page.getByRole("heading", { name: title }).waitFor();
  await waitSynced(page);

  // Both forms open, both half-typed.
  const TITLE = title.slice(0, 20) + "（已核实）";
  const COMMENT = "已联系物业，周五前";
  await page.getByRole("button", { name: "修改问题信息" }).click();
  const editForm = page.getByRole("form", { name: "修改问题信息" });
  await editForm.getByLabel("问题标题").fill(TITLE);
  await page.getByRole("button", { name: "办理意见", exact: true }).click();
  const commentForm = page.getByRole("form", { name: "办理意见" });
  const comment = commentForm.getByLabel("办理意见");
  await comment.fill(COMMENT);
  const typedIn = await comment.elementHandle();

  // 1. Another issue changes and the phone pulls it (a tap on 立即同步).
  await other.set(elsewhere, "priority", "urgent", epoch);
  await page.getByRole("button", { name: "立即同步" }).click();
  await waitFor(async () => (await onPhone(page, elsewhere.id))?.priority === "urgent", "the other issue's change reached the phone");
  await waitSynced(page);
  await editForm.waitFor({ timeout: 2000 });
  await commentForm.waitFor({ timeout: 2000 });
  assert.equal(await editForm.getByLabel("问题标题").inputValue(), TITLE, "the typed title is kept");
  assert.equal(await comment.inputValue(), COMMENT, "the typed comment is kept");
  assert.ok(await typedIn.evaluate((el) => el.isConnected), "nothing on this screen was rebuilt");
  await commentForm.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath("forms-survive-other-issue") });

  // 2. This issue changes (its priority) while the worker is typing the comment.
  ({ issues, epoch } = await other.issues());
  await other.set(issues.get(here.id), "priority", "urgent", epoch);
  await comment.focus();
  await backgroundSync(page);
  await page.locator(".issue-facts").filter({ hasText: "紧急程度紧急" }).waitFor();
  await waitSynced(page);
  assert.equal(await editForm.getByLabel("问题标题").inputValue(), TITLE, "the typed title is kept");
  assert.equal(await editForm.getByLabel("紧急程度").inputValue(), "normal", "the form still shows what it opened on");
  assert.equal(await comment.inputValue(), COMMENT, "the typed comment is kept");
  assert.ok(await typedIn.evaluate((el) => el.isConnected && document.activeElement === el), "the comment box kept its focus (and the phone its keyboard)");
  await commentForm.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath("forms-survive-this-issue") });

  // The comment is saved and appears in the timeline; the edit form stays open through it.
  await commentForm.getByRole("button", { name: "确认" }).click();
  await page.getByRole("region", { name: "办理经过" }).getByText(COMMENT).waitFor();
  await commentForm.waitFor({ state: "detached" });
  await waitSynced(page);
  assert.equal(await editForm.getByLabel("问题标题").inputValue(), TITLE, "the edit form survives the comment's own sync");

  // The edit sends the title only: the priority the worker never touched stays urgent.
  await editForm.getByRole("button", { name: "保存修改" }).click();
  await page.getByRole("heading", { name: TITLE }).waitFor();
  await editForm.waitFor({ state: "detached" });
  await waitSynced(page);
  ({ issues, epoch } = await other.issues());
  assert.equal(issues.get(here.id).fields.title.value, TITLE);
  assert.equal(issues.get(here.id).fields.priority.value, "urgent", "another device's change is not undone");
  assert.deepEqual(issues.get(here.id).fields.due_at.value, here.fields.due_at.value, "the untouched due date is not rewritten");
  await page.locator(".issue-facts").filter({ hasText: "紧急程度紧急" }).waitFor();

  // A field changed on both sides while the form is open becomes a conflict to settle.
  await page.getByRole("button", { name: "修改问题信息" }).click();
  assert.equal(await editForm.getByLabel("问题标题").inputValue(), TITLE, "a new edit starts from the issue as it is");
  await editForm.getByLabel("紧急程度").selectOption("low");
  await other.set(issues.get(here.id), "priority", "high", epoch);
  await backgroundSync(page);
  await page.locator(".issue-facts").filter({ hasText: "紧急程度较急" }).waitFor();
  await waitSynced(page);
  assert.equal(await editForm.getByLabel("紧急程度").inputValue(), "low", "the worker's choice is kept");
  await editForm.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath("forms-survive-before-conflict") });
  await editForm.getByRole("button", { name: "保存修改" }).click();
  const conflict = page.getByRole("alert").filter({ hasText: "同步冲突" });
  await conflict.waitFor({ timeout: 20000 });
  assert.match(await conflict.textContent(), /服务器上的值：\s*较急/);
  assert.match(await conflict.textContent(), /被搁置的值：\s*低/);
  ({ issues } = await other.issues());
  assert.equal(issues.get(here.id).fields.priority.value, "high", "the write the worker made blind did not replace it");
  await context.close();
});

/** Polls `check` until it is true (10 s). */
async function waitFor(check, what) {
  const until = Date.now() + 10000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out: " + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}
