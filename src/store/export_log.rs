//! This phone's own log of the tables it exported offline (`meta` key `export_log`).
//! An offline CSV never passes the server, so the server's export log cannot hold it;
//! this log says on the phone what left it: which list, when, how many rows, with which
//! filters (codes and ids only — never a resident's data). The newest [`KEPT`] entries.

use serde::{Deserialize, Serialize};

use super::meta::{get, put};
use super::schema::META;
use super::{Store, StoreError};

const EXPORT_LOG: &str = "export_log";
/// Entries kept: enough to see the last weeks' exports, small enough to rewrite whole.
const KEPT: usize = 50;

/// One export from this phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalExport {
    /// Unix milliseconds.
    pub at: f64,
    /// `issues`, `households`, `visits`, `mediations` or `lists`.
    pub kind: String,
    /// Rows in the file (without the header).
    pub rows: u32,
    /// The filters as query parameters (`status=open&from=…`), empty for none.
    #[serde(default)]
    pub filters: String,
}

impl Store {
    /// Adds an export to the log (newest first), dropping the oldest beyond [`KEPT`].
    pub async fn log_local_export(&self, entry: LocalExport) -> Result<(), StoreError> {
        let tx = self.write_tx(&[META])?;
        let mut log: Vec<LocalExport> = get(&tx, EXPORT_LOG).await?.unwrap_or_default();
        log.insert(0, entry);
        log.truncate(KEPT);
        put(&tx, EXPORT_LOG, &log).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The log, newest first.
    pub async fn local_exports(&self) -> Result<Vec<LocalExport>, StoreError> {
        let tx = self.read_tx(&[META])?;
        Ok(get(&tx, EXPORT_LOG).await?.unwrap_or_default())
    }
}
