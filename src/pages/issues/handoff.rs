//! Pure helpers for hand-offs (交办) shared by the detail screen and Today: the due date
//! a hand-over form starts with and accepts, how a due day reads, and the units a
//! picker offers, grouped as a secretary looks for them.

use std::collections::HashMap;

use wangge_core::unit::{Unit, UnitKind};
use wangge_core::{Date, DomainError, Millis};

use crate::i18n::handoff::due_by;
use crate::i18n::Lang;

/// Days a hand-off is given unless the secretary says otherwise.
pub const DEFAULT_DAYS: i64 = 7;

/// What is wrong with a typed due date.
#[derive(Debug, Clone, PartialEq)]
pub enum DueError {
    /// Not a date (the core's message).
    Core(DomainError),
    /// A day already gone: a unit cannot be asked to finish yesterday.
    Past,
}

/// The date input's starting value: a week from today, China time (`2026-12-14`).
pub fn default_due(now: Millis) -> String {
    Date::of_millis(now).add_days(DEFAULT_DAYS).to_string()
}

/// An optional due date, as the end of that day in China time (as issues' own due dates
/// are kept), refusing a day before today.
pub fn parse_due(input: &str, now: Millis) -> Result<Option<Millis>, DueError> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let day = Date::parse(input).map_err(DueError::Core)?;
    if day < Date::of_millis(now) {
        return Err(DueError::Past);
    }
    Ok(Some(day.add_days(1).start_millis() - 1))
}

/// "限 11月30日前" for a due instant.
pub fn due_text(due: Millis, lang: Lang) -> String {
    let day = Date::of_millis(due);
    due_by(day.month(), day.day(), lang)
}

/// One group of the unit picker: district departments, or the local units of one grid.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitGroup {
    /// `None` for the district departments; else the grid's name (its id if unknown).
    pub grid: Option<String>,
    pub units: Vec<Unit>,
}

/// Departments first (the usual place an issue goes), then the local units grid by grid;
/// by name within a group.
pub fn unit_groups(units: &[Unit], grid_names: &HashMap<String, String>) -> Vec<UnitGroup> {
    let mut sorted: Vec<&Unit> = units.iter().collect();
    let grid_of = |u: &Unit| grid_names.get(u.grid.as_str()).cloned().unwrap_or_else(|| u.grid.to_string());
    let key = |u: &&Unit| (u.kind != UnitKind::Department, grid_of(u), u.name.to_string());
    wangge_core::sort::sort_by(&mut sorted, |a, b| key(a).cmp(&key(b)));
    let mut groups: Vec<UnitGroup> = Vec::new();
    for u in sorted {
        let grid = (u.kind != UnitKind::Department).then(|| grid_of(u));
        match groups.last_mut() {
            Some(g) if g.grid == grid => g.units.push(u.clone()),
            _ => groups.push(UnitGroup { grid, units: vec![u.clone()] }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use wangge_core::{Address, GridId, UnitId, UnitName};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn unit(id: &str, grid: &str, name: &str, kind: UnitKind) -> Unit {
        Unit {
            id: UnitId::parse(id).unwrap(),
            grid: GridId::parse(grid).unwrap(),
            name: UnitName::parse(name).unwrap(),
            kind,
            address: Address::parse("某路1号").unwrap(),
            contact: None,
            phone: None,
            contact_person: None,
        }
    }

    #[wasm_bindgen_test]
    fn departments_come_first_then_units_grid_by_grid() {
        let names: HashMap<String, String> =
            [("g1".to_string(), "一网格".to_string()), ("g2".to_string(), "二网格".to_string())].into();
        let units = [
            unit("u1", "g2", "银行", UnitKind::Bank),
            unit("u2", "d", "区城管局", UnitKind::Department),
            unit("u3", "g1", "学校", UnitKind::School),
            unit("u4", "d", "区住建局", UnitKind::Department),
        ];
        let groups = unit_groups(&units, &names);
        let shape: Vec<_> = groups
            .iter()
            .map(|g| (g.grid.clone(), g.units.iter().map(|u| u.id.to_string()).collect::<Vec<_>>()))
            .collect();
        assert_eq!(
            shape,
            [
                (None, vec!["u4".to_string(), "u2".to_string()]),
                (Some("一网格".to_string()), vec!["u3".to_string()]),
                (Some("二网格".to_string()), vec!["u1".to_string()]),
            ]
        );
    }

    #[wasm_bindgen_test]
    fn a_due_date_before_today_is_refused_and_today_is_the_end_of_today() {
        let now = Date::parse("2026-11-20").unwrap().start_millis() + 3_600_000;
        assert_eq!(parse_due("2026-11-19", now), Err(DueError::Past));
        assert_eq!(parse_due(" ", now), Ok(None));
        let end = Date::parse("2026-11-21").unwrap().start_millis() - 1;
        assert_eq!(parse_due("2026-11-20", now), Ok(Some(end)));
        assert!(matches!(parse_due("明天", now), Err(DueError::Core(_))));
        assert_eq!(default_due(now), "2026-11-27");
        assert_eq!(due_text(end, Lang::Zh), "限 11月20日前");
    }
}
