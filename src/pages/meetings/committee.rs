//! Who can sit in a community's meeting, from the people on the phone: the joint
//! committee (大党委) of the community — people of its subtree and of the grids above it
//! with a committee role — plus unit contacts; and who can host it.

use wangge_core::grid::{GridLevel, GridTree};
use wangge_core::meeting::MeetingKind;
use wangge_core::people::{Person, Role};
use wangge_core::GridId;

/// The roles that make someone a member of the joint committee.
const COMMITTEE: [Role; 6] = [
    Role::FirstSecretary,
    Role::CommitteeMember,
    Role::CommunityPolice,
    Role::CommunitySecretary,
    Role::CommunityStaff,
    Role::UnitContact,
];

/// Leaders who may lead an on-site office besides the committee.
const LEADERS: [Role; 2] = [Role::TownStaff, Role::DistrictStaff];

/// The community a grid belongs to: itself if it is one, else its community ancestor.
pub fn community_of(tree: &GridTree, grid: &GridId) -> GridId {
    let here = tree.get(grid).filter(|g| g.level == GridLevel::Community).map(|g| g.id.clone());
    here.or_else(|| tree.ancestors(grid).into_iter().find(|g| g.level == GridLevel::Community).map(|g| g.id.clone()))
        .unwrap_or_else(|| grid.clone())
}

/// Whether `person` belongs to `community`'s subtree or a grid above it.
fn near(tree: &GridTree, community: &GridId, person: &Person) -> bool {
    tree.contains(community, &person.grid) || tree.ancestors(community).iter().any(|g| g.id == person.grid)
}

/// The committee of `community`, first secretary first, then by name.
pub fn committee<'a>(tree: &GridTree, community: &GridId, people: &'a [Person]) -> Vec<&'a Person> {
    let mut out: Vec<&Person> = people
        .iter()
        .filter(|p| p.active && near(tree, community, p) && COMMITTEE.iter().any(|r| p.has_role(*r)))
        .collect();
    wangge_core::sort::sort_by_key(&mut out, |p| (!p.has_role(Role::FirstSecretary), p.name.to_string()));
    out
}

/// Who may host: the committee, and for an on-site office the town and district leaders.
pub fn hosts<'a>(tree: &GridTree, community: &GridId, people: &'a [Person], kind: MeetingKind) -> Vec<&'a Person> {
    let mut out = committee(tree, community, people);
    if kind == MeetingKind::OnSiteOffice {
        let leaders =
            people.iter().filter(|p| p.active && near(tree, community, p) && LEADERS.iter().any(|r| p.has_role(*r)));
        out.splice(0..0, leaders);
    }
    out
}

/// The grids a meeting can belong to within `scope`: communities for a joint meeting; for an
/// on-site office also the grids and buildings under them.
pub fn grid_choices(tree: &GridTree, scope: &GridId, kind: MeetingKind) -> Vec<(GridId, String)> {
    let community_depth = GridLevel::Community.depth();
    let mut all: Vec<_> = tree.get(scope).into_iter().collect();
    all.extend(tree.descendants(scope));
    all.into_iter()
        .filter(|g| !g.retired)
        .filter(|g| match kind {
            MeetingKind::JointMeeting => g.level == GridLevel::Community,
            MeetingKind::OnSiteOffice => g.level.depth() >= community_depth,
        })
        .map(|g| (g.id.clone(), grid_name(tree, &g.id)))
        .collect()
}

/// A grid as the minutes name it: a community by its name, a grid under one as "社区 · 网格".
pub fn grid_name(tree: &GridTree, grid: &GridId) -> String {
    let Some(g) = tree.get(grid) else {
        return grid.to_string();
    };
    let community = community_of(tree, grid);
    match tree.get(&community) {
        Some(c) if c.id != g.id => format!("{} · {}", c.name, g.name),
        _ => g.name.to_string(),
    }
}
