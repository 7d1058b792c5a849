//! The roster of people who work the grid, each with one home grid and some roles.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::grid::EscalationLevel;
use crate::{GridId, PersonId, PersonName, Phone};

labelled_enum! {
    /// What a person does in their grid. A person may hold several (a red steward is also a
    /// party member; a community secretary often a grid worker too).
    pub enum Role {
        /// 网格员: walks the grid, visits households, reports and follows issues.
        GridWorker = "grid_worker", "网格员", "Grid worker";
        /// 红色管家: party member collecting opinions in their building.
        RedSteward = "red_steward", "红色管家", "Red steward";
        /// 党员.
        PartyMember = "party_member", "党员", "Party member";
        /// 楼栋长.
        BuildingHead = "building_head", "楼栋长", "Building head";
        /// 户长.
        HouseholdHead = "household_head", "户长", "Household head";
        /// 院落长.
        CourtyardHead = "courtyard_head", "院落长", "Courtyard head";
        /// 段长.
        SectionHead = "section_head", "段长", "Section head";
        /// 社区党委书记: keeps and triages the community's issue list.
        CommunitySecretary = "community_secretary", "社区书记", "Community secretary";
        /// 社区工作人员.
        CommunityStaff = "community_staff", "社区工作人员", "Community staff";
        /// 第一书记: a district official who chairs the community's joint committee.
        FirstSecretary = "first_secretary", "第一书记", "First secretary";
        /// "大党委"委员: head of a local unit sitting on the joint committee.
        CommitteeMember = "committee_member", "大党委委员", "Joint committee member";
        /// 社区民警.
        CommunityPolice = "community_police", "社区民警", "Community police officer";
        /// 调解员.
        Mediator = "mediator", "调解员", "Mediator";
        /// 帮带导师.
        Mentor = "mentor", "帮带导师", "Mentor";
        /// 志愿者.
        Volunteer = "volunteer", "志愿者", "Volunteer";
        /// 镇街工作人员.
        TownStaff = "town_staff", "镇街干部", "Town / subdistrict staff";
        /// 区级部门工作人员.
        DistrictStaff = "district_staff", "区级部门干部", "District staff";
        /// 单位联络员: answers for a unit or department (its `contact_person`) on the issues
        /// handed to it (交办); sees those issues and nothing else of the grid.
        UnitContact = "unit_contact", "单位联络员", "Unit contact";
    }
}

impl Role {
    /// The rung of the escalation ladder this role handles issues at, if it handles any.
    /// Residents' roles (red steward, household head …) report issues but do not handle them.
    pub const fn handles_at(self) -> Option<EscalationLevel> {
        match self {
            Role::GridWorker => Some(EscalationLevel::Grid),
            Role::CommunitySecretary | Role::CommunityStaff | Role::FirstSecretary | Role::CommitteeMember => {
                Some(EscalationLevel::Community)
            }
            Role::TownStaff => Some(EscalationLevel::Town),
            Role::DistrictStaff => Some(EscalationLevel::District),
            _ => None,
        }
    }
}

/// Whether someone holding `roles` keeps the roster and the grid tree: community-level
/// roles and above (grid workers and residents' roles do not). One rule for deletes
/// (`sync::may_delete`) and for the server's people and grid writes.
pub fn keeps_roster(roles: &[Role]) -> bool {
    roles.iter().any(|r| r.handles_at().is_some_and(|l| l > EscalationLevel::Grid))
}

/// Whether someone holding `roles` sees only what is handed to their unit: a unit
/// contact with no other role that works the grid (their home grid is where their unit
/// sits, not a part of the grid they look after). Residents' roles (red steward, party
/// member …) beside it do not widen it: those see their own grid as any resident role does.
pub fn only_unit_contact(roles: &[Role]) -> bool {
    roles.contains(&Role::UnitContact) && roles.iter().all(|r| *r == Role::UnitContact)
}

/// A person on the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Id.
    pub id: PersonId,
    /// Name.
    pub name: PersonName,
    /// Phone, if known.
    pub phone: Option<Phone>,
    /// The grid they belong to; it is also their scope (they see its subtree).
    pub grid: GridId,
    /// Their roles (a set, so serialised sorted and without repeats).
    pub roles: BTreeSet<Role>,
    /// False once they leave the post; kept so history stays attributed.
    pub active: bool,
}

impl Person {
    /// Whether they hold `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The highest rung any of their roles handles issues at.
    pub fn handles_at(&self) -> Option<EscalationLevel> {
        self.roles.iter().filter_map(|r| r.handles_at()).max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secretary_who_is_also_a_grid_worker_handles_community_issues() {
        let p = Person {
            id: PersonId::parse("p1").unwrap(),
            name: PersonName::parse("叶晓").unwrap(),
            phone: None,
            grid: GridId::parse("qc").unwrap(),
            roles: [Role::GridWorker, Role::CommunitySecretary].into_iter().collect(),
            active: true,
        };
        assert!(p.has_role(Role::GridWorker));
        assert_eq!(p.handles_at(), Some(EscalationLevel::Community));
    }

    #[test]
    fn roles_serialise_as_snake_case() {
        assert_eq!(serde_json::to_string(&Role::RedSteward).unwrap(), "\"red_steward\"");
        assert_eq!(Role::ALL.len(), 18);
    }
}
