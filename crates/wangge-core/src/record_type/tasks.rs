//! Tasks sent down the grid (任务下发): one record per grid node, sent or forwarded by
//! community, town or district staff (`sender`, its author), ticked off by grid workers
//! offline — so each result is its own keyed field `result:<id>`, as are the instructions
//! added on the way down (`note:<id>`). Scoped by the grid it was sent to.

use serde_json::Value;

use super::ID_CHARS;
use super::{field, roundtrip, text, FieldType, Fields, Label, Lang, Merge, RecordType, ScopeRule, Shown};
use crate::refusal::{RecordFault, Refusal};
use crate::sync::Collection;
use crate::task::{check, AddedNote, Closed, TargetRule, Task, TaskResult};
use crate::{Date, Description, DomainError, GridId, IssueTitle, PersonId, TaskId};

/// A result's field ("result:<id>") and an added instruction's ("note:<id>").
#[rustfmt::skip]
static KEYED: [FieldType; 2] = [
    field!("result:", "完成情况", "Result", None, true, Shown::Labelled(result)),
    field!("note:", "补充要求", "Added instructions", None, false, Shown::Labelled(note)),
];

#[rustfmt::skip] // a table: one line per field
pub(super) static TASKS: RecordType = RecordType {
    collection: Collection::Tasks,
    noun: Label { zh: "任务", en: "task" },
    scope: ScopeRule::GridField("grid"),
    author: Some(super::Author { field: "sender", label: Label { zh: "任务的下发人", en: "the task's sender" } }),
    fields: &[
        field!("id", "编号", "Id", text!(TaskId, ID_CHARS), false, Shown::AsIs),
        field!("batch", "下发批次", "Sending", text!(TaskId, ID_CHARS), false, Shown::AsIs),
        field!("parent", "转发自", "Forwarded from", text!(TaskId, ID_CHARS), false, Shown::AsIs),
        field!("grid", "下发到", "Sent to", text!(GridId, ID_CHARS), false, Shown::AsIs),
        field!("from", "下发单位", "Sent from", text!(GridId, ID_CHARS), false, Shown::AsIs),
        field!("sender", "下发人", "Sent by", text!(PersonId, ID_CHARS), false, Shown::AsIs),
        field!("title", "任务名称", "Task", text!(IssueTitle, Some(IssueTitle::MAX_CHARS)), true, Shown::AsIs),
        field!("instructions", "任务要求", "Instructions", text!(Description, Some(Description::MAX_CHARS)), true, Shown::AsIs),
        field!("sent_at", "下发时间", "Sent", None, false, Shown::Time),
        field!("due", "完成时限", "Due", None, true, Shown::Time),
        field!("emergency", "应急任务", "Emergency", None, true, Shown::AsIs),
        field!("targets", "任务对象", "Targets", None, true, Shown::Labelled(targets)),
        field!("closed", "结束", "Closed", None, true, Shown::Labelled(closed)),
    ],
    references: &[("parent", Collection::Tasks)],
    merge: Merge::FieldsAndKeyed(&KEYED),
    unknown_code: "unknown_task",
    canonical,
    name_of: |fields| super::text_of(fields, "title"),
};

/// The task as its core type writes it back, after its rules ([`check`]) and the photo
/// limit of each result.
fn canonical(fields: &Fields) -> Result<Fields, Refusal> {
    let out = roundtrip::<Task>(fields)?;
    let task: Task = serde_json::from_value(Value::Object(out.clone()))
        .map_err(|e| Refusal::InvalidRecord(RecordFault::Unreadable(e.to_string())))?;
    check(&task).map_err(|e| Refusal::Domain(DomainError::Task(e)))?;
    for r in task.entries.results.values() {
        crate::photo::check_count(&r.photos).map_err(Refusal::Domain)?;
    }
    Ok(out)
}

fn pick(zh: &str, en: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// "安全 · 2026-12-07" (the target is named by the screen, which has the roster).
fn result(value: &Value, lang: Lang) -> Option<String> {
    let r: TaskResult = serde_json::from_value(value.clone()).ok()?;
    let outcome = pick(r.outcome.label_zh(), r.outcome.label_en(), lang);
    Some(format!("{outcome} · {}", Date::of_millis(r.at)))
}

/// The added instructions themselves.
fn note(value: &Value, _lang: Lang) -> Option<String> {
    let n: AddedNote = serde_json::from_value(value.clone()).ok()?;
    Some(n.text.to_string())
}

/// "独居老人" / "全部学校" / "指定3个对象" / "整个网格".
fn targets(value: &Value, lang: Lang) -> Option<String> {
    let rule: TargetRule = serde_json::from_value(value.clone()).ok()?;
    Some(match rule {
        TargetRule::Grid => pick("整个网格", "The grid as a whole", lang),
        TargetRule::CareTag { tag } => pick(tag.label_zh(), tag.label_en(), lang),
        TargetRule::UnitKind { unit_kind } => match lang {
            Lang::Zh => format!("全部{}", unit_kind.label_zh()),
            Lang::En => format!("Every {}", unit_kind.label_en().to_lowercase()),
        },
        TargetRule::Picked { targets } => match lang {
            Lang::Zh => format!("指定{}个对象", targets.len()),
            Lang::En => format!("{} picked targets", targets.len()),
        },
    })
}

/// "进行中" / "已结束 2026-12-07".
fn closed(value: &Value, lang: Lang) -> Option<String> {
    if value.is_null() {
        return Some(pick("进行中", "Open", lang));
    }
    let c: Closed = serde_json::from_value(value.clone()).ok()?;
    Some(format!("{} {}", pick("已结束", "Closed", lang), Date::of_millis(c.at)))
}
