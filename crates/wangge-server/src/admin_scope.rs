//! Who may administer whose account through the API, pure (the command line is the
//! operator's, on the server machine, and is not limited). **An administrator manages the
//! accounts whose home grid lies in their own home grid's subtree (core `GridTree`, as
//! for pushes) and whose roles rank no higher than their own administering role.**
//!
//! Administering roles: the community secretary (her community), town staff (their town)
//! and district staff (their district). Other community roles (staff, first secretary,
//! committee members) handle issues but do not keep accounts; grid workers and residents'
//! roles manage nobody.
//!
//! Why the rank as well as the subtree: a reset password is a way to log in as someone. A
//! secretary must not be able to reset the password of a town official whose home grid
//! happens to lie in her community and then act with the official's rights. Peers are
//! fine: a secretary resetting a colleague's password gains nothing she lacked.

use wangge_core::grid::{EscalationLevel, GridTree};
use wangge_core::people::Role;
use wangge_core::GridId;

use crate::account::User;

/// The roles that administer accounts.
const ADMIN_ROLES: [Role; 3] = [Role::CommunitySecretary, Role::TownStaff, Role::DistrictStaff];

/// The highest rung the user administers at, if they administer at all.
fn admin_rank(user: &User) -> Option<EscalationLevel> {
    user.roles.iter().filter(|r| ADMIN_ROLES.contains(r)).filter_map(|r| r.handles_at()).max()
}

/// The administering role the user acts in (their highest), for attributed events.
pub(crate) fn admin_role(user: &User) -> Option<Role> {
    user.roles.iter().copied().filter(|r| ADMIN_ROLES.contains(r)).max_by_key(|r| r.handles_at())
}

/// Whether the user holds a role that administers accounts (else 403 `forbidden_role`).
pub(crate) fn administers(user: &User) -> bool {
    admin_rank(user).is_some()
}

/// Whether `admin` may see and manage the account with this home grid and these roles.
/// An account outside gets the same answer as one that does not exist (`unknown_user`).
pub(crate) fn manages(tree: &GridTree, admin: &User, home_grid: &GridId, roles: &[Role]) -> bool {
    let Some(rank) = admin_rank(admin) else { return false };
    let target = roles.iter().filter_map(|r| r.handles_at()).max();
    tree.contains(&admin.home_grid, home_grid) && target.is_none_or(|t| t <= rank)
}

#[cfg(test)]
mod tests {
    use wangge_core::grid::{Grid, GridCode, GridLevel};
    use wangge_core::{GridName, PersonId};

    use super::*;

    const TOWN: &str = "g500110001000000";
    const COMMUNITY: &str = "g500110001001000";
    const GROUP: &str = "g500110001001001";
    const OTHER_TOWN: &str = "g500110002000000";

    fn tree() -> GridTree {
        let grid = |id: &str, level, parent: Option<&str>| Grid {
            id: GridId::parse(id).unwrap(),
            name: GridName::parse("网格").unwrap(),
            level,
            parent: parent.map(|p| GridId::parse(p).unwrap()),
            code: Some(GridCode::parse(&id[1..]).unwrap()),
            retired: false,
        };
        GridTree::build(vec![
            grid("g500110000000000", GridLevel::District, None),
            grid(TOWN, GridLevel::Town, Some("g500110000000000")),
            grid(OTHER_TOWN, GridLevel::Town, Some("g500110000000000")),
            grid(COMMUNITY, GridLevel::Community, Some(TOWN)),
            grid(GROUP, GridLevel::Group, Some(COMMUNITY)),
        ])
        .unwrap()
    }

    fn user(roles: &[Role], grid: &str) -> User {
        User {
            username: "u".into(),
            person_id: PersonId::parse("p-1").unwrap(),
            name: "测试".into(),
            roles: roles.to_vec(),
            home_grid: GridId::parse(grid).unwrap(),
        }
    }

    fn g(id: &str) -> GridId {
        GridId::parse(id).unwrap()
    }

    #[test]
    fn only_secretaries_town_and_district_staff_administer() {
        assert!(administers(&user(&[Role::CommunitySecretary], COMMUNITY)));
        assert!(administers(&user(&[Role::GridWorker, Role::TownStaff], TOWN)));
        assert!(!administers(&user(&[Role::GridWorker], GROUP)));
        assert!(!administers(&user(&[Role::CommunityStaff, Role::FirstSecretary], COMMUNITY)));
    }

    #[test]
    fn an_administrator_manages_their_subtree_only() {
        let (t, town) = (tree(), user(&[Role::TownStaff], TOWN));
        assert!(manages(&t, &town, &g(GROUP), &[Role::GridWorker]));
        assert!(manages(&t, &town, &g(COMMUNITY), &[Role::CommunitySecretary]));
        assert!(!manages(&t, &town, &g(OTHER_TOWN), &[Role::GridWorker]), "another town");
        let secretary = user(&[Role::CommunitySecretary], COMMUNITY);
        assert!(manages(&t, &secretary, &g(GROUP), &[Role::GridWorker]));
        assert!(!manages(&t, &secretary, &g(TOWN), &[Role::TownStaff]), "above her community");
        assert!(!manages(&t, &user(&[Role::GridWorker], GROUP), &g(GROUP), &[Role::GridWorker]));
    }

    #[test]
    fn nobody_manages_an_account_that_ranks_above_them() {
        let (t, secretary) = (tree(), user(&[Role::CommunitySecretary], COMMUNITY));
        assert!(!manages(&t, &secretary, &g(GROUP), &[Role::TownStaff]), "a town official homed in her community");
        assert!(manages(&t, &secretary, &g(COMMUNITY), &[Role::CommunityStaff]), "a peer");
        assert!(manages(&t, &secretary, &g(GROUP), &[Role::Volunteer]), "a role that handles nothing");
        assert!(!manages(&t, &secretary, &g("g500110009000000"), &[]), "a grid the tree does not hold");
    }
}
