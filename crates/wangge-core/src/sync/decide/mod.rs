//! The server's sync decisions as pure functions: the driver reads what it holds (the
//! client's last seq, a record's cells, an event under the same id, a conflict's state),
//! asks here, and writes what the answer says. The in-memory [`ServerModel`] and the
//! SQLite server's `db/push.rs` + `db/apply.rs` are two drivers of these same functions, so
//! the simulation (`tests/sync_sim.rs`) tests the decisions the real server runs.
//!
//! - [`plan_batch`]: which seqs of a push are answered again, which are applied, or the
//!   first gap (the whole push is refused).
//! - [`decide_put`]: which written fields apply and which are kept aside as conflicts;
//!   a put to a deleted record is refused (`record_deleted`: see [`decide_put`] for why).
//! - [`decide_delete`]: nothing to do, a tombstone, or a conflict on [`WHOLE_RECORD`].
//! - [`decide_append`]: a repeated event, a reused id, or the event to append (placed in
//!   time by `issue::accepted_time`) and whether it holds.
//! - [`decide_settle`]: an unknown conflict, one already settled, or one to settle.
//! - [`hands_back_record`]: which answered mutations carry the record as stored.
//!
//! What a driver adds on its own: naming a new conflict (the SQLite server makes opaque
//! random ids, the model `<client>/<seq>/<field>`), versions, and — on the SQLite server
//! only — accounts, scope, roles and validation, checked before anything is written.
//!
//! [`ServerModel`]: super::ServerModel

mod batch;
mod events;
mod records;

pub use batch::{plan_batch, BatchPlan, SeqGap, SeqStep};
pub use events::{decide_append, decide_settle, AppendDecision, SettleDecision};
pub use records::{
    decide_delete, decide_put, DeleteDecision, KeptConflict, PutDecision, PutPlan, StoredField, StoredRecord,
};

use super::protocol::{Collection, MutationStatus, Op};

/// The `field` of a conflict that concerns a whole record (a delete that lost): its
/// server value is the record's fields as one object, its device value `null`.
pub const WHOLE_RECORD: &str = "*";

/// The record an answered mutation hands back (`MutationResult::current`), if any: a put
/// or delete that was refused or kept (partly) as a conflict. The phone may be showing
/// its own values on a record whose pulled versions moved on meanwhile, and no later pull
/// would correct it (the feed has passed that version). The driver hands the record back
/// only if it is live and the caller may see it, and on every answer, replays included.
pub fn hands_back_record(op: &Op, status: MutationStatus) -> Option<(Collection, &str)> {
    if status == MutationStatus::Applied {
        return None;
    }
    match op {
        Op::Put { collection, id, .. } | Op::Delete { collection, id, .. } => Some((*collection, id.as_str())),
        Op::AppendEvent { .. } | Op::SettleConflict { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_put_or_delete_that_did_not_land_as_sent_hands_the_record_back() {
        let delete = Op::Delete { collection: Collection::Households, id: "h1".into(), base: 3 };
        assert_eq!(hands_back_record(&delete, MutationStatus::Conflict), Some((Collection::Households, "h1")));
        assert_eq!(hands_back_record(&delete, MutationStatus::Rejected), Some((Collection::Households, "h1")));
        assert_eq!(hands_back_record(&delete, MutationStatus::Applied), None);
        let settle = Op::SettleConflict { conflict: "c1".into() };
        assert_eq!(hands_back_record(&settle, MutationStatus::Rejected), None);
    }
}
