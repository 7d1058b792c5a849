//! One sync round: push the whole outbox (oldest first, in batches), then pull until the
//! server has nothing more (the next page on its way while the last is written). Each step is its own store transaction, so a round cut short
//! by a closed tab or a lost signal simply resumes where it stopped on the next round.

use wangge_core::sync::{next_pull_page, PullRequest, PullResponse, FIRST_PULL_PAGE};

use super::api::{self, ApiError};
use crate::store::{PullOutcome, PushOutcome, Store, StoreError};

/// Mutations per push; well under the server's limit, so a batch fits a weak link.
const PUSH_BATCH: u32 = 200;
/// Rounds restarted by a server epoch change before giving up (it should take one).
const MAX_EPOCH_RESETS: u32 = 2;

#[derive(Debug, Clone, PartialEq)]
pub enum SyncError {
    Api(ApiError),
    Store(StoreError),
    /// The server acknowledged nothing of a push it accepted: it has lost track of this
    /// device. The outbox is kept; a person must look.
    Stuck,
}

impl From<ApiError> for SyncError {
    fn from(e: ApiError) -> Self {
        SyncError::Api(e)
    }
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Store(e)
    }
}

/// What a round moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub pushed: u32,
    pub rejected: u32,
    pub pulled: u32,
}

/// Runs one round. `progress` hears what has moved so far after every push batch and
/// every pull page, so a long first pull shows it is getting somewhere.
pub async fn round(store: &Store, token: &str, progress: &dyn Fn(Round)) -> Result<Round, SyncError> {
    let mut resets = 0;
    'again: loop {
        let mut done = Round::default();
        while let Some(request) = store.next_push(PUSH_BATCH).await? {
            let response = match api::push(token, &request).await {
                Err(ApiError::EpochMismatch { epoch }) => {
                    resets += 1;
                    if resets > MAX_EPOCH_RESETS {
                        return Err(SyncError::Stuck);
                    }
                    // The store resets only for an epoch the device has not known; either
                    // way the round starts over from what the store now holds.
                    store.on_epoch_mismatch(&request, &epoch).await?;
                    continue 'again;
                }
                other => other?,
            };
            match store.on_push_response(&request, &response).await? {
                // A reply the device must not act on (sent under an older client id, or
                // naming an epoch it left) moved nothing: start over, as for a new epoch.
                PushOutcome::NewEpoch | PushOutcome::Ignored => {
                    resets += 1;
                    if resets > MAX_EPOCH_RESETS {
                        return Err(SyncError::Stuck);
                    }
                    continue 'again;
                }
                PushOutcome::Acked { removed: 0, .. } => return Err(SyncError::Stuck),
                PushOutcome::Acked { removed, rejected } => {
                    done.pushed += removed;
                    done.rejected += rejected;
                    progress(done);
                }
            }
        }
        match pull_all(store, token, &mut done, progress).await? {
            Pulled::Done => return Ok(done),
            Pulled::NewEpoch => {
                resets += 1;
                if resets > MAX_EPOCH_RESETS {
                    return Err(SyncError::Stuck);
                }
                continue 'again;
            }
        }
    }
}

enum Pulled {
    Done,
    NewEpoch,
}

/// Pulls pages until the server has nothing more. The next page is asked for while the
/// current one is written, so the network and IndexedDB wait for each other only once per
/// page instead of taking turns. That changes no guarantee: each page is still applied,
/// with its cursor, in a transaction of its own, in order; a page asked from a cursor the
/// store has not reached (its predecessor failed) is refused by the store and the round
/// stops or starts over from what the store holds.
async fn pull_all(store: &Store, token: &str, done: &mut Round, progress: &dyn Fn(Round)) -> Result<Pulled, SyncError> {
    'from_store: loop {
        let mut request = PullRequest { cursor: store.sync_meta().await?.cursor, limit: FIRST_PULL_PAGE };
        let (first, mut took) = timed_pull(token, &request).await;
        let mut page = first?;
        loop {
            // Pages grow on a quick link and shrink on a slow one (`next_pull_page`).
            let limit = next_pull_page(request.limit, page.changes.len(), took);
            let following = PullRequest { cursor: page.cursor, limit };
            // Progress is told as soon as the page is stored, not when the next page has
            // also arrived: on a slow link that is seconds earlier.
            let so_far = *done;
            super::photos::note_pulled(&page);
            let apply = async {
                let applied = store.apply_pull(&request, &page).await;
                if let Ok(PullOutcome::Applied { changes }) = applied {
                    progress(Round { pulled: so_far.pulled + changes, ..so_far });
                }
                applied
            };
            let (applied, next) = if page.has_more {
                let (applied, next) = futures::future::join(apply, timed_pull(token, &following)).await;
                (applied?, Some(next))
            } else {
                (apply.await?, None)
            };
            match applied {
                PullOutcome::NewEpoch => return Ok(Pulled::NewEpoch),
                // Not expected (one round at a time); read the cursor again, as a round
                // started now would.
                PullOutcome::Ignored => continue 'from_store,
                PullOutcome::Applied { changes } => done.pulled += changes,
            }
            match next {
                None => return Ok(Pulled::Done),
                Some((next, ms)) => {
                    page = next?;
                    took = ms;
                    request = following;
                }
            }
        }
    }
}

/// A pull page and how long it took from request to last byte, in milliseconds.
async fn timed_pull(token: &str, request: &PullRequest) -> (Result<PullResponse, ApiError>, f64) {
    let started = js_sys::Date::now();
    let page = api::pull(token, request).await;
    (page, js_sys::Date::now() - started)
}
