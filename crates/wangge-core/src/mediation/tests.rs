//! The case's lifecycle, its rules, term statuses and reminders with `now` passed in, and
//! the merge of two offline edits of one case.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;
use crate::record_type::describe;
use crate::sync::decide::{decide_put, PutDecision, StoredField, StoredRecord};
use crate::sync::{Collection, FieldWrite, VersionedValue};
use crate::{Date, DAY_MILLIS};

fn eid(s: &str) -> EntryId {
    EntryId::parse(s).unwrap()
}

fn pid(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

fn day(y: i32, m: u8, d: u8) -> Millis {
    Date::new(y, m, d).unwrap().start_millis()
}

/// The wage case of seed 004: three workers against the distillery, accepted 9 September.
fn wage_case() -> Case {
    let mut case = Case {
        id: CaseId::parse("c1").unwrap(),
        grid: crate::GridId::parse("town").unwrap(),
        title: IssueTitle::parse("三名工人讨要拖欠工资").unwrap(),
        dispute: DisputeType::Wage,
        facts: None,
        accepted_at: day(2026, 9, 1),
        recorder: pid("med"),
        mediators: vec![pid("med")],
        issue: None,
        outcome: None,
        entries: CaseEntries::default(),
    };
    let party = |name: &str, side| Party {
        name: PersonName::parse(name).unwrap(),
        side,
        phone: None,
        id_last4: None,
        household: None,
    };
    case.entries.parties.insert(eid("p1"), party("汪某", PartySide::Applicant));
    case.entries.parties.insert(eid("p2"), party("巴王酒业", PartySide::Respondent));
    case
}

fn term(position: u32, fen: u64, due: Millis) -> Term {
    Term {
        position,
        what: Summary::parse("支付拖欠工资").unwrap(),
        amount_fen: Some(fen),
        due: Some(due),
        from: Some(eid("p2")),
        to: Some(eid("p1")),
        kept: None,
        removed: false,
    }
}

fn agreed(case: &mut Case, at: Millis) {
    case.outcome = Some(CaseOutcome { kind: OutcomeKind::Agreement, at, next: None, note: None, by: pid("med") });
}

fn kept(at: Millis) -> Option<TermKept> {
    Some(TermKept { how: Fulfilment::Full, at, note: None, by: pid("med") })
}

#[test]
fn a_case_goes_from_accepted_through_sessions_to_an_agreement() {
    let mut case = wage_case();
    assert_eq!(case.stage(), CaseStage::Accepted);
    let session = Session {
        at: day(2026, 9, 10),
        mode: SessionMode::Separate,
        stage: Stage::Listen,
        met: vec![eid("p1")],
        notes: None,
        by: pid("med"),
        photos: vec![],
    };
    case.entries.sessions.insert(eid("s1"), session);
    assert_eq!(case.stage(), CaseStage::Mediating);
    case.entries.terms.insert(eid("t1"), term(1, 10_000_000, day(2026, 9, 16)));
    case.entries.terms.insert(eid("t2"), term(2, 5_600_000, day(2026, 10, 16)));
    agreed(&mut case, day(2026, 9, 12));
    assert_eq!(case.stage(), CaseStage::Agreed);
    assert_eq!(case.total_fen(), 15_600_000);
    assert_eq!(check(&case), Ok(()));
}

#[test]
fn a_term_cannot_be_kept_before_the_agreement_is_signed() {
    let mut case = wage_case();
    let mut t = term(1, 100, day(2026, 9, 16));
    t.kept = kept(day(2026, 9, 13));
    case.entries.terms.insert(eid("t1"), t);
    assert_eq!(check(&case), Err(MediationError::TermKeptBeforeAgreement { term: eid("t1") }));
    agreed(&mut case, day(2026, 9, 14));
    assert_eq!(check(&case), Err(MediationError::TermKeptBeforeAgreement { term: eid("t1") }), "kept the day before");
    agreed(&mut case, day(2026, 9, 13) + 3_600_000);
    assert_eq!(check(&case), Ok(()), "kept on the day it was signed");
}

#[test]
fn a_failed_mediation_says_what_comes_next_and_only_it_does() {
    let mut case = wage_case();
    let mut outcome =
        CaseOutcome { kind: OutcomeKind::NoAgreement, at: day(2026, 9, 20), next: None, note: None, by: pid("med") };
    case.outcome = Some(outcome.clone());
    assert_eq!(check(&case), Err(MediationError::NextStepMissing));
    outcome.next = Some(NextStep::Arbitration);
    case.outcome = Some(outcome.clone());
    assert_eq!(check(&case), Ok(()));
    outcome.kind = OutcomeKind::Withdrawn;
    case.outcome = Some(outcome.clone());
    assert_eq!(check(&case), Err(MediationError::NextStepNotApplicable));
    outcome.next = None;
    outcome.at = day(2026, 8, 1);
    case.outcome = Some(outcome);
    assert_eq!(check(&case), Err(MediationError::OutcomeBeforeAcceptance));
}

#[test]
fn sessions_and_terms_name_the_cases_own_parties_and_a_money_term_is_money() {
    let mut case = wage_case();
    let mut t = term(1, 100, day(2026, 9, 16));
    t.to = Some(eid("nobody"));
    case.entries.terms.insert(eid("t1"), t);
    assert_eq!(check(&case), Err(MediationError::UnknownParty { party: eid("nobody") }));
    case.entries.terms.insert(eid("t1"), term(1, 0, day(2026, 9, 16)));
    assert_eq!(check(&case), Err(MediationError::AmountNotPositive { term: eid("t1") }));
    case.entries.terms.clear();
    case.entries.parties.get_mut(&eid("p1")).unwrap().id_last4 = Some("12345".into());
    assert_eq!(check(&case), Err(MediationError::IdTailInvalid));
    case.entries.parties.get_mut(&eid("p1")).unwrap().id_last4 = Some("012X".into());
    assert_eq!(check(&case), Ok(()));
}

#[test]
fn a_term_is_overdue_once_its_due_day_has_passed_unkept_and_shows_on_the_mediators_today() {
    let mut case = wage_case();
    let due = day(2026, 10, 16);
    case.entries.terms.insert(eid("t1"), term(1, 100, due));
    let mut paid = term(2, 200, day(2026, 9, 16));
    paid.kept = kept(day(2026, 9, 15));
    case.entries.terms.insert(eid("t2"), paid);
    let t1 = case.entries.terms[&eid("t1")].clone();
    // A draft term is never overdue.
    assert_eq!(term_status(&t1, false, due + 10 * DAY_MILLIS), TermStatus::Pending);
    agreed(&mut case, day(2026, 9, 12));
    assert_eq!(term_status(&t1, true, day(2026, 10, 1)), TermStatus::Pending);
    assert_eq!(term_status(&t1, true, day(2026, 10, 13)), TermStatus::DueSoon);
    assert_eq!(term_status(&t1, true, due + 23 * 3_600_000), TermStatus::DueSoon, "the due day itself");
    assert_eq!(term_status(&t1, true, due + DAY_MILLIS), TermStatus::Overdue);
    let mut partly = t1.clone();
    partly.kept = Some(TermKept { how: Fulfilment::Partly, at: day(2026, 10, 2), note: None, by: pid("med") });
    assert_eq!(term_status(&partly, true, day(2026, 10, 2)), TermStatus::Partly);
    assert_eq!(term_status(&partly, true, due + DAY_MILLIS), TermStatus::Overdue, "part paid is still overdue");

    let now = due + 2 * DAY_MILLIS;
    let r = reminders([&case], &pid("med"), now);
    assert_eq!(r, vec![Reminder { case: case.id.clone(), term: eid("t1"), status: TermStatus::Overdue, due }]);
    assert!(reminders([&case], &pid("someone-else"), now).is_empty(), "not their case");
    assert!(reminders([&case], &pid("med"), day(2026, 9, 20)).is_empty(), "nothing due yet");
}

#[test]
fn the_record_type_validates_the_case_and_refuses_a_broken_one_with_its_code() {
    let mut case = wage_case();
    let fields = match serde_json::to_value(&case).unwrap() {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    assert!(fields.contains_key("party:p1"), "parties are keyed fields");
    let t = describe(Collection::Mediations);
    assert_eq!(t.validate("c1", &fields).unwrap(), fields);
    let mut t1 = term(1, 100, day(2026, 9, 16));
    t1.kept = kept(day(2026, 9, 16));
    case.entries.terms.insert(eid("t1"), t1);
    let broken = match serde_json::to_value(&case).unwrap() {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    let refusal = t.validate("c1", &broken).unwrap_err();
    assert_eq!(refusal.code(), "term_kept_before_agreement");
    assert!(refusal.message_zh().contains("协议签订之前"));
    assert_eq!(
        crate::refusal::english_for_code("term_kept_before_agreement").as_deref(),
        Some(refusal.message_en().as_str())
    );
    assert_eq!(t.field_label("term:t1", crate::record_type::Lang::Zh), "协议条款");
}

/// One device's offline edit of a case: which of the case's fields it writes.
#[derive(Debug, Clone)]
enum Edit {
    Title(String),
    AddSession(u8),
    AddTerm(u8),
    Mediators(Vec<u8>),
    Facts(String),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        "[甲乙丙丁]{1,8}".prop_map(Edit::Title),
        (0u8..4).prop_map(Edit::AddSession),
        (0u8..4).prop_map(Edit::AddTerm),
        prop::collection::vec(0u8..3, 1..3).prop_map(Edit::Mediators),
        "[事实]{1,10}".prop_map(Edit::Facts),
    ]
}

/// The field writes an edit makes, `device` telling two devices' new entries apart.
fn writes(edit: &Edit, device: &str) -> Vec<(String, Value)> {
    match edit {
        Edit::Title(t) => vec![("title".into(), json!(t))],
        Edit::Facts(f) => vec![("facts".into(), json!(f))],
        Edit::Mediators(m) => {
            vec![("mediators".into(), json!(m.iter().map(|n| format!("med{n}")).collect::<Vec<_>>()))]
        }
        Edit::AddSession(n) => {
            let s = json!({"at": day(2026, 9, 10), "mode": "separate", "stage": "listen", "met": ["p1"], "by": "med"});
            vec![(format!("session:{device}s{n}"), s)]
        }
        Edit::AddTerm(n) => {
            let t =
                json!({"position": n, "what": "支付工资", "amount_fen": 100 + u64::from(*n), "from": "p2", "to": "p1"});
            vec![(format!("term:{device}t{n}"), t)]
        }
    }
}

/// Applies a put based on version 1 of every field (the case both devices pulled).
fn push(stored: &mut BTreeMap<String, StoredField>, fields: &[(String, Value)], version: u64) -> Vec<String> {
    let put: BTreeMap<String, FieldWrite> = fields
        .iter()
        .map(|(f, v)| (f.clone(), FieldWrite { value: v.clone(), base: stored.get(f).map_or(0, |_| 1) }))
        .collect();
    let PutDecision::Merge(plan) = decide_put(&StoredRecord::Live(stored.clone()), &put) else {
        panic!("a live record's put is merged");
    };
    for (f, v) in plan.apply {
        stored.insert(f, StoredField { value: VersionedValue { value: v, version, by: None, at: None }, own: false });
    }
    plan.conflicts.into_iter().map(|c| c.field).collect()
}

proptest! {
    /// Two mediators edit one case offline; both pushes land. Every entry either added
    /// ends up in the case; a plain field both changed keeps the first push's value and
    /// the second's as a conflict (never silently lost); and the merged case still holds
    /// together.
    #[test]
    fn two_offline_edits_of_one_case_merge_without_losing_either(
        a in prop::collection::vec(edit(), 1..5),
        b in prop::collection::vec(edit(), 1..5),
    ) {
        let base = match serde_json::to_value(wage_case()).unwrap() { Value::Object(m) => m, _ => unreachable!() };
        let mut stored: BTreeMap<String, StoredField> = base
            .iter()
            .map(|(k, v)| (k.clone(), StoredField { value: VersionedValue { value: v.clone(), version: 1, by: None, at: None }, own: false }))
            .collect();
        // Each device's last write of a field is what it pushes.
        let squash = |edits: &[Edit], device: &str| -> Vec<(String, Value)> {
            let mut m = BTreeMap::new();
            for e in edits { for (f, v) in writes(e, device) { m.insert(f, v); } }
            m.into_iter().collect()
        };
        let (wa, wb) = (squash(&a, "a"), squash(&b, "b"));
        let lost_a = push(&mut stored, &wa, 2);
        prop_assert!(lost_a.is_empty(), "the first push applies whole");
        let conflicts = push(&mut stored, &wb, 3);
        for (f, v) in &wb {
            let now = &stored[f].value.value;
            if conflicts.contains(f) {
                let first = wa.iter().find(|(g, _)| g == f).map(|(_, v)| v);
                prop_assert_eq!(Some(now), first, "a clash keeps the first value in the case");
            } else {
                prop_assert_eq!(now, v);
            }
        }
        for (f, v) in &wa {
            if !wb.iter().any(|(g, _)| g == f) {
                prop_assert_eq!(&stored[f].value.value, v, "A's untouched writes stay");
            }
        }
        for f in conflicts.iter() {
            prop_assert!(!f.starts_with("session:") && !f.starts_with("term:"), "new entries never clash: {}", f);
        }
        let merged: crate::record_type::Fields = stored.iter().map(|(k, f)| (k.clone(), f.value.value.clone())).collect();
        prop_assert!(describe(Collection::Mediations).validate("c1", &merged).is_ok());
    }
}

#[test]
fn the_figures_count_months_rungs_zero_escalation_villages_and_overdue_agreements() {
    use crate::grid::GridLevel;
    use crate::{GridId, HouseholdId};
    let tree = crate::test_tree::tree_of(&[
        ("town", GridLevel::Town, None),
        ("v1", GridLevel::Community, Some("town")),
        ("v1-g1", GridLevel::Group, Some("v1")),
        ("v2", GridLevel::Community, Some("town")),
        ("v3", GridLevel::Community, Some("town")),
    ]);
    let at = |grid: &str, accepted: Millis| {
        let mut c = wage_case();
        c.grid = GridId::parse(grid).unwrap();
        c.accepted_at = accepted;
        c
    };
    // v1's group settled one in September; v2 failed one and sent it up; the town took a
    // case whose applicant lives in v3.
    let mut settled = at("v1-g1", day(2026, 9, 2));
    settled.entries.terms.insert(eid("t1"), term(1, 100, day(2026, 9, 20)));
    agreed(&mut settled, day(2026, 9, 5));
    let mut failed = at("v2", day(2026, 9, 3));
    failed.outcome = Some(CaseOutcome {
        kind: OutcomeKind::NoAgreement,
        at: day(2026, 9, 9),
        next: Some(NextStep::Escalate),
        note: None,
        by: pid("med"),
    });
    let mut at_town = at("town", day(2026, 10, 1));
    at_town.entries.parties.get_mut(&eid("p1")).unwrap().household = Some(HouseholdId::parse("h3").unwrap());
    let homes = |h: &HouseholdId| (h.as_str() == "h3").then(|| GridId::parse("v3").unwrap());
    let cases = [settled.clone(), failed, at_town];
    let f = stats::figures(&cases, &tree, &GridId::parse("town").unwrap(), homes, day(2026, 9, 25));
    let sept = &f.months[&(2026, 9)];
    assert_eq!((sept.accepted, sept.agreed, sept.not_agreed), (2, 1, 1));
    assert_eq!(sept.resolved_permille(), Some(500));
    assert_eq!(f.months[&(2026, 10)].resolved_permille(), None, "nothing ended yet");
    assert_eq!(f.ended_at.get(&GridLevel::Group), Some(&1));
    assert_eq!(f.ended_at.get(&GridLevel::Community), Some(&1));
    assert_eq!(f.zero_escalation, vec![GridId::parse("v1").unwrap()]);
    assert_eq!(f.escalated_from, vec![GridId::parse("v2").unwrap(), GridId::parse("v3").unwrap()]);
    assert_eq!(f.overdue_agreements, vec![settled.id.clone()]);
    // Scoped to v1, the others' cases are not counted.
    let v1 = stats::figures(&cases, &tree, &GridId::parse("v1").unwrap(), homes, day(2026, 9, 25));
    assert_eq!(v1.months[&(2026, 9)].accepted, 1);
    assert_eq!(v1.zero_escalation, vec![GridId::parse("v1").unwrap()]);
}
