//! The three lists' entries (资源、项目、需求): kept by community staff, needs also raised by
//! grid workers from an issue or a household. Every field merges on its own.

use serde_json::Value;

use super::{coded, field, roundtrip, text, Fields, Label, Merge, RecordType, ScopeRule, Shown, ID_CHARS};
use crate::lists::{check, ListEntry, ListKind, ProjectStatus};
use crate::refusal::Refusal;
use crate::sync::Collection;
use crate::{CommentText, Description, DomainError, GridId, HouseholdId, IssueId, IssueTitle, ListEntryId};
use crate::{PersonId, PersonName, Phone, UnitId};

#[rustfmt::skip] // a table: one line per field
pub(super) static LIST_ENTRIES: RecordType = RecordType {
    collection: Collection::ListEntries,
    noun: Label { zh: "清单条目", en: "list entry" },
    scope: ScopeRule::GridField("grid"),
    author: Some(super::Author { field: "recorder", label: Label { zh: "清单条目的登记人", en: "the entry's recorder" } }),
    fields: &[
        field!("id", "编号", "Id", text!(ListEntryId, ID_CHARS), false, Shown::AsIs),
        field!("kind", "清单", "List", None, false, coded!(ListKind)),
        field!("grid", "所属网格", "Grid", text!(GridId, ID_CHARS), false, Shown::AsIs),
        field!("title", "名称", "Title", text!(IssueTitle, Some(IssueTitle::MAX_CHARS)), true, Shown::AsIs),
        field!("description", "说明", "Description", text!(Description, Some(Description::MAX_CHARS)), true, Shown::AsIs),
        field!("recorder", "登记人", "Recorded by", text!(PersonId, ID_CHARS), false, Shown::AsIs),
        field!("recorded_at", "登记日期", "Recorded", None, false, Shown::Time),
        field!("unit", "提供单位", "Unit", text!(UnitId, ID_CHARS), true, Shown::AsIs),
        field!("contact", "联系人", "Contact", text!(PersonName, Some(PersonName::MAX_CHARS)), true, Shown::AsIs),
        field!("phone", "联系电话", "Phone", text!(Phone, None), true, Shown::AsIs),
        field!("availability", "可用时间", "Available", text!(CommentText, Some(CommentText::MAX_CHARS)), true, Shown::AsIs),
        field!("budget_yuan", "预算(元)", "Budget (yuan)", None, true, Shown::AsIs),
        field!("status", "项目进度", "Status", None, true, coded!(ProjectStatus)),
        field!("household", "需求户", "Household", text!(HouseholdId, ID_CHARS), true, Shown::AsIs),
        field!("issue", "来源问题", "From issue", text!(IssueId, ID_CHARS), false, Shown::AsIs),
        field!("matched_to", "匹配资源/项目", "Matched to", text!(ListEntryId, ID_CHARS), true, Shown::AsIs),
        field!("claimed_by", "认领党员", "Claimed by", text!(PersonId, ID_CHARS), true, Shown::AsIs),
        field!("claimed_unit", "认领单位", "Claimed by unit", text!(UnitId, ID_CHARS), true, Shown::AsIs),
        field!("fulfilled_at", "办结日期", "Met on", None, true, Shown::Time),
        field!("outcome", "办理情况", "How it was met", text!(CommentText, Some(CommentText::MAX_CHARS)), true, Shown::AsIs),
    ],
    references: &[
        ("unit", Collection::Units),
        ("household", Collection::Households),
        ("issue", Collection::Issues),
        ("matched_to", Collection::ListEntries),
        ("claimed_by", Collection::People),
        ("claimed_unit", Collection::Units),
    ],
    merge: Merge::Fields,
    unknown_code: "unknown_list_entry",
    canonical,
    name_of: |fields| super::text_of(fields, "title"),
};

/// The entry as its core type writes it back, after its rules ([`check`]).
fn canonical(fields: &Fields) -> Result<Fields, Refusal> {
    let out = roundtrip::<ListEntry>(fields)?;
    let entry: ListEntry = serde_json::from_value(Value::Object(out.clone()))
        .map_err(|e| Refusal::InvalidRecord(crate::refusal::RecordFault::Unreadable(e.to_string())))?;
    check(&entry).map_err(|e| Refusal::Domain(DomainError::List(e)))?;
    Ok(out)
}
