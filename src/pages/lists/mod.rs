//! The three lists (三张清单): resources units and volunteers offer (资源), joint projects
//! with partner units (项目) and residents' needs (需求) of the user's scope — the list
//! with its filters and A4 print for the joint meeting, adding and editing an entry, and a
//! need's match (匹配), claim (认领) and fulfilment (办结). Community staff reach it from
//! the 会议 tab; anyone who works a grid from an issue's "提出需求". Every write is one
//! IndexedDB transaction with its outbox entry (`store/list_actions.rs`), checked by the
//! core's `lists::check` first, so a list kept with no signal syncs later.

pub mod data;
pub mod entry;
pub mod fields;
pub mod form;
pub mod list;
pub mod need;
pub mod print;
pub mod words;

pub use entry::EntryPage;
pub use form::{EditEntryPage, NewEntryPage};
pub use list::ListsPage;
