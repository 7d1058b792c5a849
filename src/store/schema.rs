//! The IndexedDB schema and its upgrade steps. Upgrading goes through web-sys directly,
//! because a step that adds an index to an existing store needs the version-change
//! transaction, which indexed_db_futures does not hand out. That connection is then
//! closed and the database reopened (no upgrade left to run) through indexed_db_futures
//! for everything else; the second open costs a few milliseconds once per start.
//!
//! **Append only**: a step that has shipped is never edited, so a phone that skipped
//! versions runs every step in order and keeps its data.

use indexed_db_futures::database::Database;
use js_sys::{Array, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbIndexParameters, IdbObjectStoreParameters, IdbTransaction};

use super::StoreError;

/// The schema version this build of the app writes.
pub const DB_VERSION: u32 = 10;

/// Stores holding synced records (keyed by `id`), then the device's own bookkeeping.
pub(crate) const ISSUES: &str = "issues";
/// Before v9: one row per issue event (emptied into [`HISTORY`] by `history_move.rs`).
pub(crate) const EVENTS: &str = "issue_events";
/// Since v9: per issue, its events and pulled field versions in one row (`history.rs`).
pub(crate) const HISTORY: &str = "issue_history";
pub(crate) const HOUSEHOLDS: &str = "households";
pub(crate) const VISITS: &str = "visits";
pub(crate) const OUTBOX: &str = "outbox";
pub(crate) const META: &str = "meta";
pub(crate) const GRIDS: &str = "grids";
pub(crate) const PEOPLE: &str = "people";
pub(crate) const UNITS: &str = "units";
pub(crate) const CONFLICTS: &str = "conflicts";
/// Joint meetings and on-site office sessions.
pub(crate) const MEETINGS: &str = "meetings";
/// Mediation cases (调解案件), by grid and by the issue they came from.
pub(crate) const MEDIATIONS: &str = "mediations";
/// The three lists' entries (资源、项目、需求), by grid, kind and raising issue.
pub(crate) const LIST_ENTRIES: &str = "list_entries";
/// Per record, the server version of each field as last pulled: the base of the next edit.
/// Since v9 an issue's are in its [`HISTORY`] row instead.
pub(crate) const VERSIONS: &str = "versions";
/// Changes the server refused for good, kept for the worker to see and redo.
pub(crate) const REJECTED: &str = "rejected";
/// Photo bytes by hash (`store/photos.rs`), with what still waits for upload.
pub(crate) const PHOTOS: &str = "photos";
/// Tasks sent down the grid (任务下发), one record per grid node, by grid and by sending.
pub(crate) const TASKS: &str = "tasks";
/// Switches into emergency mode (平急转换), one record per switch, by grid.
pub(crate) const EMERGENCIES: &str = "emergencies";
/// Since v10: the dashboard's facts of every issue, household and visit in a few chunk
/// rows, kept in step with the records by every writer (`summary.rs`).
pub(crate) const SUMMARY: &str = "figure_summary";

/// Opens `name` at `version`, running every upgrade step between the stored version and
/// `version` inside the browser's version-change transaction (all or nothing).
pub(crate) async fn open(name: &str, version: u32) -> Result<Database, StoreError> {
    upgrade_to(name, version).await?;
    Ok(Database::open(name).with_version(version).await?)
}

async fn upgrade_to(name: &str, version: u32) -> Result<(), StoreError> {
    let factory = web_sys::window().and_then(|w| w.indexed_db().ok().flatten()).ok_or(StoreError::Unavailable)?;
    let req = factory.open_with_u32(name, version).map_err(StoreError::from_js)?;
    let on_upgrade = {
        let req = req.clone();
        Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new(move |ev: web_sys::IdbVersionChangeEvent| {
            let (Ok(db), Some(tx)) = (req.result(), req.transaction()) else {
                return;
            };
            let db: IdbDatabase = db.unchecked_into();
            if let Err(err) = upgrade(&db, &tx, ev.old_version() as u32, version) {
                web_sys::console::error_2(&"IndexedDB upgrade failed".into(), &err);
                let _ = tx.abort();
            }
        })
    };
    req.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let done = Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    let outcome = JsFuture::from(done).await;
    drop(on_upgrade);
    outcome.map_err(|_| StoreError::from_js(req.error().map(JsValue::from).unwrap_or(JsValue::NULL)))?;
    let db: IdbDatabase = req.result().map_err(StoreError::from_js)?.unchecked_into();
    db.close();
    Ok(())
}

fn upgrade(db: &IdbDatabase, tx: &IdbTransaction, old: u32, new: u32) -> Result<(), JsValue> {
    for step in old + 1..=new {
        match step {
            1 => v1_initial(db)?,
            2 => v2_search_prefixes(tx)?,
            3 => v3_sync_bookkeeping(db, tx)?,
            4 => v4_meetings(db)?,
            5 => v5_mediation_and_lists(db)?,
            6 => v6_photos(db)?,
            7 => v7_tasks(db, tx)?,
            8 => v8_emergencies(db, tx)?,
            9 => v9_issue_history(db, tx)?,
            10 => v10_figure_summary(db, tx)?,
            _ => {}
        }
    }
    Ok(())
}

/// Version 1: a store per collection with the indexes the screens filter by, the outbox
/// (keyed by the device's seq), meta (key-value) and conflicts.
fn v1_initial(db: &IdbDatabase) -> Result<(), JsValue> {
    for name in ["grids", "people", "units"] {
        let store = keyed_store(db, name, "id")?;
        store.create_index_with_str("by_grid", "grid")?;
    }
    let issues = keyed_store(db, ISSUES, "id")?;
    compound_index(&issues, "by_grid_status", &["grid", "status"])?;
    issues.create_index_with_str("by_due", "due_at")?;
    issues.create_index_with_str("by_status", "status")?;
    let events = keyed_store(db, EVENTS, "id")?;
    events.create_index_with_str("by_issue", "issue")?;
    let households = keyed_store(db, HOUSEHOLDS, "id")?;
    households.create_index_with_str("by_grid", "grid")?;
    let multi = IdbIndexParameters::new();
    multi.set_multi_entry(true);
    households.create_index_with_str_and_optional_parameters("by_tag", "tags", &multi)?;
    let visits = keyed_store(db, VISITS, "id")?;
    visits.create_index_with_str("by_household", "household")?;
    keyed_store(db, OUTBOX, "seq")?;
    keyed_store(db, "conflicts", "id")?;
    db.create_object_store(META)?;
    Ok(())
}

/// Version 2: prefix search by issue title and household head's name.
fn v2_search_prefixes(tx: &IdbTransaction) -> Result<(), JsValue> {
    tx.object_store(ISSUES)?.create_index_with_str("by_title", "title")?;
    tx.object_store(HOUSEHOLDS)?.create_index_with_str("by_name", "name")?;
    Ok(())
}

/// Version 3: what sync needs beyond the records — pulled field versions (the bases of
/// edits) and refused changes — and issue indexes by status+level and by household.
fn v3_sync_bookkeeping(db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    keyed_store(db, VERSIONS, "key")?;
    let issues = tx.object_store(ISSUES)?;
    compound_index(&issues, "by_status_level", &["status", "level"])?;
    issues.create_index_with_str("by_household", "household")?;
    keyed_store(db, REJECTED, "key")?;
    Ok(())
}

/// Version 4: the committee's meetings and on-site office sessions, by grid.
fn v4_meetings(db: &IdbDatabase) -> Result<(), JsValue> {
    keyed_store(db, MEETINGS, "id")?.create_index_with_str("by_grid", "grid")?;
    Ok(())
}

/// Version 5: mediation cases and the three lists' entries.
fn v5_mediation_and_lists(db: &IdbDatabase) -> Result<(), JsValue> {
    let cases = keyed_store(db, MEDIATIONS, "id")?;
    cases.create_index_with_str("by_grid", "grid")?;
    cases.create_index_with_str("by_issue", "issue")?;
    let entries = keyed_store(db, LIST_ENTRIES, "id")?;
    entries.create_index_with_str("by_grid", "grid")?;
    entries.create_index_with_str("by_kind", "kind")?;
    entries.create_index_with_str("by_issue", "issue")?;
    Ok(())
}

/// Version 6: photos by hash, indexed by whether they wait for upload and (only rows
/// that have it) the reason an upload was refused for good.
fn v6_photos(db: &IdbDatabase) -> Result<(), JsValue> {
    let photos = keyed_store(db, PHOTOS, "hash")?;
    photos.create_index_with_str("by_pending", "pending")?;
    photos.create_index_with_str("by_failed", "failed")?;
    Ok(())
}

/// Version 7: tasks, by grid and by sending (`batch`). Builds before this one skipped
/// task changes in the pull while the cursor moved past them, so this step forgets the
/// cursor: the next round pulls everything again from 0 (a full re-pull; records already
/// held are rewritten as pulled with the outbox's pending values on top, the outbox and
/// every other store are left as they are).
fn v7_tasks(db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    let tasks = keyed_store(db, TASKS, "id")?;
    tasks.create_index_with_str("by_grid", "grid")?;
    tasks.create_index_with_str("by_batch", "batch")?;
    tx.object_store(META)?.delete(&JsValue::from_str(super::meta::CURSOR))?;
    Ok(())
}

/// Version 8: emergencies (平急转换), by grid. Builds before this one skipped emergency
/// changes in the pull while the cursor moved past them, so, as v7 did for tasks, this
/// step forgets the cursor: the next round is a full re-pull from 0 (records held are
/// rewritten as pulled with the outbox's pending values on top; the outbox and every
/// other store are left as they are).
fn v8_emergencies(db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    keyed_store(db, EMERGENCIES, "id")?.create_index_with_str("by_grid", "grid")?;
    tx.object_store(META)?.delete(&JsValue::from_str(super::meta::CURSOR))?;
    Ok(())
}

/// Version 9: an issue's events and pulled versions in one row per issue (`history.rs`),
/// so a pulled issue is two rows instead of one per event plus a version row. Moving the
/// rows of `issue_events` and the issues' rows of `versions` into it is not done here (the
/// version-change transaction cannot await reads through the async API) but on the first
/// open afterwards, in one read-write transaction (`history_move.rs`); this step leaves
/// the flag that asks for it, in the same all-or-nothing upgrade.
fn v9_issue_history(db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    keyed_store(db, HISTORY, "issue")?;
    tx.object_store(META)?.put_with_key(&JsValue::TRUE, &JsValue::from_str(super::meta::HISTORY_TO_MOVE))?;
    Ok(())
}

/// Version 10: the dashboard's summary (`summary.rs`): chunk rows under out-of-line keys.
/// Building it reads every issue, household and visit, which the version-change
/// transaction cannot await, so, as v9 did, this step only leaves the flag that asks for
/// it; the first open afterwards builds it in one transaction (`summary_build.rs`).
fn v10_figure_summary(db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    db.create_object_store(SUMMARY)?;
    tx.object_store(META)?.put_with_key(&JsValue::TRUE, &JsValue::from_str(super::meta::SUMMARY_TO_BUILD))?;
    Ok(())
}

fn keyed_store(db: &IdbDatabase, name: &str, key: &str) -> Result<web_sys::IdbObjectStore, JsValue> {
    let params = IdbObjectStoreParameters::new();
    params.set_key_path(&JsValue::from_str(key));
    db.create_object_store_with_optional_parameters(name, &params)
}

fn compound_index(store: &web_sys::IdbObjectStore, name: &str, keys: &[&str]) -> Result<(), JsValue> {
    let path: Array = keys.iter().map(|k| JsValue::from_str(k)).collect();
    store.create_index_with_str_sequence(name, &path)?;
    Ok(())
}
