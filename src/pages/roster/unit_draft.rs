//! The unit form's state (驻区单位 / 区级部门), owned by the units list above what a sync
//! re-renders, and the rules that turn it into a record or a change: every field parsed
//! by the core, and on an edit only the fields that differ, `null` for one cleared.

use leptos::prelude::*;
use serde_json::Value;
use wangge_core::unit::{Unit, UnitKind};
use wangge_core::{Address, GridId, PersonId, PersonName, Phone, UnitId, UnitName};

use super::edit_draft::FieldError;
use crate::format::now_ms;
use crate::pages::issues::common::random_bytes;
use crate::store::{Bases, Fields};

/// Everything the unit form holds. `editing` is the unit as the form opened on it, with
/// its bases; `None` while adding.
#[derive(Clone, Copy)]
pub struct UnitDraft {
    pub open: RwSignal<bool>,
    pub editing: RwSignal<Option<(Unit, Bases)>>,
    pub name: RwSignal<String>,
    pub kind: RwSignal<UnitKind>,
    pub grid: RwSignal<String>,
    pub address: RwSignal<String>,
    pub contact: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub account: RwSignal<String>,
    pub name_error: RwSignal<Option<FieldError>>,
    pub address_error: RwSignal<Option<FieldError>>,
    pub contact_error: RwSignal<Option<FieldError>>,
    pub phone_error: RwSignal<Option<FieldError>>,
    pub failure: RwSignal<Option<String>>,
    pub saved: RwSignal<bool>,
}

impl Default for UnitDraft {
    fn default() -> UnitDraft {
        UnitDraft {
            open: RwSignal::new(false),
            editing: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            kind: RwSignal::new(UnitKind::Enterprise),
            grid: RwSignal::new(String::new()),
            address: RwSignal::new(String::new()),
            contact: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            account: RwSignal::new(String::new()),
            name_error: RwSignal::new(None),
            address_error: RwSignal::new(None),
            contact_error: RwSignal::new(None),
            phone_error: RwSignal::new(None),
            failure: RwSignal::new(None),
            saved: RwSignal::new(false),
        }
    }
}

impl UnitDraft {
    /// Opens the form empty, for a new unit in `grid`.
    pub fn start_new(self, grid: String) {
        self.fill(None, grid);
    }

    /// Opens the form on `unit` as the phone has it, with the bases it was read with.
    pub fn start_edit(self, unit: Unit, bases: Bases) {
        let grid = unit.grid.to_string();
        self.fill(Some((unit, bases)), grid);
    }

    fn fill(self, editing: Option<(Unit, Bases)>, grid: String) {
        let u = editing.as_ref().map(|(u, _)| u);
        self.name.set(u.map(|u| u.name.to_string()).unwrap_or_default());
        self.kind.set(u.map_or(UnitKind::Enterprise, |u| u.kind));
        self.grid.set(grid);
        self.address.set(u.map(|u| u.address.to_string()).unwrap_or_default());
        self.contact.set(u.and_then(|u| u.contact.as_ref()).map(|c| c.to_string()).unwrap_or_default());
        self.phone.set(u.and_then(|u| u.phone.as_ref()).map(|p| p.to_string()).unwrap_or_default());
        self.account.set(u.and_then(|u| u.contact_person.as_ref()).map(|p| p.to_string()).unwrap_or_default());
        for e in [self.name_error, self.address_error, self.contact_error, self.phone_error] {
            e.set(None);
        }
        self.failure.set(None);
        self.saved.set(false);
        self.editing.set(editing);
        self.open.set(true);
    }

    /// The unit the form describes (the edited one keeps its id), or `None` with each
    /// refused field's message set — all at once, not one per attempt.
    pub fn parse(self) -> Option<Unit> {
        let opt = |s: String| (!s.trim().is_empty()).then(|| s.trim().to_string());
        let name = UnitName::parse(self.name.get_untracked().trim());
        let address = Address::parse(self.address.get_untracked().trim());
        let contact = opt(self.contact.get_untracked()).map(|c| PersonName::parse(&c)).transpose();
        let phone = opt(self.phone.get_untracked()).map(|p| Phone::parse(&p)).transpose();
        self.name_error.set(name.as_ref().err().cloned().map(FieldError::Core));
        self.address_error.set(address.as_ref().err().cloned().map(FieldError::Core));
        self.contact_error.set(contact.as_ref().err().cloned().map(FieldError::Core));
        self.phone_error.set(phone.as_ref().err().cloned().map(FieldError::Core));
        let (Ok(name), Ok(address), Ok(contact), Ok(phone), Ok(grid)) =
            (name, address, contact, phone, GridId::parse(self.grid.get_untracked()))
        else {
            return None;
        };
        let id = self.editing.with_untracked(|e| e.as_ref().map(|(u, _)| u.id.clone()));
        Some(Unit {
            id: id.unwrap_or_else(|| UnitId::generate(now_ms(), random_bytes())),
            grid,
            name,
            kind: self.kind.get_untracked(),
            address,
            contact,
            phone,
            contact_person: opt(self.account.get_untracked()).and_then(|p| PersonId::parse(p).ok()),
        })
    }
}

/// The fields of `new` that differ from `old`; a field `new` no longer has is `null`
/// (the contact account taken away), so the server clears it too.
pub fn unit_changes(old: &Unit, new: &Unit) -> Fields {
    let (Ok(Value::Object(old)), Ok(Value::Object(new))) = (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return Fields::new();
    };
    let mut changes = Fields::new();
    for key in old.keys().chain(new.keys()) {
        let (was, now) = (old.get(key).unwrap_or(&Value::Null), new.get(key).unwrap_or(&Value::Null));
        if was != now {
            changes.insert(key.clone(), now.clone());
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn only_changed_fields_travel_and_a_removed_account_is_sent_as_null() {
        let old: Unit = serde_json::from_value(serde_json::json!({
            "id": "U-1", "grid": "G-1", "name": "区城管局", "kind": "department", "address": "人民路1号",
            "contact": "王强", "phone": null, "contact_person": "P-WANG"
        }))
        .unwrap();
        let mut new = old.clone();
        new.contact_person = None;
        new.name = UnitName::parse("区城市管理局").unwrap();
        let changes = unit_changes(&old, &new);
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert_eq!(changes["name"], Value::from("区城市管理局"));
        assert_eq!(changes["contact_person"], Value::Null);
        assert!(unit_changes(&old, &old).is_empty());
    }
}
