//! Sync: the wire protocol between a device and the server, and the pure rules both sides
//! follow (field-level merge, idempotent `(client_id, seq)` ordering). No I/O here: the
//! server and the app move the bytes (see `docs/SYNC.md`).
//!
//! - [`protocol`]: the wire types.
//! - [`check_seq`], [`decide_field`], [`decide_field_by_writer`]: the rules.
//! - [`may_delete`]: which records a delete may remove (records with history: none).
//! - [`device`]: the device's sync decisions as pure functions returning plans
//!   ([`plan_push_reply`], [`plan_pull_page`], [`plan_new_epoch`], …), executed by the
//!   browser store in one IndexedDB transaction each and by [`Replica`].
//! - [`Replica`]: the device's side as a pure state machine (outbox, cursor, epoch, view),
//!   a thin driver of the [`device`] plans.
//! - [`decide`]: the server's decisions (batch walk, put, delete, append, settle) as pure
//!   functions, driven by both servers below.
//! - [`ServerModel`]: an in-memory reference server driving [`decide`], the executable
//!   spec of the real one.
//!
//! Two phones, one offline edit each, synced through the reference server:
//!
//! ```
//! use std::collections::BTreeMap;
//! use serde_json::json;
//! use wangge_core::sync::{Collection, Replica, ServerModel};
//!
//! // Moves everything one replica has to say and hear, as the app's sync loop would.
//! fn sync(phone: &mut Replica, server: &mut ServerModel) {
//!     while let Some(push) = phone.push_batch(100) {
//!         let reply = server.push(&push).unwrap();
//!         phone.on_push_response(&push, &reply);
//!     }
//!     loop {
//!         let pull = phone.pull_request(100);
//!         let page = server.pull(&pull);
//!         phone.apply_pull(&pull, &page);
//!         if !page.has_more { break }
//!     }
//! }
//! let fields = |pairs: &[(&str, serde_json::Value)]| -> BTreeMap<String, serde_json::Value> {
//!     pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
//! };
//!
//! let mut server = ServerModel::new("epoch-1");
//! let (mut a, mut b) = (Replica::new("phone-a"), Replica::new("phone-b"));
//!
//! // Phone A registers a household and syncs; phone B pulls it.
//! a.put(Collection::Households, "H1", fields(&[("head", json!("王芳")), ("size", json!(3))]));
//! sync(&mut a, &mut server);
//! sync(&mut b, &mut server);
//! assert_eq!(b.view(), server.state());
//!
//! // Offline, A corrects the size while B changes the phone number: different fields merge.
//! a.put(Collection::Households, "H1", fields(&[("size", json!(4))]));
//! b.put(Collection::Households, "H1", fields(&[("phone", json!("13800000000"))]));
//! // B also changes the size, without having seen A's change: that one is kept as a conflict.
//! b.put(Collection::Households, "H1", fields(&[("size", json!(5))]));
//! for _ in 0..2 {
//!     sync(&mut a, &mut server);
//!     sync(&mut b, &mut server);
//! }
//! let state = server.state();
//! let h1 = state.record(Collection::Households, "H1").unwrap();
//! assert_eq!(h1.get("size"), Some(&json!(4)));
//! assert_eq!(h1.get("phone"), Some(&json!("13800000000")));
//! let conflict = state.conflicts.values().next().unwrap();
//! assert_eq!((conflict.field.as_str(), &conflict.device_value), ("size", &json!(5)));
//! // Both phones now show the same thing, conflict included, and owe the server nothing.
//! assert_eq!(a.view(), state);
//! assert_eq!(b.view(), state);
//! assert!(a.outbox().is_empty() && b.outbox().is_empty());
//! ```

mod change_de;
pub mod decide;
mod deletes;
pub mod device;
mod mutation_de;
mod page_size;
pub mod protocol;
mod replica;
mod rules;
mod server_model;
mod state;

pub use decide::{
    decide_append, decide_delete, decide_put, decide_settle, hands_back_record, plan_batch, AppendDecision, BatchPlan,
    DeleteDecision, KeptConflict, PutDecision, PutPlan, SeqGap, SeqStep, SettleDecision, StoredField, StoredRecord,
    WHOLE_RECORD,
};
pub use deletes::{may_delete, DeleteRefusal};
pub use device::{
    client_id_of, forget_bases, own_work, plan_adopt_device, plan_epoch_mismatch, plan_new_epoch, plan_pull_page,
    plan_push_reply, DeviceSync, EpochMismatchPlan, PullPlan, PushPlan, Rejection, Reset,
};
pub use page_size::{next_pull_page, FIRST_PULL_PAGE, MIN_PULL_PAGE};
pub use protocol::*;
pub use replica::Replica;
pub use rules::{check_seq, decide_field, decide_field_by_writer, FieldDecision, SeqDecision};
pub use server_model::{PushError, ServerModel};
pub use state::{Record, RecordKey, SyncState};
