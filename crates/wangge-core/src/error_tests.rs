//! Tests of [`DomainError`](super::DomainError): codes stay stable, every message exists in
//! both languages and says what to do.

use super::*;
use crate::issue::{Action, Status};

/// One value of every variant, to check the tables stay complete and distinct.
fn samples() -> Vec<DomainError> {
    let grid = GridId::parse("g1").unwrap();
    vec![
        DomainError::IdBlank,
        DomainError::IdMalformed { input: "a b".into() },
        DomainError::TextBlank { field: TextField::Title },
        DomainError::TextControlChar { field: TextField::Title },
        DomainError::TextTooLong { field: TextField::Notes, len: 2001, max: 2000 },
        DomainError::PhoneBlank,
        DomainError::PhoneInvalidChars,
        DomainError::MobileWrongLength { len: 10 },
        DomainError::MobileBadPrefix,
        DomainError::FixedLineMalformed,
        DomainError::PhoneUnknownKind,
        DomainError::BirthYearInFuture { year: 2030, current: 2024 },
        DomainError::BirthYearTooEarly { year: 1800 },
        DomainError::IdCardWrongLength { len: 15 },
        DomainError::IdCardInvalidChars,
        DomainError::IdCardBadBirthDate,
        DomainError::IdCardBadCheckDigit,
        DomainError::SatisfactionOutOfRange { value: 9 },
        DomainError::LatitudeOutOfRange { value: 91.0 },
        DomainError::LongitudeOutOfRange { value: 181.0 },
        DomainError::DateInvalid { input: "2024-02-30".into() },
        DomainError::GridCodeMalformed { input: "1".into() },
        DomainError::GridCodeLevelMismatch { grid: grid.clone(), level: GridLevel::Town },
        DomainError::GridCodeNotUnderParent { grid: grid.clone() },
        DomainError::GridLevelNotBelowParent { grid: grid.clone() },
        DomainError::DuplicateGridId { grid: grid.clone() },
        DomainError::UnknownGrid { grid: grid.clone() },
        DomainError::OutOfScope { target: grid.clone(), scope: grid },
        DomainError::PhotoHashMalformed { input: "ab".into() },
        DomainError::TooManyPhotos { count: 10, max: 9 },
        TransitionError::AlreadyClosed { action: Action::Resolve }.into(),
        TransitionError::NothingToReopen { status: Status::Reported }.into(),
    ]
}

#[test]
fn every_error_has_a_distinct_code_and_both_messages() {
    let errors = samples();
    let codes: std::collections::HashSet<&str> = errors.iter().map(|e| e.code()).collect();
    assert_eq!(codes.len(), errors.len());
    for e in &errors {
        assert!(!e.message_zh().is_empty() && !e.message_en().is_empty(), "{e:?}");
        assert!(e.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn a_transition_error_keeps_its_own_code_and_message() {
    let e: DomainError = TransitionError::NotClosed.into();
    assert_eq!(e.code(), "not_closed");
    assert_eq!(e.message_zh(), "问题结案后才能评价满意度");
}
