//! The query string of the file routes (import, export): each parameter at most once,
//! none unknown, percent-decoded as UTF-8; a bad one is a 400 `bad_query` in the API's JSON.

use crate::error::ApiError;

/// The query string, each parameter at most once, none unknown.
pub(super) struct Query(Vec<(String, String)>);

impl Query {
    pub(super) fn parse(raw: &str, allowed: &[&str]) -> Result<Query, ApiError> {
        let mut pairs = Vec::new();
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8().map(|c| c.into_owned())
            };
            let (Ok(key), Ok(value)) = (decode(key), decode(value)) else {
                return Err(ApiError::bad_request("bad_query", "The query string is not valid UTF-8 once decoded."));
            };
            if !allowed.contains(&key.as_str()) || pairs.iter().any(|(k, _)| *k == key) {
                return Err(ApiError::bad_request(
                    "bad_query",
                    format!("Unknown or repeated query parameter {key:?}; use {}.", allowed.join(", ")),
                ));
            }
            pairs.push((key, value));
        }
        Ok(Query(pairs))
    }

    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}
