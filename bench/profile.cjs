// A CPU profile of one browser task, for the bench's "what costs the time": Chromium's
// own sampling profiler (CDP Profiler) on the page's main thread, plus the page's
// requests to the sync API (CDP Network), summed up as time idle / in wasm by crate / in
// JS / in GC, and the functions with the most self time. Wasm names need a build that
// kept them (xtask's profile-dist: wasm-bindgen output without wasm-opt).
"use strict";

/** Starts profiling `page`; resolves with `stop()`, which resolves with a summary. */
async function startProfile(ctx, page, { apiPrefix = "/api/v1/sync/", save } = {}) {
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Network.enable");
  const started = new Map();
  const api = { requests: 0, ms: 0, bytes: 0 };
  cdp.on("Network.requestWillBeSent", (e) => {
    if (e.request.url.includes(apiPrefix)) started.set(e.requestId, e.timestamp);
  });
  cdp.on("Network.loadingFinished", (e) => {
    const t = started.get(e.requestId);
    if (t === undefined) return;
    api.requests += 1;
    api.ms += (e.timestamp - t) * 1000;
    api.bytes += e.encodedDataLength || 0;
  });
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
  await cdp.send("Profiler.start");
  return async function stop() {
    const { profile } = await cdp.send("Profiler.stop");
    await cdp.detach();
    // Kept for a closer look: open it in Chromium DevTools' Performance panel.
    if (save) require("node:fs").writeFileSync(save, JSON.stringify(profile));
    return { ...summarise(profile), api };
  };
}

/**
 * The same, over the samples taken while the page's performance.now() was between `from`
 * and `to` ms; `pageAtStart` is the page clock when the profiler started.
 */
function summariseWindow(profile, pageAtStart, from, to) {
  return summarise(profile, (offsetMs) => pageAtStart + offsetMs >= from && pageAtStart + offsetMs <= to);
}

/** Self time per function and per category from a V8 CPU profile (optionally a window). */
function summarise(profile, keep = () => true) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const selfUs = new Map();
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (!keep(at / 1000)) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) || 0) + dt);
  }
  const fns = new Map();
  const cats = new Map();
  const crates = new Map();
  // JS time (glue, browser APIs) by the Rust function that called into it.
  const callers = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id).callFrame;
    const { category, name, crate } = classify(frame);
    total += us;
    cats.set(category, (cats.get(category) || 0) + us);
    if (crate) crates.set(crate, (crates.get(crate) || 0) + us);
    fns.set(name, (fns.get(name) || 0) + us);
    if (category.startsWith("JS")) {
      let up = parent.get(id);
      while (up !== undefined && !isWasm(byId.get(up).callFrame)) up = parent.get(up);
      if (up !== undefined) {
        const caller = classify(byId.get(up).callFrame).name;
        callers.set(caller, (callers.get(caller) || 0) + us);
      }
    }
  }
  const top = (m, n) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => ({ name: k, ms: us / 1000, share: us / total }));
  return { totalMs: total / 1000, categories: top(cats, 10), crates: top(crates, 8), functions: top(fns, 12), callers: top(callers, 6) };
}

function isWasm(frame) {
  return frame.url.startsWith("wasm://") || frame.url.endsWith(".wasm");
}

function classify(frame) {
  const fn = frame.functionName || "";
  if (fn === "(idle)") return { category: "idle (waiting: IndexedDB, network, timers)", name: fn };
  if (fn === "(garbage collector)") return { category: "garbage collection", name: fn };
  if (fn === "(program)") return { category: "browser native code (program)", name: fn };
  if (fn === "(root)") return { category: "other", name: fn };
  const wasm = isWasm(frame) || /^\$?_(ZN|R)/.test(fn);
  if (wasm) {
    const { crate, pretty } = demangle(fn.replace(/^\$/, ""));
    return { category: "wasm (the app's Rust code)", name: pretty, crate };
  }
  const file = frame.url ? frame.url.split("/").pop() : "";
  const glue = file.startsWith("wangge-") || file.startsWith("wasm-bindgen-test");
  return { category: glue ? "JS glue (wasm-bindgen) and the browser APIs it calls" : "JS / browser APIs", name: `${fn || "(anonymous)"} ${file}`.trim() };
}

/** Legacy (`_ZN…E`) symbols to `a::b::c`; v0 (`_R…`) to their crate and last name. */
function demangle(sym) {
  if (sym.startsWith("_ZN")) {
    const parts = [];
    let i = 3;
    while (i < sym.length && sym[i] !== "E") {
      const m = /^\d+/.exec(sym.slice(i));
      if (!m) break;
      const len = Number(m[0]);
      i += m[0].length;
      parts.push(sym.slice(i, i + len));
      i += len;
    }
    if (parts.length > 1 && /^h[0-9a-f]{16}$/.test(parts[parts.length - 1])) parts.pop();
    const text = parts
      .join("::")
      .replace(/\$LT\$/g, "<")
      .replace(/\$GT\$/g, ">")
      .replace(/\$u20\$/g, " ")
      .replace(/\$RF\$/g, "&")
      .replace(/\$C\$/g, ",")
      .replace(/\$u7b\$/g, "{")
      .replace(/\$u7d\$/g, "}")
      .replace(/\.\./g, "::")
      .replace(/^_</, "<");
    const crateMatch = /^<?([A-Za-z_][A-Za-z0-9_]*)/.exec(text);
    let crate = crateMatch ? crateMatch[1] : "?";
    const asMatch = /^<([A-Za-z_]) as ([A-Za-z_][A-Za-z0-9_]*)/.exec(text);
    if (asMatch) crate = asMatch[2];
    return { crate, pretty: text };
  }
  if (sym.startsWith("_R")) {
    const idents = [...sym.matchAll(/(?:^|[A-Za-z_])(\d+)([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[2].slice(0, Number(m[1])));
    const crate = idents[0] || "?";
    return { crate, pretty: `${crate}::…::${idents[idents.length - 1] || "?"}` };
  }
  // Already demangled (wasm-bindgen writes readable names): drop the hash, find the crate.
  const pretty = sym.replace(/::h[0-9a-f]{16}/g, "");
  return { crate: crateOfPath(pretty), pretty };
}

/** `a::b` → a; `<A as B>::f` → A's crate, or B's when A is std's or a bare generic. */
function crateOfPath(path) {
  const m = /^<(.*?) as ([A-Za-z_][A-Za-z0-9_]*)/.exec(path);
  if (m) {
    const self = /^[&\s]*(?:mut\s+)?(?:dyn\s+)?([A-Za-z_][A-Za-z0-9_]*)/.exec(m[1]);
    const own = self ? self[1] : "";
    return !own.includes("_") && own.length <= 2 || ["core", "alloc", "std"].includes(own) || !m[1].includes("::") ? m[2] : own;
  }
  const first = /^<?([A-Za-z_][A-Za-z0-9_]*)/.exec(path);
  return first ? first[1] : "?";
}

/** One line for the report. */
function describe(label, wallMs, s) {
  const pct = (x) => `${(x * 100).toFixed(0)}%`;
  const cats = s.categories.map((c) => `${c.name} ${pct(c.share)}`).join(", ");
  const crates = s.crates.map((c) => `${c.name} ${pct(c.share)}`).join(", ");
  const cut = (t) => (t.length > 110 ? t.slice(0, 110) + "…" : t);
  const fns = s.functions
    .slice(0, 8)
    .map((f) => `${cut(f.name)} ${pct(f.share)}`)
    .join("; ");
  const callers = s.callers.map((f) => `${cut(f.name)} ${pct(f.share)}`).join("; ");
  return (
    `profile of ${label} (Chromium CPU profiler; wasm names kept, no wasm-opt): wall ${(wallMs / 1000).toFixed(1)} s; ` +
    (s.api
      ? `${s.api.requests} sync API requests took ${(s.api.ms / 1000).toFixed(1)} s from request to last byte (${(s.api.bytes / 1e6).toFixed(1)} MB); `
      : "") +
    `main thread: ${cats}; self time in wasm by crate (share of all): ${crates}; top self time: ${fns}; ` +
    `JS time by the Rust function that called it: ${callers}`
  );
}

module.exports = { startProfile, summariseWindow, describe, demangle };
