//! Sync: the wire protocol between a device and the server, and the pure rules both sides
//! follow (field-level merge, idempotent `(client_id, seq)` ordering). No I/O here: the
//! server and the app move the bytes (see `../shared/SYNC.md`).

pub mod protocol;
mod rules;

pub use protocol::*;
pub use rules::{check_seq, decide_field, FieldDecision, SeqDecision};
