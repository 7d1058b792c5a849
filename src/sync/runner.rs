//! The sync loop: runs a round on start, when the browser comes online, when the app
//! becomes visible again, shortly after each local change (debounced, so a burst of
//! saves is one round), every few minutes while open, and on a growing backoff after a
//! failure. At most one round runs at a time; a request during a round runs one more after.

use std::time::Duration;

use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::api::ApiError;
use super::engine::{self, SyncError};
use super::status::{Problem, SyncStatus};
use crate::session::Session;
use crate::store::Store;

const LAST_SYNCED_KEY: &str = "wangge.last_synced";
/// Wait after a local change before syncing, so a burst of saves is one round.
const DEBOUNCE: Duration = Duration::from_millis(1500);
/// Pull others' changes this often while the app is open.
const PERIODIC: Duration = Duration::from_secs(120);
/// In emergency mode (the user's node or one above it switched, `store.active_emergency`)
/// the loop is more eager: a round every 30 s instead of 120 s, and a failed round retried
/// after 5 s doubling to at most 15 s instead of 5 min. Photos still go after each round's
/// text (`photos::after_round`), so they never hold a report back.
const EMERGENCY_PERIODIC: Duration = Duration::from_secs(30);
const EMERGENCY_BACKOFF_MAX_MS: u64 = 15_000;
/// During a phone's first pull, screens read the store again at most this often, so
/// the worker sees her grid fill in page by page without slowing the pull much.
const FIRST_PULL_REFRESH_MS: f64 = 3_000.0;
const BACKOFF_START_MS: u64 = 5_000;
const BACKOFF_MAX_MS: u64 = 300_000;

/// The app's handle on sync, provided as context. Cheap to copy.
#[derive(Clone, Copy)]
pub struct SyncHandle {
    store: StoredValue<SendWrapper<Store>>,
    session: RwSignal<Option<Session>>,
    status: RwSignal<SyncStatus>,
    /// Bumped whenever the data on the phone changed (a local save or a pulled change):
    /// screens that read the store track it and read again.
    data_version: RwSignal<u64>,
    timer: StoredValue<Option<TimeoutHandle>>,
    backoff_ms: StoredValue<u64>,
    again: StoredValue<bool>,
    /// An emergency is on at the user's node: sync more eagerly (read after each round).
    emergency: StoredValue<bool>,
    /// Ticks of the emergency-rate timer since the last periodic round.
    ticks: StoredValue<u32>,
}

impl SyncHandle {
    pub fn new(store: Store, session: RwSignal<Option<Session>>) -> SyncHandle {
        let status = SyncStatus { last_synced: load_last_synced(), ..SyncStatus::default() };
        SyncHandle {
            store: StoredValue::new(SendWrapper::new(store)),
            session,
            status: RwSignal::new(status),
            data_version: RwSignal::new(0),
            timer: StoredValue::new(None),
            backoff_ms: StoredValue::new(BACKOFF_START_MS),
            again: StoredValue::new(false),
            emergency: StoredValue::new(false),
            ticks: StoredValue::new(0),
        }
    }

    /// Starts the loop: a round now, and the listeners that trigger later ones.
    pub fn start(self) {
        for event in ["online", "visibilitychange"] {
            let cb = Closure::<dyn Fn()>::new(move || {
                if document().visibility_state() == web_sys::VisibilityState::Visible {
                    self.backoff_ms.set_value(BACKOFF_START_MS);
                    self.sync_now();
                }
            });
            let target: web_sys::EventTarget = if event == "online" { window().into() } else { document().into() };
            let _ = target.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
            // The loop lives as long as the page.
            cb.forget();
        }
        // One timer at the emergency rate; outside an emergency only every fourth tick runs.
        let every = (PERIODIC.as_secs() / EMERGENCY_PERIODIC.as_secs()) as u32;
        let _ = set_interval_with_handle(
            move || {
                let n = self.ticks.get_value() + 1;
                self.ticks.set_value(n % every);
                if self.emergency.get_value() || n >= every {
                    self.sync_now();
                }
            },
            EMERGENCY_PERIODIC,
        );
        self.refresh_emergency();
        self.refresh_counts();
        self.sync_now();
    }

    pub fn status(self) -> ReadSignal<SyncStatus> {
        self.status.read_only()
    }

    /// Tracks changes to the data on the phone: read it inside a resource to re-read.
    pub fn data_version(self) -> ReadSignal<u64> {
        self.data_version.read_only()
    }

    /// Call after every local save: screens re-read, and a round follows shortly.
    pub fn changed(self) {
        self.data_version.update(|v| *v += 1);
        self.refresh_counts();
        self.refresh_emergency();
        self.schedule(DEBOUNCE);
    }

    /// Runs a round now (or right after the one under way).
    pub fn sync_now(self) {
        self.clear_timer();
        if self.status.with_untracked(|s| s.running) {
            self.again.set_value(true);
            return;
        }
        let Some(session) = self.session.get_untracked() else {
            return;
        };
        if session.expired {
            // Still expired (e.g. after a reload): keep asking, sync nothing.
            self.status.update(|s| s.problem = Some(Problem::LoginExpired));
            self.refresh_counts();
            return;
        }
        if !window().navigator().on_line() {
            self.status.update(|s| s.problem = Some(Problem::Offline));
            self.refresh_counts();
            return;
        }
        self.status.update(|s| {
            s.running = true;
            s.sent = 0;
            s.received = 0;
        });
        let store = self.store.get_value();
        let (status, data_version) = (self.status, self.data_version);
        leptos::task::spawn_local(async move {
            let fresh = store.sync_meta().await.map(|m| m.cursor == 0).unwrap_or(false);
            // The first page shows at once (0 = long ago), later ones every few seconds.
            let shown_at = std::cell::Cell::new(0.0);
            let progress = move |moved: engine::Round| {
                status.update(|s| {
                    s.sent = moved.pushed;
                    s.received = moved.pulled;
                });
                let now = js_sys::Date::now();
                if fresh && moved.pulled > 0 && now - shown_at.get() >= FIRST_PULL_REFRESH_MS {
                    shown_at.set(now);
                    data_version.update(|v| *v += 1);
                }
            };
            let result = engine::round(&store, &session.token, &progress).await;
            if result.is_ok() {
                // Photos last: text records never wait behind them.
                super::photos::after_round(&store, &session.token).await;
            }
            self.finish(result, fresh);
        });
    }

    fn finish(self, result: Result<engine::Round, SyncError>, fresh: bool) {
        match result {
            Ok(round) => {
                let now = js_sys::Date::now();
                save_last_synced(now);
                self.backoff_ms.set_value(BACKOFF_START_MS);
                self.status.update(|s| {
                    s.last_synced = Some(now);
                    s.problem = None;
                });
                if round.pulled > 0 || round.rejected > 0 {
                    self.data_version.update(|v| *v += 1);
                    self.refresh_emergency();
                }
                if fresh {
                    // A phone that now holds its whole scope has the most to lose.
                    crate::store::ask_again_unless_granted();
                    // For the benchmarks: a fresh device's first full pull is stored.
                    if let Some(p) = window().performance() {
                        let _ = p.mark("wangge:first-pull-done");
                    }
                }
            }
            Err(e) => {
                if let SyncError::Api(ApiError::Unauthorized { .. }) = e {
                    self.session.update(|s| {
                        if let Some(s) = s {
                            s.expired = true;
                            s.save();
                        }
                    });
                }
                let problem = Problem::from_error(&e);
                let retry = problem != Problem::LoginExpired;
                self.status.update(|s| s.problem = Some(problem));
                if retry {
                    let wait = self.backoff_ms.get_value();
                    let cap = if self.emergency.get_value() { EMERGENCY_BACKOFF_MAX_MS } else { BACKOFF_MAX_MS };
                    self.backoff_ms.set_value((wait * 2).min(cap));
                    let wait = wait.min(cap);
                    self.schedule(Duration::from_millis(wait));
                }
            }
        }
        self.status.update(|s| {
            s.running = false;
            // Any answer (even a refusal) tells the server's time.
            s.clock_skew = super::api::clock_skew();
        });
        self.refresh_counts();
        if self.again.get_value() {
            self.again.set_value(false);
            self.sync_now();
        }
    }

    /// Re-reads whether an emergency is on at the user's node (the loop's rate).
    fn refresh_emergency(self) {
        let Some(home) = self.session.get_untracked().map(|s| s.user.home_grid) else {
            return;
        };
        let store = self.store.get_value();
        leptos::task::spawn_local(async move {
            let on = matches!(store.active_emergency(&home).await, Ok(Some(_)));
            self.emergency.set_value(on);
        });
    }

    /// Re-reads the counts shown in the sync badge.
    pub fn refresh_counts(self) {
        let store = self.store.get_value();
        leptos::task::spawn_local(async move {
            let pending = store.pending_count().await.unwrap_or(0);
            let conflicts = store.open_conflicts().await.map(|c| c.len() as u32).unwrap_or(0);
            let rejected = store.rejected_changes().await.map(|r| r.len() as u32).unwrap_or(0);
            let (photos_pending, photos_refused) = store.photo_counts().await.unwrap_or((0, 0));
            self.status.update(|s| {
                s.photos_pending = photos_pending;
                s.photos_refused = photos_refused;
                s.pending = pending;
                s.conflicts = conflicts;
                s.rejected = rejected;
            });
        });
    }

    fn schedule(self, wait: Duration) {
        self.clear_timer();
        if let Ok(handle) = set_timeout_with_handle(move || self.sync_now(), wait) {
            self.timer.set_value(Some(handle));
        }
    }

    fn clear_timer(self) {
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
            self.timer.set_value(None);
        }
    }
}

fn load_last_synced() -> Option<f64> {
    let s = window().local_storage().ok().flatten()?;
    s.get_item(LAST_SYNCED_KEY).ok().flatten()?.parse().ok()
}

fn save_last_synced(ms: f64) {
    if let Some(s) = window().local_storage().ok().flatten() {
        let _ = s.set_item(LAST_SYNCED_KEY, &ms.to_string());
    }
}
