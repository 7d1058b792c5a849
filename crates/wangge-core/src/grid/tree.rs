//! [`GridTree`]: the grid nodes indexed for the questions the app asks all the time —
//! who is above this grid, what lies below it, is this record inside my part of the tree,
//! and which node owns each rung of the escalation ladder for an issue here.

use std::collections::HashMap;

use super::{EscalationLevel, Grid, GridCode};
use crate::{DomainError, GridId};

/// A checked forest of grid nodes.
///
/// A node whose parent is not in the list is a root: a device holds only its own part of
/// the tree, so the top of that part has a parent it has never seen.
#[derive(Debug, Clone)]
pub struct GridTree {
    grids: Vec<Grid>,
    index: HashMap<GridId, usize>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
}

impl GridTree {
    /// Indexes the nodes, refusing duplicate ids, codes that do not fit their level or
    /// their parent's code, and children that are not below their parent's level.
    pub fn build(grids: Vec<Grid>) -> Result<GridTree, DomainError> {
        let mut index = HashMap::with_capacity(grids.len());
        for (i, g) in grids.iter().enumerate() {
            if index.insert(g.id.clone(), i).is_some() {
                return Err(DomainError::DuplicateGridId { grid: g.id.clone() });
            }
            if g.code.as_ref().is_some_and(|c| !c.fits(g.level)) {
                return Err(DomainError::GridCodeLevelMismatch { grid: g.id.clone(), level: g.level });
            }
        }
        let parent = grids.iter().map(|g| check_parent(g, &grids, &index)).collect::<Result<Vec<_>, _>>()?;
        let mut children = vec![Vec::new(); grids.len()];
        let mut roots = Vec::new();
        for (i, p) in parent.iter().enumerate() {
            match p {
                Some(p) => children[*p].push(i),
                None => roots.push(i),
            }
        }
        // Coded grids in code order, uncoded ones after them by id (stable either way).
        let key = |i: &usize| (grids[*i].code.is_none(), grids[*i].code.clone(), grids[*i].id.clone());
        let by_code = |a: &usize, b: &usize| key(a).cmp(&key(b));
        children.iter_mut().for_each(|c| crate::sort::sort_by(c, by_code));
        crate::sort::sort_by(&mut roots, by_code);
        Ok(GridTree { grids, index, parent, children, roots })
    }

    /// Every node, in the order given to [`GridTree::build`].
    pub fn grids(&self) -> &[Grid] {
        &self.grids
    }

    /// The node with this id.
    pub fn get(&self, id: &GridId) -> Option<&Grid> {
        self.index.get(id).map(|i| &self.grids[*i])
    }

    /// The top nodes, ordered by code.
    pub fn roots(&self) -> impl Iterator<Item = &Grid> {
        self.roots.iter().map(|i| &self.grids[*i])
    }

    /// The node's parent, if it is in the tree.
    pub fn parent(&self, id: &GridId) -> Option<&Grid> {
        let i = *self.index.get(id)?;
        self.parent[i].map(|p| &self.grids[p])
    }

    /// The node's direct children, ordered by code (empty for an unknown id).
    pub fn children(&self, id: &GridId) -> impl Iterator<Item = &Grid> {
        let kids = self.index.get(id).map(|i| self.children[*i].as_slice()).unwrap_or(&[]);
        kids.iter().map(|i| &self.grids[*i])
    }

    /// The node's ancestors, nearest first, not including the node.
    pub fn ancestors(&self, id: &GridId) -> Vec<&Grid> {
        let mut out = Vec::new();
        let mut at = self.index.get(id).and_then(|i| self.parent[*i]);
        while let Some(i) = at {
            out.push(&self.grids[i]);
            at = self.parent[i];
        }
        out
    }

    /// Everything below the node, depth first in code order, not including the node.
    pub fn descendants(&self, id: &GridId) -> Vec<&Grid> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = match self.index.get(id) {
            Some(i) => self.children[*i].iter().rev().copied().collect(),
            None => return out,
        };
        while let Some(i) = stack.pop() {
            out.push(&self.grids[i]);
            stack.extend(self.children[i].iter().rev());
        }
        out
    }

    /// Whether `node` is `ancestor` itself or lies inside its subtree. Walks up from `node`,
    /// so it costs at most the depth of the tree (five levels).
    pub fn contains(&self, ancestor: &GridId, node: &GridId) -> bool {
        let (Some(a), Some(mut at)) = (self.index.get(ancestor), self.index.get(node).copied()) else {
            return false;
        };
        loop {
            if at == *a {
                return true;
            }
            match self.parent[at] {
                Some(p) => at = p,
                None => return false,
            }
        }
    }

    /// Names from the root down to the node, e.g. ["綦江区", "古南街道", "綦齿社区", "二村"].
    pub fn path_names(&self, id: &GridId) -> Vec<&str> {
        let mut names: Vec<&str> = self.ancestors(id).iter().map(|g| g.name.as_str()).collect();
        names.reverse();
        names.extend(self.get(id).map(|g| g.name.as_str()));
        names
    }

    /// The node that owns `rung` of the escalation ladder for an issue in grid `id`: the
    /// grid itself for the grid rung, else the nearest node (itself or an ancestor) of the
    /// rung's grid level. `None` if the tree holds no such node.
    pub fn owner(&self, id: &GridId, rung: EscalationLevel) -> Option<&Grid> {
        let own = self.get(id)?;
        let Some(level) = rung.owning_grid_level() else {
            return Some(own);
        };
        std::iter::once(own).chain(self.ancestors(id)).find(|g| g.level == level)
    }

    /// The whole ladder for an issue in grid `id`: each rung with the node that owns it.
    pub fn ladder(&self, id: &GridId) -> Vec<(EscalationLevel, &Grid)> {
        EscalationLevel::ALL.iter().filter_map(|rung| self.owner(id, *rung).map(|g| (*rung, g))).collect()
    }
}

fn check_parent(g: &Grid, grids: &[Grid], index: &HashMap<GridId, usize>) -> Result<Option<usize>, DomainError> {
    let Some(p) = g.parent.as_ref().and_then(|p| index.get(p)).copied() else {
        return Ok(None);
    };
    let parent = &grids[p];
    if g.level.depth() <= parent.level.depth() {
        return Err(DomainError::GridLevelNotBelowParent { grid: g.id.clone() });
    }
    let n = GridCode::significant_len(parent.level);
    let differs = match (&g.code, &parent.code) {
        (Some(c), Some(pc)) => c.as_str()[..n] != pc.as_str()[..n],
        // A code is checked against its parent's only when both have one.
        _ => false,
    };
    if differs {
        return Err(DomainError::GridCodeNotUnderParent { grid: g.id.clone() });
    }
    Ok(Some(p))
}

/// Refuses a record in `target` unless it lies inside the subtree of the worker's own grid.
/// The server runs this on every pushed mutation and pulled row; the app runs it before
/// saving so a worker learns at once, offline, that a record is not theirs.
pub fn ensure_in_scope(tree: &GridTree, worker_grid: &GridId, target: &GridId) -> Result<(), DomainError> {
    for id in [worker_grid, target] {
        if tree.get(id).is_none() {
            return Err(DomainError::UnknownGrid { grid: id.clone() });
        }
    }
    if tree.contains(worker_grid, target) {
        Ok(())
    } else {
        Err(DomainError::OutOfScope { target: target.clone(), scope: worker_grid.clone() })
    }
}

#[cfg(test)]
#[path = "tree_tests.rs"]
mod tests;
