//! Photos taken in the field, as records reference them: **a photo is addressed by the
//! SHA-256 of its stored bytes** ([`PhotoHash`]), so an upload is idempotent (the same
//! bytes are the same photo), a phone can ask whether the server already has one, and a
//! record carries a short reference rather than the image. The bytes travel apart from
//! the record stream (`PUT /api/v1/photos/{hash}`), so a slow photo never holds up text.
//!
//! A reference ([`PhotoRef`]) names the full photo and its thumbnail (~320 px, which other
//! phones fetch on pull; the full photo only on demand), the stage of the work it shows
//! and when it was taken. Issue steps, visits and mediation sessions carry at most
//! [`MAX_PHOTOS_PER_STEP`] of them ([`check_count`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{DomainError, Millis};

/// The most photos one step (an issue event, a visit, a mediation session) carries: nine,
/// as a WeChat post does, which is what grid workers are used to.
pub const MAX_PHOTOS_PER_STEP: usize = 9;

/// Characters of a SHA-256 written in hex.
const HASH_CHARS: usize = 64;

/// The SHA-256 of a photo's stored bytes: 64 lowercase hex characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhotoHash(String);

impl PhotoHash {
    /// Parses 64 lowercase hex characters (upper case is refused: one photo, one name).
    pub fn parse(input: &str) -> Result<PhotoHash, DomainError> {
        let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
        if input.len() != HASH_CHARS || !input.chars().all(hex) {
            return Err(DomainError::PhotoHashMalformed { input: input.chars().take(HASH_CHARS).collect() });
        }
        Ok(PhotoHash(input.to_string()))
    }

    /// The hash as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first two characters: the folder a disk store keeps the photo in, so no one
    /// folder holds every photo.
    pub fn shard(&self) -> &str {
        &self.0[..2]
    }
}

impl fmt::Display for PhotoHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PhotoHash {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        PhotoHash::parse(&s).map_err(|e| e.message_en())
    }
}

impl From<PhotoHash> for String {
    fn from(h: PhotoHash) -> String {
        h.0
    }
}

labelled_enum! {
    /// What stage of the work a photo shows (the reports' 整改前 / 整改后 pictures).
    pub enum PhotoStage {
        /// 处理前: the problem as found.
        Before = "before", "处理前", "Before";
        /// 处理中: work under way.
        During = "during", "处理中", "During";
        /// 处理后: the result (整改效果).
        After = "after", "处理后", "After";
        /// 现场: a scene, what a visit or a session saw (the default there).
        Scene = "scene", "现场", "On site";
    }
}

/// One photo as a record references it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoRef {
    /// The full photo (longest side ≤ 1600 px, a few hundred KB).
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9a-f]{64}$"))]
    pub hash: PhotoHash,
    /// Its thumbnail (~320 px), uploaded beside it.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9a-f]{64}$"))]
    pub thumb: PhotoHash,
    /// What it shows.
    pub stage: PhotoStage,
    /// When it was taken (unix milliseconds).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub taken_at: Millis,
}

impl PhotoRef {
    /// Both hashes the reference needs on the server: the photo and its thumbnail.
    pub fn hashes(&self) -> [&PhotoHash; 2] {
        [&self.hash, &self.thumb]
    }
}

/// Refuses a step carrying more than [`MAX_PHOTOS_PER_STEP`] photos.
pub fn check_count(photos: &[PhotoRef]) -> Result<(), DomainError> {
    match photos.len() {
        n if n > MAX_PHOTOS_PER_STEP => Err(DomainError::TooManyPhotos { count: n, max: MAX_PHOTOS_PER_STEP }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn photo(n: u8) -> PhotoRef {
        let h = PhotoHash::parse(H).unwrap();
        PhotoRef { hash: h.clone(), thumb: h, stage: PhotoStage::Before, taken_at: i64::from(n) }
    }

    #[test]
    fn a_sha256_in_lowercase_hex_is_a_photo_hash() {
        let h = PhotoHash::parse(H).unwrap();
        assert_eq!(h.as_str(), H);
        assert_eq!(h.shard(), "9f");
        assert_eq!(serde_json::to_string(&h).unwrap(), format!("\"{H}\""));
    }

    #[test]
    fn a_short_long_upper_case_or_non_hex_hash_is_refused() {
        for bad in ["", &H[1..], &format!("{H}0"), &H.to_uppercase(), &H.replace('9', "g"), "../etc/passwd"] {
            let e = PhotoHash::parse(bad).unwrap_err();
            assert_eq!(e.code(), "photo_hash_malformed", "{bad}");
        }
        assert!(serde_json::from_str::<PhotoHash>("\"abc\"").is_err());
    }

    #[test]
    fn nine_photos_pass_and_a_tenth_is_refused() {
        let nine: Vec<PhotoRef> = (0..9).map(photo).collect();
        assert!(check_count(&nine).is_ok());
        let ten: Vec<PhotoRef> = (0..10).map(photo).collect();
        let e = check_count(&ten).unwrap_err();
        assert_eq!(e.code(), "too_many_photos");
        assert!(e.message_zh().contains('9') && e.message_en().contains('9'));
    }

    #[test]
    fn a_reference_reads_back_as_written() {
        let json = serde_json::to_value(photo(3)).unwrap();
        assert_eq!(json["stage"], "before");
        assert_eq!(serde_json::from_value::<PhotoRef>(json).unwrap(), photo(3));
    }
}
