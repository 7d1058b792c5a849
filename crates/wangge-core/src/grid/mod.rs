//! The grid tree (网格): district → town/subdistrict → village/community → group →
//! compound/building, its national-style codes, the escalation ladder and scope checks.

mod code;
mod ladder;
mod tree;

pub use code::GridCode;
pub use ladder::EscalationLevel;
pub use tree::{ensure_in_scope, GridTree};

use serde::{Deserialize, Serialize};

use crate::{GridId, GridName};

labelled_enum! {
    /// How deep a grid node sits. Rural and urban trees share the levels: a village sits
    /// where a community does, a villagers' group where a residents' group does.
    pub enum GridLevel {
        /// 区/县.
        District = "district", "区县", "District / county";
        /// 镇/乡/街道.
        Town = "town", "镇街", "Town / subdistrict";
        /// 村/社区.
        Community = "community", "村(社区)", "Village / community";
        /// 村民小组/居民小组.
        Group = "group", "小组", "Villagers' / residents' group";
        /// 小区/楼栋.
        Building = "building", "小区楼栋", "Compound / building";
    }
}

impl GridLevel {
    /// 0 for a district, 4 for a building: a child must be deeper than its parent.
    pub const fn depth(self) -> u8 {
        match self {
            GridLevel::District => 0,
            GridLevel::Town => 1,
            GridLevel::Community => 2,
            GridLevel::Group => 3,
            GridLevel::Building => 4,
        }
    }
}

/// One node of the grid tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grid {
    /// Id.
    pub id: GridId,
    /// Name, e.g. "綦齿社区" or "二村小区3栋".
    pub name: GridName,
    /// Level.
    pub level: GridLevel,
    /// Parent node; `None` for a root (a district, or the top of a device's partial tree).
    pub parent: Option<GridId>,
    /// National grid code (CJ/T 349: county + town + community + grid sequence, 15
    /// digits), when the district has assigned one. Optional because a community often
    /// builds its tree before the codes come; checked for shape and level when given.
    #[serde(default)]
    pub code: Option<GridCode>,
    /// A retired grid (撤销) stays in the tree and in history, so old records keep their
    /// place and attribution; nothing new is put in it. Serde default: records written
    /// before grids could be retired read as live.
    #[serde(default)]
    pub retired: bool,
}

#[cfg(test)]
mod record_tests {
    use super::*;

    #[test]
    fn a_grid_written_before_codes_were_optional_reads_as_live_and_one_may_have_no_code() {
        let old = r#"{"id":"g1","name":"綦齿社区","level":"community","parent":null,"code":"500110001001000"}"#;
        let g: Grid = serde_json::from_str(old).unwrap();
        assert!(!g.retired);
        assert_eq!(g.code.as_ref().map(GridCode::as_str), Some("500110001001000"));
        let bare: Grid = serde_json::from_str(r#"{"id":"g2","name":"新网格","level":"group","parent":"g1"}"#).unwrap();
        assert_eq!(bare.code, None);
        assert!(GridTree::build(vec![g, bare]).is_ok(), "an uncoded child of a coded parent");
    }
}
