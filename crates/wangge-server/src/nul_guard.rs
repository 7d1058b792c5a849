//! Refuses text holding the NUL character (U+0000) at the door, with a 400 a caller can
//! act on: PostgreSQL's text cannot store it (the write would fail as a 500 there), no
//! real name, note or device label contains it, and SQLite and PostgreSQL must answer
//! the same request the same way. Checked in JSON bodies (`json.rs`: an escaped `\u0000`
//! outside an escaped backslash; not in pushes, whose records the core checks field by
//! field) and in paths and query strings (`%00`).

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

#[cfg(test)]
mod tests {
    use super::json_has_nul;

    #[test]
    fn an_escaped_nul_is_found_and_an_escaped_backslash_is_not_one() {
        assert!(json_has_nul(br#"{"device_name":"x\u0000y"}"#));
        assert!(json_has_nul(br#"{"a":"\\\u0000"}"#), "an escaped backslash, then a NUL");
        assert!(!json_has_nul(br#"{"a":"\\u0000"}"#), "a backslash, then the letters u0000");
        assert!(!json_has_nul(br#"{"a":"u0000 \u00e9"}"#));
    }
}
