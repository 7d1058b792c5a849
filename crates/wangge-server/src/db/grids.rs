//! The grid tree kept by administrators: list the caller's subtree with what lives in
//! each grid, add, rename, recode, move and retire. **Every change is checked by building
//! the whole tree as it would be (core `GridTree::build`: level below the parent, code
//! shape and prefix) before anything is written**, goes through the record feed, and is
//! logged in `admin_log`. A move re-stamps everything in the moved subtree (so devices of
//! the new scope pull it) and evicts it from devices of the old one; a retired grid stays
//! in the tree and in history (`retired: true`), refused only while something lives there.

use std::collections::{HashMap, HashSet};

use super::sql::{params, Conn};
use serde::Serialize;
use wangge_core::grid::{Grid, GridCode, GridLevel, GridTree};
use wangge_core::issue::derive;
use wangge_core::{GridId, GridName};

use super::feed::Feed;
use super::Answer;
use super::{admin, store, DbError};
use crate::account::Caller;
use crate::admin_rules::{GridContents, RefusalKind, Refused};

/// A grid as the administration screens list it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridInfo {
    pub id: GridId,
    pub name: String,
    pub level: GridLevel,
    pub parent: Option<GridId>,
    pub code: Option<String>,
    pub retired: bool,
    pub households: u64,
    pub open_issues: u64,
    pub people: u64,
    /// Grids directly below that are not retired.
    pub children: u64,
}

/// `POST /admin/grids`, parsed.
#[derive(Debug, Clone)]
pub struct NewGrid {
    pub id: GridId,
    pub name: GridName,
    pub level: GridLevel,
    pub parent: GridId,
    pub code: Option<GridCode>,
}

/// `PATCH /admin/grids/{id}`, parsed; `code: Some(None)` clears the code.
#[derive(Debug, Clone, Default)]
pub struct GridChange {
    pub name: Option<GridName>,
    pub parent: Option<GridId>,
    pub code: Option<Option<GridCode>>,
}

pub(super) fn tree(conn: &Conn) -> Result<GridTree, DbError> {
    GridTree::build(store::load_grids(conn)?).map_err(|e| DbError::Corrupt(format!("grid tree: {}", e.code())))
}

/// Open issues per grid: each issue's state derived from its history by the core, the one
/// place that knows what "open" means.
fn open_issues(conn: &Conn, grids: &[&str]) -> Result<HashMap<String, u64>, DbError> {
    let histories = store::issue_histories(
        conn,
        "SELECT issue_id, grid, event FROM issue_events WHERE grid IN (SELECT value FROM json_each(?1)) ORDER BY issue_id",
        &store::to_json(&grids),
    )?;
    let mut out = HashMap::new();
    for (grid, events) in histories.into_values() {
        if derive(&events).state.status.is_open() {
            *out.entry(grid).or_default() += 1;
        }
    }
    Ok(out)
}

const LIVE_IN: &str = "SELECT grid, count(*) FROM records WHERE collection = ?2 AND deleted = 0
     AND grid IN (SELECT value FROM json_each(?1)) GROUP BY grid";

fn live_counts(conn: &Conn, collection: &str, grids: &[&str]) -> Result<HashMap<String, u64>, DbError> {
    let mut stmt = conn.prepare(LIVE_IN)?;
    let rows =
        stmt.query_map(params![store::to_json(&grids), collection], |r| Ok((r.get::<String>(0)?, r.get::<u64>(1)?)))?;
    rows.collect::<Result<_, _>>()
}

/// Every grid of the caller's subtree, with what lives in each.
pub(super) fn list(conn: &Conn, caller: &Caller) -> Result<Vec<GridInfo>, DbError> {
    let tree = tree(conn)?;
    let subtree: Vec<&Grid> = tree.grids().iter().filter(|g| tree.contains(&caller.user.home_grid, &g.id)).collect();
    describe(conn, &tree, &subtree)
}

/// The grids as listed, with their counts (read for these grids only: after a write the
/// writer describes one grid, not the whole district).
fn describe(conn: &Conn, tree: &GridTree, grids: &[&Grid]) -> Result<Vec<GridInfo>, DbError> {
    let ids: Vec<&str> = grids.iter().map(|g| g.id.as_str()).collect();
    let (households, people) = (live_counts(conn, "households", &ids)?, live_counts(conn, "people", &ids)?);
    let open = open_issues(conn, &ids)?;
    let get = |m: &HashMap<String, u64>, id: &GridId| m.get(id.as_str()).copied().unwrap_or(0);
    Ok(grids
        .iter()
        .map(|g| GridInfo {
            households: get(&households, &g.id),
            open_issues: get(&open, &g.id),
            people: get(&people, &g.id),
            children: tree.children(&g.id).filter(|c| !c.retired).count() as u64,
            id: g.id.clone(),
            name: g.name.as_str().to_string(),
            level: g.level,
            parent: g.parent.clone(),
            code: g.code.as_ref().map(|c| c.as_str().to_string()),
            retired: g.retired,
        })
        .collect())
}

/// What still lives in a grid: a retire is refused unless every count is zero.
fn contents(conn: &Conn, tree: &GridTree, grid: &GridId) -> Result<GridContents, DbError> {
    let ids = [grid.as_str()];
    let staff: u64 = conn.query_row(
        "SELECT count(*) FROM users u JOIN record_fields f ON f.collection = 'people' AND f.id = u.person_id AND f.field = 'grid'
         WHERE u.active = 1 AND f.value = ?1",
        params![store::to_json(&grid.as_str())],
        |r| r.get(0),
    )?;
    Ok(GridContents {
        households: live_counts(conn, "households", &ids)?.values().sum(),
        open_issues: open_issues(conn, &ids)?.values().sum(),
        children: tree.children(grid).filter(|c| !c.retired).count() as u64,
        staff,
    })
}

/// A grid of the caller's subtree, or `unknown_grid`.
fn in_scope<'t>(tree: &'t GridTree, caller: &Caller, id: &GridId) -> Result<&'t Grid, Refused> {
    tree.get(id).filter(|_| tree.contains(&caller.user.home_grid, id)).ok_or_else(Refused::unknown_grid)
}

fn retired(grid: &Grid) -> Refused {
    Refused::new(
        RefusalKind::Conflict,
        "grid_retired",
        format!("网格“{}”已撤销,不能再在其中新增内容", grid.name.as_str()),
    )
}

/// The tree with `grid` put in, or the core's reason it would not hold.
fn check_tree(tree: &GridTree, grid: &Grid) -> Result<(), Refused> {
    let mut grids: Vec<Grid> = tree.grids().iter().filter(|g| g.id != grid.id).cloned().collect();
    grids.push(grid.clone());
    GridTree::build(grids).map(drop).map_err(|e| Refused::new(RefusalKind::Invalid, e.code(), e.message_zh()))
}

fn write(conn: &Conn, caller: &Caller, grid: &Grid) -> Result<bool, DbError> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(grid) else {
        return Err(DbError::Corrupt(format!("grid {} does not serialise to an object", grid.id)));
    };
    let mut feed = Feed::open(conn, format!("admin:{}", caller.user.username))?;
    let changed = feed.put("grids", grid.id.as_str(), grid.id.as_str(), &fields)?;
    feed.close()?;
    Ok(changed)
}

pub(super) fn create(conn: &Conn, caller: &Caller, new: &NewGrid, now: i64) -> Answer<GridInfo, Refused> {
    let tree = tree(conn)?;
    let parent = match in_scope(&tree, caller, &new.parent) {
        Ok(p) if p.retired => return Ok(Err(retired(p))),
        Ok(p) => p,
        Err(r) => return Ok(Err(r)),
    };
    if tree.get(&new.id).is_some() || store::record_row(conn, "grids", new.id.as_str())?.is_some() {
        return Ok(Err(Refused::new(RefusalKind::Conflict, "grid_exists", "该网格编号已存在")));
    }
    let grid = Grid {
        id: new.id.clone(),
        name: new.name.clone(),
        level: new.level,
        parent: Some(parent.id.clone()),
        code: new.code.clone(),
        retired: false,
    };
    if let Err(r) = check_tree(&tree, &grid) {
        return Ok(Err(r));
    }
    write(conn, caller, &grid)?;
    admin::write_log(conn, &admin::Actor::Api(caller.clone()), "create_grid", None, Some(grid.id.as_str()), None, now)?;
    info(conn, &grid.id).map(Ok)
}

pub(super) fn update(
    conn: &Conn,
    caller: &Caller,
    id: &GridId,
    change: &GridChange,
    now: i64,
) -> Answer<GridInfo, Refused> {
    let tree = tree(conn)?;
    let old = match in_scope(&tree, caller, id) {
        Ok(g) => g.clone(),
        Err(r) => return Ok(Err(r)),
    };
    let mut grid = old.clone();
    if let Some(name) = &change.name {
        grid.name = name.clone();
    }
    if let Some(code) = &change.code {
        grid.code = code.clone();
    }
    let moving = change.parent.as_ref().filter(|p| Some(*p) != old.parent.as_ref());
    if let Some(parent) = moving {
        if *id == caller.user.home_grid {
            return Ok(Err(Refused::new(RefusalKind::Forbidden, "forbidden_move", "不能移动您本人所在的网格")));
        }
        match in_scope(&tree, caller, parent) {
            Ok(p) if p.retired => return Ok(Err(retired(p))),
            Ok(_) if tree.contains(id, parent) => {
                return Ok(Err(Refused::new(
                    RefusalKind::Invalid,
                    "grid_cycle",
                    "不能把网格移到它自己或它的下级网格之下",
                )))
            }
            Ok(p) => grid.parent = Some(p.id.clone()),
            Err(r) => return Ok(Err(r)),
        }
    }
    if let Err(r) = check_tree(&tree, &grid) {
        return Ok(Err(r));
    }
    let changed = write(conn, caller, &grid)?;
    if let (Some(_), Some(old_parent)) = (moving, &old.parent) {
        moved(conn, caller, &tree, &grid, old_parent)?;
    }
    let detail = moving.map(|p| format!("{{\"from\":{},\"to\":{}}}", store::to_json(&old.parent), store::to_json(p)));
    if changed {
        admin::write_log(
            conn,
            &admin::Actor::Api(caller.clone()),
            "update_grid",
            None,
            Some(id.as_str()),
            detail,
            now,
        )?;
    }
    info(conn, id).map(Ok)
}

/// After a move: devices of the old parent's scope drop the subtree (evictions against the
/// old parent), devices of the new one pull all of it (fresh versions), and the new chain
/// of grids above (and the staff there) reaches the subtree's own devices.
fn moved(conn: &Conn, caller: &Caller, old_tree: &GridTree, grid: &Grid, old_parent: &GridId) -> Result<(), DbError> {
    let subtree: HashSet<String> = old_tree
        .grids()
        .iter()
        .filter(|g| old_tree.contains(&grid.id, &g.id))
        .map(|g| g.id.as_str().to_string())
        .collect();
    let list = store::to_json(&subtree.iter().collect::<Vec<_>>());
    let mut stmt = conn.prepare(
        "SELECT collection, id FROM records WHERE grid IN (SELECT value FROM json_each(?1)) ORDER BY version",
    )?;
    let records: Vec<(String, String)> =
        stmt.query_map(params![&list], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    let new_tree = tree(conn)?;
    let above: Vec<String> = new_tree.ancestors(&grid.id).iter().map(|g| g.id.as_str().to_string()).collect();
    let mut stmt = conn.prepare("SELECT collection, id FROM records WHERE collection IN ('grids', 'people') AND grid IN (SELECT value FROM json_each(?1))")?;
    let chain: Vec<(String, String)> =
        stmt.query_map(params![store::to_json(&above)], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    let mut feed = Feed::open(conn, format!("admin:{}", caller.user.username))?;
    for (collection, id) in &records {
        feed.restamp(collection, id)?;
        feed.evict(collection, id, old_parent.as_str())?;
    }
    for (collection, id) in &chain {
        feed.restamp(collection, id)?;
    }
    for table in ["issue_events", "conflicts"] {
        let key = if table == "issue_events" { "event_id" } else { "id" };
        let sql = format!("SELECT {key} FROM {table} WHERE grid IN (SELECT value FROM json_each(?1)) ORDER BY version");
        let ids: Vec<String> =
            conn.prepare(&sql)?.query_map(params![&list], |r| r.get(0))?.collect::<Result<_, _>>()?;
        for id in ids {
            let v = feed.next();
            conn.execute(&format!("UPDATE {table} SET version = ?2 WHERE {key} = ?1"), params![id, v])?;
        }
    }
    feed.close()
}

pub(super) fn retire(conn: &Conn, caller: &Caller, id: &GridId, now: i64) -> Answer<GridInfo, Refused> {
    let tree = tree(conn)?;
    let grid = match in_scope(&tree, caller, id) {
        Ok(g) => g.clone(),
        Err(r) => return Ok(Err(r)),
    };
    if *id == caller.user.home_grid {
        return Ok(Err(Refused::new(RefusalKind::Forbidden, "forbidden_retire", "不能撤销您本人所在的网格")));
    }
    let held = contents(conn, &tree, id)?;
    if held != GridContents::default() {
        return Ok(Err(Refused::grid_not_empty(held)));
    }
    if write(conn, caller, &Grid { retired: true, ..grid })? {
        admin::write_log(conn, &admin::Actor::Api(caller.clone()), "retire_grid", None, Some(id.as_str()), None, now)?;
    }
    info(conn, id).map(Ok)
}

/// One grid as listed, after a write.
fn info(conn: &Conn, id: &GridId) -> Result<GridInfo, DbError> {
    let tree = tree(conn)?;
    let grid = tree.get(id).ok_or_else(|| DbError::Corrupt(format!("grid {id} vanished after it was written")))?;
    describe(conn, &tree, &[grid])?.pop().ok_or_else(|| DbError::Corrupt(format!("grid {id} not described")))
}

impl super::Db {
    /// The caller's subtree with what lives in each grid.
    pub async fn admin_grids(&self, caller: Caller) -> Result<Vec<GridInfo>, DbError> {
        self.read(move |c| list(c, &caller)).await
    }

    pub async fn admin_create_grid(&self, caller: Caller, new: NewGrid) -> Answer<GridInfo, Refused> {
        let now = crate::now_millis();
        self.write_grids(move |c| create(c, &caller, &new, now)).await
    }

    pub async fn admin_update_grid(&self, caller: Caller, id: GridId, change: GridChange) -> Answer<GridInfo, Refused> {
        let now = crate::now_millis();
        self.write_grids(move |c| update(c, &caller, &id, &change, now)).await
    }

    pub async fn admin_retire_grid(&self, caller: Caller, id: GridId) -> Answer<GridInfo, Refused> {
        let now = crate::now_millis();
        self.write_grids(move |c| retire(c, &caller, &id, now)).await
    }
}
