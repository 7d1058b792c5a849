//! Which records a delete may remove — one rule, asked by the phone before it offers a
//! delete and by the server of every pushed one. In a governance record an attributed
//! history is itself what must not be lost, so **records with history are never
//! hard-deleted by a push**: an issue reported by mistake is withdrawn (撤回, an event
//! with a reason, see `issue::EventKind::Withdrawn`), a visit is corrected, and the grid
//! tree and the people on it are kept by their administrators. What remains deletable is
//! a roster entry (a household, a unit) entered by mistake, removed by the staff who
//! keep the roster — the server keeps its last values and who deleted it.

use std::fmt;

use super::Collection;
use crate::people::{keeps_roster, Role};

/// Why a delete is refused. Each has a stable code and a message saying what to do instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteRefusal {
    /// Issues keep their history; the reporter withdraws one instead.
    IssueHasHistory,
    /// A visit is part of the household's record of care.
    VisitIsHistory,
    /// The grid tree is changed by administrators, never by sync.
    GridTree,
    /// People are kept by administrators (someone who leaves is marked so, not deleted).
    PersonIsAdministered,
    /// Only the staff who keep the roster (community and above) correct it by deleting.
    NotRosterKeeper,
    /// An emergency switched on is history, even one switched on by mistake: it is
    /// switched back (ended with a note), so who was told what stays on record.
    EmergencyIsHistory,
}

impl DeleteRefusal {
    /// Every reason, for tables keyed by code.
    pub const ALL: [DeleteRefusal; 6] = [
        DeleteRefusal::IssueHasHistory,
        DeleteRefusal::VisitIsHistory,
        DeleteRefusal::GridTree,
        DeleteRefusal::PersonIsAdministered,
        DeleteRefusal::NotRosterKeeper,
        DeleteRefusal::EmergencyIsHistory,
    ];

    /// Stable machine code for the API.
    pub fn code(self) -> &'static str {
        match self {
            DeleteRefusal::IssueHasHistory => "issue_not_deletable",
            DeleteRefusal::VisitIsHistory => "visit_not_deletable",
            DeleteRefusal::GridTree => "grid_delete_unsupported",
            DeleteRefusal::PersonIsAdministered => "person_not_deletable",
            DeleteRefusal::NotRosterKeeper => "delete_not_allowed",
            DeleteRefusal::EmergencyIsHistory => "emergency_not_deletable",
        }
    }

    /// What to do instead, in Chinese.
    pub fn message_zh(self) -> &'static str {
        match self {
            DeleteRefusal::IssueHasHistory => "问题及其办理记录不能删除;误报的问题请由上报人在受理前“撤回”",
            DeleteRefusal::VisitIsHistory => "走访记录是工作台账,不能删除;如有记错,请修改该记录",
            DeleteRefusal::GridTree => "网格由管理员调整,不能通过同步删除",
            DeleteRefusal::PersonIsAdministered => "人员由管理员维护,不能删除;人员离岗、迁出请由管理员标记",
            DeleteRefusal::NotRosterKeeper => "只有社区及以上的台账管理人员才能删除登记;如系误录,请联系社区工作人员",
            DeleteRefusal::EmergencyIsHistory => "紧急状态记录不能删除;如系误启动,请“解除紧急状态”并写明原因",
        }
    }

    /// What to do instead, in English.
    pub fn message_en(self) -> &'static str {
        match self {
            DeleteRefusal::IssueHasHistory => "An issue and its history cannot be deleted; its reporter can withdraw it before it is accepted",
            DeleteRefusal::VisitIsHistory => "Visit records are part of the ledger and cannot be deleted; correct the record instead",
            DeleteRefusal::GridTree => "Grids are changed by administrators, not deleted through sync",
            DeleteRefusal::PersonIsAdministered => "People are kept by administrators and cannot be deleted; an administrator marks someone who left",
            DeleteRefusal::NotRosterKeeper => "Only roster staff at the community or above can delete an entry; ask community staff if it was entered by mistake",
            DeleteRefusal::EmergencyIsHistory => "An emergency is kept as history; if it was switched on by mistake, end it with a note saying so",
        }
    }
}

impl fmt::Display for DeleteRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Whether someone holding `roles` may delete a record of `collection`.
pub fn may_delete(collection: Collection, roles: &[Role]) -> Result<(), DeleteRefusal> {
    match collection {
        Collection::Issues => Err(DeleteRefusal::IssueHasHistory),
        Collection::Visits => Err(DeleteRefusal::VisitIsHistory),
        Collection::Grids => Err(DeleteRefusal::GridTree),
        Collection::People => Err(DeleteRefusal::PersonIsAdministered),
        Collection::Emergencies => Err(DeleteRefusal::EmergencyIsHistory),
        // A meeting opened by mistake is deleted by the staff who record meetings; the steps
        // its decisions appended stay in each issue's history. A mediation case or a list
        // entry entered by mistake likewise, by community staff and above; and a task sent
        // by mistake (a grid worker's results go with it: it was never meant to be done).
        Collection::Households
        | Collection::Units
        | Collection::Meetings
        | Collection::Mediations
        | Collection::ListEntries
        | Collection::Tasks => {
            if keeps_roster(roles) {
                Ok(())
            } else {
                Err(DeleteRefusal::NotRosterKeeper)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_with_history_are_never_deleted_whoever_asks() {
        let everyone = [Role::GridWorker, Role::CommunitySecretary, Role::TownStaff, Role::DistrictStaff];
        for c in [Collection::Issues, Collection::Visits, Collection::Grids, Collection::People] {
            assert!(may_delete(c, &everyone).is_err(), "{c:?}");
        }
        assert_eq!(may_delete(Collection::Issues, &everyone), Err(DeleteRefusal::IssueHasHistory));
    }

    #[test]
    fn a_roster_entry_is_deleted_by_community_staff_and_above_not_by_a_grid_worker() {
        assert_eq!(may_delete(Collection::Households, &[Role::GridWorker]), Err(DeleteRefusal::NotRosterKeeper));
        assert_eq!(may_delete(Collection::Units, &[Role::RedSteward]), Err(DeleteRefusal::NotRosterKeeper));
        assert_eq!(may_delete(Collection::Households, &[Role::GridWorker, Role::CommunityStaff]), Ok(()));
        assert_eq!(may_delete(Collection::Units, &[Role::TownStaff]), Ok(()));
    }

    #[test]
    fn every_refusal_has_a_code_and_both_messages() {
        let all = [
            DeleteRefusal::IssueHasHistory,
            DeleteRefusal::VisitIsHistory,
            DeleteRefusal::GridTree,
            DeleteRefusal::PersonIsAdministered,
            DeleteRefusal::NotRosterKeeper,
        ];
        for r in all {
            assert!(!r.code().is_empty() && !r.message_zh().is_empty() && !r.message_en().is_empty());
        }
    }
}
