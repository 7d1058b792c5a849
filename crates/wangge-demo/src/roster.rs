//! Demo people: the three well-known demo accounts, then a grid worker per group, a
//! secretary, staff, first secretary, committee member, police officer, red stewards and
//! volunteers per community, staff and a mediator per town, staff per district.

use super::world::World;
use super::{DEMO_COMMUNITY_SECRETARY, DEMO_GRID_WORKER, DEMO_TOWN_OFFICIAL};
use wangge_core::grid::{Grid, GridLevel};
use wangge_core::people::Role;
use wangge_core::GridId;

/// Fills the roster and the post-holder tables.
pub(super) fn people(world: &mut World) {
    let grids: Vec<Grid> = world.tree.grids().to_vec();
    for g in &grids {
        match g.level {
            GridLevel::District => district(world, &g.id),
            GridLevel::Town => town(world, &g.id, demo_code(g)),
            GridLevel::Community => community(world, &g.id, demo_code(g)),
            GridLevel::Group => group(world, &g.id, demo_code(g)),
            GridLevel::Building => building(world, &g.id),
        }
    }
}

fn fixed(code: &str, wanted: &str, account: &'static str) -> Option<&'static str> {
    (code == wanted).then_some(account)
}

fn district(world: &mut World, id: &GridId) {
    let a = world.add_person(None, id, &[Role::DistrictStaff, Role::PartyMember]);
    let b = world.add_person(None, id, &[Role::DistrictStaff]);
    world.staff.district_staff.insert(id.clone(), [a, b]);
}

fn town(world: &mut World, id: &GridId, code: &str) {
    let account = fixed(code, DEMO_TOWN_OFFICIAL.grid_code, DEMO_TOWN_OFFICIAL.person_id);
    let a = world.add_person(account, id, &[Role::TownStaff, Role::PartyMember]);
    let b = world.add_person(None, id, &[Role::TownStaff]);
    let m = world.add_person(None, id, &[Role::Mediator]);
    world.staff.town_staff.insert(id.clone(), [a, b]);
    world.staff.mediators.insert(id.clone(), m);
}

fn community(world: &mut World, id: &GridId, code: &str) {
    let account = fixed(code, DEMO_COMMUNITY_SECRETARY.grid_code, DEMO_COMMUNITY_SECRETARY.person_id);
    let sec = world.add_person(account, id, &[Role::CommunitySecretary, Role::PartyMember]);
    let staff = world.add_person(None, id, &[Role::CommunityStaff, Role::GridWorker]);
    let first = world.add_person(None, id, &[Role::FirstSecretary, Role::PartyMember]);
    world.add_person(None, id, &[Role::CommitteeMember, Role::PartyMember]);
    world.add_person(None, id, &[Role::CommunityPolice]);
    world.add_person(None, id, &[Role::Mentor, Role::PartyMember]);
    for _ in 0..2 {
        world.add_person(None, id, &[Role::Volunteer]);
    }
    let groups = world.tree.children(id).count();
    let stewards =
        (0..2 + groups).map(|_| world.add_person(None, id, &[Role::RedSteward, Role::PartyMember])).collect();
    world.staff.secretaries.insert(id.clone(), sec);
    world.staff.community_staff.insert(id.clone(), staff);
    world.staff.first_secretaries.insert(id.clone(), first);
    world.staff.red_stewards.insert(id.clone(), stewards);
}

fn group(world: &mut World, id: &GridId, code: &str) {
    let account = fixed(code, DEMO_GRID_WORKER.grid_code, DEMO_GRID_WORKER.person_id);
    let worker = world.add_person(account, id, &[Role::GridWorker]);
    world.staff.workers.insert(id.clone(), worker);
    let head = if world.rng.chance(500) { Role::CourtyardHead } else { Role::SectionHead };
    world.add_person(None, id, &[head, Role::HouseholdHead]);
}

fn building(world: &mut World, id: &GridId) {
    world.add_person(None, id, &[Role::BuildingHead, Role::Volunteer]);
}

/// Demo grids always carry a code (the generator gives every one).
fn demo_code(g: &Grid) -> &str {
    g.code.as_ref().map_or("", |c| c.as_str())
}
