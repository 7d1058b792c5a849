// The app runs under the server's Content-Security-Policy: it loads, logs in, syncs, shows
// its screens and reloads offline, and Chromium reports no violation on the way. Every
// violation is caught twice over: the page's `securitypolicyviolation` events (recorded by
// an init script into `window.__cspViolations` and sent to the test as they happen, so a
// reload loses none) and Chromium's "Content Security Policy" console messages.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const {
  startServer, launchBrowser, newPhone, screenshotPath, login, waitSynced, waitForServiceWorker,
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

const nav = (page) => page.getByRole("navigation", { name: "主导航" });

/** A phone whose pages report every CSP violation into the returned list. */
async function watchedPhone() {
  const violations = [];
  const context = await newPhone(browser);
  await context.exposeBinding("__reportCspViolation", (_source, text) => violations.push(text));
  await context.addInitScript(() => {
    window.__cspViolations = [];
    // On the window: a violation without an element (a refused wasm compile) is fired
    // there, and those with one bubble up to it.
    window.addEventListener("securitypolicyviolation", (e) => {
      const text = `event: ${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile}:${e.lineNumber}`;
      window.__cspViolations.push(text);
      window.__reportCspViolation(text);
    });
  });
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push("console: " + msg.text());
  });
  page.on("pageerror", (err) => {
    if (/Content Security Policy|wasm-unsafe-eval|unsafe-eval/i.test(String(err))) violations.push("error: " + err);
  });
  return { context, page, violations };
}

test("the app is served with the policy and has no inline script", async () => {
  const { context, page } = await watchedPhone();
  const res = await page.goto(server.url + "/");
  const csp = res.headers()["content-security-policy"];
  for (const directive of ["script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"]) {
    assert.ok(csp.includes(directive), `${directive} in ${csp}`);
  }
  assert.equal(res.headers()["x-content-type-options"], "nosniff");
  assert.equal(res.headers()["referrer-policy"], "no-referrer");
  assert.equal(res.headers()["x-frame-options"], "DENY");
  await page.getByRole("heading", { name: "登录网格通" }).waitFor();
  const inline = await page.evaluate(() =>
    [...document.scripts].filter((s) => !s.src).map((s) => s.outerHTML.slice(0, 120)));
  assert.deepEqual(inline, [], "every script is a file");
  await context.close();
});

test("the watch works: an inline style attribute is refused and reported", async () => {
  const { context, page, violations } = await watchedPhone();
  await page.goto(server.url + "/");
  await page.getByRole("heading", { name: "登录网格通" }).waitFor();
  assert.deepEqual(violations, []);
  await page.evaluate(() => document.body.setAttribute("style", "outline: 1px solid red"));
  await page.waitForFunction(() => window.__cspViolations.length > 0);
  assert.match(violations.join("\n"), /style-src-attr/);
  await context.close();
});

/** Runs `steps`, then asserts no violation was seen. A violation also explains a failed
 *  step (a refused wasm compile shows as a login form that never appears), so the list
 *  replaces the step's own error. */
async function withoutViolations(violations, steps) {
  try {
    await steps();
  } finally {
    assert.deepEqual(violations, [], "Content-Security-Policy violations");
  }
}

test("a worker logs in, syncs, uses the app and reloads offline with no CSP violation", async () => {
  const { context, page, violations } = await watchedPhone();
  await withoutViolations(violations, () => workerDay(context, page));
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  await context.close();
});

async function workerDay(context, page) {
  await login(page, server.url, "gridworker");
  await page.getByRole("heading", { name: "今日待办" }).waitFor();
  await waitSynced(page);

  // The issue list positions its rows with `style:transform` (CSSOM, allowed).
  await nav(page).getByRole("link", { name: "问题" }).click();
  await page.getByRole("heading", { name: "问题清单" }).waitFor();
  await page.locator(".issue-row").first().waitFor();
  await nav(page).getByRole("link", { name: "走访" }).click();
  await page.getByRole("heading", { name: "待走访" }).waitFor();
  await nav(page).getByRole("link", { name: "住户台账" }).click();
  await page.getByRole("heading", { name: "网格住户台账" }).waitFor();
  await nav(page).getByRole("link", { name: "设置" }).click();
  await page.getByRole("heading", { name: "设置" }).waitFor();
  await nav(page).getByRole("link", { name: "今日" }).click();
  await page.getByRole("heading", { name: "今日待办" }).waitFor();

  // Offline, the service worker answers with the cached shell, which keeps the headers
  // (and so the policy) it was fetched with.
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await page.reload();
  await page.getByRole("heading", { name: "今日待办" }).waitFor({ timeout: 10000 });
  assert.equal(await page.locator("header .badge[role=status]").textContent(), "离线");
  await page.screenshot({ path: screenshotPath("csp-offline") });
}

test("the secretary's charts draw their colours under the policy", async () => {
  const { context, page, violations } = await watchedPhone();
  await withoutViolations(violations, () => dashboard(page));
  await context.close();
});

async function dashboard(page) {
  await login(page, server.url, "secretary");
  await waitSynced(page);
  await nav(page).getByRole("link", { name: "统计" }).click();
  await page.getByRole("heading", { name: "统计分析" }).waitFor();
  await page.getByRole("img", { name: /网格内办结 \d+%/ }).waitFor();
  // The legend's colour swatches are set through the CSSOM, which the policy allows.
  const swatch = page.locator("ul.legend .swatch").first();
  await swatch.waitFor();
  const colour = await swatch.evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(colour, "rgba(0, 0, 0, 0)", "the swatch has its colour");
}
