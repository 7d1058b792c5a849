//! The households of a file matched against those stored, and what importing them would
//! write: pure (the stored households are read by `db/import.rs`, which also writes the
//! plan). Every data row of the file ends in exactly one of added, updated, unchanged or
//! refused.
//!
//! A household matches a stored one in the same grid with the same normalised address; a
//! person matches a stored member by the keyed hash of their ID-card number, or, when the
//! row has none (or the member was stored without one), by name and birth year — never a
//! member stored with another number. What the file leaves out is kept (see `mod.rs`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::Value;
use wangge_core::household::{Household, HouseholdStatus, Member, Members, Relation};
use wangge_core::sync::Collection;
use wangge_core::{HouseholdId, MemberId};

use super::households::{HouseholdRows, PersonRow};
use super::RefusedRow;
use crate::records::{self, Fields};

/// A household as stored, with the ID-card hashes of its members.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub(crate) household: Household,
    pub(crate) fields: Fields,
    pub(crate) hashes: HashMap<Vec<u8>, MemberId>,
}

/// One household's writes: the fields that change (all of them for a new one).
#[derive(Debug, Clone)]
pub(crate) struct Write {
    pub(crate) id: String,
    pub(crate) grid: String,
    pub(crate) fields: Vec<(String, Value)>,
    /// (member id, hash) to keep in `member_id_hashes`.
    pub(crate) hashes: Vec<(String, Vec<u8>)>,
}

#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub(crate) writes: Vec<Write>,
    pub(crate) added: u32,
    pub(crate) updated: u32,
    pub(crate) unchanged: u32,
    pub(crate) refused: Vec<RefusedRow>,
}

/// What the plan needs from outside: the hash of an ID-card number, the household a
/// hash is stored under, and fresh ids.
pub(crate) trait Env {
    fn hash(&self, person: &PersonRow) -> Option<Vec<u8>>;
    fn household_of(&self, hash: &[u8]) -> Option<String>;
    fn new_id(&mut self) -> String;
}

/// The file's own headers of the columns refusals name.
pub(crate) struct Headers<'a> {
    pub(crate) relation: &'a str,
    pub(crate) id_number: &'a str,
}

/// Matches every household of the file; `stored` is keyed by (grid id, address key).
pub(crate) fn plan(
    file: Vec<HouseholdRows>,
    stored: &HashMap<(String, String), Stored>,
    headers: &Headers<'_>,
    env: &mut impl Env,
) -> Plan {
    let mut plan = Plan::default();
    for mut rows in file {
        let found = stored.get(&(rows.grid.as_str().to_string(), rows.key.clone()));
        refuse_stored_elsewhere(&mut plan, &mut rows, found, headers.id_number, env);
        match found {
            Some(s) => update(&mut plan, rows, s, headers.relation, env),
            None => add(&mut plan, rows, headers.relation, env),
        }
    }
    plan
}

/// A person whose ID-card number is stored in another household is not added here too:
/// one person lives in one household (a move is recorded in the app, where the old
/// household's member is marked moved out).
fn refuse_stored_elsewhere(
    plan: &mut Plan,
    rows: &mut HouseholdRows,
    found: Option<&Stored>,
    column: &str,
    env: &impl Env,
) {
    let here = found.map(|s| s.household.id.as_str());
    rows.people.retain(|p| {
        let elsewhere = env.hash(p).and_then(|h| env.household_of(&h)).filter(|h| Some(h.as_str()) != here);
        if elsewhere.is_some() {
            plan.refused.push(RefusedRow {
                row: p.row,
                column: Some(column.to_string()),
                reason: "此身份证号已登记在另一户:一人只能在一户。如已搬迁,请先在应用中把原住户的这位成员标为已迁出并联系管理员".into(),
            });
        }
        elsewhere.is_none()
    });
}

fn refuse_all(plan: &mut Plan, people: &[PersonRow], column: &str, reason: &str) {
    plan.refused.extend(people.iter().map(|p| RefusedRow {
        row: p.row,
        column: Some(column.to_string()),
        reason: reason.to_string(),
    }));
}

fn add(plan: &mut Plan, rows: HouseholdRows, relation_header: &str, env: &mut impl Env) {
    if !rows.people.iter().any(|p| p.member.relation == Relation::Head) {
        let reason = format!("新住户“{}”没有户主:请在户主那一行的“与户主关系”填“户主”", rows.address.as_str());
        return refuse_all(plan, &rows.people, relation_header, &reason);
    }
    let mut hashes = Vec::new();
    let mut members = BTreeMap::new();
    for p in &rows.people {
        let id = member_id(env);
        if let Some(h) = env.hash(p) {
            hashes.push((id.as_str().to_string(), h));
        }
        members.insert(id, p.member.clone());
    }
    let household = Household {
        id: match HouseholdId::parse(env.new_id()) {
            Ok(id) => id,
            Err(_) => return refuse_all(plan, &rows.people, relation_header, "无法生成住户编号,请重试"),
        },
        grid: rows.grid.clone(),
        address: rows.address.clone(),
        tags: rows.tags(),
        status: HouseholdStatus::Present,
        merged_into: None,
        members: Members(members),
    };
    let Ok(Value::Object(fields)) = serde_json::to_value(&household) else {
        return;
    };
    match records::validate(Collection::Households, household.id.as_str(), &fields) {
        Ok(canonical) => {
            plan.added += rows.people.len() as u32;
            let fields = canonical.into_iter().collect();
            plan.writes.push(Write {
                id: household.id.as_str().to_string(),
                grid: rows.grid.as_str().to_string(),
                fields,
                hashes,
            });
        }
        Err(r) => refuse_all(plan, &rows.people, relation_header, &r.message),
    }
}

fn member_id(env: &mut impl Env) -> MemberId {
    // A ULID always parses as an id; the loop only guards the type's contract.
    loop {
        if let Ok(id) = MemberId::parse(env.new_id()) {
            return id;
        }
    }
}

/// The stored member this row is, if any (and not already taken by an earlier row).
fn find(stored: &Stored, p: &PersonRow, hash: Option<&Vec<u8>>, taken: &HashSet<MemberId>) -> Option<MemberId> {
    if let Some(id) = hash.and_then(|h| stored.hashes.get(h)).filter(|id| !taken.contains(*id)) {
        return Some(id.clone());
    }
    let hashed: HashSet<&MemberId> = stored.hashes.values().collect();
    stored
        .household
        .members
        .iter()
        .filter(|(id, _)| !taken.contains(*id) && (hash.is_none() || !hashed.contains(id)))
        .find(|(_, m)| m.name == p.member.name && m.birth_year == p.member.birth_year)
        .map(|(id, _)| id.clone())
}

/// The stored member with the row's values on top; what the row leaves empty is kept.
fn merged(old: &Member, p: &PersonRow) -> Member {
    Member {
        phone: if p.phone_given { p.member.phone.clone() } else { old.phone.clone() },
        id_last4: p.member.id_last4.clone().or_else(|| old.id_last4.clone()),
        status: old.status,
        ..p.member.clone()
    }
}

fn update(plan: &mut Plan, rows: HouseholdRows, stored: &Stored, relation_header: &str, env: &mut impl Env) {
    let (mut fields, mut hashes, mut taken) = (Vec::new(), Vec::new(), HashSet::new());
    let mut outcome: Vec<(u32, bool, bool)> = Vec::new(); // (row, added, changed)
    let had_head = stored.household.members.iter().any(|(_, m)| m.relation == Relation::Head && m.is_present());
    let mut refused = Vec::new();
    for p in &rows.people {
        let hash = env.hash(p);
        let found = find(stored, p, hash.as_ref(), &taken);
        let old = found.as_ref().and_then(|id| stored.household.members.get(id));
        let becomes_head = p.member.relation == Relation::Head && old.is_none_or(|m| m.relation != Relation::Head);
        if had_head && becomes_head {
            refused.push(RefusedRow {
                row: p.row,
                column: Some(relation_header.to_string()),
                reason: "该户已登记户主:一户只能有一个户主,如需更换户主请在应用中修改".into(),
            });
            continue;
        }
        let id = found.unwrap_or_else(|| member_id(env));
        taken.insert(id.clone());
        if let Some(h) = hash.filter(|h| stored.hashes.get(h) != Some(&id)) {
            hashes.push((id.as_str().to_string(), h));
        }
        let member = old.map_or_else(|| p.member.clone(), |old| merged(old, p));
        let changed = old != Some(&member);
        if changed {
            fields.push((Members::field_name(&id), serde_json::to_value(&member).unwrap_or(Value::Null)));
        }
        outcome.push((p.row, old.is_none(), changed));
    }
    let tags: BTreeSet<_> = stored.household.tags.union(&rows.tags()).copied().collect();
    let new_tags: BTreeSet<_> = tags.difference(&stored.household.tags).copied().collect();
    if !new_tags.is_empty() {
        fields.push(("tags".into(), serde_json::to_value(&tags).unwrap_or(Value::Null)));
    }
    let id = stored.household.id.as_str();
    if !fields.is_empty() {
        let mut all = stored.fields.clone();
        all.extend(fields.iter().cloned());
        match records::validate(Collection::Households, id, &all) {
            Ok(canonical) => {
                fields.iter_mut().for_each(|(f, v)| *v = canonical.get(f.as_str()).cloned().unwrap_or(Value::Null))
            }
            Err(r) => return refuse_all(plan, &rows.people, relation_header, &r.message),
        }
    }
    for (row, added, changed) in outcome {
        let tagged = rows.people.iter().any(|p| p.row == row && p.tags.iter().any(|t| new_tags.contains(t)));
        match (added, changed || tagged) {
            (true, _) => plan.added += 1,
            (false, true) => plan.updated += 1,
            (false, false) => plan.unchanged += 1,
        }
    }
    plan.refused.extend(refused);
    if !fields.is_empty() || !hashes.is_empty() {
        plan.writes.push(Write { id: id.to_string(), grid: rows.grid.as_str().to_string(), fields, hashes });
    }
}

#[cfg(test)]
#[path = "matching_tests.rs"]
mod tests;
