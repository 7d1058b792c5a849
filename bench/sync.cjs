// Sync side by side, in the same Chromium: PouchDB replicating the first-pull data set
// (≈10,000 households + 20,000 issues with their histories, prepared by
// `load sync-set`) from express-pouchdb on loopback into its IndexedDB adapters, then N
// local writes (one document per write, like a user's save); and Wangge's fresh device
// logging in through the login form and pulling the same records from the real release
// server, timed by the app's own performance marks (`wangge:first-pull-done`,
// `wangge:today-ready`). Prints BENCH lines (bench/lib.cjs).
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const lib = require("./lib.cjs");
const { startProfile, describe } = require("./profile.cjs");

const SYNCSET = process.env.WANGGE_SYNCSET_DIR;
const WRITES = lib.QUICK ? 200 : 1000;
const PULL_TIMEOUT_MS = 10 * 60 * 1000;

async function main() {
  if (!SYNCSET) throw new Error("run through `cargo xtask bench` (WANGGE_SYNCSET_DIR)");
  const summary = JSON.parse(fs.readFileSync(path.join(SYNCSET, "summary.json"), "utf8"));
  const records = `${summary.households} households + ${summary.issues} issues`;
  const browser = await lib.launchBrowser();
  try {
    await pouchSide(browser, summary, records);
    await wanggeSide(browser, summary, records);
  } finally {
    await browser.close();
  }
}

async function pouchSide(browser, summary, records) {
  const docs = JSON.parse(fs.readFileSync(path.join(SYNCSET, "pouch-docs.json"), "utf8"));
  const server = await lib.startChild("node", [path.join(__dirname, "pouchdb_server.cjs")], {
    logFile: path.join(lib.WORK, "pouchdb-server.stderr.log"),
  });
  try {
    const remote = server.url + "/records";
    await fetch(remote, { method: "PUT" });
    const t0 = performance.now();
    for (let i = 0; i < docs.length; i += 1000) {
      const res = await fetch(remote + "/_bulk_docs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ docs: docs.slice(i, i + 1000) }),
      });
      if (!res.ok) throw new Error(`loading PouchDB server: ${res.status} ${await res.text()}`);
    }
    lib.note(
      `PouchDB server (express-pouchdb 4.2, in-memory adapter): ${docs.length} documents (${records}, ` +
        `the ${summary.events} issue events embedded in their issues' documents; plus grids, people, units) ` +
        `loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`
    );
    const template = docs.find((d) => d.type === "issue");
    for (const adapter of ["idb", "indexeddb"]) {
      const pull = [];
      const writes = [];
      const perWrite = [];
      for (let r = 0; r < lib.RUNS; r++) {
        lib.log(`PouchDB ${adapter}: replication run ${r + 1}/${lib.RUNS}`);
        const ctx = await lib.newPhone(browser);
        const page = await ctx.newPage();
        await page.goto(server.url + "/_bench/index.html");
        const out = await page.evaluate(
          async ({ remote, adapter, template, writes }) => {
            /* global PouchDB */
            const db = new PouchDB("bench", { adapter });
            const t0 = performance.now();
            const info = await PouchDB.replicate(remote, db);
            const pullMs = performance.now() - t0;
            const count = (await db.info()).doc_count;
            const lat = [];
            const w0 = performance.now();
            for (let i = 0; i < writes; i++) {
              const id = `bench-${Date.now()}-${i}`;
              const t = performance.now();
              await db.put({ ...template, _id: "issue:" + id, id, created_at: Date.now() });
              lat.push(performance.now() - t);
            }
            const writeMs = performance.now() - w0;
            lat.sort((a, b) => a - b);
            return { pullMs, count, written: info.docs_written, writeMs, p50: lat[Math.floor(lat.length / 2)] };
          },
          { remote, adapter, template, writes: WRITES }
        );
        if (out.count !== docs.length) throw new Error(`PouchDB ${adapter}: ${out.count} of ${docs.length} documents replicated`);
        pull.push(out.pullMs / 1000);
        writes.push(out.writeMs);
        perWrite.push(out.p50);
        await ctx.close();
      }
      lib.metric(`PouchDB (${adapter} adapter): replicate ${docs.length} documents into IndexedDB`, "s", pull, {
        key: `pouch_pull_${adapter}`,
      });
      lib.metric(`PouchDB (${adapter} adapter): ${WRITES} local writes, one document each`, "ms", writes, {
        key: `pouch_writes_${adapter}`,
      });
      lib.metric(`PouchDB (${adapter} adapter): one local write, p50`, "ms", perWrite);
    }
    lib.note(
      "PouchDB replication with its defaults (PouchDB.replicate, batch_size 100); `idb` is PouchDB's default browser adapter, `indexeddb` its newer one; writes are db.put of a new issue document into the replicated database, awaited one after another"
    );
  } finally {
    server.stop();
  }
}

async function wanggeSide(browser, summary, records) {
  const name = `Wangge: first pull of ${records} (+ ${summary.events} events) into IndexedDB`;
  if (!lib.appSets("wangge:first-pull-done")) {
    lib.unavailable(name, "not available yet: the app does not set the mark wangge:first-pull-done (the sync loop in src/sync/ is being written)", {
      key: "wangge_pull",
      unit: "s",
      goal: 10,
      better: "lower",
    });
    return;
  }
  const data = lib.freshCopy(SYNCSET, "run-sync-wangge");
  const server = await lib.startWangge(data);
  try {
    const pull = [];
    const today = [];
    const reopen = [];
    let counted = null;
    for (let r = 0; r < lib.RUNS; r++) {
      lib.log(`Wangge first pull: run ${r + 1}/${lib.RUNS}`);
      const ctx = await lib.newPhone(browser);
      await ctx.addInitScript(lib.DOM_MARKS);
      const page = await ctx.newPage();
      await page.goto(server.url + "/");
      let clicked;
      try {
        clicked = await lib.loginThroughForm(page, summary.username, summary.password);
      } catch (e) {
        lib.unavailable(name, "not available yet: no login form (labelled 用户名 / 密码, button 登录) appeared", {
          key: "wangge_pull",
          unit: "s",
          goal: 10,
          better: "lower",
        });
        await ctx.close();
        return;
      }
      const done = await lib.waitForMark(page, "wangge:first-pull-done", PULL_TIMEOUT_MS);
      if (done === null) throw new Error(`no wangge:first-pull-done mark within ${PULL_TIMEOUT_MS / 1000} s`);
      pull.push((done - clicked) / 1000);
      const ready = await lib.waitForMark(page, "bench:today-data", 30000);
      if (ready !== null) today.push((ready - clicked) / 1000);
      if (counted === null) counted = await countStores(page);
      // Opening the app again with the whole scope on the phone: the village-scale start.
      await page.reload({ waitUntil: "commit" });
      const reopened = await lib.waitForMark(page, "wangge:today-ready", 120000);
      if (reopened !== null) reopen.push(reopened / 1000);
      await ctx.close();
    }
    lib.metric(name, "s", pull, { key: "wangge_pull", goal: 10, better: "lower", note: "from the 登录 click to the mark" });
    if (today.length) lib.metric("Wangge: login click to Today listing data", "s", today);
    if (reopen.length)
      lib.metric("Wangge: reopen the app with the whole scope stored, to Today showing data (wangge:today-ready)", "s", reopen, {
        note: "from navigation start; district account, no throttling",
      });
    if (counted) lib.note(`after the first pull the device's IndexedDB holds: ${JSON.stringify(counted)}`);
  } finally {
    server.stop();
  }
  if (process.env.WANGGE_PROFILE_DIST) await profilePull(browser, summary);
}

/** One more first pull, under the CPU profiler, from a build that kept its names. */
async function profilePull(browser, summary) {
  const data = lib.freshCopy(SYNCSET, "run-sync-profile");
  const server = await lib.startWangge(data, { dist: process.env.WANGGE_PROFILE_DIST });
  try {
    lib.log("Wangge first pull: one more run under the CPU profiler");
    const ctx = await lib.newPhone(browser);
    const page = await ctx.newPage();
    await page.goto(server.url + "/");
    await page.getByLabel("用户名").waitFor({ timeout: 60000 });
    const saved = path.join(lib.WORK, "..", "first-pull.cpuprofile");
    const stop = await startProfile(ctx, page, { save: saved });
    const clicked = await lib.loginThroughForm(page, summary.username, summary.password);
    const done = await lib.waitForMark(page, "wangge:first-pull-done", PULL_TIMEOUT_MS);
    const s = await stop();
    if (done === null) throw new Error("profiled first pull: no wangge:first-pull-done mark");
    lib.metric("Wangge: first pull under the profiler (names-kept build, no wasm-opt)", "s", [(done - clicked) / 1000]);
    lib.note(describe("one first pull", done - clicked, s) + ` (raw profile: ${path.resolve(saved)})`);
    await ctx.close();
  } finally {
    server.stop();
  }
}

/** Record counts per store of the app's database, to check the pull stored everything. */
function countStores(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const req = indexedDB.open("wangge");
        req.onerror = () => resolve(null);
        req.onsuccess = () => {
          const db = req.result;
          const names = [...db.objectStoreNames];
          const tx = db.transaction(names, "readonly");
          const out = {};
          let left = names.length;
          for (const n of names) {
            const c = tx.objectStore(n).count();
            c.onsuccess = () => {
              out[n] = c.result;
              if (--left === 0) resolve(out);
            };
          }
        };
      })
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
