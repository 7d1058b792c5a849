//! `/api/v1/admin/handover`: a departing worker's grid and open issues to a successor in
//! one step, and `/admin/handover/import`: a dead phone's export file (`src/store/export.rs`
//! writes it: `format`, `exported_by`, `meta.client_id`, `meta.epoch`, `outbox`) whose
//! unsynced outbox is pushed under its author's account and client id, so a second import
//! of the same file finds every seq stored and changes nothing.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use wangge_core::sync::MutationStatus;

use super::admin::admin_caller;
use super::sync::{check_client_id, parse_item};
use crate::account::Caller;
use crate::admin_rules::{RefusalKind, Refused};
use crate::auth::Auth;
use crate::db::{HandoverDone, PushBatch, PushOutcome};
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::AppState;

/// The `format` of a phone's export file.
const EXPORT_FORMAT: &str = "wangge-export";

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Handover {
    /// The departing worker's username.
    from: String,
    /// The successor's username.
    to: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct RefusedSeq {
    seq: u64,
    code: String,
    message: String,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Imported {
    /// The account the file belongs to, under whose name its changes were pushed.
    author: String,
    applied: u64,
    conflicts: u64,
    refused: Vec<RefusedSeq>,
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/handover",
    tag = "admin",
    security(("device_token" = [])),
    request_body = Handover,
    responses(
        (status = 200, description = "The successor holds the grid and the open issues", body = HandoverDone),
        (status = 400, description = "The same account twice (`same_user`), or the successor's roles do not suit the grid (`role_grid_level`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller's role does not administer (`forbidden_role`)", body = ErrorBody),
        (status = 404, description = "Either account is not in the caller's part of the grid (`unknown_user`)", body = ErrorBody),
        (status = 409, description = "The successor's account is disabled (`user_disabled`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was changed", body = ErrorBody),
    )
)]
pub(crate) async fn handover(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<Handover>,
) -> Result<Json<HandoverDone>, ApiError> {
    let caller = admin_caller(caller)?;
    Ok(Json(state.db.admin_handover(caller, body.from, body.to).await??))
}

fn not_an_export(what: &str) -> ApiError {
    Refused::new(RefusalKind::Invalid, "not_an_export", format!("这不是网格通导出的文件({what})")).into()
}

/// The file's author, client id, epoch and outbox, or why it is not an export file.
fn read_file(file: Value) -> Result<(String, PushBatch), ApiError> {
    if file.get("format").and_then(Value::as_str) != Some(EXPORT_FORMAT) {
        return Err(not_an_export("format"));
    }
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let author = text(file.get("exported_by")).filter(|a| !a.is_empty()).ok_or_else(|| not_an_export("exported_by"))?;
    let meta = file.get("meta");
    let client_id = text(meta.and_then(|m| m.get("client_id"))).ok_or_else(|| not_an_export("meta.client_id"))?;
    check_client_id(&client_id)?;
    let epoch = text(meta.and_then(|m| m.get("epoch")));
    let Some(Value::Array(outbox)) = file.get("outbox").cloned() else { return Err(not_an_export("outbox")) };
    let mutations = outbox.into_iter().enumerate().map(parse_item).collect::<Result<Vec<_>, _>>()?;
    Ok((author, PushBatch { client_id, epoch, mutations }))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/handover/import",
    tag = "admin",
    security(("device_token" = [])),
    request_body(content = serde_json::Value, description = "A phone's whole-phone export file (wangge-{user}-{date}.json)"),
    responses(
        (status = 200, description = "The file's unsynced changes are pushed under its author's name (a second import changes nothing)", body = Imported),
        (status = 400, description = "Not an export file (`not_an_export`, `bad_json`, `bad_client_id`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "Not an administrator, or the file's client id is another account's (`client_not_yours`)", body = ErrorBody),
        (status = 404, description = "The author is not in the caller's part of the grid (`unknown_user`)", body = ErrorBody),
        (status = 409, description = "Seqs missing before the file's (`seq_gap`) or another server database (`epoch_mismatch`); nothing stored", body = ErrorBody),
        (status = 413, description = "Larger than an export file can be (`payload_too_large`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was stored", body = ErrorBody),
    )
)]
pub(crate) async fn import(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(file): ApiJson<Value>,
) -> Result<Json<Imported>, ApiError> {
    let caller = admin_caller(caller)?;
    let (author, batch) = read_file(file)?;
    let Some(user) = state.db.managed_user(caller.clone(), author.clone()).await? else {
        return Err(Refused::unknown_user().into());
    };
    let author_caller = Caller { user, device_id: caller.device_id.clone() };
    let res = match state.db.push_handed_over(author_caller, caller, batch).await? {
        PushOutcome::Done(res) => res,
        PushOutcome::Gap { expected } => {
            return Err(ApiError::Conflict {
                code: "seq_gap",
                message: format!("服务器在这台手机的第 {expected} 条修改之前缺少记录,文件中的修改未导入"),
            })
        }
        PushOutcome::EpochMismatch { epoch } => return Err(ApiError::EpochMismatch { epoch }),
        PushOutcome::NotYourClient => {
            return Err(ApiError::Forbidden {
                code: "client_not_yours",
                message: "文件中的设备编号属于另一个账号,未导入".into(),
            })
        }
    };
    let count = |s: MutationStatus| res.results.iter().filter(|r| r.status == s).count() as u64;
    let refused = res
        .results
        .iter()
        .filter(|r| r.status == MutationStatus::Rejected)
        .map(|r| RefusedSeq {
            seq: r.seq,
            code: r.code.clone().unwrap_or_default(),
            message: r.message.clone().unwrap_or_default(),
        })
        .collect();
    Ok(Json(Imported {
        author,
        applied: count(MutationStatus::Applied),
        conflicts: count(MutationStatus::Conflict),
        refused,
    }))
}
