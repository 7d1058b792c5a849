// The roster kept on the phone, offline (issue 12): the demo grid worker loses signal,
// adds a household, edits a member of another and changes its care tags, reloads with no
// signal (everything still there), and syncs; her community secretary, offline on another
// phone, changes the same household's address and the same member's phone. Both phones
// and the server then agree on every household, the two edits of different fields both
// stand, and the clash over the one member is listed as a conflict on both phones.
// Every new form is checked with axe-core and photographed at 360 px.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const {
  startServer, launchBrowser, newPhone, login, waitSynced, screenshotPath, waitForServiceWorker,
  checkA11y, pendingCount, scriptedApi, householdsOf, phoneHouseholds,
} = require("./support.cjs");

let server, browser, scripted;
before(async () => {
  server = await startServer();
  scripted = scriptedApi(server.url);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

/** The households and open conflicts the server holds for `username`'s scope. */
async function serverView(username) {
  const { token } = await scripted.device(username);
  return householdsOf((await scripted.pullAll(token)).changes);
}

/** What the test compares: address, tags, status, grid and every member. */
const shape = (h) => JSON.stringify({
  address: h.address, tags: [...h.tags].sort(), status: h.status ?? "present", grid: h.grid,
  members: Object.keys(h).filter((k) => k.startsWith("member:")).sort()
    .map((k) => [k, h[k].name, h[k].phone ?? null, h[k].status ?? "present", h[k].birth_year]),
});

async function syncNow(page) {
  await page.getByRole("button", { name: "立即同步" }).click();
  await waitSynced(page);
}

async function editMember(page, name, phone, shot) {
  await page.getByRole("button", { name: "修改 " + name }).click();
  const form = page.getByRole("form", { name: "修改成员信息" });
  await form.getByLabel("电话（可不填）").fill(phone);
  if (shot) {
    await checkA11y(page, "member form");
    await page.screenshot({ path: screenshotPath(shot), fullPage: true });
  }
  await form.getByRole("button", { name: "保存" }).click();
  await form.waitFor({ state: "detached" });
}

test("roster edits offline on two phones converge; a clash on one member is a conflict on both", async () => {
  const worker = await newPhone(browser);
  const secretary = await newPhone(browser);
  const a = await worker.newPage();
  const b = await secretary.newPage();
  await login(a, server.url, "gridworker");
  await login(b, server.url, "secretary");
  await Promise.all([waitSynced(a), waitSynced(b)]);
  await Promise.all([waitForServiceWorker(a), waitForServiceWorker(b)]);

  // A household of the worker's grid with a living member who has a name to find.
  const before = await serverView("gridworker");
  const [hid, h] = [...before.households].find(([, f]) =>
    (f.status ?? "present") === "present" && !f.tags.includes("low_income") &&
    Object.keys(f).some((k) => k.startsWith("member:") && (f[k].status ?? "present") === "present"));
  const mkey = Object.keys(h).find((k) => k.startsWith("member:") && (h[k].status ?? "present") === "present");
  const mname = h[mkey].name;

  await worker.setOffline(true);
  await secretary.setOffline(true);

  // 新增住户, with a refused phone first: the core's message shows beside the field.
  await a.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "住户台账" }).click();
  await a.getByRole("link", { name: /新增住户/ }).click();
  const add = a.getByRole("form", { name: "新增住户" });
  await add.waitFor();
  await add.getByLabel("地址").fill("二村9栋1单元101");
  await add.getByLabel("姓名").fill("赵桂兰");
  await add.getByLabel("出生年份").fill("19x8");
  await add.getByLabel("电话（可不填）").fill("12345");
  await add.getByLabel("独居老人").check();
  await add.getByRole("button", { name: "保存" }).click();
  await add.locator(".field-error").nth(1).waitFor();
  assert.ok(await add.locator(".field-error").count() >= 2, "the year and the phone are refused");
  await checkA11y(a, "new household, refused fields");
  await a.screenshot({ path: screenshotPath("roster-new-household-errors"), fullPage: true });
  await add.getByLabel("出生年份").fill("1948");
  await add.getByLabel("电话（可不填）").fill("13912345678");
  await a.screenshot({ path: screenshotPath("roster-new-household"), fullPage: true });
  await add.getByRole("button", { name: "保存" }).click();
  await a.getByRole("heading", { name: /赵桂兰/ }).waitFor();
  const newId = new URL(a.url()).pathname.split("/").pop();

  // Another household: a member's phone, and the 低保 care tag.
  await a.goto(server.url + "/households/" + hid);
  await a.locator("#household-title").waitFor();
  await editMember(a, mname, "13800000001", "roster-member-form");
  await a.getByRole("button", { name: "修改住户信息" }).click();
  const hform = a.getByRole("form", { name: "修改住户信息" });
  await hform.getByLabel("低保").check();
  await checkA11y(a, "household form");
  await a.screenshot({ path: screenshotPath("roster-household-form"), fullPage: true });
  await hform.getByRole("button", { name: "保存" }).click();
  await hform.waitFor({ state: "detached" });
  await a.getByText("待同步").first().waitFor();
  await a.getByRole("button", { name: "添加成员" }).click();
  await a.getByRole("form", { name: "添加成员" }).waitFor();
  await checkA11y(a, "household with history and the add-member form");
  await a.screenshot({ path: screenshotPath("roster-household-history"), fullPage: true });
  await a.getByRole("button", { name: "取消" }).click();

  // The secretary, offline too: the address, and the same member's phone.
  await b.goto(server.url + "/households/" + hid);
  await b.locator("#household-title").waitFor();
  await editMember(b, mname, "13800000002");
  await b.getByRole("button", { name: "修改住户信息" }).click();
  const bform = b.getByRole("form", { name: "修改住户信息" });
  await bform.getByLabel("地址").fill(h.address + "（东）");
  await bform.getByRole("button", { name: "保存" }).click();
  await bform.waitFor({ state: "detached" });

  // The worker's phone reloads with no signal: all three changes are still there.
  await a.reload();
  await a.locator("#household-title").waitFor({ timeout: 10000 });
  assert.equal(await pendingCount(a), 3, "the new household and two edits wait in the outbox");
  const offline = await phoneHouseholds(a);
  assert.ok(offline.some((x) => x.id === newId), "the new household survived the reload");
  const edited = offline.find((x) => x.id === hid);
  assert.equal(edited[mkey].phone, "13800000001");
  assert.ok(edited.tags.includes("low_income"));

  // Signal back, the worker first (so her member edit reaches the server first).
  await worker.setOffline(false);
  await syncNow(a);
  await secretary.setOffline(false);
  await syncNow(b);
  await syncNow(a);

  const srvA = await serverView("gridworker");
  const srvB = await serverView("secretary");
  const after = srvA.households.get(hid);
  assert.equal(after.address, h.address + "（东）", "the secretary's address stands");
  assert.ok(after.tags.includes("low_income"), "the worker's care tag stands");
  assert.equal(after[mkey].phone, "13800000001", "the first phone's member edit stands");
  assert.ok(srvA.households.has(newId), "the new household is on the server");
  const clash = [...srvB.conflicts.values()].find((c) => c.record_id === hid && c.field === mkey);
  assert.ok(clash && !clash.resolved, "the clash over the member is kept");
  assert.equal(clash.device_value.phone, "13800000002");

  for (const [name, page, srv] of [["worker", a, srvA], ["secretary", b, srvB]]) {
    const phone = await phoneHouseholds(page);
    assert.equal(await pendingCount(page), 0, `${name}: nothing left to push`);
    assert.deepEqual(phone.map((x) => x.id).sort(), [...srv.households.keys()].sort(), `${name}: same households`);
    for (const x of phone) assert.equal(shape(x), shape(srv.households.get(x.id)), `${name}: household ${x.id}`);
  }

  // The worker's household screen names who changed the address on the server, and when.
  await a.goto(server.url + "/households/" + hid);
  await a.locator(".history li", { hasText: h.address + "（东）" }).filter({ hasText: /\d{2}:\d{2}/ }).waitFor();
  await a.screenshot({ path: screenshotPath("roster-household-attributed"), fullPage: true });

  // Listed on both phones, named by the household and the field.
  for (const page of [a, b]) {
    await page.getByRole("link", { name: /条冲突待处理/ }).click();
    await page.getByRole("listitem", { name: /家庭成员/ }).first().waitFor();
    await page.getByText("13800000002").first().waitFor();
  }
  await checkA11y(b, "conflicts with a member clash");
  await b.screenshot({ path: screenshotPath("roster-conflict"), fullPage: true });

  // A form half-typed while a sync brings in another phone's change keeps what is typed,
  // and saving it later sends only what this worker changed.
  await a.goto(server.url + "/households/" + hid);
  await a.getByRole("button", { name: "修改住户信息" }).click();
  const open = a.getByRole("form", { name: "修改住户信息" });
  await open.getByLabel("地址").fill("半填的地址");
  await b.goto(server.url + "/households/" + hid);
  await b.getByRole("button", { name: "修改住户信息" }).click();
  const bf = b.getByRole("form", { name: "修改住户信息" });
  await bf.getByLabel("重病").check();
  await bf.getByRole("button", { name: "保存" }).click();
  await bf.waitFor({ state: "detached" });
  await waitSynced(b);
  await syncNow(a);
  await a.locator(".hh-head .tag", { hasText: "重病" }).waitFor();
  assert.equal(await open.getByLabel("地址").inputValue(), "半填的地址", "the sync kept the typed text");
  await open.getByLabel("地址").fill(h.address + "（西）");
  await open.getByRole("button", { name: "保存" }).click();
  await open.waitFor({ state: "detached" });
  await syncNow(a);
  const last = (await serverView("gridworker")).households.get(hid);
  assert.equal(last.address, h.address + "（西）");
  assert.ok(last.tags.includes("serious_illness"), "the other phone's tag was not sent back over");
  await worker.close();
  await secretary.close();
});
