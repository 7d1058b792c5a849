//! Tests of the grid tree on a small Qijiang-shaped example.

use super::*;
use crate::grid::GridLevel;
use crate::GridName;

fn grid(id: &str, name: &str, level: GridLevel, parent: Option<&str>, code: &str) -> Grid {
    Grid {
        id: GridId::parse(id).unwrap(),
        name: GridName::parse(name).unwrap(),
        level,
        parent: parent.map(|p| GridId::parse(p).unwrap()),
        code: Some(GridCode::parse(code).unwrap()),
        retired: false,
    }
}

fn id(s: &str) -> GridId {
    GridId::parse(s).unwrap()
}

fn qijiang() -> Vec<Grid> {
    use GridLevel::*;
    vec![
        grid("qj", "綦江区", District, None, "500110000000000"),
        grid("gn", "古南街道", Town, Some("qj"), "500110001000000"),
        grid("qc", "綦齿社区", Community, Some("gn"), "500110001001000"),
        grid("er", "二村", Group, Some("qc"), "500110001001002"),
        grid("er3", "二村3栋", Building, Some("er"), "500110001001013"),
        grid("th", "通惠街道", Town, Some("qj"), "500110002000000"),
    ]
}

#[test]
fn ancestors_run_nearest_first_and_path_names_root_first() {
    let tree = GridTree::build(qijiang()).unwrap();
    let up: Vec<&str> = tree.ancestors(&id("er3")).iter().map(|g| g.id.as_str()).collect();
    assert_eq!(up, ["er", "qc", "gn", "qj"]);
    assert_eq!(tree.path_names(&id("er3")), ["綦江区", "古南街道", "綦齿社区", "二村", "二村3栋"]);
    assert_eq!(tree.parent(&id("gn")).unwrap().id, id("qj"));
}

#[test]
fn descendants_are_listed_depth_first_in_code_order() {
    let tree = GridTree::build(qijiang()).unwrap();
    let down: Vec<&str> = tree.descendants(&id("qj")).iter().map(|g| g.id.as_str()).collect();
    assert_eq!(down, ["gn", "qc", "er", "er3", "th"]);
    assert!(tree.descendants(&id("nope")).is_empty());
}

#[test]
fn a_building_is_inside_its_community_but_not_another_town() {
    let tree = GridTree::build(qijiang()).unwrap();
    assert!(tree.contains(&id("qc"), &id("er3")));
    assert!(tree.contains(&id("er3"), &id("er3")));
    assert!(!tree.contains(&id("th"), &id("er3")));
    assert!(!tree.contains(&id("er3"), &id("qc")));
}

#[test]
fn the_community_ancestor_owns_the_community_rung_of_a_building_issue() {
    let tree = GridTree::build(qijiang()).unwrap();
    let owner = |rung| tree.owner(&id("er3"), rung).map(|g| g.id.as_str());
    assert_eq!(owner(EscalationLevel::Grid), Some("er3"));
    assert_eq!(owner(EscalationLevel::Community), Some("qc"));
    assert_eq!(owner(EscalationLevel::Town), Some("gn"));
    assert_eq!(owner(EscalationLevel::District), Some("qj"));
    assert_eq!(tree.ladder(&id("er3")).len(), 4);
}

#[test]
fn a_grid_outside_the_workers_subtree_is_out_of_scope() {
    let tree = GridTree::build(qijiang()).unwrap();
    assert!(ensure_in_scope(&tree, &id("qc"), &id("er3")).is_ok());
    let err = ensure_in_scope(&tree, &id("er3"), &id("qc")).unwrap_err();
    assert_eq!(err.code(), "out_of_scope");
    let err = ensure_in_scope(&tree, &id("qc"), &id("ghost")).unwrap_err();
    assert_eq!(err.code(), "unknown_grid");
}

#[test]
fn a_duplicate_id_is_refused() {
    let mut grids = qijiang();
    grids.push(grids[1].clone());
    assert_eq!(GridTree::build(grids).unwrap_err().code(), "duplicate_grid_id");
}

#[test]
fn a_child_code_outside_its_parents_code_is_refused() {
    let mut grids = qijiang();
    grids[2].code = Some(GridCode::parse("500110002001000").unwrap());
    assert_eq!(GridTree::build(grids).unwrap_err().code(), "grid_code_not_under_parent");
}

#[test]
fn a_child_at_its_parents_level_is_refused() {
    let mut grids = qijiang();
    grids[5].level = GridLevel::District;
    grids[5].code = Some(GridCode::parse("500111000000000").unwrap());
    assert_eq!(GridTree::build(grids).unwrap_err().code(), "grid_level_not_below_parent");
}

#[test]
fn a_code_that_does_not_fit_the_level_is_refused() {
    let mut grids = qijiang();
    grids[2].code = Some(GridCode::parse("500110001000000").unwrap());
    assert_eq!(GridTree::build(grids).unwrap_err().code(), "grid_code_level_mismatch");
}

#[test]
fn a_partial_tree_roots_at_its_top_node() {
    let tree = GridTree::build(qijiang().split_off(2)).unwrap();
    let roots: Vec<&str> = tree.roots().map(|g| g.id.as_str()).collect();
    assert_eq!(roots, ["qc", "th"]);
    assert_eq!(tree.owner(&id("er3"), EscalationLevel::Town), None);
}
