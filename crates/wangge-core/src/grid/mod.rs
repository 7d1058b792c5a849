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
    /// National-style 15-digit code.
    pub code: GridCode,
}
