//! Refuses text holding the NUL character (U+0000) at the door, with a 400 a caller can
//! act on: PostgreSQL's text cannot store it (the write would fail as a 500 there), no
//! real name, note or device label contains it, and SQLite and PostgreSQL must answer
//! the same request the same way. Checked in JSON bodies (`json.rs`: an escaped `\u0000`
//! outside an escaped backslash), in paths and query strings (`%00`), and in each pushed
//! mutation (`routes/sync.rs` `parse_item`): there only that mutation is refused, as
//! `text_control_char`, since a whole batch refused would stop a phone's outbox for good.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The message both checks answer with.
pub(crate) const MESSAGE: &str = "文字中不能含有空字符（U+0000） / Text may not contain the NUL character (U+0000).";

/// True when JSON text `bytes` holds an escaped NUL (`\u0000`), not counting a literal
/// backslash followed by "u0000" (`\\u0000`).
pub(crate) fn json_has_nul(bytes: &[u8]) -> bool {
    let mut backslashes = 0usize;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\\' {
            backslashes += 1;
            continue;
        }
        if backslashes % 2 == 1 && *b == b'u' && bytes.get(i + 1..i + 5) == Some(b"0000") {
            return true;
        }
        backslashes = 0;
    }
    false
}

/// Middleware: a path or query string with `%00` is refused before any handler runs.
pub(crate) async fn refuse_nul(req: Request, next: Next) -> Response {
    let uri = req.uri();
    let encoded_nul = |s: &str| s.as_bytes().windows(3).any(|w| w == b"%00");
    if encoded_nul(uri.path()) || uri.query().is_some_and(encoded_nul) {
        return ApiError::bad_request("bad_text", MESSAGE).into_response();
    }
    next.run(req).await
}

/// True when a string or key anywhere in `value` holds U+0000.
pub(crate) fn value_has_nul(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(value_has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || value_has_nul(v)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// What a pushed mutation holding U+0000 is answered (the core's code for control
/// characters in text, which it also gives, naming the field, for its text fields).
pub(crate) fn rejection() -> crate::records::Rejection {
    crate::records::Rejection {
        code: "text_control_char".into(),
        message: "含有不可见的控制字符（U+0000），请删除后重新输入".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::{json_has_nul, value_has_nul};

    #[test]
    fn a_nul_in_any_string_or_key_of_a_value_is_found() {
        assert!(value_has_nul(&serde_json::json!({"a": [1, {"b": "x\u{0}"}]})));
        assert!(value_has_nul(&serde_json::json!({"k\u{0}": 1})));
        assert!(!value_has_nul(&serde_json::json!({"a": ["\\u0000", null, true, 3]})));
    }

    #[test]
    fn an_escaped_nul_is_found_and_an_escaped_backslash_is_not_one() {
        assert!(json_has_nul(br#"{"device_name":"x\u0000y"}"#));
        assert!(json_has_nul(br#"{"a":"\\\u0000"}"#), "an escaped backslash, then a NUL");
        assert!(!json_has_nul(br#"{"a":"\\u0000"}"#), "a backslash, then the letters u0000");
        assert!(!json_has_nul(br#"{"a":"u0000 \u00e9"}"#));
    }
}
