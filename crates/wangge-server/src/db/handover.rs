//! Handover (交接): a worker leaves or her phone dies. **In one step the successor takes
//! over her home grid's duties**: her open issues (accepted or in progress, assigned to
//! her) get an `Assigned` event naming the successor, attributed to the administrator;
//! the visit schedule keys on households and their grid (core `visit.rs`), not on a
//! worker, so it follows the grid: the successor is given the departing worker's home
//! grid unless her scope already covers it. And a dead phone's export file is pushed
//! under its author's account and client id (`Db::push_handed_over`), so its unsynced work
//! lands as hers — idempotent by client id and seq like every push — with the
//! administrator kept as who handed it over (`handed_over`, `admin_log`).

use super::sql::{params, Conn};
use serde::Serialize;
use wangge_core::issue::{derive, EventKind, IssueEvent, Status};
use wangge_core::{EventId, GridId};

use super::admin::{self, Actor};
use super::feed::Feed;
use super::Answer;
use super::{grids, store, users, DbError};
use crate::account::{Caller, User};
use crate::admin_rules::{check_roles_and_level, RefusalKind, Refused};
use crate::admin_scope::{admin_role, manages};

/// What a handover did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HandoverDone {
    pub from: String,
    pub to: String,
    /// Open issues now assigned to the successor.
    pub issues_reassigned: u64,
    /// Households of the grid handed over (whose visits are now the successor's).
    pub households: u64,
    /// The grid handed over (the departing worker's home grid).
    pub grid: GridId,
    /// Whether the successor's home grid was changed to it.
    pub grid_moved: bool,
}

fn managed(
    conn: &Conn,
    tree: &wangge_core::grid::GridTree,
    caller: &Caller,
    username: &str,
) -> Result<Option<User>, DbError> {
    Ok(admin::user(conn, username)?.filter(|u| manages(tree, &caller.user, &u.home_grid, &u.roles)))
}

pub(super) fn handover(conn: &Conn, caller: &Caller, from: &str, to: &str, now: i64) -> Answer<HandoverDone, Refused> {
    let tree = grids::tree(conn)?;
    let (Some(leaving), Some(successor)) = (managed(conn, &tree, caller, from)?, managed(conn, &tree, caller, to)?)
    else {
        return Ok(Err(Refused::unknown_user()));
    };
    if leaving.username == successor.username {
        return Ok(Err(Refused::new(RefusalKind::Invalid, "same_user", "交接双方不能是同一个账号")));
    }
    let active: bool = conn.query_row("SELECT active FROM users WHERE username = ?1", params![to], |r| r.get(0))?;
    if !active {
        return Ok(Err(Refused::new(RefusalKind::Conflict, "user_disabled", "接手的账号已停用,请先启用")));
    }
    let grid = leaving.home_grid.clone();
    let grid_moved = !tree.contains(&successor.home_grid, &grid);
    if grid_moved {
        let level = tree
            .get(&grid)
            .map(|g| g.level)
            .ok_or_else(|| DbError::Corrupt(format!("home grid {grid} not in the tree")))?;
        if let Err(r) = check_roles_and_level(&successor.roles, level) {
            return Ok(Err(r));
        }
    }
    let mut feed = Feed::open(conn, format!("admin:{}", caller.user.username))?;
    if grid_moved {
        let phone = users::person_phone(conn, successor.person_id.as_str())?;
        let fields = users::person_fields(&successor.person_id, &successor.name, phone, &grid, &successor.roles, true);
        feed.put("people", successor.person_id.as_str(), grid.as_str(), &fields)?;
    }
    let issues_reassigned = reassign(&mut feed, caller, &leaving, &successor, now)?;
    feed.close()?;
    let households: u64 = tree
        .descendants(&grid)
        .iter()
        .map(|g| g.id.as_str())
        .chain([grid.as_str()])
        .map(|g| {
            conn.query_row(
                "SELECT count(*) FROM records WHERE collection = 'households' AND deleted = 0 AND grid = ?1",
                params![g],
                |r| r.get::<u64>(0),
            )
        })
        .sum::<Result<u64, _>>()?;
    let detail =
        format!("{{\"issues_reassigned\":{issues_reassigned},\"grid\":\"{grid}\",\"grid_moved\":{grid_moved}}}");
    admin::write_log(conn, &Actor::Api(caller.clone()), "handover", Some(from), Some(to), Some(detail), now)?;
    Ok(Ok(HandoverDone { from: from.into(), to: to.into(), issues_reassigned, households, grid, grid_moved }))
}

/// Appends an `Assigned` event naming the successor to every issue the departing worker
/// holds (accepted or in progress, assigned to her): the state machine allows exactly
/// that step there, and the history shows who reassigned it and when.
fn reassign(feed: &mut Feed<'_>, caller: &Caller, leaving: &User, successor: &User, now: i64) -> Result<u64, DbError> {
    let histories = store::issue_histories(
        feed.conn,
        "SELECT issue_id, grid, event FROM issue_events WHERE issue_id IN
           (SELECT issue_id FROM issue_events WHERE json_extract(event, '$.kind.assignee') = ?1)",
        leaving.person_id.as_str(),
    )?;
    let role = admin_role(&caller.user).ok_or_else(|| DbError::Corrupt("handover by a non-administrator".into()))?;
    let mut n = 0;
    let mut ids: Vec<&String> = histories.keys().collect();
    ids.sort();
    for issue in ids {
        let (grid, events) = &histories[issue];
        let state = derive(events).state;
        let holds = state.assignee.as_ref() == Some(&leaving.person_id)
            && matches!(state.status, Status::Accepted | Status::InProgress);
        if !holds {
            continue;
        }
        let mut random = [0u8; 10];
        getrandom::fill(&mut random).map_err(|e| DbError::Worker(format!("random bytes: {e}")))?;
        let event = IssueEvent {
            id: EventId::generate(now, random),
            issue: events[0].issue.clone(),
            at: now,
            actor: caller.user.person_id.clone(),
            actor_role: role,
            kind: EventKind::Assigned { assignee: successor.person_id.clone() },
            meeting: None,
            photos: Vec::new(),
        };
        let v = feed.next();
        feed.conn.execute(
            "INSERT INTO issue_events (event_id, issue_id, grid, event, version) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![event.id.as_str(), issue, grid, store::to_json(&event), v],
        )?;
        n += 1;
    }
    Ok(n)
}

/// After a handed-over push: who handed over each seq it stored for the first time.
pub(super) fn record(
    conn: &Conn,
    by: &Caller,
    author: &str,
    client_id: &str,
    before: u64,
    acked: u64,
) -> Result<(), DbError> {
    let now = crate::now_millis();
    let mut n = 0;
    for seq in (before + 1)..=acked {
        n += conn.execute(
            "INSERT INTO handed_over (client_id, seq, handed_by, device_id, at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            params![client_id, seq, by.user.username, by.device_id, now],
        )?;
    }
    if n > 0 {
        let detail = format!("{{\"seqs\":{n},\"from_seq\":{},\"to_seq\":{acked}}}", before + 1);
        admin::write_log(
            conn,
            &Actor::Api(by.clone()),
            "handover_import",
            Some(author),
            Some(client_id),
            Some(detail),
            now,
        )?;
    }
    Ok(())
}

impl super::Db {
    /// Hands the departing worker's grid and open issues to the successor.
    pub async fn admin_handover(&self, caller: Caller, from: String, to: String) -> Answer<HandoverDone, Refused> {
        let now = crate::now_millis();
        self.write_grids(move |c| handover(c, &caller, &from, &to, now)).await
    }

    /// The author's account, if the caller administers it (for a handed-over import).
    pub async fn managed_user(&self, caller: Caller, username: String) -> Result<Option<User>, DbError> {
        self.read(move |c| managed(c, &grids::tree(c)?, &caller, &username)).await
    }

    /// Pushes a dead phone's outbox under its author (`author`), recording `by` as who
    /// handed it over; answered like a push.
    pub(crate) async fn push_handed_over(
        &self,
        author: Caller,
        by: Caller,
        batch: super::PushBatch,
    ) -> Result<super::PushOutcome, DbError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let member = super::push::PushMember::handed_over(author, by, batch, super::writer::Reply::Async(tx));
        self.writer.send(super::writer::Job::Member(Box::new(member)))?;
        rx.await.map_err(|_| super::stopped())?
    }
}
