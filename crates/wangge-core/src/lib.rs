//! Wangge's core: the domain records, their validation, the issue state machine and the
//! sync rules, shared by the browser app and the server so the two never disagree.
//!
//! **This crate never does I/O**: no clocks, no randomness, no network, no storage. Callers
//! pass the current time and random bytes in.

/// Version of the record and mutation shapes exchanged between device and server.
/// Bump it when a wire type changes incompatibly; the server refuses other versions.
pub const SCHEMA_VERSION: u32 = 1;
