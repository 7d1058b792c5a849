// Load on a field link: the release app from the real release server (demo data), in
// Debian's Chromium with CDP network emulation (400 kbit/s down and up, 400 ms round trip)
// and the CPU slowed 4×. First visit on a fresh phone (empty cache, no service worker):
// time until the app shell is rendered, then (once the app sets its marks) from the login
// click to the first pull stored (`wangge:first-pull-done`) and to Today listing data
// (bench:today-data, lib.cjs). Repeat visit: the same phone opens the app again, answered
// by its service worker, until `wangge:today-ready`. Goals: ≤ 5 s first, ≤ 1 s repeat.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const lib = require("./lib.cjs");

const LINK = { offline: false, latency: 400, downloadThroughput: 400000 / 8, uploadThroughput: 400000 / 8 };
const CPU_SLOWDOWN = 4;
const DEMO_USER = "gridworker";
const DEMO_PASSWORD = "wangge-demo";

async function main() {
  const data = path.join(lib.WORK, "run-field");
  fs.rmSync(data, { recursive: true, force: true });
  fs.mkdirSync(data, { recursive: true });
  const server = await lib.startWangge(data, { demo: true });
  const today = lib.appSets("wangge:today-ready");
  const browser = await lib.launchBrowser();
  const first = { shell: [], wasm: [], login: [], pull: [], total: [] };
  const repeat = { shell: [], today: [] };
  let transferred = null;
  const wasmEncodings = new Set();
  try {
    for (let r = 0; r < lib.RUNS; r++) {
      lib.log(`field link: run ${r + 1}/${lib.RUNS}`);
      const ctx = await lib.newPhone(browser);
      await ctx.addInitScript(lib.DOM_MARKS);
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", LINK);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
      let bytes = 0;
      let navStart = null;
      let wasmDone = null;
      const wasmIds = new Set();
      cdp.on("Network.requestWillBeSent", (e) => {
        if (navStart === null && e.type === "Document") navStart = e.timestamp;
        if (e.request.url.endsWith(".wasm")) wasmIds.add(e.requestId);
      });
      cdp.on("Network.responseReceived", (e) => {
        if (e.response.url.endsWith(".wasm")) wasmEncodings.add(e.response.headers["content-encoding"] || "none");
      });
      cdp.on("Network.loadingFinished", (e) => {
        bytes += e.encodedDataLength || 0;
        if (wasmIds.has(e.requestId) && wasmDone === null) wasmDone = e.timestamp;
      });

      await page.goto(server.url + "/", { waitUntil: "commit" });
      const shell = await lib.waitForMark(page, "bench:shell", 120000);
      if (shell === null) throw new Error("first visit: the app (login screen) never rendered");
      first.shell.push(shell / 1000);
      if (navStart !== null && wasmDone !== null) first.wasm.push(wasmDone - navStart);
      if (transferred === null) transferred = bytes;
      if (today) {
        const clicked = await lib.loginThroughForm(page, DEMO_USER, DEMO_PASSWORD, 60000);
        const pulled = await lib.waitForMark(page, "wangge:first-pull-done", 300000);
        const shown = await lib.waitForMark(page, "bench:today-data", 300000);
        if (shown === null) throw new Error("first visit: Today never listed any data after logging in");
        if (pulled !== null) first.pull.push((pulled - clicked) / 1000);
        first.login.push((shown - clicked) / 1000);
        first.total.push((shell + shown - clicked) / 1000);
      }

      // The service worker installs in the background; the repeat visit needs it in charge.
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null));
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 120000 });
      await page.goto(server.url + "/", { waitUntil: "commit" });
      const again = await lib.waitForMark(page, "bench:shell", 120000);
      if (again === null) throw new Error("repeat visit: the app shell never rendered");
      repeat.shell.push(again / 1000);
      if (today) {
        const ready = await lib.waitForMark(page, "wangge:today-ready", 120000);
        if (ready === null) throw new Error("repeat visit: no wangge:today-ready mark");
        repeat.today.push(ready / 1000);
      }
      await ctx.close();
    }
  } finally {
    await browser.close();
    server.stop();
  }
  const na = "not available yet: the app does not set the mark wangge:today-ready (Today's data and the sync loop are being written)";
  lib.metric("first visit: app rendered, login screen (from navigation start)", "s", first.shell, {
    note: "fresh phone, empty cache",
    goal: 5,
    better: "lower",
  });
  lib.metric("first visit: the wasm fully downloaded (from the page request)", "s", first.wasm, {
    note: "the rest, to the login screen, is compiling and starting it on the slowed CPU",
  });
  if (today) {
    lib.metric("first visit: login click to first pull stored (wangge:first-pull-done)", "s", first.pull);
    lib.metric("first visit: login click to Today listing data", "s", first.login);
    lib.metric("first visit: time to Today with data (shell + login click to Today listing data)", "s", first.total, { goal: 5, better: "lower" });
  } else {
    lib.unavailable("first visit: time to Today with data", na, { unit: "s", goal: 5, better: "lower" });
  }
  lib.metric("repeat visit: app shell rendered (service worker)", "s", repeat.shell, { goal: 1, better: "lower" });
  if (today) {
    lib.metric("repeat visit: Today showing data (service worker + IndexedDB)", "s", repeat.today, { goal: 1, better: "lower" });
  } else {
    lib.unavailable("repeat visit: Today showing data", na, { unit: "s", goal: 1, better: "lower" });
  }
  lib.note(
    `link: CDP Network.emulateNetworkConditions 400 kbit/s down and up, 400 ms latency; Emulation.setCPUThrottlingRate ${CPU_SLOWDOWN}×; ` +
      `first visit transferred ${(transferred / 1000).toFixed(1)} KB before the app rendered, which at 400 kbit/s alone takes ${((transferred * 8) / 400000).toFixed(1)} s; ` +
      `the wasm came ${[...wasmEncodings].join(" / ")} encoded (the server sends the brotli copy when the browser offers br, ` +
      `as browsers do over HTTPS, else gzip; the download section has both sizes); phone viewport 360×740`
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
