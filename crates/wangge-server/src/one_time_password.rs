//! One-time passwords shown once to an administrator (a new account, a reset, `init`):
//! 12 characters from an alphabet without look-alikes (no 0/O, 1/l/I), so one read aloud
//! or copied by hand from a screen to a phone works the first time. 12 characters of 55
//! is about 69 bits, far beyond guessing behind the login throttle.

const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const LEN: usize = 12;

/// A fresh password, or an error when the system has no randomness to give.
pub fn generate() -> Result<String, String> {
    let mut out = String::with_capacity(LEN);
    while out.len() < LEN {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).map_err(|e| format!("random bytes: {e}"))?;
        // Rejection sampling: only bytes below the largest multiple of the alphabet's
        // length, so every character is equally likely.
        let limit = 256 - 256 % ALPHABET.len();
        out.extend(
            b.iter()
                .filter(|&&x| (x as usize) < limit)
                .map(|&x| ALPHABET[x as usize % ALPHABET.len()] as char)
                .take(LEN - out.len()),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_one_time_password_is_long_and_has_no_look_alikes() {
        let p = super::generate().unwrap();
        assert_eq!(p.chars().count(), 12);
        assert!(!p.contains(['0', 'O', '1', 'l', 'I']), "{p}");
        assert_ne!(p, super::generate().unwrap());
    }
}
