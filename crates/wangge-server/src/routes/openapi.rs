//! `GET /api/v1/openapi.json`: the API as an OpenAPI 3.1 document, generated from the
//! handlers' `#[utoipa::path]` annotations and the wire types themselves (the core's
//! derive its schemas under its `openapi` feature), so the document cannot drift from
//! what serde sends. Schemathesis checks the real server against it (`cargo xtask test`).

use std::sync::OnceLock;

use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi};
use wangge_core::sync::MAX_PUSH_MUTATIONS;
use wangge_core::SCHEMA_VERSION;

use super::{admin, admin_grids, admin_handover, admin_users, auth, export, health, import, photos, sync};

/// The name the protected operations give their bearer token requirement.
pub(crate) const BEARER: &str = "device_token";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Wangge API",
        description = "The sync API of Wangge (网格通), the offline-first app for grid workers. \
            Every error answers `{\"error\": {\"code\", \"message\"}}`; see docs/SYNC.md in the repository for the sync rules."
    ),
    paths(
        health::health, document, auth::login, auth::logout, sync::push, sync::pull,
        admin::users, admin::devices, admin::disable, admin::enable, admin::password, admin::revoke, admin::undelete,
        admin_users::create, admin_users::update, admin_users::reset_password,
        admin_grids::list, admin_grids::create, admin_grids::update, admin_grids::retire,
        admin_handover::handover, admin_handover::import,
        import::template, import::households, import::people,
        export::export, export::log,
        photos::upload, photos::head, photos::get
    ),
    modifiers(&BearerToken, &PushLimits)
)]
pub(crate) struct ApiDoc;

/// Declares the device token (`Authorization: Bearer <token>` from a login), and drops
/// the license utoipa copies from Cargo.toml, where there is none to copy.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.info.license = None;
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme =
            HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("The device token a login returns."));
        components.add_security_scheme(BEARER, SecurityScheme::Http(scheme.build()));
    }
}

/// What this server accepts in a push envelope beyond the core type's shape, from the
/// constants the handler checks (utoipa's attributes take only literals): its own schema
/// version, at most `MAX_PUSH_MUTATIONS`, and client ids as `check_client_id` wants them.
struct PushLimits;

impl Modify for PushLimits {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(push) = openapi.components.as_mut().and_then(|c| c.schemas.get_mut("PushRequest")) else { return };
        let RefOr::T(Schema::Object(push)) = push else { return };
        for (name, property) in push.properties.iter_mut() {
            match (name.as_str(), property) {
                ("schema_version", RefOr::T(Schema::Object(version))) => {
                    version.enum_values = Some(vec![SCHEMA_VERSION.into()]);
                }
                ("client_id", RefOr::T(Schema::Object(id))) => {
                    id.pattern = Some(super::sync::CLIENT_ID_PATTERN.into());
                }
                ("mutations", RefOr::T(Schema::Array(list))) => list.max_items = Some(MAX_PUSH_MUTATIONS),
                _ => {}
            }
        }
    }
}

/// The document as served: built once, it never changes while the server runs.
pub(crate) fn json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| ApiDoc::openapi().to_json().expect("the OpenAPI document serialises"))
}

/// The API's own description (this document).
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json", body = serde_json::Value))
)]
pub(crate) async fn document() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], json())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::json;

    /// The router is built from `v1_routes`: a route added there without a
    /// `#[utoipa::path]` listed in `ApiDoc` fails here, and so does a stale document entry.
    #[test]
    fn every_route_served_is_documented_and_nothing_else() {
        let doc: Value = serde_json::from_str(json()).unwrap();
        let documented: BTreeSet<(String, String)> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |m| (m.to_uppercase(), path.clone())))
            .collect();
        let served: BTreeSet<(String, String)> =
            super::super::served().into_iter().map(|(m, p)| (m.to_string(), p)).collect();
        assert_eq!(documented, served);
    }
}
