// The PWA works offline: after one online login the service worker controls the page and
// the worker's data is on the phone, so a reload with the network off shows the full
// Chinese app with its data.
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

test("the manifest is linked and describes an installable app", async () => {
  const context = await newPhone(browser);
  const page = await context.newPage();
  await page.goto(server.url + "/");
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  assert.ok(href, "index.html links a manifest");
  const res = await page.request.get(new URL(href, server.url + "/").toString());
  assert.equal(res.status(), 200);
  const manifest = JSON.parse(await res.text());
  assert.equal(manifest.lang, "zh-CN");
  assert.equal(manifest.display, "standalone");
  assert.match(manifest.name, /网格通/);
  const sizes = manifest.icons.map((i) => i.sizes);
  assert.ok(sizes.includes("192x192") && sizes.includes("512x512"), JSON.stringify(sizes));
  assert.ok(manifest.icons.some((i) => i.purpose === "maskable"), "has a maskable icon");
  for (const icon of manifest.icons) {
    const r = await page.request.get(server.url + icon.src);
    assert.equal(r.status(), 200, icon.src);
    assert.equal(r.headers()["content-type"], "image/png", icon.src);
  }
  await context.close();
});

test("a fresh phone shows the login screen, in Chinese", async () => {
  const context = await newPhone(browser);
  const page = await context.newPage();
  await page.goto(server.url + "/issues");
  await page.getByRole("heading", { name: "登录网格通" }).waitFor();
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: "请输入用户名" }).waitFor();
  await page.getByLabel("用户名").fill("gridworker");
  await page.getByLabel("密码").fill("wrong-password");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: "用户名或密码错误" }).waitFor();
  await page.screenshot({ path: screenshotPath("login") });
  await context.close();
});

test("after one online login the app and its data reload offline", async () => {
  const context = await newPhone(browser);
  const page = await context.newPage();
  await login(page, server.url, "gridworker");
  await page.getByRole("heading", { name: "今日待办" }).waitFor();
  await waitSynced(page);
  // Today reads the store again after the round that filled it; on a busy machine that
  // read can land a moment after the sync line says "synced".
  const due = page.getByRole("region", { name: "待走访户" }).locator(".count");
  for (let i = 0; i < 50 && !(Number(await due.textContent()) > 0); i++) await page.waitForTimeout(200);
  const dueBefore = await due.textContent();
  assert.ok(Number(dueBefore) > 0, "the demo grid has households due a visit: " + dueBefore);

  // Wait until the service worker has installed (precached) and controls this page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r));
    }
  });

  await context.setOffline(true);
  await page.reload();
  await page.getByRole("heading", { name: "今日待办" }).waitFor({ timeout: 10000 });
  // The data came from IndexedDB, not the network.
  const dueAfter = await page.getByRole("region", { name: "待走访户" }).locator(".count").textContent();
  assert.equal(dueAfter, dueBefore);
  await page.getByText("没有网络").waitFor();
  const nav = page.getByRole("navigation", { name: "主导航" });
  for (const tab of ["今日", "问题", "走访", "住户台账", "设置"]) {
    assert.equal(await nav.getByRole("link", { name: tab }).count(), 1, tab);
  }
  assert.equal(await page.locator("header .badge[role=status]").textContent(), "离线");
  assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");

  // A client-side route also opens offline (every route is the cached shell).
  await page.goto(server.url + "/settings");
  await page.getByRole("heading", { name: "设置" }).waitFor();
  await page.screenshot({ path: screenshotPath("offline-settings") });
  await page.goto(server.url + "/");
  await page.getByRole("heading", { name: "今日待办" }).waitFor();
  await page.screenshot({ path: screenshotPath("offline-shell"), fullPage: true });
  await context.close();
});

test("the bottom navigation changes the URL and the back button returns", async () => {
  const context = await newPhone(browser);
  const page = await context.newPage();
  await login(page, server.url, "gridworker");
  await page.getByRole("link", { name: "设置" }).click();
  await page.getByRole("heading", { name: "设置" }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/settings");
  await page.goBack();
  await page.getByRole("heading", { name: "今日待办" }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/");
  await context.close();
});
