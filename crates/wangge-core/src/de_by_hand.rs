//! The two steps every hand-written serde reader in this crate repeats (`event_de.rs`,
//! `change_de.rs`, `mutation_de.rs`, `target_rule_de.rs`): keep a field's value once, and
//! ask for a field the chosen variant needs. Those readers exist to keep serde's
//! internally tagged readers (compiled once per deserializer) out of the worker's wasm;
//! these helpers give them the derived reader's errors.

use serde::de;

/// Stores a field's value, refusing a second one as the derived reader does.
pub(crate) fn once<T, E: de::Error>(slot: &mut Option<T>, value: T, name: &'static str) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(value);
    Ok(())
}

/// The field's value, or the derived reader's "missing field" error.
pub(crate) fn need<T, E: de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}
