//! The descriptions are complete: every collection has one, every field a record of it
//! writes is described, every string field is checked by its core parse before the
//! whole-record check, and every field has labels in both languages.

use serde_json::{json, Value};

use super::*;
use crate::refusal::Refusal;

/// A photo reference as a phone writes it.
fn photo() -> Value {
    json!({"hash": "ab".repeat(32), "thumb": "cd".repeat(32), "stage": "scene", "taken_at": 1690000000000_i64})
}

/// A valid record of each collection, with every optional field present.
fn sample(c: Collection) -> Fields {
    let v = match c {
        Collection::Grids => json!({"id": "g2", "name": "一组", "level": "group", "parent": "g1",
            "code": "500101001001000", "retired": false}),
        Collection::People => {
            json!({"id": "p1", "name": "王芳", "phone": "13800138000", "grid": "g1",
            "roles": ["grid_worker"], "active": true})
        }
        Collection::Households => json!({"id": "h1", "grid": "g1", "address": "幸福路 1 号",
            "tags": ["veteran"], "status": "merged", "merged_into": "h2",
            "member:m1": {"name": "王大山", "gender": "male", "birth_year": 1960, "phone": null,
                "relation": "head", "status": "present"}}),
        Collection::Units => json!({"id": "u1", "grid": "g1", "name": "平安超市", "kind": "shop",
            "address": "幸福路 2 号", "contact": "李明", "phone": "023-12345678",
            "contact_person": "p9"}),
        Collection::Issues => json!({"id": "i1", "title": "路灯坏了", "description": "三天不亮",
            "category": "infrastructure", "source": "visit", "grid": "g1", "household": "h1",
            "unit": "u1", "location": {"lat": 29.5, "lon": 106.5}, "reporter": "p1",
            "priority": "high", "due_at": 1700000000000_i64, "created_at": 1690000000000_i64}),
        Collection::Visits => json!({"id": "v1", "household": "h1", "worker": "p1",
            "date": "2024-05-01", "notes": "老人身体好", "issues": ["i1"], "photos": [photo()]}),
        Collection::Meetings => json!({"id": "mt1", "kind": "joint_meeting", "grid": "g1",
            "held_at": 1700000000000_i64, "place": "社区会议室", "host": "p2", "recorder": "p1",
            "guests": "区城管局 张科长", "notes": "研判 3 件", "closed": false,
            "attendee:p2": "present", "attendee:p3": "absent",
            "item:i1": {"position": 1, "source": "issue_list", "decision": {"outcome": "hand_to_unit",
                "unit": "u1", "due": 1700100000000_i64, "note": "一周内修复", "by": "p1", "at": 1700000100000_i64}}}),
        Collection::Mediations => json!({"id": "c1", "grid": "g1", "title": "三名工人讨要拖欠工资",
            "dispute": "wage", "facts": "拖欠工资 15.6 万元", "accepted_at": 1690000000000_i64,
            "recorder": "p1", "mediators": ["p1", "p2"], "issue": "i1",
            "outcome": {"kind": "agreement", "at": 1690500000000_i64, "note": "当场签字", "by": "p1"},
            "party:a": {"name": "汪某", "side": "applicant", "phone": "13800138000", "id_last4": "123X",
                "household": "h1"},
            "party:b": {"name": "巴王酒业", "side": "respondent"},
            "session:s1": {"at": 1690100000000_i64, "mode": "separate", "stage": "listen", "met": ["a"],
                "notes": "分别听取诉求", "by": "p1", "photos": [photo()]},
            "term:t1": {"position": 1, "what": "支付拖欠工资", "amount_fen": 15600000_u64,
                "due": 1691000000000_i64, "from": "b", "to": "a",
                "kept": {"how": "full", "at": 1690600000000_i64, "note": "已转账", "by": "p1"}}}),
        Collection::ListEntries => json!({"id": "n1", "kind": "need", "grid": "g1", "title": "老楼需要无障碍坡道",
            "description": "3 栋老人多", "recorder": "p1", "recorded_at": 1690000000000_i64,
            "contact": "王大山", "phone": "13800138000", "household": "h1", "issue": "i1",
            "matched_to": "r1", "claimed_by": "p2", "claimed_unit": "u1",
            "fulfilled_at": 1691000000000_i64, "outcome": "单位出资修建"}),
        Collection::Tasks => json!({"id": "t2", "batch": "t1", "parent": "t1", "grid": "g2", "from": "g1",
            "sender": "p2", "title": "暴雨前排查独居老人", "instructions": "18:00前逐户见面",
            "sent_at": 1690000000000_i64, "due": 1690100000000_i64, "emergency": true,
            "targets": {"kind": "care_tag", "tag": "living_alone_elderly"},
            "closed": {"at": 1690200000000_i64, "by": "p2", "note": "全部排查完毕"},
            "note:n1": {"text": "河边三户重点查看", "by": "p2", "from": "g1", "at": 1690000100000_i64},
            "result:r1": {"target": {"household": "h1"}, "outcome": "needs_help", "note": "屋顶漏雨",
                "by": "p1", "at": 1690050000000_i64, "issue": "i1", "visit": "v1", "photos": [photo()]}}),
        Collection::Emergencies => {
            json!({"id": "e1", "grid": "g1", "kind": "rainstorm", "reason": "气象台发布暴雨红色预警",
            "started_at": 1690000000000_i64, "started_by": "p2",
            "ended": {"at": 1690200000000_i64, "by": "p2", "note": "雨停,道路已清理"},
            "report:p3": {"unit": "u1", "at": 1690000100000_i64, "note": "可出动3人"}})
        }
    };
    match v {
        Value::Object(map) => map,
        _ => unreachable!("samples are objects"),
    }
}

#[test]
fn every_collection_has_its_own_description() {
    let mut codes = std::collections::BTreeSet::new();
    for c in Collection::ALL {
        let d = describe(c);
        assert_eq!(d.collection, c);
        assert!(codes.insert(d.unknown_code), "{} twice", d.unknown_code);
        assert!(!d.noun.zh.is_empty() && !d.noun.en.is_empty());
    }
}

/// The samples of `c`: one, or one per kind where kinds have fields of their own (a list
/// entry's budget is a project's, its availability a resource's).
fn samples(c: Collection) -> Vec<Fields> {
    let mut all = vec![sample(c)];
    if c == Collection::ListEntries {
        for v in [
            json!({"id": "r1", "kind": "resource", "grid": "g1", "title": "党群服务中心会议室", "recorder": "p1",
                "recorded_at": 1690000000000_i64, "unit": "u1", "availability": "每周三下午"}),
            json!({"id": "p1", "kind": "project", "grid": "g1", "title": "健康义诊上门", "recorder": "p1",
                "recorded_at": 1690000000000_i64, "unit": "u1", "budget_yuan": 20000, "status": "underway"}),
        ] {
            all.push(v.as_object().unwrap().clone());
        }
    }
    all
}

#[test]
fn every_sample_validates_and_every_field_it_writes_is_described() {
    for c in Collection::ALL {
        let d = describe(c);
        let mut written = std::collections::BTreeSet::new();
        for sample in samples(c) {
            let canonical = d
                .validate(sample.get("id").and_then(Value::as_str).unwrap(), &sample)
                .unwrap_or_else(|e| panic!("{c:?}: {e:?}"));
            for field in canonical.keys() {
                assert!(d.field(field).is_some(), "{c:?}.{field} has no description");
                written.insert(field.clone());
            }
        }
        for f in d.fields {
            assert!(written.contains(f.name), "{c:?}.{} is described but not a field", f.name);
        }
    }
}

#[test]
fn every_string_field_is_checked_by_its_core_parse_first() {
    for c in Collection::ALL {
        let d = describe(c);
        let record = sample(c);
        let id = record["id"].as_str().unwrap().to_string();
        for (field, value) in &record {
            let Value::String(_) = value else { continue };
            let f = d.field(field).unwrap();
            if f.text.is_none() {
                // A code: the round trip through the core type is its check.
                assert!(matches!(f.shown, Shown::Labelled(_)), "{c:?}.{field} is a string nothing checks");
                continue;
            }
            let mut bad = record.clone();
            bad.insert(field.clone(), json!("\u{202e}x"));
            let err = d.validate(if field == "id" { "\u{202e}x" } else { &id }, &bad).unwrap_err();
            assert!(matches!(err, Refusal::Domain(_)), "{c:?}.{field}: the core parse did not refuse it: {err:?}");
        }
    }
}

#[test]
fn a_text_field_over_its_limit_is_refused_with_the_fields_own_code() {
    let d = describe(Collection::Issues);
    let mut record = sample(Collection::Issues);
    record.insert("title".into(), json!("题".repeat(61)));
    assert_eq!(d.validate("i1", &record).unwrap_err().code(), "title_too_long");
    assert_eq!(d.field("title").and_then(|f| f.text).and_then(|t| t.max_chars), Some(60));
}

#[test]
fn an_unknown_field_and_a_wrong_id_are_refused() {
    let d = describe(Collection::Visits);
    let mut record = sample(Collection::Visits);
    assert_eq!(d.validate("v2", &record).unwrap_err(), Refusal::IdMismatch);
    record.insert("mood".into(), json!("good"));
    assert_eq!(d.validate("v1", &record).unwrap_err().code(), "unknown_field");
}

#[test]
fn every_field_has_labels_in_both_languages() {
    for c in Collection::ALL {
        let d = describe(c);
        let keyed = match d.merge {
            Merge::FieldsAndKeyed(k) => k,
            Merge::Fields => &[],
        };
        for f in d.fields.iter().chain(keyed) {
            assert!(!f.label.zh.is_empty() && !f.label.en.is_empty(), "{c:?}.{}", f.name);
            assert_ne!(f.label.en, f.name, "{c:?}.{} has no English label", f.name);
        }
        assert_eq!(d.field_label(crate::sync::WHOLE_RECORD, Lang::En), "Deletion");
    }
}

#[test]
fn the_fields_the_phone_edits_read_as_before_on_the_conflict_screen() {
    let issues = describe(Collection::Issues);
    let edited: Vec<&str> = issues.fields.iter().filter(|f| f.phone_edits).map(|f| f.name).collect();
    assert_eq!(edited, ["title", "description", "category", "priority", "due_at"]);
    assert_eq!(issues.field_label("priority", Lang::Zh), "紧急程度");
    let Shown::Labelled(show) = issues.field("priority").unwrap().shown else { panic!("priority is coded") };
    assert_eq!(show(&json!("urgent"), Lang::En).as_deref(), Some("Urgent"));
    let households = describe(Collection::Households);
    assert_eq!(households.field_label("member:m7", Lang::Zh), "家庭成员");
    assert_eq!(households.field_label("tags", Lang::En), "Care tags");
    let member = sample(Collection::Households)["member:m1"].clone();
    let Shown::Labelled(show) = households.field("member:m1").unwrap().shown else { panic!("coded") };
    assert_eq!(show(&member, Lang::Zh).as_deref(), Some("王大山 · 户主 · 在住"));
    assert_eq!(member_name("member:m1", &member).as_deref(), Some("王大山"));
    assert_eq!((households.name_of)(&sample(Collection::Households)).as_deref(), Some("王大山"));
}

#[test]
fn scope_authors_and_references_are_the_rules_the_server_had() {
    let scope = |c| describe(c).scope_of("x", &sample(c));
    assert_eq!(scope(Collection::Grids), Some(ScopeKey::Grid("x".into())));
    assert_eq!(scope(Collection::Issues), Some(ScopeKey::Grid("g1".into())));
    assert_eq!(scope(Collection::Visits), Some(ScopeKey::Household("h1".into())));
    let authors: Vec<_> =
        Collection::ALL.into_iter().filter_map(|c| describe(c).author.map(|a| (c, a.field))).collect();
    assert_eq!(
        authors,
        [
            (Collection::Issues, "reporter"),
            (Collection::Visits, "worker"),
            (Collection::Meetings, "recorder"),
            (Collection::Mediations, "recorder"),
            (Collection::ListEntries, "recorder"),
            (Collection::Tasks, "sender"),
            (Collection::Emergencies, "started_by")
        ]
    );
    assert_eq!(
        describe(Collection::Issues).references,
        [("household", Collection::Households), ("unit", Collection::Units)]
    );
}

#[test]
fn a_visit_or_a_session_with_more_than_nine_photos_is_refused() {
    let mut visit = sample(Collection::Visits);
    visit.insert("photos".into(), Value::Array(vec![photo(); 10]));
    let e = describe(Collection::Visits).validate("v1", &visit).unwrap_err();
    assert_eq!(e.code(), "too_many_photos");
    let mut case = sample(Collection::Mediations);
    case["session:s1"]["photos"] = Value::Array(vec![photo(); 10]);
    let e = describe(Collection::Mediations).validate("c1", &case).unwrap_err();
    assert_eq!(e.code(), "too_many_photos");
    let mut task = sample(Collection::Tasks);
    task["result:r1"]["photos"] = Value::Array(vec![photo(); 10]);
    assert_eq!(describe(Collection::Tasks).validate("t2", &task).unwrap_err().code(), "too_many_photos");
    visit.insert("photos".into(), json!([{"hash": "AB", "thumb": "cd", "stage": "scene", "taken_at": 1}]));
    assert!(describe(Collection::Visits).validate("v1", &visit).is_err(), "a malformed hash");
}
