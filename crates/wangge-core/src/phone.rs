//! Phone numbers as grid workers write them: mainland mobiles and fixed lines.
//!
//! Rules, decided for the field (and stated in every error message):
//! - spaces are ignored and a leading `+86` / `86` on a mobile is dropped;
//! - a **mobile** is 11 digits starting with `1` then `3`–`9` (e.g. `13812345678`);
//! - a **fixed line** is written with its area code and a hyphen, `0` + 2–3 digits, then
//!   7–8 digits not starting with `0` (e.g. `023-12345678`). The hyphen is required because
//!   without it the area code cannot be told apart from the number;
//! - nothing else (no extensions, no foreign numbers): a worker must be able to call it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;

labelled_enum! {
    /// What kind of number a [`Phone`] is.
    pub enum PhoneKind {
        /// 11-digit mobile.
        Mobile = "mobile", "手机", "Mobile";
        /// Area code + local number.
        FixedLine = "fixed_line", "座机", "Landline";
    }
}

/// A checked phone number in its normal form (`13812345678` or `023-12345678`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Parses a mobile or fixed-line number (see the module docs for the rules).
    pub fn parse(input: &str) -> Result<Phone, DomainError> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(DomainError::PhoneBlank);
        }
        let body = compact.strip_prefix("+86").unwrap_or(&compact);
        if body.is_empty() {
            return Err(DomainError::MobileWrongLength { len: 0 });
        }
        if !body.chars().all(|c| c.is_ascii_digit() || c == '-') {
            return Err(DomainError::PhoneInvalidChars);
        }
        match body.as_bytes()[0] {
            b'0' => parse_fixed_line(body),
            b'8' if body.starts_with("861") && body.len() == 13 => parse_mobile(&body[2..]),
            b'1' => parse_mobile(body),
            _ => Err(DomainError::PhoneUnknownKind),
        }
    }

    /// Mobile or fixed line.
    pub fn kind(&self) -> PhoneKind {
        if self.0.starts_with('0') {
            PhoneKind::FixedLine
        } else {
            PhoneKind::Mobile
        }
    }

    /// The number with its middle hidden (`138****5678`), for lists that others may see.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        let n = chars.len();
        chars.iter().enumerate().map(|(i, c)| if i >= n - 8 && i < n - 4 && *c != '-' { '*' } else { *c }).collect()
    }

    /// The number in normal form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn parse_mobile(digits: &str) -> Result<Phone, DomainError> {
    if digits.contains('-') {
        let plain: String = digits.chars().filter(|c| *c != '-').collect();
        return parse_mobile(&plain);
    }
    if digits.len() != 11 {
        return Err(DomainError::MobileWrongLength { len: digits.len() });
    }
    if !(b'3'..=b'9').contains(&digits.as_bytes()[1]) {
        return Err(DomainError::MobileBadPrefix);
    }
    Ok(Phone(digits.to_owned()))
}

fn parse_fixed_line(text: &str) -> Result<Phone, DomainError> {
    let Some((area, local)) = text.split_once('-') else {
        return Err(DomainError::FixedLineMalformed);
    };
    let area_ok = (3..=4).contains(&area.len()) && area.starts_with('0');
    let local_ok =
        (7..=8).contains(&local.len()) && local.bytes().all(|b| b.is_ascii_digit()) && !local.starts_with('0');
    if area_ok && local_ok {
        Ok(Phone(format!("{area}-{local}")))
    } else {
        Err(DomainError::FixedLineMalformed)
    }
}

impl TryFrom<String> for Phone {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Phone::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(value: Phone) -> Self {
        value.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mobile_with_spaces_and_country_code_is_normalised() {
        assert_eq!(Phone::parse("+86 138 1234 5678").unwrap().as_str(), "13812345678");
        assert_eq!(Phone::parse("8613812345678").unwrap().as_str(), "13812345678");
        assert_eq!(Phone::parse("138-1234-5678").unwrap().as_str(), "13812345678");
    }

    #[test]
    fn a_mobile_of_ten_digits_is_rejected() {
        let err = Phone::parse("1381234567").unwrap_err();
        assert_eq!(err, DomainError::MobileWrongLength { len: 10 });
        assert_eq!(err.message_zh(), "手机号应为11位数字,现在是10位");
    }

    #[test]
    fn a_mobile_starting_with_12_is_rejected() {
        assert_eq!(Phone::parse("12812345678"), Err(DomainError::MobileBadPrefix));
    }

    #[test]
    fn a_fixed_line_needs_its_area_code_and_hyphen() {
        let p = Phone::parse("023-12345678").unwrap();
        assert_eq!(p.kind(), PhoneKind::FixedLine);
        assert_eq!(Phone::parse("02312345678"), Err(DomainError::FixedLineMalformed));
        assert_eq!(Phone::parse("023-0234567"), Err(DomainError::FixedLineMalformed));
        assert_eq!(Phone::parse("0-1234567"), Err(DomainError::FixedLineMalformed));
    }

    #[test]
    fn letters_blank_and_other_prefixes_are_rejected() {
        assert_eq!(Phone::parse("138abc45678"), Err(DomainError::PhoneInvalidChars));
        assert_eq!(Phone::parse("   "), Err(DomainError::PhoneBlank));
        assert_eq!(Phone::parse("5551234"), Err(DomainError::PhoneUnknownKind));
    }

    #[test]
    fn the_middle_of_a_number_is_masked() {
        assert_eq!(Phone::parse("13812345678").unwrap().masked(), "138****5678");
        assert_eq!(Phone::parse("023-12345678").unwrap().masked(), "023-****5678");
    }
}
