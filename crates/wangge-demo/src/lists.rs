//! 綦齿社区's three lists (三张清单) in the demo, after seed reports 001/002: resources (the
//! old gear works' 党群服务中心 meeting room, 区妇幼保健院's monthly free clinic, the property
//! firm's truck), projects (健康义诊上门 under way with a partner unit and a budget;
//! 垃圾分类宣传 done) and needs (a ramp for the old buildings, still open; meals for an elderly
//! resident living alone, matched to the truck and claimed by an in-service party member;
//! home visits by doctors, met through the project).
//!
//! Resources and projects belong to the community (the secretary keeps them); needs to
//! the group they come from (二村 and 一村), so the grid worker there sees them. Fixed ids
//! (`demo-list-…`) whatever the seed, a fixed handful whatever the size; each entry is
//! checked by the core's `lists::check`.

use super::places::grid_id;
use super::world::World;
use super::{names, DEMO_COMMUNITY_SECRETARY, DEMO_GRID_WORKER};
use wangge_core::household::{Household, HouseholdTag};
use wangge_core::lists::{check, ListEntry, ListKind, ProjectStatus};
use wangge_core::people::Role;
use wangge_core::unit::Unit;
use wangge_core::{CommentText, Description, GridId, IssueTitle, ListEntryId, PersonId, DAY_MILLIS};

const QICHI: &str = "500110001001000";
const YICUN: &str = "500110001001001";

/// The demo's list entries.
pub(super) fn entries(world: &mut World, households: &[Household], units: &[Unit]) -> Vec<ListEntry> {
    let qichi = grid_id(QICHI);
    let erchun = grid_id(DEMO_GRID_WORKER.grid_code);
    let secretary = PersonId::parse(DEMO_COMMUNITY_SECRETARY.person_id).expect("valid");
    let worker = PersonId::parse(DEMO_GRID_WORKER.person_id).expect("valid");
    let now = world.now;
    let unit = |name: &str| units.iter().find(|u| u.name.as_str() == name).map(|u| u.id.clone());
    let blank = |id: &str, kind, grid: &GridId, title: &str, days: i64, by: &PersonId| ListEntry {
        id: ListEntryId::parse(id).expect("demo ids are valid"),
        kind,
        grid: grid.clone(),
        title: IssueTitle::parse(title).expect("short"),
        description: None,
        recorder: by.clone(),
        recorded_at: now - days * DAY_MILLIS,
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
    };
    let note = |s: &str| CommentText::parse(s).ok();
    let mut out = Vec::new();

    let mut room = blank("demo-list-room", ListKind::Resource, &qichi, "党群服务中心会议室", 120, &secretary);
    room.unit = unit("原綦江齿轮厂留守处");
    room.description = Description::parse("原齿轮厂党群服务中心二楼会议室,可坐40人,有投影。").ok();
    room.availability = note("工作日白天,提前一天预约");
    out.push(room);

    let mut clinic = blank("demo-list-clinic", ListKind::Resource, &qichi, "区妇幼保健院义诊", 100, &secretary);
    let gender = names::gender(&mut world.rng);
    clinic.contact = Some(names::name(&mut world.rng, gender));
    clinic.phone = Some(world.phone());
    clinic.description = Description::parse("区妇幼保健院医生志愿服务:量血压、测血糖、健康咨询。").ok();
    clinic.availability = note("每月一次,第二个周六上午");
    out.push(clinic);

    let mut truck = blank("demo-list-truck", ListKind::Resource, &qichi, "物业公司小货车", 90, &secretary);
    truck.unit = unit("二村小区物业服务中心");
    truck.availability = note("每天中午可用一小时");
    out.push(truck);

    let mut health = blank("demo-list-health", ListKind::Project, &qichi, "健康义诊上门", 60, &secretary);
    health.unit = unit("綦江区民政局");
    health.budget_yuan = Some(20_000);
    health.status = Some(ProjectStatus::Underway);
    health.description = Description::parse("与区民政局共建:区妇幼保健院医生每月上门,为行动不便的老人义诊。").ok();
    out.push(health);

    let mut sorting = blank("demo-list-sorting", ListKind::Project, &qichi, "垃圾分类宣传", 150, &secretary);
    sorting.unit = unit("綦齿小学");
    sorting.budget_yuan = Some(5_000);
    sorting.status = Some(ProjectStatus::Done);
    sorting.description = Description::parse("与綦齿小学共建:小手拉大手,入户发放分类指南,设置分类投放点。").ok();
    out.push(sorting);

    let mut ramp = blank("demo-list-ramp", ListKind::Need, &erchun, "老楼加装无障碍坡道", 12, &worker);
    ramp.description = Description::parse("二村老楼单元门口有三级台阶,坐轮椅的老人出不了门。").ok();
    out.push(ramp);

    let mut meals = blank("demo-list-meals", ListKind::Need, &erchun, "独居老人助餐", 20, &worker);
    meals.household = alone_in(households, &erchun);
    meals.description = Description::parse("独居老人腿脚不便,做饭困难,希望每天送一顿午饭。").ok();
    meals.matched_to = Some(ListEntryId::parse("demo-list-truck").expect("valid"));
    meals.claimed_by = party_member(world, &qichi);
    out.push(meals);

    let yicun = grid_id(YICUN);
    let mut visit = blank("demo-list-doctor", ListKind::Need, &yicun, "行动不便老人希望医生上门看病", 45, &secretary);
    visit.household = alone_in(households, &yicun);
    visit.matched_to = Some(ListEntryId::parse("demo-list-health").expect("valid"));
    visit.fulfilled_at = Some(world.now - 10 * DAY_MILLIS);
    visit.outcome = note("区妇幼保健院医生已上门两次,开了降压药,约定每月回访");
    out.push(visit);

    for e in &out {
        check(e).unwrap_or_else(|err| panic!("demo list entry refused: {} ({})", err.message_en(), e.title));
    }
    out
}

/// A household of an elderly resident living alone in `grid`, if the demo has one.
fn alone_in(households: &[Household], grid: &GridId) -> Option<wangge_core::HouseholdId> {
    households.iter().find(|h| &h.grid == grid && h.has_tag(HouseholdTag::LivingAloneElderly)).map(|h| h.id.clone())
}

/// An active party member of the community who is not its secretary: the in-service party
/// member who claims a need (认领).
fn party_member(world: &World, community: &GridId) -> Option<PersonId> {
    let secretary = world.staff.secretaries.get(community);
    world
        .people
        .iter()
        .filter(|p| &p.grid == community && p.active && p.has_role(Role::PartyMember))
        .find(|p| Some(&p.id) != secretary && p.has_role(Role::RedSteward))
        .map(|p| p.id.clone())
}
