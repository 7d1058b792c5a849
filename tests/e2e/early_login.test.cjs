// The login form before the app (#17): index.html carries a static, labelled login form
// that shows while the wasm is still on its way, so a worker on a village link types at
// once. Proven with the wasm held back by the test: the form is there and usable without
// it; what was typed, and a 登录 pressed early, carry over when the app mounts; once
// logged in, a reload never flashes the login form again.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startServer, launchBrowser, newPhone, screenshotPath, waitSynced } = require("./support.cjs");

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const nav = (page) => page.getByRole("navigation", { name: "主导航" });

/** A phone whose wasm download waits until `release()` is called. */
async function phoneWithHeldWasm() {
  const context = await newPhone(browser);
  let release;
  const held = new Promise((resolve) => (release = resolve));
  let asked = 0;
  await context.route(/\.wasm$/, async (route) => {
    asked += 1;
    await held;
    await route.continue();
  });
  const page = await context.newPage();
  return { context, page, release, asked: () => asked };
}

test("the served page carries the labelled login form, without the app", async () => {
  const html = await (await fetch(server.url + "/")).text();
  assert.match(html, /<template id="?early-login"?/);
  for (const label of ["用户名", "密码", "登录网格通"]) assert.ok(html.includes(label), `index.html has ${label}`);
  assert.match(html, /autocomplete="?current-password"?/);
  assert.match(html, /early-login-[0-9a-f]+\.js/, "the script that shows it is a file (no inline script under the CSP)");
});

test("a login typed and sent before the wasm arrives completes when it does", async () => {
  const { context, page, release, asked } = await phoneWithHeldWasm();
  try {
    await page.goto(server.url + "/");
    // Sent empty, it says what is missing as the app's form does.
    await page.getByRole("button", { name: "登录" }).click();
    await page.getByRole("alert").filter({ hasText: "请输入用户名" }).waitFor();
    await page.getByLabel("用户名").fill("gridworker");
    await page.getByRole("button", { name: "登录" }).click();
    await page.getByRole("alert").filter({ hasText: "请输入密码" }).waitFor();
    await page.getByLabel("密码").fill("wangge-demo");
    assert.ok(asked() >= 1, "the wasm was asked for and is held");
    assert.equal(await page.locator("#app[data-mounted]").count(), 0, "the app has not mounted");
    await page.getByRole("button", { name: "登录" }).click();
    await page.getByRole("button", { name: "正在登录…" }).waitFor();
    await page.getByRole("status").filter({ hasText: "加载完成后自动登录" }).waitFor();
    await page.screenshot({ path: screenshotPath("early-login-waiting-360") });
    release();
    await nav(page).waitFor({ timeout: 60000 });
    await waitSynced(page, 60000);
    assert.equal(await page.locator("section.login").count(), 0, "no login form once logged in");
    // A reload opens straight to the app: the static form never shows for a logged-in phone.
    const seen = [];
    await page.exposeFunction("__sawLogin", () => seen.push(Date.now()));
    await page.addInitScript(() => {
      new MutationObserver(() => {
        if (document.querySelector("section.login")) window.__sawLogin();
      }).observe(document, { subtree: true, childList: true });
    });
    await page.reload();
    await nav(page).waitFor({ timeout: 60000 });
    assert.deepEqual(seen, [], "the login form flashed after a reload");
  } finally {
    await context.close();
  }
});

test("what was typed but not sent carries over, cursor and all, and a wrong password says so", async () => {
  const { context, page, release } = await phoneWithHeldWasm();
  try {
    await page.goto(server.url + "/");
    await page.getByLabel("用户名").fill("gridworker");
    await page.getByLabel("密码").fill("not-the-password");
    await page.getByLabel("密码").focus();
    release();
    await page.locator("#app[data-mounted]").waitFor({ state: "attached", timeout: 60000 });
    // The app's own form (it has the 登录 button wired to the app) holds the values.
    await page.locator("section.login:not([data-early-login])").waitFor({ timeout: 60000 });
    assert.equal(await page.locator("[data-early-login]").count(), 0, "the static form was taken over");
    assert.equal(await page.getByLabel("用户名").inputValue(), "gridworker");
    assert.equal(await page.getByLabel("密码").inputValue(), "not-the-password");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("name")), "password");
    await page.getByRole("button", { name: "登录" }).click();
    await page.getByRole("alert").filter({ hasText: "登录失败" }).waitFor({ timeout: 30000 });
  } finally {
    await context.close();
  }
});

test("a message the static form gave is still there after the app takes over", async () => {
  const { context, page, release } = await phoneWithHeldWasm();
  try {
    await page.goto(server.url + "/");
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "请输入用户名" }).waitFor();
    release();
    await page.locator("section.login:not([data-early-login])").waitFor({ timeout: 60000 });
    assert.equal(await page.locator("[data-early-login]").count(), 0, "the static form was taken over");
    // The app's form says it on (the message did not vanish in the hand-over).
    await page.locator("section.login:not([data-early-login]) [role=alert]").filter({ hasText: "请输入用户名" }).waitFor();
  } finally {
    await context.close();
  }
});

