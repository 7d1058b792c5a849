//! A refusal as a phone receives it: a code and the server's Chinese message, nothing
//! else (the wire is unchanged, so old phones keep working). [`english_for_code`] is what
//! a phone in English shows for a code; the Chinese UI shows the server's message, which
//! names the specific field, grid or role.

use super::Refusal;
use crate::lists::{ListError, ListKind};
use crate::mediation::MediationError;
use crate::sync::{Collection, DeleteRefusal};
use crate::{DomainError, TextField};

/// Every code a [`Refusal`] of the server's own can have. **Pinned**: phones and API tests
/// match on these strings, so changing one must be a deliberate change to this list and
/// its test. The wrapped kinds (`DomainError`, `DeleteRefusal`) pin theirs beside them.
pub const PINNED_CODES: [&str; 36] = [
    "id_mismatch",
    "unknown_field",
    "invalid_record",
    "unknown_collection",
    "unknown_op",
    "invalid_mutation",
    "empty_put",
    "bad_field",
    "seq_gap",
    "actor_mismatch",
    "actor_role_mismatch",
    "step_not_allowed",
    "edit_not_allowed",
    "grid_admin_only",
    "forbidden_role",
    "roles_from_account",
    "staff_role_needs_account",
    "grid_retired",
    "unknown_grid",
    "unknown_person",
    "unknown_household",
    "unknown_unit",
    "unknown_issue",
    "unknown_visit",
    "unknown_meeting",
    "unknown_case",
    "unknown_list_entry",
    "unknown_task",
    "unknown_emergency",
    "record_deleted",
    "delete_conflict",
    "field_conflict",
    "event_id_reused",
    "unknown_conflict",
    // Whole-request refusals the phone shows on its sync line (the server's `ApiError`).
    "epoch_mismatch",
    "client_not_yours",
];

/// English for a code whose details did not travel: what the reason means and what to
/// do, without the names the Chinese message may carry.
#[rustfmt::skip] // a table: one line per code
const GENERAL_EN: [(&str, &str); 25] = [
    ("id_mismatch", "The record's id field must match the id it is stored under"),
    ("unknown_field", "The record has a field this server does not know; please update the app"),
    ("invalid_record", "The record is incomplete or malformed"),
    ("unknown_collection", "The change names a collection the server does not know; please update the app"),
    ("unknown_op", "The change names an operation the server does not support; please update the app"),
    ("invalid_mutation", "This change is malformed"),
    ("empty_put", "The change sets no field"),
    ("bad_field", "The change names a field that is not allowed"),
    ("seq_gap", "Changes arrived out of order; they will be sent again"),
    ("actor_mismatch", "Records and steps can only be made in your own name, and their author cannot be changed"),
    ("actor_role_mismatch", "You do not hold the role this step was taken in"),
    ("step_not_allowed", "Your role cannot take this step on an issue at its current level"),
    ("edit_not_allowed", "The issue is being handled at a higher level; you cannot change its content"),
    ("grid_admin_only", "Grids are added, changed and retired by an administrator under \"Admin\""),
    ("forbidden_role", "Your role cannot change this kind of record; ask community staff"),
    ("roles_from_account", "The roles and grid of someone with an account are set in account administration"),
    ("staff_role_needs_account", "Grid worker and staff roles are given by opening an account"),
    ("grid_retired", "The grid is retired; nothing new can be added to it"),
    ("record_deleted", "The record was deleted; the change was not saved"),
    ("delete_conflict", "Someone changed the record before your delete; the delete is kept as a conflict"),
    ("field_conflict", "Someone else changed these fields; your change is kept as a conflict to settle"),
    ("event_id_reused", "The record's id is already used by another record; update the app and try again"),
    ("unknown_conflict", "The conflict was not found; sync first, then settle it"),
    ("epoch_mismatch", "The server's data was restored or replaced; the phone syncs again from it"),
    ("client_not_yours", "This phone's sync id belongs to another account; log in again"),
];

/// The English a phone shows for a refusal `code`, or `None` for a code this build does
/// not know (the phone then shows the server's own message).
pub fn english_for_code(code: &str) -> Option<String> {
    if let Some((_, en)) = GENERAL_EN.iter().find(|(c, _)| *c == code) {
        return Some((*en).to_string());
    }
    let unknown = |collection| Refusal::UnknownRecord { collection };
    if let Some(c) = Collection::ALL.into_iter().find(|c| unknown(*c).code() == code) {
        return Some(unknown(c).message_en());
    }
    if let Some(d) = DeleteRefusal::ALL.into_iter().find(|d| d.code() == code) {
        return Some(d.message_en().to_string());
    }
    domain_english(code)
}

/// The core's own errors whose English needs nothing but the code: a text field's blank,
/// too long or control character, and the variants that carry no data.
fn domain_english(code: &str) -> Option<String> {
    for field in TextField::ALL {
        let label = field.label_en();
        let blank = DomainError::TextBlank { field };
        if code == blank.code() {
            return Some(blank.message_en());
        }
        if code == (DomainError::TextTooLong { field, len: 0, max: 0 }).code() {
            return Some(format!("The {label} is too long; please shorten it"));
        }
    }
    let plain = [
        DomainError::IdBlank,
        DomainError::PhoneBlank,
        DomainError::PhoneInvalidChars,
        DomainError::MobileBadPrefix,
        DomainError::FixedLineMalformed,
        DomainError::PhoneUnknownKind,
        DomainError::IdCardInvalidChars,
        DomainError::IdCardBadBirthDate,
        DomainError::IdCardBadCheckDigit,
    ];
    if let Some(e) = plain.into_iter().find(|e| e.code() == code) {
        return Some(e.message_en());
    }
    // A case's and a list entry's own rules: their English names no entry.
    let entry = crate::EntryId::parse("x").ok()?;
    let cases = [
        MediationError::TermKeptBeforeAgreement { term: entry.clone() },
        MediationError::NextStepMissing,
        MediationError::NextStepNotApplicable,
        MediationError::UnknownParty { party: entry.clone() },
        MediationError::AmountNotPositive { term: entry },
        MediationError::OutcomeBeforeAcceptance,
        MediationError::IdTailInvalid,
    ];
    if let Some(e) = cases.into_iter().find(|e| e.code() == code) {
        return Some(e.message_en());
    }
    let lists = [
        ListError::FieldNotForKind { field: "", kind: ListKind::Need },
        ListError::FulfilledUnmatched,
        ListError::MatchNotOffer,
    ];
    if let Some(e) = lists.into_iter().find(|e| e.code() == code) {
        return Some(e.message_en());
    }
    if let Some(e) = crate::emergency::EmergencyError::ALL.into_iter().find(|e| e.code() == code) {
        return Some(e.message_en());
    }
    if let Some(e) = crate::task::TaskError::samples().into_iter().find(|e| e.code() == code) {
        return Some(e.message_en());
    }
    match code {
        "text_control_char" => {
            Some("The text contains an invisible control character; delete it and type it again".into())
        }
        "id_malformed" => Some(DomainError::IdMalformed { input: String::new() }.message_en()),
        "out_of_scope" => Some("This grid is outside your area; ask the grid above you to handle it".into()),
        "date_invalid" => Some("The date is not valid; use 2024-05-01".into()),
        "mobile_wrong_length" => Some("A mobile number has 11 digits".into()),
        "photo_hash_malformed" => Some(DomainError::PhotoHashMalformed { input: String::new() }.message_en()),
        "too_many_photos" => {
            Some(format!("At most {} photos per step; remove some", crate::photo::MAX_PHOTOS_PER_STEP))
        }
        _ => None,
    }
}
