//! The people list import (`kind=people`: 楼栋长, 红色管家, 志愿者 … who do not log in) on
//! the real server: a generated `.xlsx` of 50 people with a few bad rows (an unknown
//! role, a 网格员, a bad phone, a grid outside the community, an account holder, a
//! duplicate) — the dry run names exactly those rows and writes nothing; confirm adds the
//! rest; a grid worker pulls her grid's people; a re-import writes nothing; a changed
//! row adds roles and never removes; a grid worker may not import, nor anyone a file
//! wholly outside their part of the tree; the template imports as it stands.

use std::collections::BTreeSet;

use rust_xlsxwriter::Workbook;
use serde_json::Value;
use wangge_core::sync::Change;

use crate::helpers::{expect_error, spawn_world, TestApp};
use crate::import::XLSX;
use crate::world::{GROUP_A, GROUP_B, TOWN};

const HEADERS: [&str; 4] = ["姓名", "网格编号", "身份(角色)", "联系电话"];

fn xlsx(rows: &[[String; 4]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// 50 people, alternately in groups A and B (the grid by id or by its national code),
/// every third without a phone.
fn people() -> Vec<[String; 4]> {
    let roles = ["楼栋长、党员", "红色管家", "志愿者", "院落长,调解员", "单元长", "帮带导师"];
    (0..50)
        .map(|i| {
            let grid = if i % 2 == 0 { GROUP_A.to_string() } else { GROUP_B[1..].to_string() };
            let phone = if i % 3 == 0 { String::new() } else { format!("139{:08}", i) };
            [format!("人员{i}"), grid, roles[i % roles.len()].to_string(), phone]
        })
        .collect()
}

/// Bad rows inserted among the good ones; returns their row numbers (header = row 1).
fn spoil(rows: &mut Vec<[String; 4]>) -> BTreeSet<u32> {
    let bad = [
        ["坏角色".into(), GROUP_A.into(), "厨师".into(), String::new()],
        ["坏网格员".into(), GROUP_A.into(), "志愿者、网格员".into(), String::new()],
        ["坏电话".into(), GROUP_A.into(), "志愿者".into(), "12345".into()],
        ["镇上的人".into(), TOWN.into(), "志愿者".into(), String::new()],
        ["测试worker_a".into(), GROUP_A.into(), "党员".into(), String::new()],
        rows[4].clone(),
    ];
    let mut numbers = BTreeSet::new();
    for (k, row) in bad.into_iter().enumerate() {
        let at = 7 * (k + 1);
        rows.insert(at, row);
        numbers.insert(at as u32 + 2);
    }
    numbers
}

impl TestApp {
    async fn import_people(&self, token: &str, query: &str, body: Vec<u8>) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/api/v1/admin/import/people{query}")))
            .bearer_auth(token)
            .header("content-type", XLSX)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    async fn import_people_ok(&self, token: &str, query: &str, body: Vec<u8>) -> Value {
        let res = self.import_people(token, query, body).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, 200, "{text}");
        serde_json::from_str(&text).unwrap()
    }
}

/// People upserted in `changes`: (name, grid, roles, active).
fn pulled_people(changes: &[Change]) -> Vec<(String, String, Vec<String>, bool)> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Upsert { collection, fields, .. } if collection.name() == "people" => Some((
                fields["name"].value.as_str().unwrap().to_string(),
                fields["grid"].value.as_str().unwrap().to_string(),
                serde_json::from_value(fields["roles"].value.clone()).unwrap(),
                fields["active"].value.as_bool().unwrap(),
            )),
            _ => None,
        })
        .collect()
}

fn refused_rows(report: &Value) -> BTreeSet<u32> {
    report["refused"].as_array().unwrap().iter().map(|r| r["row"].as_u64().unwrap() as u32).collect()
}

fn reason_of(report: &Value, row: u32) -> String {
    let found = report["refused"].as_array().unwrap().iter().find(|r| r["row"] == row).unwrap();
    found["reason"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn fifty_people_with_bad_rows_dry_run_confirm_pull_and_re_import() {
    let app = spawn_world().await;
    let (secretary, worker) = (app.login("secretary").await, app.login("worker_a").await);
    let (before, start) = app.pull_all(&worker.token, 0).await;
    let people_before = pulled_people(&before).len();
    let mut rows = people();
    let bad = spoil(&mut rows);
    let file = xlsx(&rows);

    let dry = app.import_people_ok(&secretary.token, "", file.clone()).await;
    assert_eq!(refused_rows(&dry), bad, "{}", dry["refused"]);
    assert_eq!(
        (dry["rows"].as_u64(), dry["added"].as_u64(), dry["updated"].as_u64(), dry["confirmed"].as_bool()),
        (Some(56), Some(50), Some(0), Some(false))
    );
    let rows_of: Vec<u32> = bad.iter().copied().collect();
    assert!(reason_of(&dry, rows_of[0]).contains("厨师"));
    assert!(reason_of(&dry, rows_of[1]).contains("请在账号管理里建账号"), "{}", reason_of(&dry, rows_of[1]));
    assert_eq!(dry["refused"][1]["column"], "身份(角色)");
    assert_eq!(dry["refused"][2]["column"], "联系电话");
    assert!(reason_of(&dry, rows_of[3]).contains("不在您的管理范围内"));
    assert!(reason_of(&dry, rows_of[4]).contains("账号"), "an account holder's record is not the import's");
    assert!(reason_of(&dry, rows_of[5]).contains("重复"));
    assert_eq!(
        dry["fields"].as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect::<Vec<_>>(),
        ["name", "grid", "roles", "phone"]
    );
    let (changes, after_dry) = app.pull_all(&worker.token, start).await;
    assert!(changes.is_empty() && after_dry == start, "a dry run writes nothing");
    let conn = app.sql();
    let count = |sql: &str| conn.query_row(sql, wangge_server::params![], |r| r.get::<i64>(0)).unwrap();
    assert_eq!(count("SELECT count(*) FROM import_log"), 0);

    let done = app.import_people_ok(&secretary.token, "?confirm=true", file.clone()).await;
    assert_eq!((done["added"].as_u64(), done["confirmed"].as_bool()), (Some(50), Some(true)));
    assert_eq!(done["refused"], dry["refused"], "confirm refuses what the dry run showed");
    let (changes, cursor) = app.pull_all(&worker.token, start).await;
    let pulled = pulled_people(&changes);
    assert_eq!(pulled.len(), 25, "group A's half, nothing of group B: {pulled:?}");
    assert!(pulled.iter().all(|(_, grid, roles, active)| grid == GROUP_A && !roles.is_empty() && *active));
    let first = pulled.iter().find(|p| p.0 == "人员0").unwrap();
    let roles: BTreeSet<&str> = first.2.iter().map(String::as_str).collect();
    assert_eq!(roles, ["building_head", "party_member"].into());
    assert!(!pulled.iter().any(|p| p.0.starts_with('坏') || p.0 == "测试worker_a"));
    assert_eq!(count("SELECT count(*) FROM import_log WHERE kind = 'people'"), 1);
    assert_eq!(count("SELECT count(*) FROM admin_log WHERE action = 'import_people'"), 1);
    assert_eq!(
        count("SELECT count(*) FROM record_fields WHERE collection = 'people' AND field = 'name' AND writer LIKE 'import:%'"),
        50
    );

    let again = app.import_people_ok(&secretary.token, "?confirm=true", file).await;
    assert_eq!(
        (again["added"].as_u64(), again["updated"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(0), Some(50))
    );
    let (changes, cursor2) = app.pull_all(&worker.token, cursor).await;
    assert!(changes.is_empty() && cursor2 == cursor, "a re-import writes no new version");

    // A changed row: a phone for someone who had none, and one more role. Roles are only
    // ever added; people missing from the file stay.
    let changed = xlsx(&[["人员0".into(), GROUP_A.into(), "志愿者".into(), "13700000000".into()]]);
    let update = app.import_people_ok(&secretary.token, "?confirm=true", changed).await;
    assert_eq!((update["added"].as_u64(), update["updated"].as_u64()), (Some(0), Some(1)), "{update}");
    let (changes, _) = app.pull_all(&worker.token, cursor).await;
    let pulled = pulled_people(&changes);
    assert_eq!(pulled.len(), 1);
    let roles: BTreeSet<&str> = pulled[0].2.iter().map(String::as_str).collect();
    assert_eq!(roles, ["building_head", "party_member", "volunteer"].into());
    let (all, _) = app.pull_all(&worker.token, 0).await;
    assert_eq!(pulled_people(&all).len(), people_before + 25, "nobody removed");
}

#[tokio::test]
async fn a_grid_worker_may_not_import_people_and_the_template_is_the_people_list() {
    let app = spawn_world().await;
    let (secretary, worker) = (app.login("secretary").await, app.login("worker_a").await);
    let (_, start) = app.pull_all(&worker.token, 0).await;
    let file = xlsx(&people()[..4]);
    let res = app.import_people(&worker.token, "?confirm=true", file.clone()).await;
    expect_error(res, 403, "forbidden_role").await;
    let res = app
        .client
        .get(app.url("/api/v1/admin/import/template?kind=people"))
        .bearer_auth(&worker.token)
        .send()
        .await
        .unwrap();
    expect_error(res, 403, "forbidden_role").await;
    let town_only = xlsx(&[["镇上的人".into(), TOWN.into(), "志愿者".into(), String::new()]]);
    let res = app.import_people(&secretary.token, "?confirm=true", town_only).await;
    expect_error(res, 403, "import_out_of_scope").await;
    let (changes, _) = app.pull_all(&worker.token, start).await;
    assert!(changes.is_empty());
    assert_eq!(
        app.sql().query_row("SELECT count(*) FROM import_log", wangge_server::params![], |r| r.get::<i64>(0)).unwrap(),
        0
    );

    let res = app
        .client
        .get(app.url("/api/v1/admin/import/template?kind=people"))
        .bearer_auth(&secretary.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("people-template.xlsx"));
    let template = res.bytes().await.unwrap().to_vec();
    // The template imports as it stands, after its example's grid is made one of ours.
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(template)).unwrap();
    use calamine::Reader;
    assert_eq!(book.sheet_names(), ["人员名册", "填写说明"]);
    let range = book.worksheet_range("人员名册").unwrap();
    let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header, HEADERS);
    let example: Vec<String> = range.rows().nth(1).unwrap().iter().map(|c| c.to_string()).collect();
    let row = [example[0].clone(), GROUP_A.into(), example[2].clone(), example[3].clone()];
    let dry = app.import_people_ok(&secretary.token, "", xlsx(&[row])).await;
    assert_eq!((dry["added"].as_u64(), dry["refused"].as_array().map(Vec::len)), (Some(1), Some(0)), "{dry}");
}
