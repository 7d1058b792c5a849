//! Record ids: opaque strings made on the device, so a record exists before any sync.
//!
//! New ids are ULID-style: 48 bits of unix milliseconds then 80 random bits, written as 26
//! Crockford base32 characters, so they sort by creation time. The caller passes the time
//! and the random bytes in (this crate has no clock and no randomness). Parsing accepts
//! any short ASCII token, not only ULIDs, so fixed well-known ids (the demo accounts) and
//! ids minted by other tools stay valid.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{DomainError, Millis};

/// Crockford's base32 alphabet: no I, L, O or U, so ids survive being read aloud.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Longest id accepted; ULIDs are 26.
pub(crate) const MAX_ID_LEN: usize = 64;

/// Builds a 26-character ULID from an instant and 10 random bytes.
///
/// Instants before 1970 clamp to zero and those after the year 10889 to the 48-bit maximum,
/// so the text always has exactly 26 characters and sorts like the instant.
///
/// ```
/// let id = wangge_core::new_ulid(1_700_000_000_000, [7; 10]);
/// assert_eq!(id.len(), 26);
/// assert!(id < wangge_core::new_ulid(1_700_000_000_001, [0; 10]));
/// ```
pub fn new_ulid(at: Millis, random: [u8; 10]) -> String {
    let time = at.clamp(0, (1 << 48) - 1) as u128;
    let rand = random.iter().fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
    let value = (time << 80) | rand;
    (0..26)
        .map(|i| {
            let shift = 5 * (25 - i);
            char::from(CROCKFORD[((value >> shift) & 0x1f) as usize])
        })
        .collect()
}

fn check_id(input: &str) -> Result<(), DomainError> {
    if input.is_empty() {
        return Err(DomainError::IdBlank);
    }
    let ok_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if input.len() > MAX_ID_LEN || !input.chars().all(ok_char) {
        let shown: String = input.chars().take(MAX_ID_LEN).collect();
        return Err(DomainError::IdMalformed { input: shown });
    }
    Ok(())
}

/// Declares one id newtype per record kind so ids of different records cannot be mixed up.
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Accepts 1 to 64 ASCII letters, digits, `-` or `_`.
            pub fn parse(input: impl Into<String>) -> Result<Self, DomainError> {
                let input = input.into();
                check_id(&input)?;
                Ok(Self(input))
            }

            /// A new time-ordered id (see [`new_ulid`]).
            pub fn generate(at: Millis, random: [u8; 10]) -> Self {
                Self(new_ulid(at, random))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = DomainError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                crate::openapi::id_schema(MAX_ID_LEN)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

id_type!(
    /// Id of a grid (网格) node.
    GridId
);
id_type!(
    /// Id of a person on the roster.
    PersonId
);
id_type!(
    /// Id of a household (户).
    HouseholdId
);
id_type!(
    /// Id of a unit in the grid (驻区单位).
    UnitId
);
id_type!(
    /// Id of an issue (问题).
    IssueId
);
id_type!(
    /// Id of one event in an issue's history.
    EventId
);
id_type!(
    /// Id of a member within a household record (its field is `member:<id>`).
    MemberId
);

id_type!(
    /// Id of a household visit (走访).
    VisitId
);
id_type!(
    /// Id of a joint meeting (联席会议) or an on-site office session (现场办公).
    MeetingId
);
id_type!(
    /// Id of a mediation case (调解案件).
    CaseId
);
id_type!(
    /// Id of an entry within a record: a case's party, session or agreement term (its
    /// field is `party:<id>` …).
    EntryId
);
id_type!(
    /// Id of an entry of the community's three lists (资源、项目、需求).
    ListEntryId
);
id_type!(
    /// Id of a task sent down the grid (任务下发): one record per grid node it was sent
    /// to, and the id of the sending (`batch`) all those records share.
    TaskId
);
id_type!(
    /// Id of one switch into emergency mode (平急转换): a record per switch, kept after
    /// it ends as history.
    EmergencyId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ulid_has_26_crockford_characters() {
        let id = new_ulid(1_700_000_000_000, [0xff; 10]);
        assert_eq!(id.len(), 26);
        assert!(id.bytes().all(|b| CROCKFORD.contains(&b)));
    }

    #[test]
    fn the_zero_ulid_is_all_zeros_and_the_max_starts_with_seven() {
        assert_eq!(new_ulid(0, [0; 10]), "0".repeat(26));
        assert_eq!(new_ulid(Millis::MAX, [0xff; 10]), format!("7{}", "Z".repeat(25)));
    }

    #[test]
    fn ulids_sort_by_time_then_randomness() {
        let a = new_ulid(1_000, [9; 10]);
        let b = new_ulid(1_001, [0; 10]);
        let c = new_ulid(1_001, [1; 10]);
        assert!(a < b && b < c);
    }

    #[test]
    fn a_blank_id_is_rejected() {
        assert_eq!(IssueId::parse(""), Err(DomainError::IdBlank));
    }

    #[test]
    fn an_id_with_spaces_or_symbols_is_rejected() {
        assert!(matches!(PersonId::parse("a b"), Err(DomainError::IdMalformed { .. })));
        assert!(PersonId::parse("x".repeat(65)).is_err());
        assert!(PersonId::parse("demo-worker_1").is_ok());
    }

    #[test]
    fn ids_deserialise_through_parse() {
        assert!(serde_json::from_str::<GridId>("\"ok-1\"").is_ok());
        assert!(serde_json::from_str::<GridId>("\"\"").is_err());
    }
}
