//! The device benchmark for `cargo xtask bench` (not a test): the app's real store code
//! (`wangge::store`) at village scale — 10,000 households and 20,000 issues with their
//! histories and visits, from the core's demo generator — in headless Chromium, timing
//! what a worker waits for: opening to a usable list, filtering issues, searching a
//! household by name, saving a new issue, and N saves in a row (compared with PouchDB's
//! N writes). Prints `BENCH {json}` lines (see `xtask/src/bench/report.rs`).
//!
//! Built only with the `bench` feature (`required-features` in Cargo.toml), so `cargo
//! test` never compiles or runs it; xtask builds it with `--features bench` and
//! `WANGGE_BENCH` set. xtask serves it through wasm-bindgen-test-runner's
//! interactive mode to the same playwright-launched Chromium as the PouchDB side
//! (`bench/device.cjs`), which also profiles the window between the `BENCHPHASE` lines.

use wangge::pages::dashboard::data::load_figures;
use wangge::store::Store;
use wangge_core::issue::{derive, EventKind, Issue, IssueEvent};
use wangge_core::IssueId;
use wangge_demo::{generate, DemoData, DemoSize};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ENABLED: bool = option_env!("WANGGE_BENCH").is_some();
/// 2026-11-23T00:00:00Z, as the server load generator.
const NOW: i64 = 1_795_392_000_000;
const SEED: u64 = 2024;

fn runs() -> usize {
    option_env!("WANGGE_BENCH_RUNS").and_then(|r| r.parse().ok()).unwrap_or(5).max(1)
}

fn writes() -> usize {
    option_env!("WANGGE_BENCH_WRITES").and_then(|r| r.parse().ok()).unwrap_or(1000)
}

/// `performance.now()`: sub-millisecond, unlike `Date.now()`.
fn now_ms() -> f64 {
    let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).expect("performance");
    let f: js_sys::Function = js_sys::Reflect::get(&perf, &"now".into()).expect("now").unchecked_into();
    f.call0(&perf).expect("performance.now()").as_f64().unwrap_or(0.0)
}

fn emit(v: serde_json::Value) {
    console_log!("BENCH {v}");
}

fn metric(name: &str, unit: &str, samples: &[f64], extra: serde_json::Value) {
    let mut m = serde_json::json!({"name": name, "unit": unit, "samples": samples});
    if let (Some(m), Some(extra)) = (m.as_object_mut(), extra.as_object()) {
        m.extend(extra.clone());
    }
    emit(m);
}

/// The grid and status with the most issues: the longest list a filter returns.
fn busiest_grid_status(data: &DemoData) -> (String, String, usize) {
    let mut history: std::collections::HashMap<&str, Vec<IssueEvent>> = std::collections::HashMap::new();
    for e in &data.events {
        history.entry(e.issue.as_str()).or_default().push(e.clone());
    }
    let mut counts: std::collections::HashMap<(String, String), usize> = std::collections::HashMap::new();
    for i in &data.issues {
        let state = derive(history.get(i.id.as_str()).map_or(&[][..], Vec::as_slice)).state;
        *counts.entry((i.grid.to_string(), state.status.code().to_string())).or_default() += 1;
    }
    let ((g, s), n) = counts.into_iter().max_by_key(|(k, n)| (*n, k.clone())).expect("issues");
    (g, s, n)
}

/// A new issue like one of the data set's, with a fresh id, and its "reported" event.
fn new_issue(template: &Issue, k: u64) -> (Issue, IssueEvent) {
    let at = NOW + k as i64;
    let mut random = [0u8; 10];
    random[..8].copy_from_slice(&k.to_be_bytes());
    let issue = Issue { id: IssueId::generate(at, random), created_at: at, ..template.clone() };
    random[9] = 1;
    let event = IssueEvent::new(
        issue.id.clone(),
        at,
        template.reporter.clone(),
        wangge_core::people::Role::GridWorker,
        EventKind::Reported,
        random,
    );
    (issue, event)
}

#[wasm_bindgen_test]
async fn device_at_village_scale() {
    if !ENABLED {
        return;
    }
    let runs = runs();
    let data = generate(DemoSize::VILLAGE_SCALE, SEED, NOW);
    let name = format!("wangge-bench-{}", js_sys::Math::random());
    let store = Store::open_named(&name).await.unwrap();

    let t = now_ms();
    store.load_snapshot(&data).await.unwrap();
    let load_ms = now_ms() - t;
    metric(
        "bulk snapshot load (store.load_snapshot, one transaction)",
        "s",
        &[load_ms / 1000.0],
        serde_json::json!({"note": format!("{} households, {} issues, {} events, {} visits", data.households.len(), data.issues.len(), data.events.len(), data.visits.len()), "key": "wangge_snapshot"}),
    );

    let (grid, status, rows) = busiest_grid_status(&data);

    // Opening: a fresh handle on the full database (schema check, both opens) and the
    // first list a screen shows.
    store.close();
    let mut open = Vec::new();
    let mut store = None;
    for _ in 0..runs {
        if let Some(s) = store.take() {
            Store::close(s);
        }
        let t = now_ms();
        let s = Store::open_named(&name).await.unwrap();
        let list = s.issues_by_grid_status(&grid, &status).await.unwrap();
        open.push(now_ms() - t);
        assert_eq!(list.len(), rows);
        store = Some(s);
    }
    let store = store.unwrap();
    metric(
        "open the store and show the first issue list",
        "ms",
        &open,
        serde_json::json!({"note": format!("{rows} rows")}),
    );

    let mut filter = Vec::new();
    for _ in 0..runs {
        let t = now_ms();
        let list = store.issues_by_grid_status(&grid, &status).await.unwrap();
        filter.push(now_ms() - t);
        assert_eq!(list.len(), rows);
    }
    metric(
        "filter issues by grid + status (by_grid_status index)",
        "ms",
        &filter,
        serde_json::json!({"goal": 50, "better": "lower", "note": format!("the busiest pair: {rows} rows of status {status}")}),
    );

    let head = data.households[42].head().unwrap().name.to_string();
    let prefix: String = head.chars().take(2).collect();
    let mut search = Vec::new();
    let mut found = 0;
    for _ in 0..runs {
        let t = now_ms();
        found = store.households_by_name_prefix(&prefix, 50).await.unwrap().len();
        search.push(now_ms() - t);
    }
    metric(
        "search a household by the head's name (2-character prefix, first 50)",
        "ms",
        &search,
        serde_json::json!({"goal": 50, "better": "lower", "note": format!("{found} rows")}),
    );

    // The secretary's monthly meeting: every figure of the dashboard over the whole
    // data set (the root grid's scope holds all of it), read from the store as the
    // screen does.
    let root = data.grids.iter().find(|g| g.parent.is_none()).unwrap().id.clone();
    let mut board = Vec::new();
    let mut counted = 0;
    console_log!("BENCHPHASE {}", serde_json::json!({"phase": "dashboard", "at": "start", "t": now_ms()}));
    for _ in 0..runs {
        let t = now_ms();
        let figures = load_figures(&store, &root, NOW).await.unwrap().unwrap();
        board.push(now_ms() - t);
        counted = figures.issues.totals.open + figures.issues.totals.closed;
    }
    console_log!("BENCHPHASE {}", serde_json::json!({"phase": "dashboard", "at": "end", "t": now_ms()}));
    metric(
        "dashboard figures for the whole data set (the lean facts of every issue, household and visit; count)",
        "ms",
        &board,
        serde_json::json!({"note": format!("{} issues in scope, {counted} of them open or closed", data.issues.len())}),
    );

    let template = &data.issues[123];
    let mut k = 0u64;
    let mut save = Vec::new();
    for _ in 0..runs {
        k += 1;
        let (issue, event) = new_issue(template, k);
        let t = now_ms();
        store.report_issue(issue, event).await.unwrap();
        save.push(now_ms() - t);
    }
    metric(
        "save one new issue (store.report_issue: issue + event + 2 outbox entries, one transaction)",
        "ms",
        &save,
        serde_json::json!({"goal": 20, "better": "lower"}),
    );

    let n = writes();
    let mut totals = Vec::new();
    let mut p50s = Vec::new();
    // The driver (bench/device.cjs) sums its CPU profile over this window.
    console_log!("BENCHPHASE {}", serde_json::json!({"phase": "writes", "at": "start", "t": now_ms()}));
    for _ in 0..runs {
        let mut each = Vec::with_capacity(n);
        let t0 = now_ms();
        for _ in 0..n {
            k += 1;
            let (issue, event) = new_issue(template, k);
            let t = now_ms();
            store.report_issue(issue, event).await.unwrap();
            each.push(now_ms() - t);
        }
        totals.push(now_ms() - t0);
        each.sort_by(f64::total_cmp);
        p50s.push(each[each.len() / 2]);
    }
    console_log!("BENCHPHASE {}", serde_json::json!({"phase": "writes", "at": "end", "t": now_ms()}));
    metric(
        &format!("{n} local saves in a row (store.report_issue each)"),
        "ms",
        &totals,
        serde_json::json!({"key": "wangge_writes"}),
    );
    metric("one local save, p50", "ms", &p50s, serde_json::json!({}));

    // The board again with every save above still pending: each saved issue is read from
    // its row, the outbox naming it (a save writes no summary entry, `summary_pending.rs`).
    let outbox = store.count("outbox").await.unwrap();
    let saved = runs + runs * n;
    let facts = store.figure_facts().await.unwrap();
    assert_eq!(facts.issues.len(), data.issues.len() + saved, "every pending save counted");
    let mut pending_board = Vec::new();
    for _ in 0..runs {
        let t = now_ms();
        load_figures(&store, &root, NOW).await.unwrap().unwrap();
        pending_board.push(now_ms() - t);
    }
    metric(
        "dashboard figures with the saves above pending (read from their rows)",
        "ms",
        &pending_board,
        serde_json::json!({"goal": 150, "better": "lower", "note": format!("{saved} saved issues pending, {outbox} outbox entries")}),
    );
    emit(
        serde_json::json!({"note": format!("device store: database {name}, {outbox} outbox entries after the saves; app code built with the wasm-release profile (no wasm-opt), in the same headless Chromium as the PouchDB side")}),
    );
}
