//! `load sync-set`: the data set of the first-pull and PouchDB comparison (about 10,000
//! households and 20,000 issues with their histories in one district account's scope) as
//! a server database and as PouchDB documents, made once per work folder.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;
use serde_json::{json, Value};
use wangge_core::issue::{Issue, IssueEvent};
use wangge_core::GridId;
use wangge_demo::{generate, DemoData, DemoSize};
use wangge_server::Db;

use crate::seeding::{add_accounts, district_account, DISTRICT, NOW, PASSWORD, SEED};

/// Generated bigger than village scale, so that the one district account's scope (綦江区)
/// holds about 10,000 households and 20,000 issues; visits are left out, so the pull is
/// "the 30,000 records" plus the issues' histories.
const SYNC_SIZE: DemoSize = DemoSize { households: 14_700, issues: 29_400 };

pub(crate) fn sync_set(work: &Path) -> Result<()> {
    let dir = work.join("sync-set");
    let done = dir.join("done");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let all = generate(SYNC_SIZE, SEED, NOW);
        let inside = |g: &GridId| g.as_str().starts_with(&DISTRICT[..7]);
        let issues: Vec<Issue> = all.issues.iter().filter(|i| inside(&i.grid)).cloned().collect();
        let ids: std::collections::HashSet<&str> = issues.iter().map(|i| i.id.as_str()).collect();
        let data = DemoData {
            grids: all.grids.iter().filter(|g| inside(&g.id)).cloned().collect(),
            people: all.people.iter().filter(|p| inside(&p.grid)).cloned().collect(),
            households: all.households.iter().filter(|h| inside(&h.grid)).cloned().collect(),
            units: all.units.iter().filter(|u| inside(&u.grid)).cloned().collect(),
            events: all.events.iter().filter(|e| ids.contains(e.issue.as_str())).cloned().collect(),
            issues,
            visits: Vec::new(),
            meetings: Vec::new(),
            mediations: Vec::new(),
            lists: Vec::new(),
            tasks: Vec::new(),
        };
        let db = Db::open(&dir.join("wangge.sqlite3"))?;
        db.load_dataset(&data)?;
        add_accounts(&db, &[district_account()])?;
        db.call_blocking(|c| {
            c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            Ok(())
        })?;
        drop(db);
        write_pouch_docs(&data, &dir.join("pouch-docs.json"))?;
        let summary = json!({
            "username": "bench-district", "password": PASSWORD,
            "grids": data.grids.len(), "people": data.people.len(), "households": data.households.len(),
            "units": data.units.len(), "issues": data.issues.len(), "events": data.events.len(),
        });
        std::fs::write(dir.join("summary.json"), summary.to_string())?;
        std::fs::write(&done, "")?;
    }
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json"))?)?;
    println!("SYNCSET {}", json!({"dir": dir, "summary": summary}));
    Ok(())
}

/// The same records as PouchDB documents, the way a CouchDB app would shape them: one
/// document per record, an issue's history embedded in its document (`events`).
fn write_pouch_docs(data: &DemoData, path: &Path) -> Result<()> {
    let mut history: HashMap<&str, Vec<&IssueEvent>> = HashMap::new();
    for e in &data.events {
        history.entry(e.issue.as_str()).or_default().push(e);
    }
    let mut docs: Vec<Value> = Vec::new();
    let mut doc = |kind: &str, id: &str, record: Value| {
        let Value::Object(mut m) = record else { return };
        m.insert("_id".into(), json!(format!("{kind}:{id}")));
        m.insert("type".into(), json!(kind));
        docs.push(Value::Object(m));
    };
    for g in &data.grids {
        doc("grid", g.id.as_str(), serde_json::to_value(g)?);
    }
    for p in &data.people {
        doc("person", p.id.as_str(), serde_json::to_value(p)?);
    }
    for u in &data.units {
        doc("unit", u.id.as_str(), serde_json::to_value(u)?);
    }
    for h in &data.households {
        doc("household", h.id.as_str(), serde_json::to_value(h)?);
    }
    for i in &data.issues {
        let mut v = serde_json::to_value(i)?;
        v["events"] = serde_json::to_value(history.get(i.id.as_str()).cloned().unwrap_or_default())?;
        doc("issue", i.id.as_str(), v);
    }
    std::fs::write(path, serde_json::to_vec(&docs)?)?;
    Ok(())
}
