//! `/api/v1/admin/grids`: the grid tree as administrators keep it — list the caller's
//! subtree with what lives in each grid, add, rename / recode / move, retire. Parsing here
//! (core parsers); the tree rules and the writes in `db/grids.rs`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use wangge_core::grid::{GridCode, GridLevel};
use wangge_core::{new_ulid, DomainError, GridId, GridName};

use super::admin::{admin_caller, Segment};
use super::admin_users::present;
use crate::admin_rules::{RefusalKind, Refused};
use crate::auth::Auth;
use crate::db::{GridChange, GridInfo, NewGrid};
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateGrid {
    name: String,
    /// `district`, `town`, `community`, `group` or `building`; deeper than the parent's.
    level: String,
    parent: String,
    /// The 15-digit national code (CJ/T 349), optional.
    #[serde(default)]
    code: Option<String>,
}

/// Absent: unchanged; `code: null` clears the code.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PatchGrid {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    code: Option<Option<String>>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Grids {
    grids: Vec<GridInfo>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct GridBody {
    grid: GridInfo,
}

fn invalid(e: DomainError) -> ApiError {
    Refused::new(RefusalKind::Invalid, e.code(), e.message_zh()).into()
}

fn grid_id(id: String) -> Result<GridId, ApiError> {
    GridId::parse(id).map_err(|_| Refused::unknown_grid().into())
}

fn code(c: Option<String>) -> Result<Option<GridCode>, ApiError> {
    c.map(|c| GridCode::parse(&c).map_err(invalid)).transpose()
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/grids",
    tag = "admin",
    security(("device_token" = [])),
    responses(
        (status = 200, description = "Every grid of the caller's subtree, with what lives there", body = Grids),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller's role does not administer (`forbidden_role`)", body = ErrorBody),
        (status = 500, description = "The server failed", body = ErrorBody),
    )
)]
pub(crate) async fn list(State(state): State<AppState>, Auth(caller): Auth) -> Result<Json<Grids>, ApiError> {
    let grids = state.db.admin_grids(admin_caller(caller)?).await?;
    Ok(Json(Grids { grids }))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/grids",
    tag = "admin",
    security(("device_token" = [])),
    request_body = CreateGrid,
    responses(
        (status = 201, description = "The grid is added (phones in scope pull it)", body = GridBody),
        (status = 400, description = "Bad name, level (`unknown_level`), code, or a level not below the parent's (`grid_level_not_below_parent`, `grid_code_…`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller's role does not administer (`forbidden_role`)", body = ErrorBody),
        (status = 404, description = "No such parent in the caller's part of the tree (`unknown_grid`)", body = ErrorBody),
        (status = 409, description = "The parent is retired (`grid_retired`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<CreateGrid>,
) -> Result<(StatusCode, Json<GridBody>), ApiError> {
    let caller = admin_caller(caller)?;
    let level = GridLevel::from_code(&body.level).ok_or_else(|| {
        ApiError::from(Refused::new(RefusalKind::Invalid, "unknown_level", format!("没有“{}”这个网格层级", body.level)))
    })?;
    let mut random = [0u8; 10];
    getrandom::fill(&mut random).map_err(|e| ApiError::Internal(format!("random bytes: {e}")))?;
    let new = NewGrid {
        id: GridId::parse(format!("g{}", new_ulid(crate::now_millis(), random).to_lowercase()))
            .map_err(|e| ApiError::Internal(e.message_en()))?,
        name: GridName::parse(&body.name).map_err(invalid)?,
        level,
        parent: grid_id(body.parent)?,
        code: code(body.code)?,
    };
    let grid = state.db.admin_create_grid(caller, new).await??;
    Ok((StatusCode::CREATED, Json(GridBody { grid })))
}

#[utoipa::path(
    patch,
    path = "/api/v1/admin/grids/{id}",
    tag = "admin",
    security(("device_token" = [])),
    params(("id" = String, Path, description = "The grid")),
    request_body = PatchGrid,
    responses(
        (status = 200, description = "The grid as it now is; a move takes its whole subtree along", body = GridBody),
        (status = 400, description = "Bad path (`bad_path`), body (`bad_json`), name or code, a level not below the new parent's, or a move under itself (`grid_cycle`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "Not an administrator, or moving the caller's own grid (`forbidden_move`)", body = ErrorBody),
        (status = 404, description = "No such grid (or new parent) in the caller's part of the tree (`unknown_grid`)", body = ErrorBody),
        (status = 409, description = "The new parent is retired (`grid_retired`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn update(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Segment(id): Segment,
    ApiJson(body): ApiJson<PatchGrid>,
) -> Result<Json<GridBody>, ApiError> {
    let caller = admin_caller(caller)?;
    let change = GridChange {
        name: body.name.map(|n| GridName::parse(&n).map_err(invalid)).transpose()?,
        parent: body.parent.map(grid_id).transpose()?,
        code: body.code.map(code).transpose()?,
    };
    let grid = state.db.admin_update_grid(caller, grid_id(id)?, change).await??;
    Ok(Json(GridBody { grid }))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/grids/{id}/retire",
    tag = "admin",
    security(("device_token" = [])),
    params(("id" = String, Path, description = "The grid")),
    responses(
        (status = 200, description = "The grid is retired (kept in the tree and in history)", body = GridBody),
        (status = 400, description = "The path could not be read (`bad_path`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "Not an administrator, or the caller's own grid (`forbidden_retire`)", body = ErrorBody),
        (status = 404, description = "No such grid in the caller's part of the tree (`unknown_grid`)", body = ErrorBody),
        (status = 409, description = "Something still lives there (`grid_not_empty`, with `households`, `open_issues`, `children`, `staff`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn retire(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Segment(id): Segment,
) -> Result<Json<GridBody>, ApiError> {
    let caller = admin_caller(caller)?;
    let grid = state.db.admin_retire_grid(caller, grid_id(id)?).await??;
    Ok(Json(GridBody { grid }))
}
