//! The escalation ladder: "小事不出网格,大事不出社区,难事不出镇街" — small matters stay
//! in the grid, big ones in the community, hard ones in the town; only the rest go up to
//! the district.

use super::GridLevel;

labelled_enum! {
    /// The rung of the ladder an issue is being handled at.
    pub enum EscalationLevel {
        /// The grid where the issue was reported (网格).
        Grid = "grid", "网格", "Grid";
        /// The village or community (村/社区).
        Community = "community", "村(社区)", "Village / community";
        /// The town or subdistrict (镇街).
        Town = "town", "镇街", "Town / subdistrict";
        /// The district or county (区县), the top rung.
        District = "district", "区县", "District / county";
    }
}

impl EscalationLevel {
    /// The rung above, or `None` at the district.
    pub const fn next(self) -> Option<EscalationLevel> {
        match self {
            EscalationLevel::Grid => Some(EscalationLevel::Community),
            EscalationLevel::Community => Some(EscalationLevel::Town),
            EscalationLevel::Town => Some(EscalationLevel::District),
            EscalationLevel::District => None,
        }
    }

    /// The rung below, or `None` at the grid.
    pub const fn below(self) -> Option<EscalationLevel> {
        match self {
            EscalationLevel::Grid => None,
            EscalationLevel::Community => Some(EscalationLevel::Grid),
            EscalationLevel::Town => Some(EscalationLevel::Community),
            EscalationLevel::District => Some(EscalationLevel::Town),
        }
    }

    /// The grid level whose node owns this rung; `None` for the grid rung, which is owned
    /// by the issue's own grid whatever its level.
    pub const fn owning_grid_level(self) -> Option<GridLevel> {
        match self {
            EscalationLevel::Grid => None,
            EscalationLevel::Community => Some(GridLevel::Community),
            EscalationLevel::Town => Some(GridLevel::Town),
            EscalationLevel::District => Some(GridLevel::District),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ladder_climbs_one_rung_at_a_time_and_stops_at_the_district() {
        let mut level = EscalationLevel::Grid;
        let mut climbed = vec![level];
        while let Some(next) = level.next() {
            assert_eq!(next.below(), Some(level));
            level = next;
            climbed.push(level);
        }
        assert_eq!(climbed, EscalationLevel::ALL);
    }
}
