//! The grids a worker may report an issue in: their home grid and everything below it,
//! from the `grids` store, indented by depth so the tree reads at a glance.

use wangge_core::grid::{Grid, GridTree};
use wangge_core::GridId;

/// One choice in the grid picker.
#[derive(Debug, Clone, PartialEq)]
pub struct GridChoice {
    pub id: String,
    /// The name, indented by depth below the home grid.
    pub label: String,
}

/// The home grid and its subtree, in tree order. When the phone lacks the tree (not yet
/// synced), the home grid alone, by id.
pub fn grid_choices(grids: Vec<Grid>, home: &GridId) -> Vec<GridChoice> {
    let fallback = || vec![GridChoice { id: home.to_string(), label: home.to_string() }];
    let Ok(tree) = GridTree::build(grids) else {
        return fallback();
    };
    let Some(root) = tree.get(home) else {
        return fallback();
    };
    let mut out = Vec::new();
    walk(&tree, root, 0, &mut out);
    out
}

fn walk(tree: &GridTree, grid: &Grid, depth: usize, out: &mut Vec<GridChoice>) {
    // Ideographic spaces indent evenly in Chinese text.
    out.push(GridChoice { id: grid.id.to_string(), label: format!("{}{}", "\u{3000}".repeat(depth), grid.name) });
    for child in tree.children(&grid.id) {
        walk(tree, child, depth + 1, out);
    }
}
