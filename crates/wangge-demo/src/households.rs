//! Demo households and units. Tag frequencies are rough guesses at an old urban
//! community and a mountain village: many retired factory staff in 綦齿社区 (the former
//! gear works' housing), left-behind children and low-income families in the villages,
//! floating population in the newer compounds.

use std::collections::BTreeSet;

use super::names;
use super::places::is_village;
use super::world::World;
use wangge_core::grid::GridLevel;
use wangge_core::household::{
    BirthYear, Gender, Household, HouseholdStatus, HouseholdTag, Member, MemberStatus, Members, Relation,
};
use wangge_core::unit::{Unit, UnitKind};
use wangge_core::MemberId;
use wangge_core::{Address, GridId, HouseholdId, UnitId, UnitName};

/// Where a household lives, which decides its address style and tag odds.
#[derive(Clone, Copy, PartialEq)]
enum Setting {
    GearWorks,
    Urban,
    Village,
}

/// `count` households spread evenly over the home grids.
pub(super) fn households(world: &mut World, count: u32) -> Vec<Household> {
    let homes = world.homes.clone();
    (0..count as usize).map(|i| household(world, &homes[i % homes.len()], i / homes.len() + 1)).collect()
}

fn setting(world: &World, grid: &GridId) -> Setting {
    let community = world.tree.get(&world.up(grid, GridLevel::Community)).expect("in tree");
    match community.name.as_str() {
        "綦齿社区" => Setting::GearWorks,
        name if is_village(name) => Setting::Village,
        _ => Setting::Urban,
    }
}

fn household(world: &mut World, grid: &GridId, number: usize) -> Household {
    let setting = setting(world, grid);
    let address = address(world, grid, number);
    let tags = tags(world, setting);
    let members = members(world, &tags);
    Household {
        id: HouseholdId::generate(world.now, world.rng.id_bytes()),
        grid: grid.clone(),
        address: Address::parse(&address).expect("demo addresses are short"),
        tags,
        status: HouseholdStatus::Present,
        merged_into: None,
        members: numbered(members),
    }
}

/// Gives each demo member a short id within the household ("m1", "m2" …): ids need only
/// be unique in their household, and numbering uses no randomness, so the rest of the
/// demo stays as it was before members had ids.
pub(super) fn numbered(members: Vec<Member>) -> Members {
    members
        .into_iter()
        .enumerate()
        .map(|(i, m)| (MemberId::parse(format!("m{}", i + 1)).expect("short id"), m))
        .collect()
}

/// A flat in a building ("二村小区3栋2单元501"), else a house number in the group.
fn address(world: &World, grid: &GridId, number: usize) -> String {
    let g = world.tree.get(grid).expect("in tree");
    if g.level == GridLevel::Building {
        let (unit, floor, room) = (1 + number % 3, 1 + (number / 3) % 18, 1 + number % 4);
        return format!("{}{unit}单元{floor}{room:02}", g.name);
    }
    let community = world.tree.get(&world.up(grid, GridLevel::Community)).expect("in tree");
    format!("{}{}{number}号", community.name, g.name)
}

fn tags(world: &mut World, setting: Setting) -> BTreeSet<HouseholdTag> {
    use HouseholdTag::*;
    let village = setting == Setting::Village;
    let odds: [(HouseholdTag, u32); 8] = [
        (LivingAloneElderly, if village { 120 } else { 80 }),
        (Disabled, 40),
        (LowIncome, if village { 80 } else { 40 }),
        (SeriousIllness, 30),
        (LeftBehindChild, if village { 90 } else { 10 }),
        (Veteran, 30),
        (FloatingPopulation, if village { 10 } else { 120 }),
        (
            RetiredStaff,
            match setting {
                Setting::GearWorks => 450,
                Setting::Urban => 80,
                Setting::Village => 5,
            },
        ),
    ];
    odds.iter().filter(|(_, per_mille)| world.rng.chance(*per_mille)).map(|(t, _)| *t).collect()
}

fn members(world: &mut World, tags: &BTreeSet<HouseholdTag>) -> Vec<Member> {
    let surname = names::surname(&mut world.rng);
    if tags.contains(&HouseholdTag::LivingAloneElderly) {
        let (age, gender) = (world.rng.between(70, 94), names::gender(&mut world.rng));
        return vec![member(world, surname, gender, age, Relation::Head)];
    }
    let head_age = world.rng.between(28, 85);
    let mut out = vec![member(world, surname, Gender::Male, head_age, Relation::Head)];
    if world.rng.chance(800) {
        let age = (head_age + world.rng.between(-5, 3)).max(20);
        let spouse_surname = names::surname(&mut world.rng);
        out.push(member(world, spouse_surname, Gender::Female, age, Relation::Spouse));
    }
    let children = if head_age < 70 { world.rng.between(0, 2) } else { 0 };
    for _ in 0..children {
        let age = (head_age - world.rng.between(22, 32)).max(0);
        let gender = names::gender(&mut world.rng);
        out.push(member(world, surname, gender, age, Relation::Child));
    }
    // Left-behind children live with their grandparents while the parents work away.
    if tags.contains(&HouseholdTag::LeftBehindChild) {
        let (age, gender) = (world.rng.between(5, 14), names::gender(&mut world.rng));
        out.push(member(world, surname, gender, age, Relation::Grandchild));
    }
    out
}

fn member(world: &mut World, surname: &str, gender: Gender, age: i64, relation: Relation) -> Member {
    let born = world.today.year() - age as i32;
    Member {
        name: names::name_with(&mut world.rng, surname, gender),
        gender,
        birth_year: BirthYear::parse(born, world.today).expect("demo ages are 0..95"),
        phone: (age >= 16 && world.rng.chance(850)).then(|| world.phone()),
        relation,
        status: MemberStatus::Present,
        id_last4: None,
    }
}

/// Units named in the seed reports (made anonymous), by community name.
const NAMED_UNITS: &[(&str, &str, UnitKind)] = &[
    ("綦齿社区", "原綦江齿轮厂留守处", UnitKind::Enterprise),
    ("綦齿社区", "二村小区物业服务中心", UnitKind::PropertyFirm),
    ("新街子社区", "元屏大道汽车修理厂", UnitKind::Shop),
    ("新街子社区", "御景江湾物业", UnitKind::PropertyFirm),
    ("新街子社区", "某机械制造有限公司", UnitKind::Enterprise),
    ("沙溪社区", "君鼎疆上建设公司", UnitKind::Enterprise),
    ("沙溪社区", "沙溪社区小学", UnitKind::School),
    ("西池社区", "梁山街道农商银行网点", UnitKind::Bank),
    ("长塘村", "某酒业有限公司", UnitKind::Enterprise),
];

const SHOP_KINDS: &[(&str, UnitKind)] = &[
    ("便利店", UnitKind::Shop),
    ("快递驿站", UnitKind::Shop),
    ("小面馆", UnitKind::Shop),
    ("建材厂", UnitKind::Enterprise),
    ("幼儿园", UnitKind::School),
    ("农资店", UnitKind::Shop),
    ("药房", UnitKind::Other),
    ("银行网点", UnitKind::Bank),
];

/// The named units plus about one small unit per 60 households.
pub(super) fn units(world: &mut World, households: u32) -> Vec<Unit> {
    let communities: Vec<(GridId, String)> = world
        .tree
        .grids()
        .iter()
        .filter(|g| g.level == GridLevel::Community)
        .map(|g| (g.id.clone(), g.name.to_string()))
        .collect();
    let mut out = Vec::new();
    for (community, name, kind) in NAMED_UNITS {
        let (grid, _) = communities.iter().find(|(_, n)| n == community).expect("named");
        out.push(unit(world, grid.clone(), name.to_string(), *kind));
    }
    for i in 0..households / 60 {
        let home = world.homes[(i as usize * 7) % world.homes.len()].clone();
        let (suffix, kind) = *world.rng.pick(SHOP_KINDS);
        let name = format!("{}记{suffix}", names::surname(&mut world.rng));
        out.push(unit(world, home, name, kind));
    }
    out
}

fn unit(world: &mut World, grid: GridId, name: String, kind: UnitKind) -> Unit {
    let grid_name = world.tree.get(&grid).expect("in tree").name.to_string();
    let gender = names::gender(&mut world.rng);
    Unit {
        id: UnitId::generate(world.now, world.rng.id_bytes()),
        grid,
        name: UnitName::parse(&name).expect("demo unit names are short"),
        kind,
        address: Address::parse(&format!("{grid_name}{}号", world.rng.between(1, 200))).expect("short"),
        contact: Some(names::name(&mut world.rng, gender)),
        phone: Some(world.phone()),
        contact_person: None,
    }
}
