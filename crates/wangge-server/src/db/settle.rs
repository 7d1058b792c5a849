//! `SettleConflict`: the core's `decide_settle` over the `conflicts` table. A settled
//! conflict gets a fresh version, so every device whose scope holds the record pulls it
//! settled; an unknown id is rejected, a settled one is acknowledged and left alone.

use super::sql::{params, OptionalExtension};
use wangge_core::sync::{decide_settle, SettleDecision};

use super::ctx::{Ctx, Outcome};
use super::DbError;
use wangge_core::refusal::Refusal;

pub(super) fn settle_conflict(ctx: &mut Ctx<'_>, id: &str) -> Result<Outcome, DbError> {
    let row: Option<(String, bool)> = ctx
        .tx
        .query_row("SELECT grid, resolved FROM conflicts WHERE id = ?1", params![id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    // Not there and not the caller's are one answer, so conflict ids elsewhere cannot be
    // probed.
    let found = row.filter(|(grid, _)| ctx.check_scope(grid).is_ok()).map(|(_, resolved)| resolved);
    match decide_settle(found) {
        SettleDecision::Unknown => Ok(Outcome::Rejected(Refusal::UnknownConflict.into())),
        SettleDecision::AlreadySettled => Ok(Outcome::Applied),
        SettleDecision::Settle => {
            let v = ctx.next_version();
            ctx.tx.execute(
                "UPDATE conflicts SET resolved = 1, version = ?2, settled_by = ?3, settled_client = ?4 WHERE id = ?1",
                params![id, v, ctx.caller.user.person_id.as_str(), ctx.client_id],
            )?;
            Ok(Outcome::Applied)
        }
    }
}
