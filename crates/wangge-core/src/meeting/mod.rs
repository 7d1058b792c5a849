//! The joint committee at work: the monthly joint meeting (党建联席会议) that goes through
//! the community's issue list and decides (研判) who takes what, and the on-site office
//! (现场办公 / 楼栋工作日) where leaders take problems on the spot. Both are one record
//! type, [`Meeting`], told apart by [`MeetingKind`]: each has a time, a place, a host,
//! attendees, and agenda items with their decisions.
//!
//! A decision is written twice on purpose, in one phone transaction: as the meeting's
//! `item:<issue>` field (what the minutes list) and as the issue's own events, each
//! carrying the meeting's id (`IssueEvent::meeting`), so the issue's history says where it
//! was decided and the state machine, `may_take` and the server check the step like any
//! other ([`plan_decision`]).
//!
//! Attendees and agenda items are keyed fields (`attendee:<person>`, `item:<issue>`), so
//! two people recording one meeting offline converge field by field: one marks who came,
//! the other records decisions, and both are kept.

mod agenda;
mod decide;
mod entries;

use serde::{Deserialize, Serialize};

pub use agenda::{agenda, follow_up, FollowUp};
pub use decide::{decision_steps, plan_decision, DecisionError};
pub use entries::{Entries, ATTENDEE_PREFIX, ITEM_PREFIX};

use crate::{Address, CommentText, GridId, MeetingId, Millis, PersonId, UnitId};

labelled_enum! {
    /// Which practice a meeting record is.
    pub enum MeetingKind {
        /// 联席会议: the joint committee's monthly meeting.
        JointMeeting = "joint_meeting", "联席会议", "Joint meeting";
        /// 现场办公: leaders and departments solving problems on site (楼栋工作日).
        OnSiteOffice = "on_site_office", "现场办公", "On-site office";
    }
}

labelled_enum! {
    /// Whether a committee member came.
    pub enum Attendance {
        /// 出席.
        Present = "present", "出席", "Present";
        /// 缺席.
        Absent = "absent", "缺席", "Absent";
        /// 请假.
        Excused = "excused", "请假", "Excused";
    }
}

labelled_enum! {
    /// What the meeting decided for one agenda item (研判结果).
    pub enum Outcome {
        /// 社区办理: the community handles it itself.
        Community = "community", "社区办理", "Handle in the community";
        /// 交委员办理: handed to a committee member (a person).
        AssignMember = "assign_member", "交成员办理", "Hand to a member";
        /// 交单位/部门办理 (交办), with a due date.
        HandToUnit = "hand_to_unit", "交单位/部门办理", "Hand to a unit or department";
        /// 提级上报.
        Escalate = "escalate", "提级上报", "Escalate";
        /// 不予办理: closed as not actionable, with the reason.
        Dismiss = "dismiss", "不予办理", "Close as not actionable";
        /// 下次再议: held to the next meeting.
        Hold = "hold", "下次再议", "Hold to next meeting";
    }
}

labelled_enum! {
    /// How an issue came onto the agenda.
    pub enum ItemSource {
        /// Drawn from the community's issue list (问题清单) when the meeting was opened.
        IssueList = "issue_list", "问题清单", "Issue list";
        /// Added by hand.
        ByHand = "by_hand", "临时增加", "Added by hand";
    }
}

/// A decision on one agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// What was decided.
    pub outcome: Outcome,
    /// The member it is handed to (`AssignMember`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonId>,
    /// The unit or department it is handed to (`HandToUnit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitId>,
    /// By when (`HandToUnit`; optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Millis>,
    /// What was said; required as the reason to escalate or dismiss.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<CommentText>,
    /// Who recorded it.
    pub by: PersonId,
    /// When.
    pub at: Millis,
}

/// One issue on the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// Its place in the agenda (smaller first).
    pub position: u32,
    /// How it came onto the agenda.
    pub source: ItemSource,
    /// The decision, once made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// Taken off the agenda before any decision (not discussed after all). The field stays,
    /// so the removal merges like any write; adding the issue again clears it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
    /// Photos of the problem (an on-site office takes it on the spot: 现场, 处理前,
    /// 处理后), at most [`crate::photo::MAX_PHOTOS_PER_STEP`]. On the item, not the
    /// meeting, so two phones photographing different items both keep theirs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<crate::photo::PhotoRef>,
}

/// A joint meeting or an on-site office session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Id.
    pub id: MeetingId,
    /// Joint meeting or on-site office.
    pub kind: MeetingKind,
    /// The grid it belongs to (the community, or the building an on-site office visits):
    /// its scope.
    pub grid: GridId,
    /// When it is held (unix milliseconds).
    pub held_at: Millis,
    /// Where.
    pub place: Address,
    /// Who chairs it (the first secretary) or leads the on-site office (a district leader).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<PersonId>,
    /// Who opened the record (its author).
    pub recorder: PersonId,
    /// Others present who are not on the roster (列席), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guests: Option<CommentText>,
    /// General minutes (纪要) beyond the items' decisions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<CommentText>,
    /// The minutes are final: the meeting is over.
    #[serde(default)]
    pub closed: bool,
    /// Attendees and agenda items, each its own keyed field.
    #[serde(flatten)]
    pub entries: Entries,
}

impl Meeting {
    /// Agenda items in agenda order (position, then issue id, so the order is stable),
    /// without those taken off it.
    pub fn items_in_order(&self) -> Vec<(&crate::IssueId, &AgendaItem)> {
        let mut items: Vec<_> = self.entries.items.iter().filter(|(_, i)| !i.removed).collect();
        crate::sort::sort_by_key(&mut items, |(id, item)| (item.position, (*id).clone()));
        items
    }

    /// Whether `issue` is on the agenda (and not taken off it).
    pub fn on_agenda(&self, issue: &crate::IssueId) -> bool {
        self.entries.items.get(issue).is_some_and(|i| !i.removed)
    }

    /// How many items are on the agenda.
    pub fn agenda_len(&self) -> usize {
        self.entries.items.values().filter(|i| !i.removed).count()
    }

    /// How many items have a decision.
    pub fn decided(&self) -> usize {
        self.entries.items.values().filter(|i| i.decision.is_some()).count()
    }

    /// Attendees marked present.
    pub fn present(&self) -> impl Iterator<Item = &PersonId> {
        self.entries.attendees.iter().filter(|(_, a)| **a == Attendance::Present).map(|(p, _)| p)
    }
}

#[cfg(test)]
mod tests;
