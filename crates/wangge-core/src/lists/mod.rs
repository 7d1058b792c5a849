//! The community's three lists (三张清单): resources local units and volunteers offer (资源:
//! a unit's meeting room, a company's truck, a volunteer doctor's hours), projects built
//! with partner units (项目: 共建项目, with a budget and a status), and needs raised by
//! residents or by issues (需求: "the old building needs a ramp"). A need is matched to a
//! resource or a project by the secretary, or claimed (认领) by an in-service party member
//! or a unit, and its fulfilment recorded — what the joint meeting goes through.
//!
//! One record type, [`ListEntry`], told apart by [`ListKind`]; the fields of one kind are
//! refused on another ([`check`]), and a need's status is derived ([`ListEntry::need_status`]).

pub mod stats;

use serde::{Deserialize, Serialize};

use crate::{CommentText, Description, GridId, HouseholdId, IssueId, IssueTitle, ListEntryId, Millis, PersonId};
use crate::{PersonName, Phone, UnitId};

labelled_enum! {
    /// Which of the three lists an entry is on.
    pub enum ListKind {
        /// 资源清单.
        Resource = "resource", "资源", "Resource";
        /// 项目清单 (共建项目).
        Project = "project", "项目", "Project";
        /// 需求清单.
        Need = "need", "需求", "Need";
    }
}

labelled_enum! {
    /// Where a joint project stands.
    pub enum ProjectStatus {
        /// 筹备中.
        Planned = "planned", "筹备中", "Planned";
        /// 实施中.
        Underway = "underway", "实施中", "Under way";
        /// 已完成.
        Done = "done", "已完成", "Done";
    }
}

labelled_enum! {
    /// Where a need stands, derived from its fields.
    pub enum NeedStatus {
        /// 待对接: nobody took it yet.
        Open = "open", "待对接", "Open";
        /// 已匹配: matched to a resource or project.
        Matched = "matched", "已匹配", "Matched";
        /// 已认领: claimed by a party member or a unit.
        Claimed = "claimed", "已认领", "Claimed";
        /// 已办结: met.
        Fulfilled = "fulfilled", "已办结", "Fulfilled";
    }
}

/// One entry of one of the three lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    /// Id.
    pub id: ListEntryId,
    /// Which list.
    pub kind: ListKind,
    /// The grid it belongs to (usually the community): its scope.
    pub grid: GridId,
    /// What it is, in one line.
    pub title: IssueTitle,
    /// More about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Description>,
    /// Who entered it (its author).
    pub recorder: PersonId,
    /// When it was entered.
    pub recorded_at: Millis,
    /// The unit offering the resource, or the project's partner unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitId>,
    /// A contact by name (a volunteer doctor not on the units list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<PersonName>,
    /// The contact's phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    /// A resource's availability ("每周三下午").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<CommentText>,
    /// A project's budget in yuan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_yuan: Option<u64>,
    /// A project's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ProjectStatus>,
    /// The household a need comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<HouseholdId>,
    /// The issue that raised the need.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<IssueId>,
    /// The resource or project a need is matched to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_to: Option<ListEntryId>,
    /// The party member (on the roster) who claimed the need.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_by: Option<PersonId>,
    /// The unit that claimed the need.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_unit: Option<UnitId>,
    /// When the need was met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fulfilled_at: Option<Millis>,
    /// How it was met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<CommentText>,
}

impl ListEntry {
    /// A need's status (`None` for a resource or a project).
    pub fn need_status(&self) -> Option<NeedStatus> {
        (self.kind == ListKind::Need).then(|| {
            if self.fulfilled_at.is_some() {
                NeedStatus::Fulfilled
            } else if self.claimed_by.is_some() || self.claimed_unit.is_some() {
                NeedStatus::Claimed
            } else if self.matched_to.is_some() {
                NeedStatus::Matched
            } else {
                NeedStatus::Open
            }
        })
    }
}

/// Why an entry does not hold together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListError {
    /// A field of another list's kind (a budget on a need).
    #[error("field {field} does not belong on a {}", kind.code())]
    FieldNotForKind { field: &'static str, kind: ListKind },
    /// A need recorded as met that nobody matched or claimed.
    #[error("need fulfilled without a match or claim")]
    FulfilledUnmatched,
    /// A need matched to another need, or to itself.
    #[error("need matched to something that is not a resource or project")]
    MatchNotOffer,
}

impl ListError {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            ListError::FieldNotForKind { .. } => "field_not_for_kind",
            ListError::FulfilledUnmatched => "need_fulfilled_unmatched",
            ListError::MatchNotOffer => "need_match_not_offer",
        }
    }

    /// What to do, in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            ListError::FieldNotForKind { kind, .. } => format!("{}清单的条目不填写这一项", kind.label_zh()),
            ListError::FulfilledUnmatched => "需求办结前请先匹配资源或项目,或登记认领人".into(),
            ListError::MatchNotOffer => "需求只能匹配到资源或项目".into(),
        }
    }

    /// What to do, in English.
    pub fn message_en(&self) -> String {
        match self {
            ListError::FieldNotForKind { kind, .. } => {
                format!("An entry of the {} list has no such field", kind.label_en().to_lowercase())
            }
            ListError::FulfilledUnmatched => {
                "Match the need to a resource or project, or record who claimed it, before it is met".into()
            }
            ListError::MatchNotOffer => "A need can only be matched to a resource or a project".into(),
        }
    }
}

/// Checks that `entry` carries only its own kind's fields, and that a need is met only
/// once matched or claimed.
pub fn check(entry: &ListEntry) -> Result<(), ListError> {
    let kind = entry.kind;
    let present: [(&'static str, bool, &[ListKind]); 10] = [
        ("unit", entry.unit.is_some(), &[ListKind::Resource, ListKind::Project]),
        ("availability", entry.availability.is_some(), &[ListKind::Resource]),
        ("budget_yuan", entry.budget_yuan.is_some(), &[ListKind::Project]),
        ("status", entry.status.is_some(), &[ListKind::Project]),
        ("household", entry.household.is_some(), &[ListKind::Need]),
        ("issue", entry.issue.is_some(), &[ListKind::Need]),
        ("matched_to", entry.matched_to.is_some(), &[ListKind::Need]),
        ("claimed_by", entry.claimed_by.is_some(), &[ListKind::Need]),
        ("claimed_unit", entry.claimed_unit.is_some(), &[ListKind::Need]),
        ("fulfilled_at", entry.fulfilled_at.is_some(), &[ListKind::Need]),
    ];
    if let Some((field, ..)) = present.iter().find(|(_, set, kinds)| *set && !kinds.contains(&kind)) {
        return Err(ListError::FieldNotForKind { field, kind });
    }
    if entry.matched_to.as_ref() == Some(&entry.id) {
        return Err(ListError::MatchNotOffer);
    }
    if entry.need_status() == Some(NeedStatus::Fulfilled)
        && entry.matched_to.is_none()
        && entry.claimed_by.is_none()
        && entry.claimed_unit.is_none()
    {
        return Err(ListError::FulfilledUnmatched);
    }
    Ok(())
}

/// Whether `offer` can take a need: a resource or a project.
pub fn can_match(offer: &ListEntry) -> bool {
    matches!(offer.kind, ListKind::Resource | ListKind::Project)
}

#[cfg(test)]
mod tests;
