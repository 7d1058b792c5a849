//! `GET /api/v1/export/{issues,households,visits,mediations,lists}`: the caller's lists as `.xlsx` or CSV
//! (`crate::export`), scoped like a pull (their home grid's subtree, or a grid of it named
//! by `grid`), filtered like the issue list. **Every export is recorded in `export_log`
//! before the file is sent**; if the record cannot be written, no file leaves.
//! `GET /api/v1/admin/exports`: that log, for administrators, within their subtree.

use axum::extract::{RawQuery, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::Json;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::Serialize;
use utoipa::ToSchema;
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::Category;
use wangge_core::{Date, GridId};

use super::admin::{check_role, Segment};
use super::query::Query;
use crate::auth::Auth;
use crate::db::{ExportRecord, ExportRefusal};
use crate::error::{ApiError, ErrorBody};
use crate::export::{self, ExportLogged, Filter, Format, Kind, StatusFilter};
use crate::AppState;

/// How many log rows an administrator's list shows (newest first).
const LOG_ROWS: u32 = 500;

/// The lists, for the document (the handler reads the segment itself, to answer an
/// unknown one with the API's JSON 404): schema-driven clients then ask for real lists.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub(crate) enum ListKind {
    Issues,
    Households,
    Visits,
    Mediations,
    Lists,
}

/// The formats, for the document.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub(crate) enum FileFormat {
    Xlsx,
    Csv,
}

fn bad(code: &'static str, zh: &str, en: &str) -> ApiError {
    ApiError::bad_request(code, format!("{zh} / {en}"))
}

fn parse_kind(kind: &str) -> Result<Kind, ApiError> {
    Kind::from_code(kind).ok_or_else(|| {
        ApiError::NotFound(format!("/api/v1/export/{kind} (lists: issues, households, visits, mediations, lists)"))
    })
}

fn parse_format(query: &Query) -> Result<Format, ApiError> {
    match query.get("format") {
        None | Some("xlsx") => Ok(Format::Xlsx),
        Some("csv") => Ok(Format::Csv),
        Some(_) => Err(bad("bad_format", "格式只能是 xlsx 或 csv", "format must be xlsx or csv.")),
    }
}

fn parse_code<T>(
    query: &Query,
    key: &str,
    code: &'static str,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, ApiError> {
    match query.get(key).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse(v).map(Some).ok_or_else(|| {
            ApiError::bad_request(code, format!("筛选条件 {key} 的值 {v:?} 不认识 / Unknown {key} {v:?}."))
        }),
    }
}

fn parse_day(query: &Query, key: &str) -> Result<Option<Date>, ApiError> {
    match query.get(key).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => Date::parse(v).map(Some).map_err(|_| {
            ApiError::bad_request(
                "bad_date",
                format!("日期 {key} 应写成 YYYY-MM-DD / {key} must be a date YYYY-MM-DD."),
            )
        }),
    }
}

/// The filters of the query, each checked; a parameter the list does not take is a
/// `bad_query` (from `Query::parse`).
fn parse_filter(query: &Query) -> Result<Filter, ApiError> {
    let filter = Filter {
        status: parse_code(query, "status", "bad_status", StatusFilter::from_code)?,
        level: parse_code(query, "level", "bad_level", EscalationLevel::from_code)?,
        category: parse_code(query, "category", "bad_category", Category::from_code)?,
        overdue: match query.get("overdue") {
            None | Some("" | "0" | "false") => false,
            Some("1" | "true") => true,
            Some(_) => return Err(bad("bad_overdue", "overdue 只能是 1 或 0", "overdue must be 1 or 0.")),
        },
        from: parse_day(query, "from")?,
        to: parse_day(query, "to")?,
        grid: parse_code(query, "grid", "bad_grid", |g| GridId::parse(g).ok())?,
    };
    if let (Some(from), Some(to)) = (filter.from, filter.to) {
        if from > to {
            return Err(bad("bad_date", "开始日期晚于结束日期", "from is after to."));
        }
    }
    Ok(filter)
}

fn disposition(kind: Kind, format: Format, today: Date) -> String {
    let (ascii, zh) = kind.file_names();
    let ext = format.code();
    let zh = utf8_percent_encode(&format!("{zh}-{today}.{ext}"), NON_ALPHANUMERIC).to_string();
    format!("attachment; filename=\"{ascii}-{today}.{ext}\"; filename*=UTF-8''{zh}")
}

#[utoipa::path(
    get,
    path = "/api/v1/export/{kind}",
    tag = "export",
    security(("device_token" = [])),
    params(
        ("kind" = inline(ListKind), Path, description = "`issues`, `households`, `visits`, `mediations` (调解案件) or `lists` (三张清单)"),
        ("format" = inline(Option<FileFormat>), Query, description = "`xlsx` (default) or `csv` (UTF-8 with BOM)"),
        ("status" = Option<String>, Query, description = "Issues only: `open` (not yet closed or withdrawn) or a status code (`reported`, `in_progress`, …)"),
        ("level" = Option<String>, Query, description = "Issues only: the current rung (`grid`, `community`, `town`, `district`)"),
        ("category" = Option<String>, Query, description = "Issues only: a category code"),
        ("overdue" = Option<String>, Query, description = "Issues only: `1` for those flagged for supervision (overdue, or a supervision order stands)"),
        ("from" = Option<String>, Query, description = "Issues (reported), visits (date) and mediations (accepted): first day, YYYY-MM-DD, China Standard Time"),
        ("to" = Option<String>, Query, description = "Issues, visits and mediations: last day, inclusive"),
        ("grid" = Option<String>, Query, description = "A grid in the caller's subtree: only its subtree is exported"),
    ),
    responses(
        (status = 200, description = "The file (`.xlsx`, or CSV in UTF-8 with a BOM); the export is recorded in the export log", content(
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv; charset=utf-8"),
        )),
        (status = 400, description = "A bad filter (`bad_format`, `bad_status`, `bad_level`, `bad_category`, `bad_overdue`, `bad_date`, `bad_grid`) or a parameter the list does not take (`bad_query`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The `grid` filter names a grid outside the caller's subtree (`export_out_of_scope`)", body = ErrorBody),
        (status = 404, description = "No such list", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was exported", body = ErrorBody),
    )
)]
pub(crate) async fn export(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Segment(kind): Segment,
    RawQuery(query): RawQuery,
) -> Result<impl IntoResponse, ApiError> {
    let kind = parse_kind(&kind)?;
    let query = Query::parse(query.as_deref().unwrap_or(""), kind.filters())?;
    let (format, filter) = (parse_format(&query)?, parse_filter(&query)?);
    let scoped = state.db.export_data(caller.user.clone(), kind, filter.grid.clone()).await?.map_err(
        |ExportRefusal::GridOutOfScope| ApiError::Forbidden {
            code: "export_out_of_scope",
            message: "这个网格不在您的范围内 / That grid is not in your part of the grid tree.".into(),
        },
    )?;
    let now = crate::now_millis();
    let log_filter = filter.to_json();
    // Building and writing a 20,000-row sheet is CPU work: off the async threads.
    let built = tokio::task::spawn_blocking(move || {
        let table = export::table(kind, &scoped, &filter, now);
        export::write(&table, format).map(|bytes| (bytes, table.rows.len() as u64, scoped.root))
    });
    let (bytes, rows, root) =
        built.await.map_err(|e| ApiError::Internal(format!("export thread: {e}")))?.map_err(ApiError::Internal)?;
    let record = ExportRecord { kind, format: format.code(), filters: log_filter, scope_grid: root, rows };
    state.db.log_export(caller, record).await?;
    let headers = [
        (CONTENT_TYPE, format.content_type().to_string()),
        (CONTENT_DISPOSITION, disposition(kind, format, Date::of_millis(now))),
    ];
    Ok((headers, bytes))
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Exports {
    exports: Vec<ExportLogged>,
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/exports",
    tag = "admin",
    security(("device_token" = [])),
    responses(
        (status = 200, description = "The newest 500 exports whose scope lies in the caller's subtree, newest first", body = Exports),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller's role does not administer (`forbidden_role`)", body = ErrorBody),
        (status = 500, description = "The server failed", body = ErrorBody),
    )
)]
pub(crate) async fn log(State(state): State<AppState>, Auth(caller): Auth) -> Result<Json<Exports>, ApiError> {
    check_role(&caller)?;
    Ok(Json(Exports { exports: state.db.export_log(caller.user, LOG_ROWS).await? }))
}
