//! The on-device store: **the only code that touches IndexedDB**. Every user action is
//! one IndexedDB transaction that writes the record *and* its outbox entry together, and
//! is committed explicitly; nothing but IndexedDB is awaited inside it (`docs/SYNC.md`).

mod actions;
pub mod assess_queries;
mod bulk;
mod codec;
mod edit;
mod emergency_actions;
pub mod emergency_queries;
mod epoch;
mod error;
pub mod export;
pub mod export_log;
mod figure_queries;
mod history;
mod history_move;
pub mod issue_queries;
mod issue_steps;
mod list_actions;
mod list_queries;
mod mediation_actions;
mod mediation_queries;
mod meeting_actions;
mod meeting_queries;
mod meta;
mod persist;
mod photos;
mod pull;
mod queries;
mod reoffer;
mod roster_edit;
mod roster_queries;
mod rows;
mod schema;
mod summary;
mod summary_build;
mod summary_entries;
mod summary_pending;
mod sync;
mod task_actions;
pub mod task_queries;
mod today_queries;
pub mod unit_queries;
mod visit_queries;

use indexed_db_futures::database::Database;

pub use codec::Fields;
pub use edit::Bases;
pub use emergency_actions::EmergencySaveError;
pub use error::StoreError;
pub use figure_queries::FigureFacts;
pub use list_actions::ListSaveError;
pub use mediation_actions::CaseError;
pub use meeting_actions::DecideError;
pub use persist::{ask_again_unless_granted, remembered_persistence, request_persistence, Persistence};
pub use photos::PhotoBytes;
pub use roster_edit::PendingWrite;
pub use rows::{HouseholdRow, IssueRow};
pub use schema::DB_VERSION;
pub use sync::{PullOutcome, PushOutcome, RejectedChange, SyncMeta};
pub use task_actions::TaskSaveError;

/// The database the app uses. Tests open their own names.
pub const DB_NAME: &str = "wangge";

/// A handle to the open database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    db: std::rc::Rc<Database>,
}

impl Store {
    /// Opens (creating or upgrading) the app's database.
    pub async fn open() -> Result<Store, StoreError> {
        Store::open_named(DB_NAME).await
    }

    /// Opens a database by name at the current schema version.
    pub async fn open_named(name: &str) -> Result<Store, StoreError> {
        Store::open_at_version(name, DB_VERSION).await
    }

    /// Opens at an older schema version: for upgrade tests, which must start from what a
    /// phone running the previous release has.
    pub async fn open_at_version(name: &str, version: u32) -> Result<Store, StoreError> {
        let db = schema::open(name, version).await?;
        let store = Store { db: std::rc::Rc::new(db) };
        if version >= 9 {
            // Before anything else reads an issue's history (schema step v9).
            store.move_history_if_asked().await?;
        }
        if version >= 10 {
            // Before the dashboard reads it (schema step v10).
            store.build_summary_if_asked().await?;
        }
        Ok(store)
    }

    /// The schema version of the open database.
    pub fn version(&self) -> u32 {
        self.db.version() as u32
    }

    /// Closes the database (a reopen must see everything committed before).
    pub fn close(self) {
        if let Ok(db) = std::rc::Rc::try_unwrap(self.db) {
            db.close();
        }
    }
}
