// The device benchmark in the same Chromium as the PouchDB side: serves the compiled
// tests/bench_device.rs through wasm-bindgen-test-runner's interactive mode (NO_HEADLESS:
// it serves the test page and waits for a browser), opens that page in Debian's Chromium
// launched by playwright-core (bench/lib.cjs), passes the test's BENCH lines through, and
// profiles the page: the CPU profile is summed over each window the test marks with
// BENCHPHASE lines (the dashboard figures, the N saves in a row). Needs WANGGE_DEVICE_WASM (xtask builds it).
"use strict";

const net = require("node:net");
const { spawn } = require("node:child_process");
const lib = require("./lib.cjs");
const { summariseWindow, describe } = require("./profile.cjs");

const TIMEOUT_MS = 30 * 60 * 1000;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function startRunner(wasm) {
  const port = await freePort();
  const child = spawn("wasm-bindgen-test-runner", [wasm, "--nocapture"], {
    env: { ...process.env, NO_HEADLESS: "1", WASM_BINDGEN_TEST_ADDRESS: `127.0.0.1:${port}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error("wasm-bindgen-test-runner did not start: " + seen)), 120000);
    child.on("exit", (code) => reject(new Error(`wasm-bindgen-test-runner exited (${code}): ${seen}`)));
    const watch = (chunk) => {
      seen += chunk;
      const m = seen.match(/available at (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        resolve({ url: m[1], stop: () => child.kill("SIGKILL") });
      }
    };
    child.stdout.on("data", watch);
    child.stderr.on("data", watch);
  });
}

async function main() {
  const wasm = process.env.WANGGE_DEVICE_WASM;
  if (!wasm) throw new Error("run through `cargo xtask bench` (WANGGE_DEVICE_WASM)");
  const runner = await startRunner(wasm);
  const browser = await lib.launchBrowser();
  try {
    const ctx = await lib.newPhone(browser);
    const page = await ctx.newPage();
    const phases = {};
    let failed = null;
    page.on("console", (msg) => {
      const text = msg.text();
      for (const line of text.split("\n")) {
        const at = line.indexOf("BENCH ");
        if (at >= 0) console.log(line.slice(at));
        const ph = line.indexOf("BENCHPHASE ");
        if (ph >= 0) {
          const p = JSON.parse(line.slice(ph + 11));
          phases[`${p.phase}:${p.at}`] = p.t;
        }
        if (/panicked at|test result: FAILED/.test(line)) failed = failed || line;
      }
    });
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
    await page.goto(runner.url);
    await cdp.send("Profiler.start");
    // The page clock when the profile starts: maps profile samples onto performance.now().
    const profileStartPage = await page.evaluate(() => performance.now());
    lib.log("device bench running in Chromium (village-scale data: a minute or more)");
    await page.waitForFunction(() => /test result: (ok|FAILED)/.test(document.getElementById("output")?.textContent || ""), null, {
      timeout: TIMEOUT_MS,
      polling: 1000,
    });
    const { profile } = await cdp.send("Profiler.stop");
    const output = await page.evaluate(() => document.getElementById("output").textContent);
    if (failed || /test result: FAILED/.test(output)) throw new Error("the device bench failed: " + (failed || output.slice(-500)));
    // Each window the test marked, summed on its own.
    for (const [phase, what] of [
      ["dashboard", "the dashboard figures (all runs)"],
      ["writes", "the N saves in a row"],
    ]) {
      const start = phases[`${phase}:start`];
      const end = phases[`${phase}:end`];
      if (start === undefined || end === undefined) continue;
      const s = summariseWindow(profile, profileStartPage, start, end);
      lib.note(describe(what, end - start, { ...s, api: null }));
    }
    await ctx.close();
  } finally {
    await browser.close();
    runner.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
