//! `GET /api/v1/health`: is the server up, which version, which schema. Devices and the
//! tests use it; it touches the database so a broken database shows here.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::AppState;

#[derive(Serialize, ToSchema)]
pub(crate) struct Health {
    /// Always `ok` (a broken database answers 500 instead).
    #[schema(value_type = String)]
    status: &'static str,
    #[schema(value_type = String)]
    server_version: &'static str,
    /// Version of the wire types shared with devices (`wangge_core::SCHEMA_VERSION`).
    schema_version: u32,
    /// Version the SQLite schema has been migrated to.
    db_schema_version: u32,
}

/// Is the server up, and which versions it speaks.
#[utoipa::path(
    get,
    path = "/api/v1/health",
    tag = "meta",
    responses(
        (status = 200, description = "The server and its database answer", body = Health),
        (status = 500, description = "The database does not answer", body = ErrorBody),
    )
)]
pub(crate) async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    Ok(Json(Health {
        status: "ok",
        server_version: env!("CARGO_PKG_VERSION"),
        schema_version: wangge_core::SCHEMA_VERSION,
        db_schema_version: state.db.schema_version().await?,
    }))
}
