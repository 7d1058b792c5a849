//! Visits (走访记录): made on the phone, never edited there; a restore's re-offer can still
//! park a differing value as a conflict, so every field reads well.

use serde_json::Value;

use super::{field, roundtrip, text, text_of, Author, Fields, Label, Merge, RecordType, ScopeRule, Shown, ID_CHARS};
use crate::refusal::{RecordFault, Refusal};
use crate::sync::Collection;
use crate::visit::Visit;
use crate::{Date, HouseholdId, Notes, PersonId, VisitId};

#[rustfmt::skip] // a table: one line per field
pub(super) static VISITS: RecordType = RecordType {
    collection: Collection::Visits,
    noun: Label { zh: "走访记录", en: "visit" },
    scope: ScopeRule::ViaHousehold("household"),
    author: Some(Author { field: "worker", label: Label { zh: "走访记录的走访人", en: "the visit's worker" } }),
    fields: &[
        field!("id", "编号", "Id", text!(VisitId, ID_CHARS), false, Shown::AsIs),
        field!("household", "住户", "Household", text!(HouseholdId, ID_CHARS), false, Shown::AsIs),
        field!("worker", "走访人", "Visited by", text!(PersonId, ID_CHARS), false, Shown::AsIs),
        field!("date", "走访日期", "Date", text!(Date, Some(10)), false, Shown::AsIs),
        field!("notes", "走访记录", "Notes", text!(Notes, Some(Notes::MAX_CHARS)), false, Shown::AsIs),
        field!("issues", "跟进的问题", "Issues followed up", None, false, Shown::AsIs),
        field!("photos", "照片", "Photos", None, false, Shown::AsIs),
    ],
    references: &[("issues", Collection::Issues)],
    merge: Merge::Fields,
    unknown_code: "unknown_visit",
    canonical,
    name_of: |f| text_of(f, "date"),
};

/// The visit as its core type writes it back, with at most `MAX_PHOTOS_PER_STEP` photos.
fn canonical(fields: &Fields) -> Result<Fields, Refusal> {
    let out = roundtrip::<Visit>(fields)?;
    let visit: Visit = serde_json::from_value(Value::Object(out.clone()))
        .map_err(|e| Refusal::InvalidRecord(RecordFault::Unreadable(e.to_string())))?;
    crate::photo::check_count(&visit.photos).map_err(Refusal::Domain)?;
    Ok(out)
}
