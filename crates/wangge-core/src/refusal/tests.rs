//! The codes are pinned and unique, every refusal has words in both languages, and a
//! phone can find English for every code the server sends.

use std::collections::BTreeSet;

use super::*;
use crate::issue::TransitionError;
use crate::TextField;

/// One value of every variant the server sends itself, every collection's "unknown".
fn samples() -> Vec<Refusal> {
    let mut all = vec![
        Refusal::IdMismatch,
        Refusal::UnknownField { collection: Collection::Issues, field: "mood".into() },
        Refusal::InvalidRecord(RecordFault::Unreadable("missing field `title`".into())),
        Refusal::InvalidRecord(RecordFault::NotAnObject),
        Refusal::InvalidRecord(RecordFault::NoGrid),
        Refusal::UnknownCollection { name: "cats".into() },
        Refusal::UnknownOp { op: "drop".into() },
        Refusal::InvalidMutation { detail: "expected a map".into() },
        Refusal::EmptyPut,
        Refusal::BadField { field: "_x".into() },
        Refusal::SeqGap { expected: 3, got: 5 },
        Refusal::ActorMismatch(ActorFault::Event),
        Refusal::ActorMismatch(ActorFault::NewRecord(Collection::Issues)),
        Refusal::ActorMismatch(ActorFault::Rewritten(Collection::Visits)),
        Refusal::ActorRoleMismatch { role: Role::CommunitySecretary },
        Refusal::StepNotAllowed { action: Action::Accept, level: EscalationLevel::Town },
        Refusal::EditNotAllowed { level: EscalationLevel::Community },
        Refusal::GridAdminOnly,
        Refusal::ForbiddenRole(Forbidden::GridWrite),
        Refusal::ForbiddenRole(Forbidden::PersonWrite),
        Refusal::ForbiddenRole(Forbidden::MeetingWrite),
        Refusal::ForbiddenRole(Forbidden::TaskSend),
        Refusal::ActorMismatch(ActorFault::TaskResult),
        Refusal::ForbiddenRole(Forbidden::EmergencySwitch),
        Refusal::ActorMismatch(ActorFault::EmergencyReport),
        Refusal::ActorMismatch(ActorFault::Closing),
        Refusal::ForbiddenRole(Forbidden::UnitContactOnly),
        Refusal::RolesFromAccount,
        Refusal::StaffRoleNeedsAccount,
        Refusal::GridRetired { name: "Group 1".into() },
        Refusal::RecordDeleted,
        Refusal::DeleteConflict,
        Refusal::FieldConflict { field: "title".into() },
        Refusal::EventIdReused,
        Refusal::UnknownConflict,
    ];
    all.extend(Collection::ALL.map(|collection| Refusal::UnknownRecord { collection }));
    all
}

#[test]
fn the_pinned_codes_are_unique_and_are_exactly_the_codes_sent() {
    let pinned: BTreeSet<&str> = PINNED_CODES.into_iter().collect();
    assert_eq!(pinned.len(), PINNED_CODES.len(), "a pinned code twice");
    let sent: BTreeSet<&str> = samples().iter().map(Refusal::code).collect();
    // The two whole-request codes are the server's `ApiError`s, pinned for the phone.
    let whole_request: BTreeSet<&str> = ["epoch_mismatch", "client_not_yours"].into();
    assert_eq!(sent, &pinned - &whole_request);
}

#[test]
fn the_codes_are_the_ones_phones_and_api_tests_know() {
    assert_eq!(Refusal::ActorMismatch(ActorFault::Event).code(), "actor_mismatch");
    assert_eq!(Refusal::UnknownRecord { collection: Collection::Households }.code(), "unknown_household");
    assert_eq!(Refusal::from(DeleteRefusal::NotRosterKeeper).code(), "delete_not_allowed");
    let title = DomainError::TextBlank { field: TextField::Title };
    assert_eq!(Refusal::from(title.clone()).code(), "title_blank");
    assert_eq!(Refusal::from(title).message_zh(), "请填写问题标题");
    let step: DomainError = TransitionError::NotClosed.into();
    assert_eq!(Refusal::from(step).code(), "not_closed");
}

#[test]
fn the_wrapped_kinds_never_reuse_an_own_code() {
    let own: BTreeSet<&str> = PINNED_CODES.into_iter().collect();
    for d in DeleteRefusal::ALL {
        assert!(!own.contains(d.code()), "{}", d.code());
    }
    for field in TextField::ALL {
        assert!(!own.contains(DomainError::TextBlank { field }.code()));
    }
    // The one deliberate overlap: "unknown_grid" means the same from a reference and
    // from the grid tree.
    assert_eq!(DomainError::UnknownGrid { grid: crate::GridId::parse("g1").unwrap() }.code(), "unknown_grid");
}

#[test]
fn every_refusal_has_both_messages_and_the_chinese_is_what_was_sent_before() {
    for r in samples() {
        assert!(!r.message_zh().is_empty() && !r.message_en().is_empty(), "{r:?}");
        // (The samples carry ASCII names, so any Chinese would be the message's own.)
        assert!(!r.message_en().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{r:?}: {}", r.message_en());
        assert_ne!(r.message_en(), r.code(), "{r:?} has no English");
    }
    let reporter = Refusal::ActorMismatch(ActorFault::NewRecord(Collection::Issues));
    assert_eq!(reporter.message_zh(), "问题的上报人必须是您本人");
    assert_eq!(reporter.message_en(), "The issue's reporter must be you");
    let unseen = Refusal::UnknownRecord { collection: Collection::Households };
    assert_eq!(unseen.message_zh(), "找不到该户,或不在您负责的范围内,请先同步");
}

#[test]
fn a_phone_finds_english_for_every_code_the_server_sends() {
    for code in PINNED_CODES {
        let en = english_for_code(code).unwrap_or_else(|| panic!("no English for {code}"));
        assert!(!en.is_empty() && en.is_ascii(), "{code}: {en}");
    }
    for d in DeleteRefusal::ALL {
        assert_eq!(english_for_code(d.code()).as_deref(), Some(d.message_en()));
    }
    assert_eq!(english_for_code("title_blank").as_deref(), Some("Please enter the issue title"));
    assert!(english_for_code("address_too_long").unwrap().contains("address"));
    assert_eq!(english_for_code("no_such_code"), None);
}
