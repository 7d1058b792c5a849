//! A grid tree for unit tests, from `(id, level, parent)` triples: the tests of the
//! committee figures, meetings, mediation, tasks, emergencies and the assessment each
//! build a small 古南街道 → 綦齿社区 → 一村 … tree, and used to spell out every `Grid`.

use crate::grid::{Grid, GridLevel, GridTree};
use crate::{GridId, GridName};

/// The tree of `nodes`, each named by its id; panics on a malformed tree (a test bug).
pub(crate) fn tree_of(nodes: &[(&str, GridLevel, Option<&str>)]) -> GridTree {
    let gid = |s: &str| GridId::parse(s).unwrap();
    let grids = nodes
        .iter()
        .map(|&(id, level, parent)| Grid {
            id: gid(id),
            name: GridName::parse(id).unwrap(),
            level,
            parent: parent.map(gid),
            code: None,
            retired: false,
        })
        .collect();
    GridTree::build(grids).unwrap()
}
