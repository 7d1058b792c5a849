//! The two rules every sync participant follows, as pure functions: which pushed seqs to
//! apply, and how one field write meets the server's current value.

use super::protocol::{FieldWrite, VersionedValue};

/// What to do with a pushed seq, given the last seq stored for that device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqDecision {
    /// The next one: apply it.
    Next,
    /// Already stored (a retry): acknowledge again, change nothing.
    Duplicate,
    /// Something in between is missing: refuse, so nothing is applied out of order.
    Gap { expected: u64 },
}

/// ```
/// use wangge_core::sync::{check_seq, SeqDecision};
/// assert_eq!(check_seq(4, 5), SeqDecision::Next);
/// assert_eq!(check_seq(4, 3), SeqDecision::Duplicate);
/// assert_eq!(check_seq(4, 7), SeqDecision::Gap { expected: 5 });
/// ```
pub fn check_seq(last_stored: u64, seq: u64) -> SeqDecision {
    if seq <= last_stored {
        SeqDecision::Duplicate
    } else if seq == last_stored + 1 {
        SeqDecision::Next
    } else {
        SeqDecision::Gap { expected: last_stored + 1 }
    }
}

/// How one field write meets the server's current value of that field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldDecision {
    /// The device saw the latest value (or the field is new): take the write.
    Apply,
    /// The server already has this exact value: nothing to do, and no conflict.
    Unchanged,
    /// The field changed on the server after the device last saw it: keep the server's
    /// value and record the device's as a conflict. Nothing is dropped silently.
    Conflict,
}

/// ```
/// use serde_json::json;
/// use wangge_core::sync::{decide_field, FieldDecision, FieldWrite, VersionedValue};
/// let server = VersionedValue::new(json!("待处置"), 9);
/// let stale = FieldWrite { value: json!("已办结"), base: 4 };
/// assert_eq!(decide_field(Some(&server), &stale), FieldDecision::Conflict);
/// let fresh = FieldWrite { value: json!("已办结"), base: 9 };
/// assert_eq!(decide_field(Some(&server), &fresh), FieldDecision::Apply);
/// ```
pub fn decide_field(current: Option<&VersionedValue>, write: &FieldWrite) -> FieldDecision {
    match current {
        None => FieldDecision::Apply,
        Some(cur) if cur.value == write.value => FieldDecision::Unchanged,
        Some(cur) if write.base >= cur.version => FieldDecision::Apply,
        Some(_) => FieldDecision::Conflict,
    }
}

/// [`decide_field`] for a server that remembers which client wrote each field's current
/// value. A device that edits one field twice before it pulls sends both writes with the
/// same (pulled) base; the first moves the field's version past that base, so plain
/// [`decide_field`] would report the second as a conflict with the device's own earlier
/// write. The device saw that value (it wrote it), so the write applies.
///
/// ```
/// use serde_json::json;
/// use wangge_core::sync::{decide_field_by_writer, FieldDecision, FieldWrite, VersionedValue};
/// let mine = VersionedValue::new(json!("张三"), 12);
/// let again = FieldWrite { value: json!("张三丰"), base: 4 };
/// assert_eq!(decide_field_by_writer(Some(&mine), true, &again), FieldDecision::Apply);
/// assert_eq!(decide_field_by_writer(Some(&mine), false, &again), FieldDecision::Conflict);
/// ```
pub fn decide_field_by_writer(
    current: Option<&VersionedValue>,
    current_is_own_write: bool,
    write: &FieldWrite,
) -> FieldDecision {
    match decide_field(current, write) {
        FieldDecision::Conflict if current_is_own_write => FieldDecision::Apply,
        decision => decision,
    }
}
