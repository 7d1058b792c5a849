//! OpenAPI schemas for wire types whose JSON shape serde makes by hand (`try_from`/`into`
//! newtypes), so the server's `/api/v1/openapi.json` says what serde really sends. Built
//! only with the `openapi` feature, which only the server turns on: the wasm app never
//! links utoipa.

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

/// A record id: 1 to `max` ASCII letters, digits, `-` or `_` (see `ids.rs`).
pub(crate) fn id_schema(max: usize) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(max))
        .pattern(Some("^[A-Za-z0-9_-]+$"))
        .into()
}

/// A trimmed free text of at most `max` characters (JSON Schema counts characters too).
pub(crate) fn text_schema(max: usize, blank_ok: bool) -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(Type::String).min_length((!blank_ok).then_some(1)).max_length(Some(max)).into()
}

/// One of these strings (a `labelled_enum!`'s codes, exactly as serde writes them).
pub(crate) fn codes_schema(codes: &[&str]) -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(codes.iter().copied())).into()
}

/// An integer in `min..=max`.
pub(crate) fn int_schema(min: i64, max: i64) -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(min)).maximum(Some(max)).into()
}
