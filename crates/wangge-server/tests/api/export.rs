//! The list exports (`/api/v1/export/…`): the files read back (the .xlsx with calamine,
//! the CSV with the csv crate), scoped like a pull, formula text neutralised, every
//! export in the log an administrator reads, and bad filters refused in JSON.

use calamine::{Data, Reader};
use serde_json::json;
use wangge_core::sync::MutationStatus;

use crate::admin_support::code;
use crate::helpers::{expect_error, spawn_world, TestApp};
use crate::world::{append, event_json, household_json, issue_json, put, t0, GROUP_A};

const INJECTED_TITLE: &str = "=HYPERLINK(\"http://evil.example\",\"点我\")";

impl TestApp {
    async fn export(&self, token: &str, query: &str) -> reqwest::Response {
        self.client.get(self.url(&format!("/api/v1/export/{query}"))).bearer_auth(token).send().await.unwrap()
    }

    async fn export_bytes(&self, token: &str, query: &str) -> Vec<u8> {
        let res = self.export(token, query).await;
        let status = res.status();
        let disposition = res.headers().get("content-disposition").map(|v| v.to_str().unwrap().to_string());
        let bytes = res.bytes().await.unwrap().to_vec();
        assert_eq!(status, 200, "{query}: {}", String::from_utf8_lossy(&bytes));
        assert!(disposition.unwrap_or_default().starts_with("attachment; filename="));
        bytes
    }
}

/// The first sheet of an .xlsx: its rows, and whether any cell holds a formula.
fn read_xlsx(bytes: Vec<u8>) -> (Vec<Vec<Data>>, bool) {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let formulas = book.worksheet_formula(&name).unwrap();
    let any_formula = formulas.used_cells().any(|(_, _, f)| !f.is_empty());
    (range.rows().map(<[Data]>::to_vec).collect(), any_formula)
}

/// A CSV export: checks the BOM and returns the header and the rows.
fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM first");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (headers, rows)
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// worker_a adds an issue titled as a formula, a household whose head's phone and address
/// start with formula characters, and a visit to it with notes starting with `-`.
async fn add_injected_records(app: &TestApp, token: &str) {
    let mut issue = issue_json("issue-x", GROUP_A, "p-worker-a");
    issue["title"] = json!(INJECTED_TITLE);
    let reported = event_json("ev-x-1", "issue-x", t0() + 10, "p-worker-a", "grid_worker", json!({"type": "reported"}));
    let mut household = household_json("hh-x", GROUP_A);
    household["address"] = json!("+86 幸福路1号");
    household["member:m1"] = json!({
        "name": "@王大爷", "gender": "male", "birth_year": 1945, "phone": "13812345678", "relation": "head"
    });
    let visit = json!({"id": "visit-x", "household": "hh-x", "worker": "p-worker-a", "date": "2026-11-30",
        "notes": "-2 度，暖气不热", "issues": []});
    let res = app
        .push(
            token,
            "phone-x",
            vec![
                put(1, "issues", &issue, 0),
                append(2, reported),
                put(3, "households", &household, 0),
                put(4, "visits", &visit, 0),
            ],
        )
        .await;
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{:?}", res.results);
}

#[tokio::test]
async fn the_secretarys_issue_export_reads_back_from_xlsx_and_csv() {
    let app = spawn_world().await;
    let s = app.login("secretary").await;

    let (rows, any_formula) = read_xlsx(app.export_bytes(&s.token, "issues?format=xlsx").await);
    assert!(!any_formula);
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(&header[..8], ["编号", "标题", "类别", "来源", "状态", "当前层级", "所在网格", "上报人"]);
    assert!(header.contains(&"满意度".to_string()) && header.contains(&"是否逾期".to_string()));
    assert_eq!(rows.len(), 3, "header and the community's two issues");
    let mut ids: Vec<String> = rows[1..].iter().map(|r| text(&r[0])).collect();
    ids.sort();
    assert_eq!(ids, ["issue-a", "issue-b"]);
    let a = rows.iter().find(|r| text(&r[0]) == "issue-a").unwrap();
    assert_eq!(text(&a[1]), "人行道被汽修店车辆压坏");
    assert_eq!(
        (text(&a[2]), text(&a[3]), text(&a[4]), text(&a[5])),
        ("基础设施".into(), "入户走访".into(), "待受理".into(), "网格".into())
    );
    assert_eq!((text(&a[6]), text(&a[7])), ("一村".into(), "测试worker_a".into()));
    assert!(matches!(a[8], Data::DateTime(_)), "上报时间 is a real date: {:?}", a[8]);

    let (headers, csv_rows) = read_csv(&app.export_bytes(&s.token, "issues?format=csv").await);
    assert_eq!(headers, header);
    assert_eq!(csv_rows.len(), 2);
    let a = csv_rows.iter().find(|r| r[0] == "issue-a").unwrap();
    assert_eq!((a[4].as_str(), a[6].as_str()), ("待受理", "一村"));
    assert_eq!(a[8].len(), "2026-12-06 08:00".len(), "上报时间 {}", a[8]);

    let (headers, csv_rows) = read_csv(&app.export_bytes(&s.token, "households?format=csv").await);
    assert_eq!(headers[..3], ["地址", "所在网格", "关怀标签"]);
    assert_eq!(csv_rows.len(), 2);
    assert!(csv_rows.iter().all(|r| r[2] == "独居老人"));
}

#[tokio::test]
async fn a_grid_workers_export_holds_only_their_own_group() {
    let app = spawn_world().await;
    let a = app.login("worker_a").await;
    let (_, rows) = read_csv(&app.export_bytes(&a.token, "issues?format=csv").await);
    assert_eq!(rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["issue-a"]);
    let (rows, _) = read_xlsx(app.export_bytes(&a.token, "households").await);
    assert_eq!(rows.len(), 2, "header and household A only");
    assert_eq!(text(&rows[1][1]), "一村");
    // A grid outside their subtree cannot be named to widen it.
    let res = app.export(&a.token, &format!("issues?grid={}", crate::world::GROUP_B)).await;
    expect_error(res, 403, "export_out_of_scope").await;
    // The secretary narrows hers to group A with the grid filter.
    let s = app.login("secretary").await;
    let (_, rows) = read_csv(&app.export_bytes(&s.token, &format!("issues?format=csv&grid={GROUP_A}")).await);
    assert_eq!(rows.len(), 1);
    let (_, rows) = read_csv(&app.export_bytes(&s.token, "issues?format=csv&status=closed").await);
    assert!(rows.is_empty(), "no closed issue");
    let (_, rows) = read_csv(&app.export_bytes(&s.token, "issues?format=csv&status=open&level=grid").await);
    assert_eq!(rows.len(), 2, "both are open at the grid");
    // Reported a day ago: the grid's three days have not run out.
    assert!(rows.iter().all(|r| r[11] == "否" && !r[10].is_empty()), "due, not overdue: {rows:?}");
    let (_, rows) = read_csv(&app.export_bytes(&s.token, "issues?format=csv&overdue=1").await);
    assert!(rows.is_empty(), "none flagged");
}

#[tokio::test]
async fn formula_text_is_neutralised_in_csv_and_stored_as_text_in_xlsx() {
    let app = spawn_world().await;
    let a = app.login("worker_a").await;
    add_injected_records(&app, &a.token).await;

    let (_, rows) = read_csv(&app.export_bytes(&a.token, "issues?format=csv").await);
    let x = rows.iter().find(|r| r[0] == "issue-x").unwrap();
    assert_eq!(x[1], format!("'{INJECTED_TITLE}"));
    let (rows, any_formula) = read_xlsx(app.export_bytes(&a.token, "issues?format=xlsx").await);
    assert!(!any_formula, "no cell of the workbook is a formula");
    let x = rows.iter().find(|r| text(&r[0]) == "issue-x").unwrap();
    assert_eq!(x[1], Data::String(INJECTED_TITLE.into()));

    let (_, rows) = read_csv(&app.export_bytes(&a.token, "households?format=csv").await);
    let x = rows.iter().find(|r| r[0].contains("幸福路")).unwrap();
    assert_eq!((x[0].as_str(), x[4].as_str(), x[5].as_str()), ("'+86 幸福路1号", "'@王大爷", "13812345678"));
    let (_, rows) = read_csv(&app.export_bytes(&a.token, "visits?format=csv").await);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0][0].as_str(), rows[0][4].as_str()), ("2026-11-30", "'-2 度，暖气不热"));
    let (rows, any_formula) = read_xlsx(app.export_bytes(&a.token, "visits?from=2026-11-01&to=2026-11-30").await);
    assert!(!any_formula);
    assert!(matches!(rows[1][0], Data::DateTime(_)), "走访日期 is a real date");
    assert_eq!(rows[1][4], Data::String("-2 度，暖气不热".into()));
}

#[tokio::test]
async fn every_export_is_logged_with_its_row_count_and_only_administrators_read_the_log() {
    let app = spawn_world().await;
    app.add_other_town();
    let (a, s) = (app.login("worker_a").await, app.login("secretary").await);
    app.export_bytes(&a.token, "issues?format=csv&status=reported").await;
    app.export_bytes(&s.token, "households").await;
    assert_eq!(app.sql_count("SELECT count(*) FROM export_log"), 2);
    assert_eq!(
        app.sql_count(
            "SELECT row_count FROM export_log WHERE username = 'worker_a' AND kind = 'issues' AND format = 'csv'
             AND scope_grid = 'g500110001001001' AND filters = '{\"status\":\"reported\"}'"
        ),
        1
    );
    assert_eq!(app.sql_count("SELECT row_count FROM export_log WHERE username = 'secretary'"), 2);

    let town = app.login("town").await;
    let (status, body) = app.admin(&town.token, reqwest::Method::GET, "/exports", None).await;
    assert_eq!(status, 200, "{body}");
    let log = body["exports"].as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0]["username"].as_str(), log[0]["kind"].as_str(), log[0]["rows"].as_u64()),
        (Some("secretary"), Some("households"), Some(2))
    );
    assert_eq!(log[1]["filters"], json!({"status": "reported"}));
    assert_eq!(log[1]["grid_name"], "一村");
    assert!(!body.to_string().contains("人行道"), "no exported content in the log");

    let town2 = app.login("town2").await;
    let (status, body) = app.admin(&town2.token, reqwest::Method::GET, "/exports", None).await;
    assert_eq!((status, body["exports"].as_array().map(Vec::len)), (200, Some(0)), "another town sees none");
    let (status, body) = app.admin(&a.token, reqwest::Method::GET, "/exports", None).await;
    assert_eq!((status, code(&body)), (403, "forbidden_role"));
}

#[tokio::test]
async fn bad_filters_are_refused_with_a_code_and_nothing_is_logged() {
    let app = spawn_world().await;
    let s = app.login("secretary").await;
    for (query, code) in [
        ("issues?format=pdf", "bad_format"),
        ("issues?status=lost", "bad_status"),
        ("issues?level=planet", "bad_level"),
        ("issues?category=weather", "bad_category"),
        ("issues?overdue=yes", "bad_overdue"),
        ("issues?from=2026-13-01", "bad_date"),
        ("issues?from=2026-12-02&to=2026-12-01", "bad_date"),
        ("issues?grid=%20", "bad_grid"),
        ("households?status=reported", "bad_query"),
        ("issues?format=csv&format=xlsx", "bad_query"),
    ] {
        let message = expect_error(app.export(&s.token, query).await, 400, code).await;
        assert!(!message.is_empty(), "{query}");
    }
    expect_error(app.export(&s.token, "people").await, 404, "not_found").await;
    let res = app.client.get(app.url("/api/v1/export/issues")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(app.sql_count("SELECT count(*) FROM export_log"), 0);
}

#[tokio::test]
async fn mediation_cases_and_the_three_lists_export_within_scope_with_dates_numbers_and_no_formulas() {
    use crate::mediation::{push, seed, spawn_mediation, PHONE};
    use crate::world::{put_fields, t0};
    let app = spawn_mediation().await;
    seed(&app).await;
    // case-a gets an agreement with two terms, one already overdue, and a formula title;
    // need-a is matched to the community's meeting room.
    let day = 86_400_000;
    let agreed = json!({
        "title": {"value": INJECTED_TITLE, "base": 1_000_000},
        "outcome": {"value": {"kind": "agreement", "at": t0(), "by": "p-worker-a"}, "base": 1_000_000},
        "term:t1": {"value": {"position": 0, "what": "支付第一期", "amount_fen": 9_600_000, "due": t0() - day}, "base": 0},
        "term:t2": {"value": {"position": 1, "what": "支付余款", "amount_fen": 6_000_000, "due": t0() + 30 * day}, "base": 0},
    });
    let res = push(&app, "worker_a", "a-e", vec![put_fields(1, "mediations", "case-a", agreed)]).await;
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{:?}", res.results);
    let matched = json!({"matched_to": {"value": "res-c", "base": 0}});
    let res = push(&app, "secretary", "s-e", vec![put_fields(1, "list_entries", "need-a", matched)]).await;
    assert_eq!(res.results[0].status, MutationStatus::Applied, "{:?}", res.results);

    let s = app.login("secretary").await;
    let (rows, any_formula) = read_xlsx(app.export_bytes(&s.token, "mediations?format=xlsx").await);
    assert!(!any_formula);
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(&header[..6], ["编号", "纠纷简述", "纠纷类型", "调解地", "受理日期", "状态"]);
    assert_eq!(rows.len(), 2, "header and group A's case; the town's case is above the secretary");
    let a = &rows[1];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(a[col("纠纷简述")], Data::String(INJECTED_TITLE.into()));
    assert_eq!((text(&a[col("纠纷类型")]), text(&a[col("状态")])), ("劳资纠纷".into(), "达成协议".into()));
    assert!(matches!(a[col("受理日期")], Data::DateTime(_)), "受理日期 is a real date");
    assert_eq!(a[col("协议金额(元)")], Data::Float(156_000.0));
    assert_eq!((a[col("协议条款数")].clone(), a[col("逾期条款数")].clone()), (Data::Float(2.0), Data::Float(1.0)));
    assert_eq!((text(&a[col("申请人")]), text(&a[col("被申请人")])), ("汪某某".into(), "某酒业有限公司".into()));
    assert_eq!(text(&a[col("当事人电话")]), format!("汪某某 {PHONE}"));

    let (headers, csv_rows) = read_csv(&app.export_bytes(&s.token, "mediations?format=csv").await);
    assert_eq!(headers, header);
    assert_eq!(csv_rows[0][1], format!("'{INJECTED_TITLE}"), "neutralised in CSV");
    assert_eq!(csv_rows[0][4].len(), "2026-12-06".len(), "受理日期 {}", csv_rows[0][4]);
    let all = csv_rows.concat().join(",");
    assert!(!all.contains("123X"), "ID tails never leave");

    let (rows, any_formula) = read_xlsx(app.export_bytes(&s.token, "lists").await);
    assert!(!any_formula);
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(&header[..4], ["清单", "名称", "所属网格", "单位/联系人"]);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let kinds: Vec<String> = rows[1..].iter().map(|r| text(&r[0])).collect();
    assert_eq!(kinds, ["资源", "需求"], "resources first");
    let need = &rows[2];
    assert_eq!(
        (text(&need[col("需求状态")]), text(&need[col("匹配资源/项目")])),
        ("已匹配".into(), "党群服务中心会议室".into())
    );
    assert!(matches!(need[col("登记日期")], Data::DateTime(_)));

    // The worker sees their group's need, its match by id only (the room is above them).
    let a = app.login("worker_a").await;
    let (_, rows) = read_csv(&app.export_bytes(&a.token, "lists?format=csv").await);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0][1].as_str(), rows[0][6].as_str()), ("独居老人助餐", "res-c"));
    // Another town's staff and a contact-only account get empty files.
    for who in ["town2", "contact"] {
        let t = app.login(who).await;
        for list in ["mediations", "lists", "households", "issues"] {
            let (_, rows) = read_csv(&app.export_bytes(&t.token, &format!("{list}?format=csv")).await);
            assert!(rows.is_empty(), "{who} exports no {list}");
        }
    }
    let logged = "SELECT count(*) FROM export_log WHERE kind IN ('mediations', 'lists')";
    assert_eq!(app.sql_count(logged), 8, "every export of the new lists is logged");
    let res = app.export(&s.token, "lists?from=2026-01-01").await;
    expect_error(res, 400, "bad_query").await;
}
