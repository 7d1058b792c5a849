//! `POST /api/v1/sync/push` and `GET /api/v1/sync/pull` (`docs/SYNC.md`). The handlers check the
//! envelope (schema version, batch length, seqs present) and hand the batch to `Db`.
//!
//! A mutation that does not parse (unknown collection or op, wrong field types) does not
//! fail the batch: it is rejected on its own, its seq consumed, so it never blocks the
//! outbox behind it. Only an envelope that cannot be attributed is a 400.

use axum::extract::{RawQuery, State};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use wangge_core::sync::{
    Collection, Mutation, PullResponse, PushRequest, PushResponse, MAX_PULL_LIMIT, MAX_PUSH_MUTATIONS,
};
use wangge_core::SCHEMA_VERSION;

use crate::auth::Auth;
use crate::db::{PushBatch, PushItem, PushOutcome};
use crate::error::{ApiError, ErrorBody};
use crate::json::ApiJson;
use crate::records::Rejection;
use crate::AppState;
use wangge_core::refusal::Refusal;

/// The push envelope; mutations are parsed one by one (see the module docs). The OpenAPI
/// document describes the body as the core's `PushRequest`, what devices send.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPush {
    client_id: String,
    schema_version: u32,
    mutations: Vec<Value>,
    /// The epoch the device last heard; absent before its first sync.
    #[serde(default)]
    epoch: Option<String>,
}

const DEFAULT_PULL_LIMIT: u32 = 500;

/// Stores a device's queued mutations, in seq order, and says what became of each.
#[utoipa::path(
    post,
    path = "/api/v1/sync/push",
    tag = "sync",
    security(("device_token" = [])),
    request_body = PushRequest,
    responses(
        (status = 200, description = "Stored (or refused one by one, see each result) up to `acked_seq`", body = PushResponse),
        (status = 400, description = "The envelope is wrong (`bad_json`, `bad_body`, `bad_client_id`); nothing stored", body = ErrorBody),
        (status = 401, description = "No valid device token (`unauthorized`, `token_revoked`)", body = ErrorBody),
        (status = 403, description = "The client id is another user's device's (`client_not_yours`)", body = ErrorBody),
        (status = 409, description = "Not taken as it stands (`seq_gap`, `schema_version`, `epoch_mismatch` with `epoch`); nothing stored", body = ErrorBody),
        (status = 413, description = "Over 1 MiB or over 500 mutations (`payload_too_large`, `batch_too_large`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was stored", body = ErrorBody),
    )
)]
pub(crate) async fn push(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<RawPush>,
) -> Result<Json<PushResponse>, ApiError> {
    if body.schema_version != SCHEMA_VERSION {
        return Err(ApiError::Conflict {
            code: "schema_version",
            message: format!(
                "This app speaks sync schema {}, the server {SCHEMA_VERSION}. Update the app; nothing waiting to sync is lost.",
                body.schema_version
            ),
        });
    }
    if body.mutations.len() > MAX_PUSH_MUTATIONS {
        return Err(ApiError::BatchTooLarge(format!(
            "{} mutations in one push; send at most {MAX_PUSH_MUTATIONS} per batch.",
            body.mutations.len()
        )));
    }
    check_client_id(&body.client_id)?;
    let mutations = body.mutations.into_iter().enumerate().map(parse_item).collect::<Result<Vec<_>, _>>()?;
    let (device, person, n) = (caller.device_id.clone(), caller.user.person_id.clone(), mutations.len());
    let batch = PushBatch { client_id: body.client_id, epoch: body.epoch, mutations };
    match state.db.push(caller, batch).await? {
        PushOutcome::Done(res) => {
            tracing::info!(%device, %person, mutations = n, acked_seq = res.acked_seq, "push stored");
            Ok(Json(res))
        }
        PushOutcome::Gap { expected } => Err(ApiError::Conflict {
            code: "seq_gap",
            message: format!("Mutations must arrive in order: the server expects seq {expected} next. Nothing in this batch was stored; resend from seq {expected}."),
        }),
        PushOutcome::EpochMismatch { epoch } => Err(ApiError::EpochMismatch { epoch }),
        PushOutcome::NotYourClient => Err(ApiError::Forbidden {
            code: "client_not_yours",
            message: "This client id belongs to another user's device. Log in again on this device to get a fresh one.".into(),
        }),
    }
}

/// What `check_client_id` accepts, for the OpenAPI document.
pub(super) const CLIENT_ID_PATTERN: &str = "^[A-Za-z0-9_-]{1,64}$";

pub(super) fn check_client_id(id: &str) -> Result<(), ApiError> {
    let ok = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if id.is_empty() || id.len() > 64 || !id.chars().all(ok) {
        return Err(ApiError::bad_request(
            "bad_client_id",
            "client_id must be 1 to 64 ASCII letters, digits, '-' or '_'.",
        ));
    }
    Ok(())
}

pub(super) fn parse_item((i, value): (usize, Value)) -> Result<PushItem, ApiError> {
    let seq =
        value.get("seq").and_then(Value::as_u64).filter(|s| *s > 0).ok_or_else(|| {
            ApiError::bad_request("bad_json", format!("mutations[{i}].seq must be a positive integer."))
        })?;
    // Before anything looks it up: PostgreSQL cannot even take U+0000 as a parameter.
    let op = if crate::nul_guard::value_has_nul(&value) {
        Err(crate::nul_guard::rejection())
    } else {
        serde_json::from_value::<Mutation>(value.clone()).map(|m| m.op).map_err(|e| explain(&value, e))
    };
    Ok(PushItem { seq, op })
}

/// A specific code for the common mistakes, the parser's words for the rest.
fn explain(value: &Value, err: serde_json::Error) -> Rejection {
    let text = |f: &str| value.get(f).and_then(Value::as_str);
    if let Some(c) = text("collection").filter(|c| !Collection::ALL.iter().any(|k| k.name() == *c)) {
        return Refusal::UnknownCollection { name: c.to_string() }.into();
    }
    if let Some(op) = text("op").filter(|op| !["put", "delete", "append_event", "settle_conflict"].contains(op)) {
        return Refusal::UnknownOp { op: op.to_string() }.into();
    }
    Refusal::InvalidMutation { detail: err.to_string() }.into()
}

/// The changes in the caller's scope after `cursor`, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/sync/pull",
    tag = "sync",
    security(("device_token" = [])),
    params(
        ("cursor" = Option<u64>, Query, maximum = 9223372036854775807_u64,
            description = "The `cursor` of the last page stored (default 0: from the start)"),
        ("limit" = Option<u32>, Query, minimum = 1,
            description = "Most changes wanted (default 500; more than 5000 gives 5000)"),
    ),
    responses(
        (status = 200, description = "A page of changes; ask again from `cursor` while `has_more`", body = PullResponse),
        (status = 400, description = "A bad query (`bad_cursor`, `bad_limit`, `bad_query`)", body = ErrorBody),
        (status = 401, description = "No valid device token (`unauthorized`, `token_revoked`)", body = ErrorBody),
        (status = 500, description = "The server failed", body = ErrorBody),
    )
)]
pub(crate) async fn pull(
    State(state): State<AppState>,
    Auth(caller): Auth,
    RawQuery(query): RawQuery,
) -> Result<Json<PullResponse>, ApiError> {
    let (cursor, limit) = parse_pull_query(query.as_deref().unwrap_or(""))?;
    Ok(Json(state.db.pull(caller.user, cursor, limit).await?))
}

/// `cursor` (default 0) and `limit` (default 500, at most MAX_PULL_LIMIT); nothing else.
fn parse_pull_query(query: &str) -> Result<(u64, u32), ApiError> {
    let (mut cursor, mut limit) = (0u64, DEFAULT_PULL_LIMIT);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "cursor" => {
                // Versions are stored as SQLite integers (i64): a cursor beyond that is
                // no cursor this server ever gave.
                cursor = value.parse().ok().filter(|c| *c <= i64::MAX as u64).ok_or_else(|| {
                    ApiError::bad_request(
                        "bad_cursor",
                        format!("cursor must be a non-negative integer from an earlier pull, not {value:?}."),
                    )
                })?
            }
            "limit" => {
                limit = value.parse().ok().filter(|l| *l > 0).ok_or_else(|| {
                    ApiError::bad_request("bad_limit", format!("limit must be a positive integer, not {value:?}."))
                })?
            }
            other => {
                return Err(ApiError::bad_request(
                    "bad_query",
                    format!("Unknown query parameter {other:?}; use cursor and limit."),
                ))
            }
        }
    }
    Ok((cursor, limit.min(MAX_PULL_LIMIT)))
}

#[cfg(test)]
mod tests {
    use super::{parse_pull_query, MAX_PULL_LIMIT};

    #[test]
    fn the_pull_query_has_defaults_and_a_ceiling() {
        assert_eq!(parse_pull_query("").unwrap(), (0, 500));
        assert_eq!(parse_pull_query("cursor=7&limit=999999").unwrap(), (7, MAX_PULL_LIMIT));
        assert!(parse_pull_query("cursor=-1").is_err());
        assert!(parse_pull_query("cursor=9223372036854775808").is_err(), "above i64::MAX: a 400, not a 500");
        assert_eq!(parse_pull_query("cursor=9223372036854775807").unwrap().0, i64::MAX as u64);
        assert!(parse_pull_query("limit=0").is_err());
        assert!(parse_pull_query("since=3").is_err());
    }
}
