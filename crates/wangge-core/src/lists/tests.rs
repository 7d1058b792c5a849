//! The three lists' rules: each kind's own fields, a need's derived status, a need met
//! only once someone took it on, and the figures the joint meeting reads.

use super::stats::figures;
use super::*;
use crate::record_type::describe;
use crate::sync::Collection;

fn entry(id: &str, kind: ListKind) -> ListEntry {
    ListEntry {
        id: ListEntryId::parse(id).unwrap(),
        kind,
        grid: GridId::parse("g1").unwrap(),
        title: IssueTitle::parse("老楼需要无障碍坡道").unwrap(),
        description: None,
        recorder: PersonId::parse("sec").unwrap(),
        recorded_at: 1_700_000_000_000,
        unit: None,
        contact: None,
        phone: None,
        availability: None,
        budget_yuan: None,
        status: None,
        household: None,
        issue: None,
        matched_to: None,
        claimed_by: None,
        claimed_unit: None,
        fulfilled_at: None,
        outcome: None,
    }
}

#[test]
fn a_need_is_open_then_matched_or_claimed_then_met() {
    let mut need = entry("n1", ListKind::Need);
    assert_eq!(need.need_status(), Some(NeedStatus::Open));
    need.matched_to = Some(ListEntryId::parse("r1").unwrap());
    assert_eq!(need.need_status(), Some(NeedStatus::Matched));
    need.claimed_by = Some(PersonId::parse("dangyuan").unwrap());
    assert_eq!(need.need_status(), Some(NeedStatus::Claimed));
    need.fulfilled_at = Some(1_700_100_000_000);
    assert_eq!(need.need_status(), Some(NeedStatus::Fulfilled));
    assert_eq!(check(&need), Ok(()));
    assert_eq!(entry("r1", ListKind::Resource).need_status(), None);
}

#[test]
fn a_need_nobody_took_cannot_be_met_and_cannot_match_itself() {
    let mut need = entry("n1", ListKind::Need);
    need.fulfilled_at = Some(1_700_100_000_000);
    assert_eq!(check(&need), Err(ListError::FulfilledUnmatched));
    need.claimed_unit = Some(UnitId::parse("u1").unwrap());
    assert_eq!(check(&need), Ok(()));
    need.matched_to = Some(need.id.clone());
    assert_eq!(check(&need), Err(ListError::MatchNotOffer));
}

#[test]
fn each_list_keeps_its_own_fields() {
    let mut need = entry("n1", ListKind::Need);
    need.budget_yuan = Some(5000);
    assert_eq!(check(&need), Err(ListError::FieldNotForKind { field: "budget_yuan", kind: ListKind::Need }));
    let mut resource = entry("r1", ListKind::Resource);
    resource.availability = Some(CommentText::parse("每周三下午").unwrap());
    resource.unit = Some(UnitId::parse("u1").unwrap());
    assert_eq!(check(&resource), Ok(()));
    resource.matched_to = Some(ListEntryId::parse("r2").unwrap());
    let refused = describe(Collection::ListEntries)
        .validate("r1", &serde_json::to_value(&resource).unwrap().as_object().unwrap().clone())
        .unwrap_err();
    assert_eq!(refused.code(), "field_not_for_kind");
    assert!(refused.message_zh().contains("资源清单"), "{}", refused.message_zh());
}

#[test]
fn the_figures_count_needs_taken_and_met_projects_by_status_and_resources_used() {
    let r1 = ListEntryId::parse("r1").unwrap();
    let mut met = entry("n1", ListKind::Need);
    met.matched_to = Some(r1.clone());
    met.fulfilled_at = Some(1);
    let mut matched = entry("n2", ListKind::Need);
    matched.matched_to = Some(r1.clone());
    let open = entry("n3", ListKind::Need);
    let mut project = entry("p1", ListKind::Project);
    project.status = Some(ProjectStatus::Underway);
    let planned = entry("p2", ListKind::Project);
    let all = [met, matched, open, project, planned, entry("r1", ListKind::Resource)];
    let f = figures(&all);
    assert_eq!((f.needs, f.needs_taken, f.needs_fulfilled), (3, 2, 1));
    assert_eq!(f.projects.get(&ProjectStatus::Underway), Some(&1));
    assert_eq!(f.projects.get(&ProjectStatus::Planned), Some(&1));
    assert_eq!(f.used.get(&r1), Some(&(2, 1)));
}
