//! `/api/v1/export/…` (the lists as .xlsx or CSV, downloaded with the token) and
//! `/api/v1/admin/exports` (who exported what).

use serde::Deserialize;

use super::{call, download, ApiError};

/// One export as the log lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct ExportEntry {
    pub(crate) at: serde_json::Value,
    pub(crate) username: String,
    pub(crate) kind: String,
    pub(crate) format: String,
    #[serde(default)]
    pub(crate) filters: serde_json::Map<String, serde_json::Value>,
    pub(crate) scope_grid: String,
    #[serde(default)]
    pub(crate) grid_name: Option<String>,
    pub(crate) rows: u64,
}

#[derive(Deserialize)]
struct Exports {
    exports: Vec<ExportEntry>,
}

/// The list `kind` (`issues`, `households`, `visits`, `mediations`, `lists`) with the filters `query` (already
/// `key=value&…`, encoded) as a download named `file_name`.
pub(crate) async fn download_export(kind: &str, query: &str, file_name: &str) -> Result<(), ApiError> {
    download(&format!("/api/v1/export/{kind}?{query}"), file_name).await
}

pub(crate) async fn export_log() -> Result<Vec<ExportEntry>, ApiError> {
    Ok(call::<Exports>("GET", "/api/v1/admin/exports", None).await?.exports)
}
