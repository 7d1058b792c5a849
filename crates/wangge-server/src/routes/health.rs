//! `GET /api/v1/health`: is the server up, which version, which schema. Devices and the
//! tests use it; it touches the database so a broken database shows here.

use axum::extract::State;
use axum::Json;
use serde::Serialize;

use crate::error::ApiError;
use crate::AppState;

#[derive(Serialize)]
pub(crate) struct Health {
    status: &'static str,
    server_version: &'static str,
    /// Version of the wire types shared with devices (`wangge_core::SCHEMA_VERSION`).
    schema_version: u32,
    /// Version the SQLite schema has been migrated to.
    db_schema_version: u32,
}

pub(crate) async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    Ok(Json(Health {
        status: "ok",
        server_version: env!("CARGO_PKG_VERSION"),
        schema_version: wangge_core::SCHEMA_VERSION,
        db_schema_version: state.db.schema_version().await?,
    }))
}
