//! One sync round: push the whole outbox (oldest first, in batches), then pull until the
//! server has nothing more. Each step is its own store transaction, so a round cut short
//! by a closed tab or a lost signal simply resumes where it stopped on the next round.

use wangge_core::sync::PullRequest;

use super::api::{self, ApiError};
use crate::store::{PullOutcome, PushOutcome, Store, StoreError};

/// Mutations per push; well under the server's limit, so a batch fits a weak link.
const PUSH_BATCH: u32 = 200;
/// Changes per pull page: one IndexedDB transaction each.
const PULL_PAGE: u32 = 1000;
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

pub async fn round(store: &Store, token: &str) -> Result<Round, SyncError> {
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
                    store.start_new_epoch(&epoch).await?;
                    continue 'again;
                }
                other => other?,
            };
            match store.on_push_response(&request, &response).await? {
                PushOutcome::NewEpoch => {
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
                }
            }
        }
        loop {
            let cursor = store.sync_meta().await?.cursor;
            let request = PullRequest {
                cursor,
                limit: PULL_PAGE,
            };
            let page = api::pull(token, &request).await?;
            match store.apply_pull(&request, &page).await? {
                PullOutcome::NewEpoch => {
                    resets += 1;
                    if resets > MAX_EPOCH_RESETS {
                        return Err(SyncError::Stuck);
                    }
                    continue 'again;
                }
                PullOutcome::Ignored => {}
                PullOutcome::Applied { changes } => done.pulled += changes,
            }
            if !page.has_more {
                return Ok(done);
            }
        }
    }
}
