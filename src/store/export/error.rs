//! What an import did, and why one was refused, in words a worker can act on.

use indexed_db_futures::error::Error;

use crate::i18n::settings::SettingsMsg;
use crate::i18n::{Lang, Text};
use crate::store::StoreError;

/// What an import added and what it left alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Records (and their bookkeeping) the phone did not have.
    pub records_added: u32,
    /// Records the phone already had, kept as they were.
    pub records_kept: u32,
    /// Pending changes from the file, now queued to sync from this phone.
    pub changes_queued: u32,
    /// Pending changes identical to ones already queued here, not queued twice.
    pub changes_already_queued: u32,
    /// The file came from another server database (its sync bookkeeping was skipped).
    pub other_server: bool,
}

/// Why a file was not imported. Nothing on the phone changed.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportError {
    /// Not JSON at all (a photo, a document…).
    NotJson,
    /// JSON, but not a Wangge export.
    NotAnExport,
    /// Written by a newer version of the app.
    TooNew,
    /// A row that does not hold together (the file was edited or damaged).
    BadRecord {
        store: String,
        why: String,
    },
    Store(StoreError),
}

impl ImportError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ImportError::NotJson => SettingsMsg::ImportNotJson.text(lang).into(),
            ImportError::NotAnExport => SettingsMsg::ImportNotExport.text(lang).into(),
            ImportError::TooNew => SettingsMsg::ImportTooNew.text(lang).into(),
            ImportError::BadRecord { store, why } => {
                format!("{}（{store}：{why}）", SettingsMsg::ImportBadRecord.text(lang))
            }
            ImportError::Store(e) => e.message(lang),
        }
    }
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        ImportError::Store(e)
    }
}

impl From<Error> for ImportError {
    fn from(e: Error) -> Self {
        ImportError::Store(e.into())
    }
}
