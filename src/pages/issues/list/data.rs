//! The issue list's data: every issue as a brief, newest first, plus grid names. Read once
//! per data change and kept for the session, so going back from an issue to the list is
//! instant instead of re-reading 20,000 briefs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use wangge_core::issue::Deadlines;

use crate::format::now_ms;
use crate::store::issue_queries::IssueBrief;
use crate::store::Store;

/// Overdue flags and ages are as of the read; after this long a visit reads again.
const FRESH_MS: f64 = 5.0 * 60_000.0;

/// The briefs as read and when (for "3 天前" and the overdue flags).
#[derive(Clone)]
pub struct Loaded {
    pub briefs: Arc<Vec<IssueBrief>>,
    pub now: f64,
    /// Grid id → name, for the rows' "where".
    pub grid_names: Arc<HashMap<String, String>>,
}

/// What a kept read is valid for: the person (never show one user's list to the next)
/// and the data version it was read at.
#[derive(Clone, PartialEq)]
struct Key {
    person: String,
    version: u64,
}

thread_local! {
    static KEPT: RefCell<Option<(Key, Loaded)>> = const { RefCell::new(None) };
}

/// The list's data for `person` at data version `version`: kept, or read now.
pub async fn load(store: Store, person: String, version: u64) -> Loaded {
    let key = Key { person, version };
    let kept = KEPT.with_borrow(|k| {
        k.as_ref().filter(|(k, l)| *k == key && now_ms() as f64 - l.now < FRESH_MS).map(|(_, l)| l.clone())
    });
    if let Some(l) = kept {
        return l;
    }
    let loaded = read(&store).await;
    KEPT.set(Some((key, loaded.clone())));
    loaded
}

async fn read(store: &Store) -> Loaded {
    let now = now_ms();
    let mut briefs = store.issue_briefs(now, &Deadlines::default()).await.unwrap_or_default();
    wangge_core::sort::sort_by(&mut briefs, |a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    let grids = store.grids().await.unwrap_or_default();
    Loaded {
        briefs: Arc::new(briefs),
        now: now as f64,
        grid_names: Arc::new(grids.into_iter().map(|g| (g.id.to_string(), g.name.to_string())).collect()),
    }
}
