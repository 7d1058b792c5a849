//! Meetings (联席会议 and 现场办公): recorded on the phone by community staff, often two of
//! them offline at once, so each attendee and each agenda item is its own keyed field and
//! every field reads well on the conflict screen.

use serde_json::Value;

use super::{
    coded, field, roundtrip, text, FieldType, Fields, Label, Lang, Merge, RecordType, ScopeRule, Shown, ID_CHARS,
};
use crate::meeting::{AgendaItem, Attendance, Meeting, MeetingKind};
use crate::refusal::Refusal;
use crate::sync::Collection;
use crate::{Address, CommentText, GridId, MeetingId, PersonId};

/// An attendee's field ("attendee:<person>": 出席 / 缺席 / 请假) and an item's
/// ("item:<issue>": its decision).
#[rustfmt::skip]
static KEYED: [FieldType; 2] = [
    field!("attendee:", "参会人员", "Attendee", None, true, coded!(Attendance)),
    field!("item:", "议题", "Agenda item", None, true, Shown::Labelled(item)),
];

#[rustfmt::skip] // a table: one line per field
pub(super) static MEETINGS: RecordType = RecordType {
    collection: Collection::Meetings,
    noun: Label { zh: "会议记录", en: "meeting" },
    scope: ScopeRule::GridField("grid"),
    author: Some(super::Author { field: "recorder", label: Label { zh: "会议记录的记录人", en: "the meeting's recorder" } }),
    fields: &[
        field!("id", "编号", "Id", text!(MeetingId, ID_CHARS), false, Shown::AsIs),
        field!("kind", "会议类型", "Kind", None, false, coded!(MeetingKind)),
        field!("grid", "所属网格", "Grid", text!(GridId, ID_CHARS), false, Shown::AsIs),
        field!("held_at", "时间", "Held at", None, true, Shown::Time),
        field!("place", "地点", "Place", text!(Address, Some(Address::MAX_CHARS)), true, Shown::AsIs),
        field!("host", "主持人", "Chaired by", text!(PersonId, ID_CHARS), true, Shown::AsIs),
        field!("recorder", "记录人", "Recorded by", text!(PersonId, ID_CHARS), false, Shown::AsIs),
        field!("guests", "列席人员", "Also present", text!(CommentText, Some(CommentText::MAX_CHARS)), true, Shown::AsIs),
        field!("notes", "会议纪要", "Minutes", text!(CommentText, Some(CommentText::MAX_CHARS)), true, Shown::AsIs),
        field!("closed", "纪要已定稿", "Minutes final", None, true, Shown::AsIs),
    ],
    references: &[("host", Collection::People)],
    merge: Merge::FieldsAndKeyed(&KEYED),
    unknown_code: "unknown_meeting",
    canonical,
    name_of: name,
};

/// The meeting as its core type writes it back, after the photo limit of each item.
fn canonical(fields: &Fields) -> Result<Fields, Refusal> {
    let out = roundtrip::<Meeting>(fields)?;
    let meeting: Meeting = serde_json::from_value(Value::Object(out.clone()))
        .map_err(|e| Refusal::InvalidRecord(crate::refusal::RecordFault::Unreadable(e.to_string())))?;
    for item in meeting.entries.items.values() {
        crate::photo::check_count(&item.photos).map_err(Refusal::Domain)?;
    }
    Ok(out)
}

/// "2026-11-20 联席会议": what a person calls a meeting.
fn name(fields: &super::Fields) -> Option<String> {
    let kind = MeetingKind::from_code(fields.get("kind")?.as_str()?)?;
    let at = fields.get("held_at")?.as_i64()?;
    Some(format!("{} {}", crate::Date::of_millis(at), kind.label_zh()))
}

/// An item's value as the minutes read it: its decision, or "未研判".
fn item(value: &Value, lang: Lang) -> Option<String> {
    let item: AgendaItem = serde_json::from_value(value.clone()).ok()?;
    let label = |l: Label| l.get(lang).to_string();
    Some(match item.decision {
        None => label(Label { zh: "未研判", en: "Not decided" }),
        Some(d) => {
            let outcome = match lang {
                Lang::Zh => d.outcome.label_zh(),
                Lang::En => d.outcome.label_en(),
            };
            match d.note {
                Some(note) => format!("{outcome} · {note}"),
                None => outcome.to_string(),
            }
        }
    })
}
