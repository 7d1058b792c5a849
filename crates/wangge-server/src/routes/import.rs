//! `/api/v1/admin/import/…`: the ledger import (`crate::import`). The template to fill
//! in, and the upload: a dry run (`confirm=false`, the default) that writes nothing and
//! reports every row it would refuse, then the same file again with `confirm=true`.
//! Administrators only (403 `forbidden_role`), each within their own part of the grid.

use axum::body::Bytes;
use axum::extract::{FromRequest, RawQuery, Request, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use sha2::{Digest, Sha256};

use super::admin::check_role;
use super::query::Query;
use crate::auth::Auth;
use crate::db::{ImportFile, ImportRefusal};
use crate::error::{ApiError, ErrorBody};
use crate::import::columns::{self, LedgerField};
use crate::import::people::PeopleField;
use crate::import::{sheet, template, ImportReport};
use crate::AppState;

/// The largest file accepted (a 50,000-row ledger is a few MB).
pub(super) const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[utoipa::path(
    get,
    path = "/api/v1/admin/import/template",
    tag = "admin",
    security(("device_token" = [])),
    params(("kind" = String, Query, description = "`households` or `people` (the roster of people who do not log in)")),
    responses(
        (status = 200, description = "The template, an .xlsx with the Chinese header row, an example row and an instructions sheet", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 400, description = "No such kind of ledger (`bad_kind`) or another query parameter (`bad_query`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller's role does not administer (`forbidden_role`)", body = ErrorBody),
        (status = 500, description = "The server failed", body = ErrorBody),
    )
)]
pub(crate) async fn template(Auth(caller): Auth, RawQuery(query): RawQuery) -> Result<impl IntoResponse, ApiError> {
    check_role(&caller)?;
    let query = Query::parse(query.as_deref().unwrap_or(""), &["kind"])?;
    let people = query.kind()?;
    let bytes = if people { template::people() } else { template::households() }
        .map_err(|e| ApiError::Internal(format!("template: {e}")))?;
    let disposition = if people {
        // 人员名册模板.xlsx
        "attachment; filename=\"people-template.xlsx\"; filename*=UTF-8''%E4%BA%BA%E5%91%98%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.xlsx"
    } else {
        "attachment; filename=\"household-template.xlsx\"; filename*=UTF-8''%E4%BD%8F%E6%88%B7%E5%8F%B0%E8%B4%A6%E6%A8%A1%E6%9D%BF.xlsx"
    };
    Ok(([(CONTENT_TYPE, XLSX), (CONTENT_DISPOSITION, disposition)], bytes))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/import/households",
    tag = "admin",
    security(("device_token" = [])),
    params(
        ("confirm" = Option<bool>, Query, description = "false (default): a dry run that writes nothing; true: write every good row in one transaction"),
        ("columns" = Option<String>, Query, description = "JSON object {\"file header\": \"field key\"} for headers that differ from the template's (a header mapped to \"\" is ignored)"),
    ),
    request_body(content = Vec<u8>, description = "The file: .xlsx or CSV (UTF-8 or GBK)", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "What the import would do (dry run) or did (confirm)", body = ImportReport),
        (status = 400, description = "Unreadable file (`import_unreadable`, `import_broken_xlsx`, `import_empty`, `import_too_many_rows`) or query (`bad_query`, `bad_columns`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller does not administer (`forbidden_role`), or every row names a grid outside their part of the tree (`import_out_of_scope`)", body = ErrorBody),
        (status = 413, description = "The file is larger than 20 MB (`payload_too_large`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was written", body = ErrorBody),
    )
)]
pub(crate) async fn households(
    State(state): State<AppState>,
    Auth(caller): Auth,
    RawQuery(query): RawQuery,
    request: HeaderMap,
    body: FileBody,
) -> Result<Json<ImportReport>, ApiError> {
    check_role(&caller)?;
    let (confirm, file, unmapped) = read_upload(query, &request, body).await?;
    let headers = file.sheet.headers.clone();
    let counted = state
        .db
        .import_households(caller, file, confirm)
        .await?
        .map_err(|ImportRefusal::OutOfScope| out_of_scope("住户"))?;
    Ok(Json(report::<columns::Field>(confirm, counted, headers, unmapped)))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/import/people",
    tag = "admin",
    security(("device_token" = [])),
    params(
        ("confirm" = Option<bool>, Query, description = "false (default): a dry run that writes nothing; true: write every good row in one transaction"),
        ("columns" = Option<String>, Query, description = "JSON object {\"file header\": \"field key\"} for headers that differ from the template's (a header mapped to \"\" is ignored)"),
    ),
    request_body(content = Vec<u8>, description = "The people list (姓名, 网格编号, 身份(角色), 联系电话): .xlsx or CSV (UTF-8 or GBK)", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "What the import would do (dry run) or did (confirm)", body = ImportReport),
        (status = 400, description = "Unreadable file (`import_unreadable`, `import_broken_xlsx`, `import_empty`, `import_too_many_rows`) or query (`bad_query`, `bad_columns`)", body = ErrorBody),
        (status = 401, description = "No valid device token", body = ErrorBody),
        (status = 403, description = "The caller does not administer (`forbidden_role`), or every row names a grid outside their part of the tree (`import_out_of_scope`)", body = ErrorBody),
        (status = 413, description = "The file is larger than 20 MB (`payload_too_large`)", body = ErrorBody),
        (status = 500, description = "The server failed; nothing was written", body = ErrorBody),
    )
)]
pub(crate) async fn people(
    State(state): State<AppState>,
    Auth(caller): Auth,
    RawQuery(query): RawQuery,
    request: HeaderMap,
    body: FileBody,
) -> Result<Json<ImportReport>, ApiError> {
    check_role(&caller)?;
    let (confirm, file, unmapped) = read_upload::<PeopleField>(query, &request, body).await?;
    let headers = file.sheet.headers.clone();
    let counted = state
        .db
        .import_people(caller, file, confirm)
        .await?
        .map_err(|ImportRefusal::OutOfScope| out_of_scope("人员"))?;
    Ok(Json(report::<PeopleField>(confirm, counted, headers, unmapped)))
}

fn out_of_scope(what: &str) -> ApiError {
    ApiError::Forbidden {
        code: "import_out_of_scope",
        message: format!("文件中所有{what}的网格都不在您的管理范围内,未导入任何内容 / Every row names a grid outside your part of the grid; nothing was imported."),
    }
}

fn report<F: LedgerField>(
    confirm: bool,
    counted: crate::db::Counted,
    headers: Vec<String>,
    unmapped: Vec<String>,
) -> ImportReport {
    ImportReport {
        confirmed: confirm,
        rows: counted.rows,
        added: counted.added,
        updated: counted.updated,
        unchanged: counted.unchanged,
        refused: counted.refused,
        headers,
        unmapped,
        fields: columns::field_infos::<F>(),
    }
}

/// The query (`confirm`, `columns`) and the uploaded file, read and its columns mapped
/// for the ledger whose fields are `F`.
async fn read_upload<F: LedgerField>(
    query: Option<String>,
    request: &HeaderMap,
    body: FileBody,
) -> Result<(bool, ImportFile<F>, Vec<String>), ApiError> {
    let query = Query::parse(query.as_deref().unwrap_or(""), &["confirm", "columns"])?;
    let (confirm, mapping) = (query.confirm()?, query.columns()?);
    let bytes = body.0;
    let claims_xlsx = request.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with(XLSX));
    // Reading a large workbook is CPU work: off the async threads.
    let read = tokio::task::spawn_blocking(move || -> Result<_, ApiError> {
        let sheet = sheet::read(&bytes, claims_xlsx).map_err(|e| ApiError::bad_request(e.code(), e.message()))?;
        let (columns, unmapped, missing) =
            columns::map::<F>(&sheet.headers, &mapping).map_err(|m| ApiError::bad_request("bad_columns", m))?;
        let sha256 = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        Ok((ImportFile { sheet, columns, missing, sha256 }, unmapped))
    });
    let (file, unmapped) = read.await.map_err(|e| ApiError::Internal(format!("import reader: {e}")))??;
    Ok((confirm, file, unmapped))
}

/// The raw body, with the 20 MB limit answered in the API's JSON.
pub(crate) struct FileBody(Bytes);

impl<S: Send + Sync> FromRequest<S> for FileBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(req, state).await.map(FileBody).map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge("文件超过 20 MB,请按社区或网格分成几个文件 / The file is larger than 20 MB; split it by community or grid.")
            } else {
                ApiError::bad_request("bad_body", "The uploaded file could not be read.")
            }
        })
    }
}

impl Query {
    /// True for `people`, false for `households`.
    fn kind(&self) -> Result<bool, ApiError> {
        match self.get("kind") {
            Some("households") => Ok(false),
            Some("people") => Ok(true),
            other => {
                Err(ApiError::bad_request("bad_kind", format!("kind must be households or people, not {other:?}.")))
            }
        }
    }

    fn confirm(&self) -> Result<bool, ApiError> {
        match self.get("confirm") {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => {
                Err(ApiError::bad_request("bad_query", format!("confirm must be true or false, not {other:?}.")))
            }
        }
    }

    fn columns(&self) -> Result<std::collections::BTreeMap<String, String>, ApiError> {
        match self.get("columns") {
            None | Some("") => Ok(Default::default()),
            Some(json) => serde_json::from_str(json).map_err(|e| {
                ApiError::bad_request(
                    "bad_columns",
                    format!("columns must be a JSON object {{\"file header\": \"field key\"}}: {e}"),
                )
            }),
        }
    }
}
