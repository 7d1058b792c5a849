//! Resident ID-card numbers (居民身份证号码, GB 11643-1999), checked as a ledger or a form
//! gives them.
//!
//! The number is the most sensitive thing a roster can hold, so this type is built to be
//! hard to leak: it is not `Serialize` (it cannot end up in a record, a pull or a log line
//! by accident), its `Debug` shows only the last four characters, and the full text is
//! reached only through [`IdCardNumber::expose`], which the server calls once to hash it.
//!
//! Shape: 18 characters — a 6-digit region code, the birth date `YYYYMMDD`, a 3-digit
//! sequence and a check character (`0`–`9` or `X`) computed from the first 17 by ISO 7064
//! MOD 11-2. Spaces are ignored and a lowercase `x` is read as `X`. The old 15-digit
//! numbers (before 1999) are refused: they were all replaced, and they carry no check.

use std::fmt;

use crate::{Date, DomainError};

/// Weights of the first 17 digits (2^(17-i) mod 11, GB 11643).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder of the weighted sum mod 11.
const CHECK: &[u8; 11] = b"10X98765432";

/// A checked ID-card number in its normal form (18 characters, uppercase `X`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdCardNumber(String);

impl IdCardNumber {
    /// Checks length, characters, birth date and check digit (see the module docs).
    pub fn parse(input: &str) -> Result<IdCardNumber, DomainError> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
        let len = compact.chars().count();
        if len != 18 {
            return Err(DomainError::IdCardWrongLength { len });
        }
        let bytes = compact.as_bytes();
        let digits_ok = bytes[..17].iter().all(u8::is_ascii_digit);
        if !digits_ok || !(bytes[17].is_ascii_digit() || bytes[17] == b'X') {
            return Err(DomainError::IdCardInvalidChars);
        }
        let date = format!("{}-{}-{}", &compact[6..10], &compact[10..12], &compact[12..14]);
        if Date::parse(&date).is_err() || &compact[6..10] < "1900" {
            return Err(DomainError::IdCardBadBirthDate);
        }
        if check_char(&bytes[..17]) != bytes[17] {
            return Err(DomainError::IdCardBadCheckDigit);
        }
        Ok(IdCardNumber(compact))
    }

    /// The last four characters, all a screen may show (`002X`).
    pub fn last4(&self) -> &str {
        &self.0[14..]
    }

    /// The year of birth the number carries (for checking it against a stated year).
    pub fn birth_year(&self) -> i32 {
        self.0[6..10].parse().unwrap_or(0)
    }

    /// The full number. Only for hashing it with a key: never store, log or send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The check character of the first 17 digits.
fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    CHECK[(sum % 11) as usize]
}

impl fmt::Debug for IdCardNumber {
    /// Redacted: a `{:?}` in a log or a panic message shows only the last four.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdCardNumber(…{})", self.last4())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standards_own_example_is_accepted() {
        // The sample number printed in GB 11643-1999.
        let n = IdCardNumber::parse("11010519491231002X").unwrap();
        assert_eq!(n.last4(), "002X");
        assert_eq!(n.birth_year(), 1949);
    }

    #[test]
    fn valid_numbers_are_normalised() {
        for ok in ["500222199003071233", "110101200001011232"] {
            assert_eq!(IdCardNumber::parse(ok).unwrap().expose(), ok);
        }
        let spaced = IdCardNumber::parse(" 110105 19491231 002x ").unwrap();
        assert_eq!(spaced.expose(), "11010519491231002X");
    }

    #[test]
    fn a_wrong_check_digit_is_rejected() {
        let err = IdCardNumber::parse("110105194912310021").unwrap_err();
        assert_eq!(err, DomainError::IdCardBadCheckDigit);
        assert_eq!(err.code(), "id_card_bad_check_digit");
        // One digit mistyped in the middle changes the check character.
        assert_eq!(IdCardNumber::parse("500222199003071333").unwrap_err(), DomainError::IdCardBadCheckDigit);
    }

    #[test]
    fn a_number_of_the_wrong_length_is_rejected() {
        assert_eq!(IdCardNumber::parse("110105491231002").unwrap_err(), DomainError::IdCardWrongLength { len: 15 });
        assert_eq!(IdCardNumber::parse("").unwrap_err(), DomainError::IdCardWrongLength { len: 0 });
    }

    #[test]
    fn letters_other_than_a_final_x_are_rejected() {
        assert_eq!(IdCardNumber::parse("11010519491231X02X").unwrap_err(), DomainError::IdCardInvalidChars);
        assert_eq!(IdCardNumber::parse("11010519491231002Y").unwrap_err(), DomainError::IdCardInvalidChars);
        assert_eq!(IdCardNumber::parse("11010519491231002５").unwrap_err(), DomainError::IdCardInvalidChars);
    }

    #[test]
    fn an_impossible_birth_date_is_rejected() {
        assert_eq!(IdCardNumber::parse("110105194902300012").unwrap_err(), DomainError::IdCardBadBirthDate);
        assert_eq!(IdCardNumber::parse("110105180001010012").unwrap_err(), DomainError::IdCardBadBirthDate);
        // Well formed, check digit right, but born before 1900 (as `BirthYear` refuses).
        assert_eq!(IdCardNumber::parse("440524188001010014").unwrap_err(), DomainError::IdCardBadBirthDate);
    }

    #[test]
    fn debug_never_shows_the_whole_number() {
        let n = IdCardNumber::parse("11010519491231002X").unwrap();
        let shown = format!("{n:?}");
        assert!(!shown.contains("110105"), "{shown}");
        assert!(shown.contains("002X"));
    }
}
