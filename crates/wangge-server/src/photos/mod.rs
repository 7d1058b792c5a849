//! Photo bytes, stored **behind an interface** ([`PhotoStore`]) so an object store (S3,
//! MinIO, a county's OSS) can take the place of the disk later without touching a route.
//! What the server knows *about* a photo — who uploaded it, which records reference it —
//! is in SQLite (`db/photos.rs`, migration 0016); the store holds only bytes by hash.
//!
//! The store trusts its caller to have checked the bytes against the hash (the upload
//! route does), and is synchronous: the routes call it on a blocking thread.

pub mod backup;
mod disk;

use axum::body::Bytes;
use wangge_core::photo::PhotoHash;

pub use disk::DiskPhotoStore;

/// The largest photo accepted: a phone re-encodes to about 200–400 KB (longest side 1600
/// px), so 1 MiB leaves room without letting an unresized 12-megapixel original in.
pub const MAX_PHOTO_BYTES: usize = 1 << 20;

/// The image types a phone sends (what the browser's canvas encodes), and how each one's
/// bytes begin, so a file is stored and served only as what it is.
pub const PHOTO_TYPES: [&str; 3] = ["image/jpeg", "image/webp", "image/png"];

/// Content-addressed photo bytes. `put` must be durable when it returns: the upload is
/// acknowledged right after, and an acknowledged photo is never sent again.
pub trait PhotoStore: Send + Sync {
    /// Stores `bytes` under `hash` (their SHA-256); storing a hash again is harmless.
    fn put(&self, hash: &PhotoHash, bytes: &[u8]) -> std::io::Result<()>;
    /// The bytes stored under `hash`, if any.
    fn get(&self, hash: &PhotoHash) -> std::io::Result<Option<Bytes>>;
    /// Whether `hash` is stored.
    fn exists(&self, hash: &PhotoHash) -> std::io::Result<bool>;
}

/// Whether `bytes` begin as an image of `content_type` says they do (JPEG's SOI marker,
/// PNG's signature, WebP's RIFF…WEBP header).
pub fn looks_like(content_type: &str, bytes: &[u8]) -> bool {
    match content_type {
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/webp" => bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_type_is_recognised_by_its_first_bytes_only() {
        assert!(looks_like("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(looks_like("image/png", b"\x89PNG\r\n\x1a\nrest"));
        assert!(looks_like("image/webp", b"RIFF\x10\0\0\0WEBPVP8 "));
        assert!(!looks_like("image/png", &[0xFF, 0xD8, 0xFF]));
        assert!(!looks_like("image/jpeg", b"<html>"));
        assert!(!looks_like("image/webp", b"RIFF"));
        assert!(!looks_like("text/html", b"<html>"));
    }
}
