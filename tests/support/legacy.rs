//! Writes rows the way builds before schema v9 wrote them (raw IndexedDB puts of the old
//! shapes), for upgrade tests: the current store code writes issue histories into
//! `issue_history`, which an older database does not have.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use wangge::store::IssueRow;
use wangge_core::issue::{derive, Issue, IssueEvent};
use wangge_core::sync::{Collection, FieldWrite, Mutation, Op};

/// A reported issue as `report_issue` wrote it before v9: the issue row, one
/// `issue_events` row, two outbox entries (the issue's put with base 0, the event) and the
/// next seq, in one transaction of the database `name` at `version` (< 9).
#[allow(dead_code)]
pub(crate) async fn report_issue_before_v9(name: &str, version: u32, issue: &Issue, reported: &IssueEvent) {
    let fields = match serde_json::to_value(issue).unwrap() {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("an issue is an object"),
    };
    let put = Op::Put {
        collection: Collection::Issues,
        id: issue.id.to_string(),
        fields: fields.into_iter().map(|(k, value)| (k, FieldWrite { value, base: 0 })).collect(),
    };
    let row = IssueRow::new(issue.clone(), derive(std::slice::from_ref(reported)).state);
    let db = Database::open(name).with_version(version).await.unwrap();
    let tx = db
        .transaction(["issues", "issue_events", "outbox", "meta"])
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let meta = tx.object_store("meta").unwrap();
    let next: Option<u64> = meta.get("next_seq".to_string()).serde().unwrap().await.unwrap();
    let seq = next.unwrap_or(1);
    tx.object_store("issues").unwrap().add(&row).serde().unwrap().await.unwrap();
    tx.object_store("issue_events").unwrap().add(reported).serde().unwrap().await.unwrap();
    let outbox = tx.object_store("outbox").unwrap();
    let append = Op::AppendEvent { event: reported.clone() };
    for (i, op) in [put, append].into_iter().enumerate() {
        outbox.add(&Mutation { seq: seq + i as u64, op }).serde().unwrap().await.unwrap();
    }
    meta.put(seq + 2).with_key("next_seq".to_string()).serde().unwrap().await.unwrap();
    tx.commit().await.unwrap();
    db.close();
}

/// An issue edited by a v10 build from before saves stopped writing summary rows, its push
/// since acknowledged: the issue row rewritten with `category`, and the summary delta row
/// `d<chunk>\t<id as JSON>` that build's `summary::note` put blind beside it (the facts as
/// `IssueEntry`'s JSON array, the chunk FNV-1a of the id over 64), no outbox entry.
#[allow(dead_code)]
pub(crate) async fn edit_issue_with_delta_v10(name: &str, id: &str, category: wangge_core::issue::Category) {
    let db = Database::open(name).await.unwrap();
    let tx = db.transaction(["issues", "figure_summary"]).with_mode(TransactionMode::Readwrite).build().unwrap();
    let issues = tx.object_store("issues").unwrap();
    let held: Option<IssueRow> = issues.get(id).serde().unwrap().await.unwrap();
    let mut held = held.expect("the issue is on the phone");
    held.issue.category = category;
    let row = IssueRow::new(held.issue, held.state);
    issues.put(&row).serde().unwrap().await.unwrap();
    let f = wangge_core::stats::IssueFacts::of(&row.issue, &row.state);
    let entry = serde_json::json!([
        f.grid,
        f.category,
        f.promised,
        f.status,
        f.level,
        f.level_since,
        f.escalations,
        f.supervised,
        f.reported_at,
        f.closed_at,
        f.closed_level
    ]);
    let hash = id.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    let key = format!("di{:03}\t{}", hash % 64, serde_json::to_string(id).unwrap());
    let summary = tx.object_store("figure_summary").unwrap();
    summary.put(entry.to_string()).with_key(key).serde().unwrap().await.unwrap();
    tx.commit().await.unwrap();
    db.close();
}
