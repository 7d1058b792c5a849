//! The keyed hash (HMAC-SHA256) that is all the server keeps of an ID-card number: it
//! lets a re-import find the same person without the number being stored anywhere. The
//! key is the database's own (`server_secrets`, made by migration 0010).
//!
//! Why keyed: ID-card numbers have little entropy (region, birth date, a sequence), so a
//! plain hash could be reversed by trying them all; without the key a leaked hash list
//! tells nothing. (The key sits in the same database, so a stolen database file holds
//! both: it is the backups and exports of the hashes alone that this protects.)

use hmac::{Hmac, Mac};
use sha2::Sha256;
use wangge_core::IdCardNumber;

/// The hash of `number` under `key`.
pub(crate) fn hash(key: &[u8], number: &IdCardNumber) -> Vec<u8> {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(number.expose().as_bytes());
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_depends_on_the_key_and_the_number() {
        let a = IdCardNumber::parse("11010519491231002X").unwrap();
        let b = IdCardNumber::parse("500222199003071233").unwrap();
        assert_eq!(hash(b"k1", &a), hash(b"k1", &a));
        assert_ne!(hash(b"k1", &a), hash(b"k2", &a));
        assert_ne!(hash(b"k1", &a), hash(b"k1", &b));
        assert_eq!(hash(b"k1", &a).len(), 32);
    }
}
