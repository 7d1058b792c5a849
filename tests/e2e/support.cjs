// Shared helpers for the end-to-end tests: start the real server on a free loopback port
// with a fresh data folder, and launch Debian's Chromium through playwright-core.
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");

const OUT = process.env.WANGGE_E2E_OUT || path.join(os.tmpdir(), "wangge-e2e");

/** Starts `wangge-server --addr 127.0.0.1:0` and resolves once it prints its URL.
 *  `opts.data` / `opts.addr` start it again over a kept data folder on the same address
 *  (a phone's IndexedDB belongs to its origin). `stop()` kills it and removes the data;
 *  `kill()` only kills it (as `kill -9`) and resolves once it has exited. */
function startServer(opts = {}) {
  const bin = process.env.WANGGE_SERVER_BIN;
  const dist = process.env.WANGGE_DIST;
  if (!bin || !dist) throw new Error("run through `cargo xtask test` (WANGGE_SERVER_BIN, WANGGE_DIST)");
  const data = opts.data || fs.mkdtempSync(path.join(os.tmpdir(), "wangge-e2e-data-"));
  const child = spawn(bin, ["--addr", opts.addr || "127.0.0.1:0", "--data", data, "--static", dist], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error("server did not start: " + seen)), 15000);
    child.on("exit", (code) => reject(new Error(`server exited (${code}): ${seen}`)));
    child.stdout.on("data", (chunk) => {
      seen += chunk;
      const m = seen.match(/running at (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        const url = m[1].replace(/\/$/, "");
        resolve({
          url,
          data,
          bin,
          addr: url.replace(/^http:\/\//, ""),
          stop() {
            child.kill("SIGKILL");
            fs.rmSync(data, { recursive: true, force: true });
          },
          async kill() {
            child.kill("SIGKILL");
            await exited;
          },
        });
      }
    });
  });
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A phone-sized context: 360×740, Chinese, touch. `extra` adds context options. */
function newPhone(browser, extra = {}) {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    ...extra,
  });
}

function screenshotPath(name) {
  fs.mkdirSync(OUT, { recursive: true });
  return path.join(OUT, name + ".png");
}

module.exports = { startServer, launchBrowser, newPhone, screenshotPath };

/** Logs in through the login form, as a worker would, and waits for the shell. */
async function login(page, url, username, password = "wangge-demo") {
  await page.goto(url + "/");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.getByRole("navigation", { name: "主导航" }).waitFor();
}

/** Waits until the sync line says everything is synced (nothing pending, no round running). */
async function waitSynced(page, timeout = 30000) {
  await page.waitForFunction(() => {
    const el = document.querySelector(".sync-summary");
    return el && el.dataset.pending === "0" && !/同步…|Syncing/.test(el.textContent) && /上次同步|Last synced/.test(el.textContent);
  }, null, { timeout });
}

module.exports.login = login;
module.exports.waitSynced = waitSynced;

/** Waits until the service worker has precached the app and controls the page, so a
 *  reload works offline. */
async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r));
    }
  });
}

/** The sync line's pending count, as the app shows it. */
async function pendingCount(page) {
  return Number(await page.locator(".sync-summary").getAttribute("data-pending"));
}

module.exports.waitServiceWorker = waitForServiceWorker;
module.exports.pendingCount = pendingCount;

/** The head's name of some household on this phone (test set-up: a worker knows the
 *  residents' names; the test has to look one up). */
async function firstHouseholdName(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open("wangge");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction("households").objectStore("households").getAll(null, 20);
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const named = req.result.map((h) => h.name).filter((n) => n && n.length >= 2);
        open.result.close();
        named.length ? resolve(named[0]) : reject(new Error("no household on the phone"));
      };
    };
  }));
}

module.exports.waitForServiceWorker = waitForServiceWorker;
module.exports.firstHouseholdName = firstHouseholdName;

/** The API as a scripted device speaks it, for tests that need "another phone" without a
 *  browser: `api(path, {token, body})`, `device(username)` (logged in, with a `push` that
 *  numbers its own seqs) and `pullAll(token)`. */
function scriptedApi(url) {
  async function api(path, { token, body, method } = {}) {
    const res = await fetch(url + path, {
      method: method || (body ? "POST" : "GET"),
      headers: { "content-type": "application/json", ...(token ? { authorization: "Bearer " + token } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: await res.json() };
  }
  async function device(username, password = "wangge-demo") {
    const { json } = await api("/api/v1/auth/login", { body: { username, password, device_name: "script" } });
    let seq = 0;
    return {
      token: json.token,
      user: json.user,
      async push(mutations, epoch) {
        const body = { client_id: json.device_id, schema_version: 1, epoch, mutations: mutations.map((m) => ({ seq: ++seq, ...m })) };
        return api("/api/v1/sync/push", { token: json.token, body });
      },
    };
  }
  async function pullAll(token) {
    const changes = [];
    let cursor = 0;
    for (;;) {
      const { json } = await api(`/api/v1/sync/pull?cursor=${cursor}&limit=1000`, { token });
      changes.push(...json.changes);
      cursor = json.cursor;
      if (!json.has_more) return { changes, epoch: json.epoch };
    }
  }
  return { api, device, pullAll };
}

module.exports.scriptedApi = scriptedApi;

/** axe-core, installed pinned by `cargo xtask` (tools.rs) beside playwright-core. */
const AXE_PATH = path.join(os.homedir(), ".cache", "wangge", "tools", "node_modules", "axe-core", "axe.min.js");
let axeSource;

/** Runs axe-core (WCAG 2.1 A and AA rules) over the page as it stands and fails on any
 *  serious or critical violation, naming the rule and the elements. The app's CSP allows
 *  no inline script, so `addScriptTag` (an inline <script>) would be refused; the source
 *  is evaluated through the DevTools protocol instead, which the CSP does not govern and
 *  which leaves no violation report behind. */
async function checkA11y(page, screen) {
  axeSource ??= fs.readFileSync(AXE_PATH, "utf8");
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.evaluate(axeSource);
  }
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    resultTypes: ["violations"],
  }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length) {
    const lines = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ` +
      v.nodes.slice(0, 6).map((n) => n.target.join(" ") + " — " + (n.failureSummary || "").split("\n").slice(1).join(" ")).join("\n    "));
    throw new Error(`axe-core on ${screen}: ${bad.length} serious/critical\n  ${lines.join("\n  ")}`);
  }
}

module.exports.checkA11y = checkA11y;

/** The households (id → field values) and conflicts a pull's `changes` leave, in order. */
function householdsOf(changes) {
  const households = new Map(), conflicts = new Map();
  for (const c of changes) {
    if (c.collection === "households" && c.kind === "upsert") {
      households.set(c.id, Object.fromEntries(Object.entries(c.fields).map(([k, v]) => [k, v.value])));
    }
    if (c.collection === "households" && c.kind !== "upsert") households.delete(c.id);
    if (c.kind === "conflict") conflicts.set(c.conflict.id, c.conflict);
  }
  return { households, conflicts };
}

/** The households a phone holds in IndexedDB (the core record of each row). */
async function phoneHouseholds(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open("wangge");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction("households").objectStore("households").getAll();
      req.onerror = () => reject(req.error);
      req.onsuccess = () => { open.result.close(); resolve(req.result.map((r) => r.household)); };
    };
  }));
}

module.exports.householdsOf = householdsOf;
module.exports.phoneHouseholds = phoneHouseholds;

/** One round asked for and finished: waits until no round runs (the button is enabled),
 *  asks for one, and waits until a round ended after the ask (the app's
 *  `wangge.last_synced`) with nothing left to push. The bar alone can look idle from the
 *  round before. */
async function syncNow(page) {
  const button = page.getByRole("button", { name: "立即同步" });
  await page.waitForFunction(() => {
    const b = [...document.querySelectorAll(".syncbar button")].find((b) => b.textContent === "立即同步");
    return b && !b.disabled;
  }, null, { timeout: 60000 });
  const before = await page.evaluate(() => Number(localStorage.getItem("wangge.last_synced") || 0));
  await button.click();
  await page.waitForFunction((before) => {
    const el = document.querySelector(".sync-summary");
    const last = Number(localStorage.getItem("wangge.last_synced") || 0);
    return el && last > before && el.dataset.pending === "0" && !/同步…/.test(el.textContent);
  }, before, { timeout: 30000 });
}

module.exports.syncNow = syncNow;
