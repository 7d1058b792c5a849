//! The device's sync loop (`docs/SYNC.md`): **the only code that calls the API**.
//! - [`api`]: login, logout, push, pull over `fetch`.
//! - [`engine`]: one round — push the outbox, then pull — each step one store transaction.
//! - [`runner`]: when rounds run (start, online, after changes, backoff) and the
//!   [`SyncHandle`] screens use to show the state and announce their saves.
//! - [`photos`]: photo uploads and thumbnail prefetch, after each round's records.
//! - [`status`]: the state and problems as the worker reads them.
//! - [`account`]: logging in and out on this phone.

pub mod account;
pub mod api;
pub mod engine;
pub mod photos;
mod runner;
pub mod status;

pub use runner::SyncHandle;
pub use status::{Problem, SyncStatus};
