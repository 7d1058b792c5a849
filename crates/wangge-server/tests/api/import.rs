//! The ledger import (`/api/v1/admin/import/…`) on the real server: a generated `.xlsx` of
//! 2,000 households with 20 bad rows (dry run writes nothing and names exactly those rows;
//! confirm writes the rest at once; a grid worker pulls her grid's households; a
//! re-import writes nothing), a changed cell, a CSV with its own headers, callers who may
//! not import, files that are not ledgers, and a confirm that fails half-way.

use std::collections::BTreeSet;

use rust_xlsxwriter::Workbook;
use serde_json::Value;
use wangge_core::people::Role;
use wangge_core::sync::Change;
use wangge_core::{GridId, PersonId};
use wangge_server::account::NewUser;

use crate::helpers::{expect_error, spawn_world, TestApp};
use crate::world::{self, GROUP_A, GROUP_B};

pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const HEADERS: [&str; 9] =
    ["网格编号", "地址", "姓名", "与户主关系", "性别", "出生年份", "联系电话", "身份证号", "标签"];

pub(crate) type Row = [String; 9];

fn row(cells: [&str; 9]) -> Row {
    cells.map(str::to_string)
}

pub(crate) fn xlsx(rows: &[Row]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            // Birth years as numbers, as Excel users type them; the rest as text.
            match (c, cell.parse::<f64>()) {
                (5, Ok(n)) => sheet.write_number(r as u32 + 1, c as u16, n).map(drop),
                _ => sheet.write_string(r as u32 + 1, c as u16, cell).map(drop),
            }
            .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// A valid ID-card number (GB 11643 check character computed here, independently).
fn id_number(year: u32, seq: u32) -> String {
    let first = format!("500110{year}0101{:03}", seq % 1000);
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first.bytes().zip(weights).map(|(d, w)| u32::from(d - b'0') * w).sum();
    format!("{first}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

/// `n` households, alternately in groups A and B: a head (every tenth with an ID-card
/// number) and a spouse, every third also a child.
pub(crate) fn households(n: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    for i in 0..n {
        let grid = if i % 2 == 0 { GROUP_A } else { GROUP_B };
        let address = format!("幸福小区{}栋{}号", i / 100 + 1, i % 100 + 1);
        let year = 1940 + (i % 40) as u32;
        let id = if i % 10 == 0 { id_number(year, i as u32 / 10) } else { String::new() };
        let tags = if i % 7 == 0 { "独居老人、低保" } else { "" };
        rows.push(row([
            grid,
            &address,
            &format!("户主{i}"),
            "户主",
            "男",
            &year.to_string(),
            "13812345678",
            &id,
            tags,
        ]));
        rows.push(row([grid, &address, &format!("配偶{i}"), "配偶", "女", &(year + 2).to_string(), "", "", ""]));
        if i % 3 == 0 {
            rows.push(row([grid, &address, &format!("子女{i}"), "子女", "女", "1990", "023-12345678", "", ""]));
        }
    }
    rows
}

/// Inserts 20 bad rows among `rows`; returns their spreadsheet row numbers.
fn spoil(rows: &mut Vec<Row>) -> BTreeSet<u32> {
    let mut bad = BTreeSet::new();
    for k in 0..20 {
        let at = 50 + k * 230;
        let [grid, address, ..] = rows[at].clone();
        let base = |name: &str| row([&grid, &address, name, "子女", "男", "2000", "", "", ""]);
        let mut r = base(&format!("坏行{k}"));
        match k % 10 {
            0 => r[6] = "1381234".into(),
            1 => r[5] = "2099".into(),
            2 => r[7] = "110105194912310021".into(),
            3 => r[0] = "g-nowhere".into(),
            4 => r[3] = "邻居".into(),
            5 => r[8] = "富裕".into(),
            6 => r[2] = String::new(),
            7 => r[4] = "未知".into(),
            8 => r[1] = format!("无户主小区{k}号"),
            _ => r = rows[at].clone(), // the same person twice in one household
        }
        rows.insert(at + 1, r);
        bad.insert(at as u32 + 1 + 2); // 0-based index → row number (header is row 1)
    }
    bad
}

impl TestApp {
    async fn import(&self, token: &str, query: &str, content_type: &str, body: Vec<u8>) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/api/v1/admin/import/households{query}")))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub(crate) async fn import_ok(&self, token: &str, query: &str, content_type: &str, body: Vec<u8>) -> Value {
        let res = self.import(token, query, content_type, body).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, 200, "{text}");
        serde_json::from_str(&text).unwrap()
    }
}

fn count(conn: &wangge_server::db::sql::Conn, sql: &str) -> i64 {
    conn.query_row(sql, wangge_server::params![], |r| r.get(0)).unwrap()
}

/// Households upserted in `changes`, with their grid and member count.
fn pulled_households(changes: &[Change]) -> Vec<(String, usize)> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Upsert { collection, fields, .. } if collection.name() == "households" => {
                let grid = fields["grid"].value.as_str().unwrap().to_string();
                Some((grid, fields.keys().filter(|k| k.starts_with("member:")).count()))
            }
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn two_thousand_households_with_twenty_bad_rows() {
    let app = spawn_world().await;
    let (secretary, worker) = (app.login("secretary").await, app.login("worker_a").await);
    let (_, start) = app.pull_all(&worker.token, 0).await;
    let mut rows = households(2000);
    let good = rows.len() as u64;
    let bad = spoil(&mut rows);
    let file = xlsx(&rows);

    let dry = app.import_ok(&secretary.token, "", XLSX, file.clone()).await;
    let refused: BTreeSet<u32> =
        dry["refused"].as_array().unwrap().iter().map(|r| r["row"].as_u64().unwrap() as u32).collect();
    assert_eq!(refused, bad, "{}", dry["refused"]);
    assert_eq!(
        (dry["rows"].as_u64(), dry["added"].as_u64(), dry["confirmed"].as_bool()),
        (Some(good + 20), Some(good), Some(false))
    );
    assert!(dry["refused"].as_array().unwrap().iter().all(|r| !r["reason"].as_str().unwrap().is_empty()));
    let (changes, after_dry) = app.pull_all(&worker.token, start).await;
    assert!(changes.is_empty() && after_dry == start, "a dry run writes nothing");
    assert_eq!(count(&app.sql(), "SELECT count(*) FROM import_log"), 0);

    let done = app.import_ok(&secretary.token, "?confirm=true", XLSX, file.clone()).await;
    assert_eq!((done["added"].as_u64(), done["confirmed"].as_bool()), (Some(good), Some(true)));
    assert_eq!(done["refused"], dry["refused"], "confirm refuses what the dry run showed");
    let (changes, cursor) = app.pull_all(&worker.token, start).await;
    let pulled = pulled_households(&changes);
    assert_eq!(pulled.len(), 1000, "group A's half, nothing of group B");
    assert!(pulled.iter().all(|(grid, members)| grid == GROUP_A && *members >= 2));
    let text = serde_json::to_string(&changes).unwrap();
    assert!(!text.contains(&id_number(1940, 0)), "no full ID-card number reaches a phone");
    assert!(text.contains("\"id_last4\""));
    // The household's history on the phone names who imported it, and when.
    let importer = secretary.body["user"]["person_id"].as_str().unwrap();
    let imported = changes.iter().find_map(|c| match c {
        Change::Upsert { fields, .. } => fields.get("address").cloned(),
        _ => None,
    });
    let address = imported.expect("an imported household");
    assert_eq!(address.by.as_deref(), Some(importer));
    assert!(address.at.is_some());
    let conn = app.sql();
    assert_eq!(count(&conn, "SELECT count(*) FROM admin_log WHERE action = 'import_households'"), 1);
    assert_eq!(count(&conn, "SELECT count(*) FROM member_id_hashes"), 200);

    let again = app.import_ok(&secretary.token, "?confirm=true", XLSX, file).await;
    assert_eq!(
        (again["added"].as_u64(), again["updated"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(0), Some(good))
    );
    let (changes, _) = app.pull_all(&worker.token, cursor).await;
    assert!(changes.is_empty(), "a re-import writes no new version");
}

#[tokio::test]
async fn a_changed_cell_updates_that_member_only_and_nothing_is_removed() {
    let app = spawn_world().await;
    let (secretary, worker) = (app.login("secretary").await, app.login("worker_a").await);
    let first = households(2);
    app.import_ok(&secretary.token, "?confirm=true", XLSX, xlsx(&first)).await;
    let (_, cursor) = app.pull_all(&worker.token, 0).await;
    // The spouse's phone is new; the head's row is gone from the file; a tag is added.
    let mut second = vec![first[1].clone()];
    second[0][6] = "13900001111".into();
    second[0][8] = "重病".into();
    let report = app.import_ok(&secretary.token, "?confirm=true", XLSX, xlsx(&second)).await;
    assert_eq!((report["updated"].as_u64(), report["added"].as_u64()), (Some(1), Some(0)), "{report}");
    let (changes, _) = app.pull_all(&worker.token, cursor).await;
    let [Change::Upsert { fields, version, .. }] = changes.as_slice() else { panic!("one household: {changes:?}") };
    let fresh: Vec<&str> = fields.iter().filter(|(_, v)| v.version == *version).map(|(k, _)| k.as_str()).collect();
    assert_eq!(fresh.len(), 2, "the spouse and the tags only: {fresh:?}");
    assert!(fresh.contains(&"tags"));
    let members: Vec<&Value> = fields.iter().filter(|(k, _)| k.starts_with("member:")).map(|(_, v)| &v.value).collect();
    assert_eq!(members.len(), 3, "the head and the child are kept");
    assert!(members.iter().any(|m| m["phone"] == "13900001111"));
    assert_eq!(fields["tags"].value, serde_json::json!(["living_alone_elderly", "low_income", "serious_illness"]));
}

#[tokio::test]
async fn a_gbk_csv_with_its_own_headers_is_read_through_a_column_mapping() {
    let app = spawn_world().await;
    let secretary = app.login("secretary").await;
    let csv = format!(
        "所属网格,住址,姓名,关系,性别,出生年,备注\n{GROUP_A},和平路8号,赵大,本人,男,1950,\n{GROUP_A},和平路8号,钱二,妻,女,1952年,腿脚不便\n"
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&csv);
    let mapping = r#"{"所属网格":"grid","住址":"address","关系":"relation","出生年":"birth_year"}"#;
    let query = format!(
        "?confirm=true&columns={}",
        percent_encoding::utf8_percent_encode(mapping, percent_encoding::NON_ALPHANUMERIC)
    );
    let report = app.import_ok(&secretary.token, &query, "text/csv", gbk.into_owned()).await;
    assert_eq!((report["added"].as_u64(), report["refused"].as_array().map(Vec::len)), (Some(2), Some(0)), "{report}");
    assert_eq!(report["unmapped"], serde_json::json!(["备注"]));
    assert_eq!(report["fields"].as_array().unwrap().len(), 9);
    let unmapped = app.import_ok(&secretary.token, "", "text/csv", csv.into_bytes()).await;
    assert_eq!(unmapped["refused"][0]["row"], 1, "without the mapping the missing columns are named");
    assert_eq!(unmapped["added"], 0);
}

#[tokio::test]
async fn a_grid_worker_or_an_administrator_elsewhere_imports_nothing() {
    let app = spawn_world().await;
    let other = NewUser {
        username: "secretary_b".into(),
        password: world::PASSWORD.into(),
        person_id: PersonId::parse("p-secretary-b").unwrap(),
        name: "二村书记".into(),
        roles: vec![Role::CommunitySecretary],
        home_grid: GridId::parse(GROUP_B).unwrap(),
    };
    let hash = wangge_server::auth::hash_password(world::PASSWORD).unwrap();
    assert!(app.db().add_user(&other, &hash).unwrap());
    let (worker, elsewhere) = (app.login("worker_a").await, app.login("secretary_b").await);
    let (_, start) = app.pull_all(&worker.token, 0).await;
    let only_a: Vec<Row> = households(2).into_iter().filter(|r| r[0] == GROUP_A).collect();
    let res = app.import(&worker.token, "?confirm=true", XLSX, xlsx(&only_a)).await;
    expect_error(res, 403, "forbidden_role").await;
    let res = app.import(&elsewhere.token, "?confirm=true", XLSX, xlsx(&only_a)).await;
    expect_error(res, 403, "import_out_of_scope").await;
    let res = app
        .client
        .get(app.url("/api/v1/admin/import/template?kind=households"))
        .bearer_auth(&worker.token)
        .send()
        .await
        .unwrap();
    expect_error(res, 403, "forbidden_role").await;
    let (changes, _) = app.pull_all(&worker.token, start).await;
    assert!(changes.is_empty());
    assert_eq!(count(&app.sql(), "SELECT count(*) FROM import_log"), 0);
}

#[tokio::test]
async fn the_template_and_files_that_are_not_ledgers() {
    let app = spawn_world().await;
    let secretary = app.login("secretary").await;
    let res = app
        .client
        .get(app.url("/api/v1/admin/import/template?kind=households"))
        .bearer_auth(&secretary.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], XLSX);
    let template = res.bytes().await.unwrap().to_vec();
    // The template as downloaded is itself a valid file: its example household (grid
    // code 500110001001001 is this world's group A) would be added.
    let report = app.import_ok(&secretary.token, "", XLSX, template.clone()).await;
    assert_eq!(report["headers"].as_array().unwrap().len(), 9);
    assert_eq!((report["added"].as_u64(), report["refused"].as_array().map(Vec::len)), (Some(2), Some(0)), "{report}");

    let truncated = template[..template.len() / 2].to_vec();
    expect_error(app.import(&secretary.token, "", XLSX, truncated).await, 400, "import_broken_xlsx").await;
    let noise: Vec<u8> = (0..10_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect();
    let res = app.import(&secretary.token, "", XLSX, noise.clone()).await;
    expect_error(res, 400, "import_broken_xlsx").await;
    expect_error(app.import(&secretary.token, "", "text/csv", noise).await, 400, "import_unreadable").await;
    expect_error(app.import(&secretary.token, "", XLSX, Vec::new()).await, 400, "import_empty").await;
    let huge = vec![b'a'; 21 * 1024 * 1024];
    expect_error(app.import(&secretary.token, "", "text/csv", huge).await, 413, "payload_too_large").await;
    expect_error(app.import(&secretary.token, "?confirm=yes", XLSX, Vec::new()).await, 400, "bad_query").await;
    let res = app
        .client
        .get(app.url("/api/v1/admin/import/template?kind=staff"))
        .bearer_auth(&secretary.token)
        .send()
        .await
        .unwrap();
    expect_error(res, 400, "bad_kind").await;
}

#[tokio::test]
async fn a_confirm_that_fails_half_way_leaves_nothing() {
    let app = spawn_world().await;
    let (secretary, worker) = (app.login("secretary").await, app.login("worker_a").await);
    let (_, start) = app.pull_all(&worker.token, 0).await;
    // The 50th household written makes SQLite fail the statement: a disk error, say.
    let trigger = if crate::test_db::on_postgres() {
        "CREATE FUNCTION fail_import() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
             IF (SELECT count(*) FROM records WHERE collection = 'households') >= 52 THEN
                 RAISE EXCEPTION 'injected failure';
             END IF;
             RETURN NEW;
         END $$;
         CREATE TRIGGER fail_import BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION fail_import();"
    } else {
        "CREATE TRIGGER fail_import BEFORE INSERT ON records
         WHEN (SELECT count(*) FROM records WHERE collection = 'households') >= 52
         BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
    };
    app.sql().execute_batch(trigger).unwrap();
    let res = app.import(&secretary.token, "?confirm=true", XLSX, xlsx(&households(200))).await;
    expect_error(res, 500, "internal").await;
    let conn = app.sql();
    assert_eq!(count(&conn, "SELECT count(*) FROM records WHERE collection = 'households'"), 2, "the world's two only");
    assert_eq!(
        count(&conn, "SELECT count(*) FROM member_id_hashes") + count(&conn, "SELECT count(*) FROM import_log"),
        0
    );
    let (changes, _) = app.pull_all(&worker.token, start).await;
    assert!(changes.is_empty());
}
