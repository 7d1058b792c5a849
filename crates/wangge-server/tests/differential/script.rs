//! What the phones do, drawn from the seed: valid records the real server accepts (the
//! world's households and units, new ones), field edits that go stale when another phone
//! got there first, deletes by roster staff, issue events, conflict settles. Only the
//! world's records are edited field by field: after an epoch change the new database has
//! only those, and a phone re-pushes its outbox there; a partial put of a record the new
//! server never had is refused by its validation (the model has none). Every
//! choice is made once and done on both worlds' copy of the phone, so the two servers hear
//! the same requests.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use wangge_core::issue::{EventKind, IssueEvent};
use wangge_core::sync::{Collection, FieldConflict, Replica, SyncState};
use wangge_core::{CommentText, IssueId, PersonId};
use wangge_demo::SplitMix64;

use crate::real::{ACCOUNTS, GROUP_A, GROUP_B, ISSUES, SHARED_HOUSEHOLDS, SHARED_UNITS};
use crate::{IMPLAUSIBLE_EVENT_TIME, LOSING_DELETE, PUT_AFTER_DELETE};

const ADDRESSES: [&str; 3] = ["二村小区3栋2单元501", "一村7组12号", "綦齿路88号附2号"];
/// In the core's canonical order (the server stores a household's tags as the core sorts
/// them, the model as sent).
const TAG_SETS: [&[&str]; 3] = [&["living_alone_elderly"], &[], &["living_alone_elderly", "disabled"]];
const UNIT_NAMES: [&str; 3] = ["綦齿五金店", "古南便民超市", "二村卫生室"];
const PHONES: [Option<&str>; 3] = [Some("13800000001"), Some("13912345678"), None];

/// One action of one phone, the same for both worlds.
pub(crate) enum Edit {
    Put {
        collection: Collection,
        id: String,
        fields: BTreeMap<String, Value>,
    },
    Delete {
        collection: Collection,
        id: String,
    },
    Event(IssueEvent),
    /// Settle the conflict the model world's phone shows with this content (found in the
    /// real world's phone by the same content; ids differ), keeping the phone's value first
    /// if `keep_mine`.
    Settle {
        conflict: Box<FieldConflict>,
        keep_mine: bool,
    },
    /// Settle an id no server knows.
    SettleUnknown,
}

/// Draws the next edit of phone `p` (account `account`), looking at what it shows.
pub(crate) fn draw(
    rng: &mut SplitMix64,
    p: usize,
    account: usize,
    view: &SyncState,
    made: &mut usize,
    at: i64,
) -> Option<Edit> {
    let pick = |rng: &mut SplitMix64, n: usize| rng.below(n as u64) as usize;
    // Conflicts reach a phone late (made on a push, shown after a pull): when it shows
    // some, settling one is likely, or short scripts would hardly ever settle.
    if view.conflicts.values().any(|c| !c.resolved) && rng.chance(300) {
        return settle(rng, view);
    }
    match rng.below(100) {
        0..=34 => {
            let mut editable: Vec<&str> = SHARED_HOUSEHOLDS
                .iter()
                .copied()
                .filter(|h| view.record(Collection::Households, h).is_some())
                .collect();
            if PUT_AFTER_DELETE {
                // New households may be deleted meanwhile: a put may reach a deleted record.
                // The whole record, so it is valid on a server that never had it; mostly
                // those, so the situation is met often enough.
                let new = ids(view, Collection::Households, "d");
                if !new.is_empty() && rng.chance(700) {
                    editable.clear();
                }
                editable.extend(new);
            }
            let id = editable.get(pick(rng, editable.len().max(1))).copied()?;
            let mut fields = household_field(rng);
            if id.starts_with('d') {
                let record = view.record(Collection::Households, id)?;
                for (k, v) in &record.fields {
                    fields.entry(k.clone()).or_insert_with(|| v.value.clone());
                }
            }
            Some(Edit::Put { collection: Collection::Households, id: id.to_owned(), fields })
        }
        35..=49 => {
            *made += 1;
            let id = format!("d{p}-{made}");
            let grid = if rng.chance(500) { GROUP_A } else { GROUP_B };
            let mut fields = household_field(rng);
            fields.extend([("id".to_owned(), json!(id)), ("grid".to_owned(), json!(grid))]);
            fields.entry("address".to_owned()).or_insert_with(|| json!(ADDRESSES[0]));
            fields.entry("tags".to_owned()).or_insert_with(|| json!([]));
            Some(Edit::Put { collection: Collection::Households, id, fields })
        }
        50..=59 => {
            *made += 1;
            let id = format!("nu{p}-{made}");
            let grid = if rng.chance(500) { GROUP_A } else { GROUP_B };
            let fields = BTreeMap::from([
                ("id".to_owned(), json!(id)),
                ("grid".to_owned(), json!(grid)),
                ("name".to_owned(), json!(UNIT_NAMES[pick(rng, 3)])),
                ("kind".to_owned(), json!("shop")),
                ("address".to_owned(), json!(ADDRESSES[pick(rng, 3)])),
                ("contact".to_owned(), Value::Null),
                ("phone".to_owned(), json!(PHONES[pick(rng, 3)])),
            ]);
            Some(Edit::Put { collection: Collection::Units, id, fields })
        }
        60..=69 => {
            let units: Vec<&str> =
                SHARED_UNITS.iter().copied().filter(|u| view.record(Collection::Units, u).is_some()).collect();
            let id = *units.get(pick(rng, units.len().max(1)))?;
            let field = match rng.below(3) {
                0 => ("name", json!(UNIT_NAMES[pick(rng, 3)])),
                1 => ("address", json!(ADDRESSES[pick(rng, 3)])),
                _ => ("phone", json!(PHONES[pick(rng, 3)])),
            };
            Some(Edit::Put {
                collection: Collection::Units,
                id: id.to_owned(),
                fields: BTreeMap::from([(field.0.to_owned(), field.1)]),
            })
        }
        70..=79 => {
            // New households and units only: nobody writes them after they are made, so no
            // put can meet one deleted. The world's households go too with the
            // losing-delete switch; a delete of one made from a stale view loses to the
            // edits it missed.
            let mut deletable: Vec<(Collection, &str)> = ids(view, Collection::Households, "d")
                .into_iter()
                .map(|id| (Collection::Households, id))
                .chain(ids(view, Collection::Units, "nu").into_iter().map(|id| (Collection::Units, id)))
                .collect();
            if LOSING_DELETE {
                deletable.extend(
                    SHARED_HOUSEHOLDS
                        .iter()
                        .filter(|h| view.record(Collection::Households, h).is_some())
                        .map(|h| (Collection::Households, *h)),
                );
            }
            let (collection, id) = *deletable.get(pick(rng, deletable.len().max(1)))?;
            Some(Edit::Delete { collection, id: id.to_owned() })
        }
        80..=89 => Some(Edit::Event(event(rng, account, at))),
        90..=97 => settle(rng, view),
        _ => Some(Edit::SettleUnknown),
    }
}

/// Ids of live records of `collection` whose id starts with `prefix`, in id order.
fn ids<'a>(view: &'a SyncState, collection: Collection, prefix: &str) -> Vec<&'a str> {
    view.records
        .keys()
        .filter(|(c, id)| *c == collection && id.starts_with(prefix))
        .map(|(_, id)| id.as_str())
        .collect()
}

fn household_field(rng: &mut SplitMix64) -> BTreeMap<String, Value> {
    let field = if rng.chance(500) {
        ("address", json!(ADDRESSES[rng.below(3) as usize]))
    } else {
        ("tags", json!(TAG_SETS[rng.below(3) as usize]))
    };
    BTreeMap::from([(field.0.to_owned(), field.1)])
}

/// A step anyone above the issue's rung may take (both accounts are above a group's):
/// a comment, an order to handle it, or a verification, which the state machine holds
/// against an issue nobody resolved (a conflict on both servers).
fn event(rng: &mut SplitMix64, account: usize, plausible: i64) -> IssueEvent {
    let issue = IssueId::parse(ISSUES[rng.below(2) as usize]).expect("an issue id");
    let kind = match rng.below(3) {
        0 => EventKind::Commented { text: CommentText::parse("已上门核实").expect("a comment") },
        1 => EventKind::Supervised { note: CommentText::parse("请尽快处理").expect("a note") },
        _ => EventKind::Verified { note: None },
    };
    // A phone clock a day ahead: the server places such a step at its receipt.
    let ahead = IMPLAUSIBLE_EVENT_TIME && rng.chance(200);
    let at = if ahead { plausible + 24 * 3600 * 1000 } else { plausible };
    let a = &ACCOUNTS[account];
    let actor = PersonId::parse(a.person).expect("a person id");
    let event = IssueEvent::new(issue, at, actor, a.role, kind, rng.id_bytes());
    if ahead {
        crate::norm::placed_at_receipt(&event);
    }
    event
}

/// Settles a conflict the phone shows: open, or (sometimes) any, keeping the phone's
/// value first half the time when it is a field of a live record.
fn settle(rng: &mut SplitMix64, view: &SyncState) -> Option<Edit> {
    let mut shown: Vec<&FieldConflict> = view.conflicts.values().filter(|c| !c.resolved).collect();
    if shown.is_empty() || rng.chance(200) {
        shown = view.conflicts.values().collect();
    }
    if shown.is_empty() {
        return None;
    }
    // In content order: the model's ids are not the real server's.
    shown.sort_by_key(|c| crate::norm::conflict_key(c));
    let c = shown[rng.below(shown.len() as u64) as usize];
    let live = view.record(c.collection, &c.record_id).is_some();
    let keep_mine = !c.field.starts_with(['*', '_']) && live && rng.chance(500);
    Some(Edit::Settle { conflict: Box::new(c.clone()), keep_mine })
}

/// Does `edit` on one world's copy of a phone. Err: the phone does not show the conflict
/// to settle (the worlds have drifted apart).
pub(crate) fn apply(edit: &Edit, phone: &mut Replica) -> Result<(), String> {
    match edit {
        Edit::Put { collection, id, fields } => drop(phone.put(*collection, id, fields.clone())),
        Edit::Delete { collection, id } => drop(phone.delete(*collection, id)),
        Edit::Event(event) => drop(phone.append_event(event.clone())),
        Edit::SettleUnknown => drop(phone.settle_conflict("no-such-conflict")),
        Edit::Settle { conflict, keep_mine } => {
            let key = crate::norm::conflict_key(conflict);
            let view = phone.view();
            let mine = view
                .conflicts
                .values()
                .filter(|c| crate::norm::conflict_key(c) == key)
                .min_by_key(|c| c.resolved != conflict.resolved)
                .ok_or_else(|| format!("the phone does not show the conflict {key}"))?
                .clone();
            if *keep_mine {
                phone.put(
                    mine.collection,
                    &mine.record_id,
                    BTreeMap::from([(mine.field.clone(), mine.device_value.clone())]),
                );
            }
            phone.settle_conflict(&mine.id);
        }
    }
    Ok(())
}
