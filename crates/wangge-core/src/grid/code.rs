//! National-style grid codes: county 6 digits + town 3 + village/community 3 + grid
//! sequence 3, e.g. `500110001001007` for the 7th grid of community 001 of town 001 of
//! county 500110. Higher levels pad with zeros, so the code also tells the level.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::GridLevel;
use crate::DomainError;

/// A checked 15-digit grid code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GridCode(String);

impl GridCode {
    /// Accepts exactly 15 ASCII digits.
    pub fn parse(input: &str) -> Result<GridCode, DomainError> {
        if input.len() == 15 && input.bytes().all(|b| b.is_ascii_digit()) {
            Ok(GridCode(input.to_owned()))
        } else {
            Err(DomainError::GridCodeMalformed { input: input.chars().take(32).collect() })
        }
    }

    /// Builds a code from its four segments (each taken modulo its width).
    pub fn from_parts(county: u32, town: u16, community: u16, seq: u16) -> GridCode {
        GridCode(format!("{:06}{:03}{:03}{:03}", county % 1_000_000, town % 1000, community % 1000, seq % 1000))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 6-digit county (district) segment.
    pub fn county(&self) -> &str {
        &self.0[0..6]
    }

    fn zero(&self, range: std::ops::Range<usize>) -> bool {
        self.0[range].bytes().all(|b| b == b'0')
    }

    /// Whether the zero-padding matches `level`: a town code has a town segment and zeros
    /// after it, a community code a community segment, a group or building a sequence.
    pub fn fits(&self, level: GridLevel) -> bool {
        let (town, community, seq) = (self.zero(6..9), self.zero(9..12), self.zero(12..15));
        match level {
            GridLevel::District => town && community && seq,
            GridLevel::Town => !town && community && seq,
            GridLevel::Community => !town && !community && seq,
            GridLevel::Group | GridLevel::Building => !town && !community && !seq,
        }
    }

    /// How many leading digits a child of a node at `level` must share with it. Groups and
    /// buildings are both numbered within their community, so they share 12.
    pub(crate) fn significant_len(level: GridLevel) -> usize {
        match level {
            GridLevel::District => 6,
            GridLevel::Town => 9,
            GridLevel::Community | GridLevel::Group | GridLevel::Building => 12,
        }
    }
}

impl TryFrom<String> for GridCode {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        GridCode::parse(&value)
    }
}

impl From<GridCode> for String {
    fn from(value: GridCode) -> Self {
        value.0
    }
}

impl fmt::Display for GridCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_must_have_15_digits() {
        assert!(GridCode::parse("500110001001007").is_ok());
        assert_eq!(GridCode::parse("50011000100100").unwrap_err().code(), "grid_code_malformed");
        assert!(GridCode::parse("50011000100100x").is_err());
    }

    #[test]
    fn zero_padding_tells_the_level() {
        let town = GridCode::from_parts(500110, 1, 0, 0);
        assert_eq!(town.as_str(), "500110001000000");
        assert!(town.fits(GridLevel::Town));
        assert!(!town.fits(GridLevel::Community));
        assert!(GridCode::from_parts(500110, 0, 0, 0).fits(GridLevel::District));
        assert!(GridCode::from_parts(500110, 1, 2, 3).fits(GridLevel::Building));
    }
}
