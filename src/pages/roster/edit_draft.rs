//! The roster forms' state, owned by the screen above what a sync re-renders (like the
//! issue detail's `EditDraft`), and the rules that turn it into a change: every field
//! parsed by the core (as the server will), and only what differs from the household as
//! the form opened on it sent, with the bases it opened on (`Store::edit_seen`).

use std::collections::BTreeSet;

use leptos::prelude::*;
use serde_json::Value;
use wangge_core::household::{
    BirthYear, Gender, Household, HouseholdStatus, HouseholdTag, Member, MemberStatus, Members, Relation,
};
use wangge_core::{Address, Date, DomainError, MemberId, PersonName, Phone};

use crate::format::now_ms;
use crate::i18n::roster::RosterMsg;
use crate::i18n::{Lang, Text};
use crate::store::{Bases, Fields};

/// Which roster form is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    Household,
    NewMember,
    Member(MemberId),
}

/// A field's refusal, shown next to it.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldError {
    Core(DomainError),
    YearNotNumber,
}

impl FieldError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (FieldError::Core(e), Lang::Zh) => e.message_zh(),
            (FieldError::Core(e), Lang::En) => e.message_en(),
            (FieldError::YearNotNumber, l) => RosterMsg::BirthYearNotNumber.text(l).into(),
        }
    }
}

/// What a member form holds while typed.
#[derive(Clone, Copy)]
pub struct MemberInputs {
    pub name: RwSignal<String>,
    pub gender: RwSignal<Gender>,
    pub birth_year: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub relation: RwSignal<Relation>,
    pub status: RwSignal<MemberStatus>,
    pub name_error: RwSignal<Option<FieldError>>,
    pub year_error: RwSignal<Option<FieldError>>,
    pub phone_error: RwSignal<Option<FieldError>>,
}

impl Default for MemberInputs {
    fn default() -> MemberInputs {
        MemberInputs {
            name: RwSignal::new(String::new()),
            gender: RwSignal::new(Gender::Female),
            birth_year: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            relation: RwSignal::new(Relation::Head),
            status: RwSignal::new(MemberStatus::Present),
            name_error: RwSignal::new(None),
            year_error: RwSignal::new(None),
            phone_error: RwSignal::new(None),
        }
    }
}

impl MemberInputs {
    /// Fills the inputs from a member (or empties them for a new one).
    pub fn fill(self, m: Option<&Member>, relation: Relation) {
        self.name.set(m.map(|m| m.name.to_string()).unwrap_or_default());
        self.gender.set(m.map_or(Gender::Female, |m| m.gender));
        self.birth_year.set(m.map(|m| m.birth_year.year().to_string()).unwrap_or_default());
        self.phone.set(m.and_then(|m| m.phone.as_ref()).map(|p| p.to_string()).unwrap_or_default());
        self.relation.set(m.map_or(relation, |m| m.relation));
        self.status.set(m.map_or(MemberStatus::Present, |m| m.status));
        for e in [self.name_error, self.year_error, self.phone_error] {
            e.set(None);
        }
    }

    /// The member the inputs describe, each field parsed by the core; `None` after
    /// showing every refusal beside its field. `id_last4` is carried over: the phone
    /// never edits it (it comes from the ID card, through an import).
    pub fn parse(self, before: Option<&Member>) -> Option<Member> {
        let name = PersonName::parse(self.name.get_untracked().trim()).map_err(FieldError::Core);
        let today = Date::of_millis(now_ms());
        let year = self
            .birth_year
            .with_untracked(|y| y.trim().parse::<i32>())
            .map_err(|_| FieldError::YearNotNumber)
            .and_then(|y| BirthYear::parse(y, today).map_err(FieldError::Core));
        let phone = self.phone.with_untracked(|p| {
            let p = p.trim();
            if p.is_empty() {
                Ok(None)
            } else {
                Phone::parse(p).map(Some).map_err(FieldError::Core)
            }
        });
        self.name_error.set(name.as_ref().err().cloned());
        self.year_error.set(year.as_ref().err().cloned());
        self.phone_error.set(phone.as_ref().err().cloned());
        Some(Member {
            name: name.ok()?,
            gender: self.gender.get_untracked(),
            birth_year: year.ok()?,
            phone: phone.ok()?,
            relation: self.relation.get_untracked(),
            status: self.status.get_untracked(),
            id_last4: before.and_then(|m| m.id_last4.clone()),
        })
    }
}

/// The household screen's forms: which is open, the household and bases it opened on,
/// and every input.
#[derive(Clone, Copy)]
pub struct RosterDraft {
    pub open: RwSignal<Option<FormKind>>,
    pub seen: StoredValue<Option<(Household, Bases)>>,
    pub address: RwSignal<String>,
    pub tags: RwSignal<BTreeSet<HouseholdTag>>,
    pub status: RwSignal<HouseholdStatus>,
    pub grid: RwSignal<String>,
    pub address_error: RwSignal<Option<FieldError>>,
    pub member: MemberInputs,
    pub failure: RwSignal<Option<String>>,
}

impl Default for RosterDraft {
    fn default() -> RosterDraft {
        RosterDraft {
            open: RwSignal::new(None),
            seen: StoredValue::new(None),
            address: RwSignal::new(String::new()),
            tags: RwSignal::new(BTreeSet::new()),
            status: RwSignal::new(HouseholdStatus::Present),
            grid: RwSignal::new(String::new()),
            address_error: RwSignal::new(None),
            member: MemberInputs::default(),
            failure: RwSignal::new(None),
        }
    }
}

impl RosterDraft {
    /// Opens `kind` on the household as the phone has it now, and remembers it: what the
    /// worker changes is measured against this, never against a copy a sync brings later.
    pub fn open_on(self, kind: FormKind, h: &Household, bases: &Bases) {
        self.address.set(h.address.to_string());
        self.tags.set(h.tags.clone());
        self.status.set(h.status);
        self.grid.set(h.grid.to_string());
        self.address_error.set(None);
        self.failure.set(None);
        match &kind {
            FormKind::Member(id) => self.member.fill(h.members.get(id), Relation::Other),
            _ => self.member.fill(None, Relation::Other),
        }
        self.seen.set_value(Some((h.clone(), bases.clone())));
        self.open.set(Some(kind));
    }

    pub fn close(self) {
        self.open.set(None);
        self.seen.set_value(None);
    }

    /// The household fields the worker changed, or `None` when a field is refused.
    pub fn household_changes(self, before: &Household) -> Option<Fields> {
        let address = Address::parse(self.address.get_untracked().trim());
        self.address_error.set(address.as_ref().err().cloned().map(FieldError::Core));
        let address = address.ok()?;
        let mut fields = Fields::new();
        if address != before.address {
            fields.insert("address".into(), Value::from(address.as_str()));
        }
        let tags = self.tags.get_untracked();
        if tags != before.tags {
            fields.insert("tags".into(), Value::from(tags.iter().map(|t| t.code()).collect::<Vec<_>>()));
        }
        let status = self.status.get_untracked();
        if status != before.status {
            fields.insert("status".into(), Value::from(status.code()));
        }
        let grid = self.grid.get_untracked();
        if grid != before.grid.as_str() {
            fields.insert("grid".into(), Value::from(grid));
        }
        Some(fields)
    }

    /// The one member field a member form changes (a new member: a new id, base 0 on
    /// the server), or `None` when a field is refused.
    pub fn member_change(self, before: &Household, kind: &FormKind, new_id: MemberId) -> Option<Fields> {
        let (id, old) = match kind {
            FormKind::Member(id) => (id.clone(), before.members.get(id)),
            _ => (new_id, None),
        };
        let member = self.member.parse(old)?;
        let mut fields = Fields::new();
        if old != Some(&member) {
            let value = serde_json::to_value(&member).ok()?;
            fields.insert(Members::field_name(&id), value);
        }
        Some(fields)
    }
}
