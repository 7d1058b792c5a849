//! Device tokens and passwords: tokens are 32 random bytes shown once and stored only as
//! their SHA-256; passwords are argon2id. `Auth` is the extractor every sync route takes.

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
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
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// False for a wrong password and for a hash that does not parse (never an error: the
/// caller answers both with the same `invalid_credentials`).
///
/// What argon2's own `verify_password` does, except that argon2 works in `memory`, grown
/// to the hash's size once and kept by the caller for the next check: allocating and
/// freeing 19 MiB per check left glibc's arenas holding hundreds of MB after a burst of
/// logins (see `password_checks.rs`).
pub(crate) fn verify_password(phc: &str, password: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else { return false };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else { return false };
    let algorithm = Algorithm::try_from(hash.algorithm);
    let version = hash.version.map_or(Ok(Version::default()), Version::try_from);
    let (Ok(algorithm), Ok(version), Ok(params)) = (algorithm, version, Params::try_from(&hash)) else { return false };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), Block::default());
    }
    let argon2 = Argon2::new(algorithm, version, params);
    let computed = Output::init_with(expected.len(), |out| {
        argon2
            .hash_password_into_with_memory(password.as_bytes(), salt, out, &mut memory[..])
            .map_err(|_| argon2::password_hash::Error::Password)
    });
    // `Output`'s `==` compares in constant time.
    computed.is_ok_and(|c| c == expected)
}

/// Said both to a login of a disabled account (403, only after its password checked out)
/// and to a token of one (401).
pub(crate) const ACCOUNT_DISABLED: &str = "账号已停用,请联系管理员 / This account is disabled; ask your administrator.";

/// The authenticated caller, from `Authorization: Bearer <token>`: refused if the token
/// is unknown, revoked, of a disabled account, or unused for longer than the idle period.
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
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "unauthorized",
                    "Log in first: this request needs `Authorization: Bearer <token>`.",
                )
            })?;
        // Every refusal is a 401, which the phone answers by asking for a new login while
        // keeping its records and outbox (`src/sync/runner.rs`).
        match state.db.check_token(token_hash(token), crate::now_millis(), state.config.token_idle).await? {
            TokenCheck::Valid(caller) => Ok(Auth(caller)),
            TokenCheck::Revoked => Err(ApiError::unauthorized(
                "token_revoked",
                "This device was logged out. Log in again; nothing waiting to sync is lost.",
            )),
            TokenCheck::Expired => Err(ApiError::unauthorized(
                "token_expired",
                "登录已过期,请重新登录;本机未同步的记录会保留 / This login has expired after a long time unused. Log in again; nothing waiting to sync is lost.",
            )),
            TokenCheck::AccountDisabled => Err(ApiError::unauthorized("account_disabled", ACCOUNT_DISABLED)),
            TokenCheck::Unknown => Err(ApiError::unauthorized(
                "unauthorized",
                "The device token is not known. Log in again; nothing waiting to sync is lost.",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::PasswordVerifier;

    use super::*;

    #[test]
    fn a_password_checks_as_argon2_itself_checks_it_with_the_memory_reused() {
        let phc = hash_password("correct horse").unwrap();
        let parsed = PasswordHash::new(&phc).unwrap();
        let mut memory = Vec::new();
        for (password, right) in
            [("correct horse", true), ("correct horsf", false), ("", false), ("correct horse", true)]
        {
            assert_eq!(verify_password(&phc, password, &mut memory), right, "{password:?}");
            assert_eq!(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(), right);
        }
        assert_eq!(memory.len(), Params::DEFAULT.block_count(), "19 MiB, allocated once");
        assert!(!verify_password("not a hash", "correct horse", &mut memory));
        assert!(!verify_password(&phc.replace("argon2id", "argon2x"), "correct horse", &mut memory));
    }
}
