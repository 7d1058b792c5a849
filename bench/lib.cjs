// Shared pieces of the bench's node scripts (run by `cargo xtask bench`, never by CI):
// the BENCH line protocol read by xtask/src/bench/report.rs, starting the real Wangge
// server and the PouchDB server as child processes on free loopback ports, launching
// Debian's Chromium through playwright-core, and small statistics.
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { chromium } = require("playwright-core");

const RUNS = Math.max(1, Number(process.env.WANGGE_BENCH_RUNS || 3));
const QUICK = process.env.WANGGE_BENCH_QUICK === "1";
const WORK = process.env.WANGGE_BENCH_WORK || "/tmp/wangge-bench";

/** One figure: several samples of one measure. Extra keys: goal, better, note. */
function metric(name, unit, samples, extra = {}) {
  console.log("BENCH " + JSON.stringify({ name, unit, samples, ...extra }));
}

/** A measure that could not be taken, and why. */
function unavailable(name, reason, extra = {}) {
  console.log("BENCH " + JSON.stringify({ name, unavailable: reason, samples: [], ...extra }));
}

function note(text) {
  console.log("BENCH " + JSON.stringify({ note: text }));
}

function log(msg) {
  process.stderr.write("bench: " + msg + "\n");
}

/** Starts a child that prints `… running at URL` (or `listening at URL`) and resolves with it. */
function startChild(cmd, args, { pattern = /(?:running|listening) at (http:\/\/[^\s]+)/, logFile, env } = {}) {
  const out = logFile ? fs.openSync(logFile, "w") : "ignore";
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", out], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`${path.basename(cmd)} did not start: ${seen}`)), 120000);
    child.on("exit", (code) => reject(new Error(`${path.basename(cmd)} exited (${code}): ${seen}`)));
    child.stdout.on("data", (chunk) => {
      seen += chunk;
      const m = seen.match(pattern);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        resolve({ url: m[1].replace(/\/$/, ""), stop: () => child.kill("SIGKILL") });
      }
    });
  });
}

/** The real release server over `data`, serving `dist`, with no demo seeding. */
function startWangge(data, { dist = process.env.WANGGE_DIST, demo = false } = {}) {
  const bin = process.env.WANGGE_SERVER_BIN;
  if (!bin || !dist) throw new Error("run through `cargo xtask bench` (WANGGE_SERVER_BIN, WANGGE_DIST)");
  const args = ["--addr", "127.0.0.1:0", "--data", data, "--static", dist];
  if (!demo) args.push("--no-demo");
  return startChild(bin, args, { logFile: path.join(data, "server.log") });
}

/** Debian's Chromium, headless, with the flags this closed network needs (as the e2e tests). */
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

/** A phone-sized context: 360×740, Chinese, touch; a fresh profile (empty IndexedDB). */
function newPhone(browser) {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Copies a folder's files (a server database) into a fresh folder under WORK. */
function freshCopy(from, name) {
  const to = path.join(WORK, name);
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from)) {
    if (f.startsWith("wangge.sqlite3")) fs.copyFileSync(path.join(from, f), path.join(to, f));
  }
  return to;
}

/** Whether the app's source sets a performance mark (the sync loop is still being written). */
function appSets(mark) {
  const src = path.join(__dirname, "..", "src");
  const walk = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).some((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return walk(p);
      return e.name.endsWith(".rs") && fs.readFileSync(p, "utf8").includes(mark);
    });
  return fs.existsSync(src) && walk(src);
}

/** Logs in through the app's login form (labelled 用户名 / 密码, button 登录). */
async function loginThroughForm(page, username, password, timeout = 60000) {
  await page.getByLabel("用户名").fill(username, { timeout });
  await page.getByLabel("密码").fill(password);
  const clicked = await page.evaluate(() => performance.now());
  await page.getByRole("button", { name: "登录" }).click();
  return clicked;
}

/**
 * An init script marking, on the page's own clock, the moment the app's first screen enters
 * the page ("bench:shell": the shell `.shell` of src/app.rs, or on a phone nobody has
 * logged in on yet the login screen `section.login` of src/pages/login.rs) and the first time the Today screen lists a
 * row of data (".today-section .row-link", src/pages/today.rs: "bench:today-data"). The
 * app's own `wangge:today-ready` fires on Today's first render, which on a fresh device
 * is before the first pull has brought anything to show.
 */
const DOM_MARKS = `
  (() => {
    const want = { "bench:shell": ".shell, section.login", "bench:today-data": ".today-section .row-link" };
    new MutationObserver((_, obs) => {
      for (const [mark, sel] of Object.entries(want)) {
        if (document.querySelector(sel)) {
          performance.mark(mark);
          delete want[mark];
        }
      }
      if (Object.keys(want).length === 0) obs.disconnect();
    }).observe(document, { subtree: true, childList: true });
  })();
`;

/** Resolves with the mark's startTime (ms since navigation), or null after `timeout` ms. */
async function waitForMark(page, name, timeout) {
  try {
    const handle = await page.waitForFunction(
      (n) => {
        const e = performance.getEntriesByName(n, "mark")[0];
        return e ? e.startTime : null;
      },
      name,
      { timeout, polling: 50 }
    );
    return await handle.jsonValue();
  } catch (e) {
    if (String(e).includes("Timeout")) return null;
    throw e;
  }
}

module.exports = {
  RUNS, QUICK, WORK, metric, unavailable, note, log, startChild, startWangge, launchBrowser,
  newPhone, median, freshCopy, appSets, loginThroughForm, waitForMark, DOM_MARKS,
};
