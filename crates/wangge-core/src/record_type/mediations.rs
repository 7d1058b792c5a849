//! Mediation cases (调解案件): recorded on the phone by mediators and community staff,
//! often offline, so each party, session and term is its own keyed field and every field
//! reads well on the conflict screen. Parties are personal data: scoped by the case's grid
//! like a household.

use serde_json::Value;

use super::{
    coded, field, roundtrip, text, FieldType, Fields, Label, Lang, Merge, RecordType, ScopeRule, Shown, ID_CHARS,
};
use crate::mediation::{check, Case, CaseOutcome, DisputeType, Party, Session, Term};
use crate::refusal::Refusal;
use crate::sync::Collection;
use crate::{CaseId, Description, DomainError, GridId, IssueId, IssueTitle, PersonId};

/// A party's field ("party:<id>"), a session's ("session:<id>") and a term's ("term:<id>").
#[rustfmt::skip]
static KEYED: [FieldType; 3] = [
    field!("party:", "当事人", "Party", None, true, Shown::Labelled(party)),
    field!("session:", "调解记录", "Session", None, true, Shown::Labelled(session)),
    field!("term:", "协议条款", "Agreement term", None, true, Shown::Labelled(term)),
];

#[rustfmt::skip] // a table: one line per field
pub(super) static MEDIATIONS: RecordType = RecordType {
    collection: Collection::Mediations,
    noun: Label { zh: "调解案件", en: "mediation case" },
    scope: ScopeRule::GridField("grid"),
    author: Some(super::Author { field: "recorder", label: Label { zh: "调解案件的登记人", en: "the case's recorder" } }),
    fields: &[
        field!("id", "编号", "Id", text!(CaseId, ID_CHARS), false, Shown::AsIs),
        field!("grid", "调解地", "Mediated at", text!(GridId, ID_CHARS), false, Shown::AsIs),
        field!("title", "纠纷简述", "Dispute", text!(IssueTitle, Some(IssueTitle::MAX_CHARS)), true, Shown::AsIs),
        field!("dispute", "纠纷类型", "Type", None, true, coded!(DisputeType)),
        field!("facts", "纠纷事实", "Facts", text!(Description, Some(Description::MAX_CHARS)), true, Shown::AsIs),
        field!("accepted_at", "受理日期", "Accepted", None, true, Shown::Time),
        field!("recorder", "登记人", "Recorded by", text!(PersonId, ID_CHARS), false, Shown::AsIs),
        field!("mediators", "调解员", "Mediators", None, true, Shown::AsIs),
        field!("issue", "来源问题", "From issue", text!(IssueId, ID_CHARS), false, Shown::AsIs),
        field!("outcome", "调解结果", "Outcome", None, true, Shown::Labelled(outcome)),
    ],
    references: &[("issue", Collection::Issues)],
    merge: Merge::FieldsAndKeyed(&KEYED),
    unknown_code: "unknown_case",
    canonical,
    name_of: |fields| super::text_of(fields, "title"),
};

/// The case as its core type writes it back, after its rules ([`check`]) and the photo
/// limit of each session.
fn canonical(fields: &Fields) -> Result<Fields, Refusal> {
    let out = roundtrip::<Case>(fields)?;
    let case: Case = serde_json::from_value(Value::Object(out.clone()))
        .map_err(|e| Refusal::InvalidRecord(crate::refusal::RecordFault::Unreadable(e.to_string())))?;
    check(&case).map_err(|e| Refusal::Domain(DomainError::Mediation(e)))?;
    for session in case.entries.sessions.values() {
        crate::photo::check_count(&session.photos).map_err(Refusal::Domain)?;
    }
    Ok(out)
}

fn lang_label(zh: &str, en: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// "王某某(申请人)".
fn party(value: &Value, lang: Lang) -> Option<String> {
    let p: Party = serde_json::from_value(value.clone()).ok()?;
    Some(format!("{} ({})", p.name, lang_label(p.side.label_zh(), p.side.label_en(), lang)))
}

/// "2026-09-10 背靠背调解".
fn session(value: &Value, lang: Lang) -> Option<String> {
    let s: Session = serde_json::from_value(value.clone()).ok()?;
    Some(format!("{} {}", crate::Date::of_millis(s.at), lang_label(s.mode.label_zh(), s.mode.label_en(), lang)))
}

/// "支付拖欠工资 ¥52,000.00", struck-out terms marked.
fn term(value: &Value, lang: Lang) -> Option<String> {
    let t: Term = serde_json::from_value(value.clone()).ok()?;
    let mut s = t.what.to_string();
    if let Some(fen) = t.amount_fen {
        s.push_str(&format!(" ¥{}.{:02}", fen / 100, fen % 100));
    }
    if t.removed {
        s.push_str(&lang_label("(已删除)", " (struck out)", lang));
    }
    Some(s)
}

/// "达成协议" / "调解不成 · 引导诉讼".
fn outcome(value: &Value, lang: Lang) -> Option<String> {
    if value.is_null() {
        return Some(lang_label("调解中", "Open", lang));
    }
    let o: CaseOutcome = serde_json::from_value(value.clone()).ok()?;
    let kind = lang_label(o.kind.label_zh(), o.kind.label_en(), lang);
    Some(match o.next {
        Some(n) => format!("{kind} · {}", lang_label(n.label_zh(), n.label_en(), lang)),
        None => kind,
    })
}
