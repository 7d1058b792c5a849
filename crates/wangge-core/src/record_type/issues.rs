//! Issues (问题): the record a report creates. Its own fields are edited on the phone's
//! issue screen (title, description, category, priority, due date); its history is an
//! append-only list of events, not fields, and never merges.

use super::{coded, field, roundtrip, text, text_of, Author, Label, Merge, RecordType, ScopeRule, Shown, ID_CHARS};
use crate::issue::{Category, Issue, Priority, Source};
use crate::sync::Collection;
use crate::{Description, GridId, HouseholdId, IssueId, IssueTitle, PersonId, UnitId};

#[rustfmt::skip] // a table: one line per field
pub(super) static ISSUES: RecordType = RecordType {
    collection: Collection::Issues,
    noun: Label { zh: "问题", en: "issue" },
    scope: ScopeRule::GridField("grid"),
    author: Some(Author { field: "reporter", label: Label { zh: "问题的上报人", en: "the issue's reporter" } }),
    fields: &[
        field!("id", "编号", "Id", text!(IssueId, ID_CHARS), false, Shown::AsIs),
        field!("title", "标题", "Title", text!(IssueTitle, Some(IssueTitle::MAX_CHARS)), true, Shown::AsIs),
        field!("description", "描述", "Description", text!(Description, Some(Description::MAX_CHARS)), true, Shown::AsIs),
        field!("category", "类别", "Category", None, true, coded!(Category)),
        field!("source", "来源", "Source", None, false, coded!(Source)),
        field!("grid", "所在网格", "Grid", text!(GridId, ID_CHARS), false, Shown::AsIs),
        field!("household", "住户", "Household", text!(HouseholdId, ID_CHARS), false, Shown::AsIs),
        field!("unit", "单位", "Unit", text!(UnitId, ID_CHARS), false, Shown::AsIs),
        field!("location", "位置", "Location", None, false, Shown::AsIs),
        field!("reporter", "上报人", "Reporter", text!(PersonId, ID_CHARS), false, Shown::AsIs),
        field!("priority", "紧急程度", "Priority", None, true, coded!(Priority)),
        field!("due_at", "办理期限", "Due date", None, true, Shown::Time),
        field!("created_at", "上报时间", "Reported at", None, false, Shown::Time),
    ],
    references: &[("household", Collection::Households), ("unit", Collection::Units)],
    merge: Merge::Fields,
    unknown_code: "unknown_issue",
    canonical: roundtrip::<Issue>,
    name_of: |f| text_of(f, "title"),
};
