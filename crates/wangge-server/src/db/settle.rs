//! `SettleConflict`: marks a field conflict resolved with a fresh version, so every device
//! whose scope holds the record pulls it settled. The same rules as the core's
//! `ServerModel`: an unknown id is rejected, a settled one is acknowledged and left alone.

use rusqlite::{params, OptionalExtension};

use super::ctx::{Ctx, Outcome};
use super::DbError;
use wangge_core::refusal::Refusal;

pub(super) fn settle_conflict(ctx: &mut Ctx<'_>, id: &str) -> Result<Outcome, DbError> {
    let row: Option<(String, bool)> = ctx
        .tx
        .query_row("SELECT grid, resolved FROM conflicts WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    // Not there and not the caller's get one answer, so conflict ids elsewhere cannot be
    // probed.
    let unknown = || Outcome::Rejected(Refusal::UnknownConflict.into());
    let Some((grid, resolved)) = row else {
        return Ok(unknown());
    };
    if ctx.check_scope(&grid).is_err() {
        return Ok(unknown());
    }
    if resolved {
        // Someone settled it first (or this is a second tap): nothing moves, no new version.
        return Ok(Outcome::Applied);
    }
    let v = ctx.next_version();
    ctx.tx.execute(
        "UPDATE conflicts SET resolved = 1, version = ?2, settled_by = ?3, settled_client = ?4 WHERE id = ?1",
        params![id, v, ctx.caller.user.person_id.as_str(), ctx.client_id],
    )?;
    Ok(Outcome::Applied)
}
