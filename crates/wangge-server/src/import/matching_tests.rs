//! Matching a file's households against stored ones: who is the same person, what
//! changes, what is refused.

use std::collections::{BTreeSet, HashMap};

use serde_json::json;
use wangge_core::household::{Household, HouseholdTag, Relation};
use wangge_core::{Address, GridId, IdCardNumber};

use super::*;
use crate::import::households::{address_key, HouseholdRows, PersonRow};

const GRID: &str = "g1";
const ID_A: &str = "500110195603071238";
const ID_B: &str = "500110195805111226";
/// Stored under another household.
const ID_ELSEWHERE: &str = "500110197001010015";
const HEADERS: Headers<'static> = Headers { relation: "与户主关系", id_number: "身份证号" };

/// Unkeyed "hash" (the number itself) and counted ids: the plan does not care.
struct TestEnv(u32);

impl Env for TestEnv {
    fn hash(&self, person: &PersonRow) -> Option<Vec<u8>> {
        person.id_card.as_ref().map(|id| id.expose().as_bytes().to_vec())
    }

    fn household_of(&self, hash: &[u8]) -> Option<String> {
        (hash == ID_ELSEWHERE.as_bytes()).then(|| "h-other".to_string())
    }

    fn new_id(&mut self) -> String {
        self.0 += 1;
        format!("new{}", self.0)
    }
}

fn stored() -> HashMap<(String, String), Stored> {
    let fields = json!({
        "id": "h1", "grid": GRID, "address": "二村3栋501", "tags": ["veteran"], "status": "present",
        "member:a": {"name": "王建国", "gender": "male", "birth_year": 1956, "phone": null, "relation": "head", "status": "present", "id_last4": "1238"},
        "member:b": {"name": "李秀英", "gender": "female", "birth_year": 1958, "phone": "13812345678", "relation": "spouse", "status": "present"}
    });
    let Value::Object(fields) = fields else { unreachable!() };
    let household: Household = serde_json::from_value(Value::Object(fields.clone())).unwrap();
    let hashes = [(ID_A.as_bytes().to_vec(), MemberId::parse("a").unwrap())].into_iter().collect();
    let key = (GRID.to_string(), address_key(&household.address));
    [(key, Stored { household, fields, hashes })].into_iter().collect()
}

fn person(row: u32, name: &str, year: i32, relation: Relation, id: Option<&str>) -> PersonRow {
    let id_card = id.map(|i| IdCardNumber::parse(i).unwrap());
    let member = serde_json::from_value(json!({
        "name": name, "gender": "female", "birth_year": year, "phone": null,
        "relation": relation.code(), "id_last4": id_card.as_ref().map(|i| i.last4())
    }))
    .unwrap();
    PersonRow { row, member, phone_given: false, id_card, tags: BTreeSet::new() }
}

fn file(people: Vec<PersonRow>) -> Vec<HouseholdRows> {
    let address = Address::parse("二村 3栋501").unwrap();
    vec![HouseholdRows { grid: GridId::parse(GRID).unwrap(), key: address_key(&address), address, people }]
}

#[test]
fn a_member_is_found_by_id_hash_then_by_name_and_birth_year() {
    let mut head = person(2, "王建国", 1956, Relation::Head, Some(ID_A));
    head.member.gender = wangge_core::household::Gender::Male;
    let spouse = person(3, "李秀英", 1958, Relation::Spouse, Some(ID_B));
    let plan = plan(file(vec![head, spouse]), &stored(), &HEADERS, &mut TestEnv(0));
    assert_eq!((plan.added, plan.updated, plan.unchanged), (0, 1, 1), "{:?}", plan.refused);
    let write = &plan.writes[0];
    let fields: Vec<&str> = write.fields.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["member:b"], "the spouse gains her last four; nothing else moves");
    assert_eq!(write.fields[0].1["phone"], "13812345678", "an empty phone cell keeps the stored phone");
    assert_eq!(write.hashes, [("b".to_string(), ID_B.as_bytes().to_vec())]);
}

#[test]
fn a_namesake_with_another_id_number_is_someone_else() {
    let namesake = person(2, "王建国", 1956, Relation::Child, Some("500110195603071246"));
    let plan = plan(file(vec![namesake]), &stored(), &HEADERS, &mut TestEnv(0));
    assert_eq!(plan.added, 1);
    assert_eq!(plan.writes[0].fields[0].0, "member:new1");
}

#[test]
fn a_second_head_for_a_stored_household_is_refused_and_tags_only_grow() {
    let mut child = person(3, "王小军", 1985, Relation::Child, None);
    child.tags.insert(HouseholdTag::LowIncome);
    let rows = vec![person(2, "张三", 1950, Relation::Head, None), child];
    let plan = plan(file(rows), &stored(), &HEADERS, &mut TestEnv(0));
    assert_eq!(plan.refused.iter().map(|r| r.row).collect::<Vec<_>>(), [2]);
    assert_eq!(plan.added, 1);
    let tags = plan.writes[0].fields.iter().find(|(f, _)| f == "tags").unwrap();
    assert_eq!(tags.1, json!(["low_income", "veteran"]));
}

#[test]
fn a_new_household_needs_a_head() {
    let plan =
        plan(file(vec![person(2, "王小军", 1985, Relation::Child, None)]), &HashMap::new(), &HEADERS, &mut TestEnv(0));
    assert_eq!(plan.refused.len(), 1);
    assert_eq!(plan.refused[0].column.as_deref(), Some("与户主关系"));
    assert!(plan.writes.is_empty());
}

#[test]
fn a_person_stored_in_another_household_is_not_added_again() {
    let moved = person(3, "赵六", 1970, Relation::Child, Some(ID_ELSEWHERE));
    let plan = plan(file(vec![moved]), &stored(), &HEADERS, &mut TestEnv(0));
    assert_eq!(plan.refused.len(), 1);
    assert_eq!(plan.refused[0].column.as_deref(), Some("身份证号"));
    assert!(plan.writes.is_empty() && plan.added == 0);
}
