//! Migration 0009 on a database that holds a household in the shape from before members
//! had ids (one `members` list field): afterwards it validates as a current record and a
//! phone pulls it in its new shape.

use super::sql::{params, Conn};
use serde_json::{json, Value};
use wangge_core::grid::{Grid, GridCode, GridLevel};
use wangge_core::people::Role;
use wangge_core::sync::{Change, Collection};
use wangge_core::{GridId, GridName, PersonId};

use super::{migrations, pull, seed, store};
use crate::account::User;
use crate::records;

const GRID: &str = "g500110000000000";
/// The schema before 0009.
const BEFORE: u32 = 8;

fn old_household(conn: &Conn, id: &str, members: Value, version: u64) {
    let fields = json!({"id": id, "grid": GRID, "address": "二村3栋501", "tags": ["veteran"], "members": members});
    for (field, value) in fields.as_object().unwrap() {
        conn.execute(
            "INSERT INTO record_fields (collection, id, field, value, version) VALUES ('households', ?1, ?2, ?3, ?4)",
            params![id, field, value.to_string(), version],
        )
        .unwrap();
    }
    conn.execute(
        "INSERT INTO records (collection, id, grid, deleted, version) VALUES ('households', ?1, ?2, 0, ?3)",
        params![id, GRID, version],
    )
    .unwrap();
    store::write_counter(conn, version).unwrap();
}

#[test]
fn old_member_lists_become_member_fields_with_fresh_versions() {
    let mut conn = Conn::sqlite(rusqlite::Connection::open_in_memory().unwrap());
    migrations::run_to(conn.as_sqlite_mut().unwrap(), BEFORE).unwrap();
    let member = |name: &str, relation: &str| json!({"name": name, "gender": "female", "birth_year": 1960, "phone": null, "relation": relation});
    old_household(&conn, "h-old", json!([member("王芳", "head"), member("王小军", "child")]), 10);
    old_household(&conn, "h-empty", json!([]), 11);
    migrations::run(&mut conn).unwrap();

    let fields = store::record_fields(&conn, "households", "h-old").unwrap();
    assert!(!fields.contains_key("members"));
    assert_eq!(fields["member:m2"].value["name"], "王小军", "numbered as the core reads old records");
    assert_eq!(fields["member:m1"].version, fields["member:m2"].version, "one version per record");
    let merged: records::Fields = fields.iter().map(|(k, v)| (k.clone(), v.value.clone())).collect();
    records::validate(Collection::Households, "h-old", &merged).expect("a put to it is accepted again");
    let counter = store::read_counter(&conn).unwrap();
    assert_eq!(counter, 13, "two households, one fresh version each");
    // The grid only decides who pulls the households; seeded in today's schema.
    let grid = Grid {
        id: GridId::parse(GRID).unwrap(),
        name: GridName::parse("綦江区").unwrap(),
        level: GridLevel::District,
        parent: None,
        code: Some(GridCode::parse(&GRID[1..]).unwrap()),
        retired: false,
    };
    seed::load(&mut conn, &seed::Dataset { grids: vec![grid], ..Default::default() }).unwrap();

    let user = User {
        username: "w".into(),
        person_id: PersonId::parse("p-w").unwrap(),
        name: "网格员".into(),
        roles: vec![Role::GridWorker],
        home_grid: GridId::parse(GRID).unwrap(),
    };
    let page = pull::pull(&mut conn, &user, 11, 100).unwrap();
    let pulled: Vec<(&str, u64)> = page
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Upsert { id, version, fields, .. } => {
                assert!(!fields.contains_key("members"));
                Some((id.as_str(), *version))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        pulled,
        [("h-empty", 12), ("h-old", 13), (GRID, 14)],
        "a phone at the old versions pulls both again (and the grid, seeded after)"
    );
}
