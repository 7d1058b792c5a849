//! Device tokens and passwords: tokens are 32 random bytes shown once and stored only as
//! their SHA-256; passwords are argon2id. `Auth` is the extractor every sync route takes.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use crate::account::Caller;
use crate::db::TokenCheck;
use crate::error::ApiError;
use crate::AppState;

/// `n` random bytes as lowercase hex (tokens, device ids).
pub(crate) fn random_hex(n: usize) -> Result<String, ApiError> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| ApiError::Internal(format!("getrandom: {e}")))?;
    Ok(hex(&buf))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the database keeps instead of the token.
pub(crate) fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// An argon2id PHC string with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("getrandom: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// False for a wrong password and for a hash that does not parse (never an error: the
/// caller answers both with the same `invalid_credentials`).
pub(crate) fn verify_password(phc: &str, password: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// The authenticated caller, from `Authorization: Bearer <token>`.
pub(crate) struct Auth(pub(crate) Caller);

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::unauthorized("unauthorized", "Log in first: this request needs `Authorization: Bearer <token>`."))?;
        match state.db.check_token(token_hash(token), crate::now_millis()).await? {
            TokenCheck::Valid(caller) => Ok(Auth(caller)),
            TokenCheck::Revoked => Err(ApiError::unauthorized(
                "token_revoked",
                "This device was logged out. Log in again; nothing waiting to sync is lost.",
            )),
            TokenCheck::Unknown => Err(ApiError::unauthorized(
                "unauthorized",
                "The device token is not known. Log in again; nothing waiting to sync is lost.",
            )),
        }
    }
}
