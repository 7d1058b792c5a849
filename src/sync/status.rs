//! What the worker sees of sync, always: changes waiting to go, when the phone last synced,
//! and the last problem in plain words (Chinese by default).

use crate::i18n::sync::SyncMsg;
use crate::i18n::{Lang, Text};
use crate::store::StoreError;

use super::api::ApiError;
use super::engine::SyncError;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncStatus {
    /// A round is under way.
    pub running: bool,
    /// Changes the round under way has sent and received so far (a first pull at a
    /// community runs to tens of thousands, so the worker sees it moving).
    pub sent: u32,
    pub received: u32,
    /// Changes on this phone not yet acknowledged by the server.
    pub pending: u32,
    /// Field conflicts waiting for someone to settle.
    pub conflicts: u32,
    /// Changes the server refused, waiting for the worker to read.
    pub rejected: u32,
    /// When the last round finished well (unix ms), kept across reloads.
    pub last_synced: Option<f64>,
    pub problem: Option<Problem>,
}

/// Why the last round did not finish.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Offline,
    LoginExpired,
    Refused { message: String },
    ServerDown,
    Storage(StoreError),
    Stuck,
}

impl Problem {
    pub fn from_error(e: &SyncError) -> Problem {
        match e {
            SyncError::Api(ApiError::Offline) => Problem::Offline,
            SyncError::Api(ApiError::Unauthorized { .. }) => Problem::LoginExpired,
            SyncError::Api(ApiError::Refused { message, .. }) => Problem::Refused {
                message: message.clone(),
            },
            SyncError::Api(ApiError::Server { .. }) => Problem::ServerDown,
            // Handled inside a round; reaching here means it kept happening.
            SyncError::Api(ApiError::EpochMismatch { .. }) => Problem::Stuck,
            SyncError::Store(s) => Problem::Storage(s.clone()),
            SyncError::Stuck => Problem::Stuck,
        }
    }

    /// The message shown under the sync badge.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Problem::Offline => SyncMsg::ProblemOffline.text(lang).into(),
            Problem::LoginExpired => SyncMsg::ProblemLogin.text(lang).into(),
            Problem::Refused { message } => {
                format!("{}{message}", SyncMsg::ProblemRefused.text(lang))
            }
            Problem::ServerDown => SyncMsg::ProblemServer.text(lang).into(),
            Problem::Storage(e) => e.message(lang),
            Problem::Stuck => SyncMsg::ProblemStuck.text(lang).into(),
        }
    }
}
