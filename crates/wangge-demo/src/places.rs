//! The demo grid tree: the places the seed reports name, in Qijiang (綦江区) and
//! Liangping (梁平区), plus as many extra residents' or villagers' groups as the requested
//! number of households needs (about 150 households per home grid at most).

use wangge_core::grid::{Grid, GridCode, GridLevel};
use wangge_core::{GridId, GridName};

use GridLevel::{Building, Community, District, Group, Town};

/// Households per home grid above which extra groups are added.
const MAX_HOUSEHOLDS_PER_GRID: u32 = 150;

/// One named node: code, name, level, parent's code.
type Node = (&'static str, &'static str, GridLevel, Option<&'static str>);

/// The named skeleton. Codes follow the national pattern; the county codes are Qijiang's
/// and Liangping's real ones, the lower segments are made up.
const SKELETON: &[Node] = &[
    ("500110000000000", "綦江区", District, None),
    ("500110001000000", "古南街道", Town, Some("500110000000000")),
    ("500110001001000", "綦齿社区", Community, Some("500110001000000")),
    ("500110001001001", "一村", Group, Some("500110001001000")),
    ("500110001001002", "二村", Group, Some("500110001001000")),
    ("500110001001021", "二村小区1栋", Building, Some("500110001001002")),
    ("500110001001022", "二村小区2栋", Building, Some("500110001001002")),
    ("500110001001023", "二村小区3栋", Building, Some("500110001001002")),
    ("500110001001024", "二村小区4栋", Building, Some("500110001001002")),
    ("500110001001003", "三村", Group, Some("500110001001000")),
    ("500110001001004", "四村", Group, Some("500110001001000")),
    ("500110001001005", "五村", Group, Some("500110001001000")),
    ("500110001001006", "六村", Group, Some("500110001001000")),
    ("500110001001007", "七村", Group, Some("500110001001000")),
    ("500110002000000", "通惠街道", Town, Some("500110000000000")),
    ("500110002001000", "新街子社区", Community, Some("500110002000000")),
    ("500110002001001", "第一居民小组", Group, Some("500110002001000")),
    ("500110002001002", "第二居民小组", Group, Some("500110002001000")),
    ("500110002001021", "御景江湾小区", Building, Some("500110002001002")),
    ("500110002001003", "第三居民小组", Group, Some("500110002001000")),
    ("500110003000000", "文龙街道", Town, Some("500110000000000")),
    ("500110003001000", "沙溪社区", Community, Some("500110003000000")),
    ("500110003001001", "第一居民小组", Group, Some("500110003001000")),
    ("500110003001002", "第二居民小组", Group, Some("500110003001000")),
    ("500110003001021", "君鼎疆上小区", Building, Some("500110003001002")),
    ("500110105000000", "石壕镇", Town, Some("500110000000000")),
    ("500110105001000", "石壕村", Community, Some("500110105000000")),
    ("500110105001001", "1组", Group, Some("500110105001000")),
    ("500110105001002", "2组", Group, Some("500110105001000")),
    ("500110105001003", "3组", Group, Some("500110105001000")),
    ("500155000000000", "梁平区", District, None),
    ("500155001000000", "梁山街道", Town, Some("500155000000000")),
    ("500155001001000", "西池社区", Community, Some("500155001000000")),
    ("500155001001001", "第一网格", Group, Some("500155001001000")),
    ("500155001001002", "第二网格", Group, Some("500155001001000")),
    ("500155001001003", "第三网格", Group, Some("500155001001000")),
    ("500155120000000", "铁门乡", Town, Some("500155000000000")),
    ("500155120001000", "长塘村", Community, Some("500155120000000")),
    ("500155120001001", "1组", Group, Some("500155120001000")),
    ("500155120001002", "2组", Group, Some("500155120001000")),
    ("500155120001003", "3组", Group, Some("500155120001000")),
    ("500155120001004", "4组", Group, Some("500155120001000")),
    ("500155120001005", "5组", Group, Some("500155120001000")),
    ("500155120001006", "6组", Group, Some("500155120001000")),
];

/// Villages (rural communities) by name: households there live in numbered houses, not flats.
const VILLAGES: &[&str] = &["石壕村", "长塘村"];

/// The demo id of the grid with this code: readable, stable across seeds.
pub(super) fn grid_id(code: &str) -> GridId {
    GridId::parse(format!("g{code}")).expect("g + 15 digits is a valid id")
}

fn make(code: &str, name: &str, level: GridLevel, parent: Option<&str>) -> Grid {
    Grid {
        id: grid_id(code),
        name: GridName::parse(name).expect("demo grid names are short"),
        level,
        parent: parent.map(grid_id),
        code: Some(GridCode::parse(code).expect("demo grid codes have 15 digits")),
        retired: false,
    }
}

/// Whether a community (by name) is a village.
pub(super) fn is_village(name: &str) -> bool {
    VILLAGES.contains(&name)
}

/// The skeleton plus extra groups spread over the communities for `households`.
pub(super) fn grids(households: u32) -> Vec<Grid> {
    let mut grids: Vec<Grid> = SKELETON.iter().map(|(c, n, l, p)| make(c, n, *l, *p)).collect();
    let homes = grids.iter().filter(|g| is_home(g, &grids)).count() as u32;
    let needed = households.div_ceil(MAX_HOUSEHOLDS_PER_GRID);
    let communities: Vec<Grid> = grids.iter().filter(|g| g.level == Community).cloned().collect();
    for i in 0..needed.saturating_sub(homes) {
        let community = &communities[i as usize % communities.len()];
        grids.push(extra_group(community, &grids));
    }
    grids
}

/// A home grid is where households live: a group or building with no grid below it.
pub(super) fn is_home(g: &Grid, all: &[Grid]) -> bool {
    matches!(g.level, Group | Building) && !all.iter().any(|c| c.parent.as_ref() == Some(&g.id))
}

fn extra_group(community: &Grid, grids: &[Grid]) -> Grid {
    let groups = grids.iter().filter(|g| g.parent.as_ref() == Some(&community.id)).count();
    let no = groups as u16 + 1;
    let name = if is_village(community.name.as_str()) { format!("{no}组") } else { format!("第{no}居民小组") };
    let c = community.code.as_ref().map_or("", GridCode::as_str);
    let code = format!("{}{:03}", &c[..12], 100 + no);
    make(&code, &name, Group, Some(c))
}
