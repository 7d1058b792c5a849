//! Labels and small helpers the list screens share: which list a query names, an entry's
//! status as a code and label, and the filter an entry passes.

use wangge_core::lists::{ListEntry, ListKind, NeedStatus, ProjectStatus};

use crate::i18n::lists::ListMsg;
use crate::i18n::Lang;
use crate::pages::issues::common::core_label;

/// The list a `?kind=` names (resources when it names none).
pub fn kind_of(code: Option<String>) -> ListKind {
    code.as_deref().and_then(ListKind::from_code).unwrap_or(ListKind::Resource)
}

/// The tab name of a list.
pub fn kind_msg(kind: ListKind) -> ListMsg {
    match kind {
        ListKind::Resource => ListMsg::Resources,
        ListKind::Project => ListMsg::Projects,
        ListKind::Need => ListMsg::Needs,
    }
}

/// The statuses a list can be filtered by: (code, label).
pub fn status_choices(kind: ListKind, l: Lang) -> Vec<(&'static str, &'static str)> {
    match kind {
        ListKind::Need => NeedStatus::ALL.iter().map(|s| (s.code(), core_label!(s, l))).collect(),
        ListKind::Project => ProjectStatus::ALL.iter().map(|s| (s.code(), core_label!(s, l))).collect(),
        ListKind::Resource => Vec::new(),
    }
}

/// An entry's status code (a need's derived one, a project's own; planned when unset).
pub fn status_code(e: &ListEntry) -> Option<&'static str> {
    match e.kind {
        ListKind::Need => e.need_status().map(|s| s.code()),
        ListKind::Project => Some(e.status.unwrap_or(ProjectStatus::Planned).code()),
        ListKind::Resource => None,
    }
}

/// The entry's status in words.
pub fn status_label(e: &ListEntry, l: Lang) -> Option<&'static str> {
    match e.kind {
        ListKind::Need => e.need_status().map(|s| core_label!(s, l)),
        ListKind::Project => Some(core_label!(e.status.unwrap_or(ProjectStatus::Planned), l)),
        ListKind::Resource => None,
    }
}

/// "¥20,000" style budget, in whole yuan.
pub fn yuan(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("¥{out}")
}
