//! Photos on the phone in real headless Chromium: a photo is kept in the transaction of
//! the step that references it (and survives a reopen, pending upload), an upload that
//! meets no network or a failing server leaves it pending for the next round, a photo the
//! server already has is not sent again, a refusal is kept with its reason, and the v5→v6
//! upgrade carries data and outbox across. The server's answers are recorded ones (the
//! store tests run without a server); the e2e test `photos.test.cjs` uses the real one.

use std::cell::RefCell;

use wangge::photos::js::hash_of;
use wangge::store::{PhotoBytes, Store, StoreError};
use wangge::sync::photos::{judge, upload, Link, Sent};
use wangge_core::issue::{Category, EventKind, Issue, IssueEvent, Priority, Source};
use wangge_core::people::Role;
use wangge_core::photo::{PhotoHash, PhotoRef, PhotoStage};
use wangge_core::visit::Visit;
use wangge_core::{Date, Description, GridId, HouseholdId, IssueId, IssueTitle, Notes, PersonId, VisitId};
use wasm_bindgen::JsValue;

#[path = "support/legacy.rs"]
mod legacy;
use wasm_bindgen_test::*;
use web_sys::Blob;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_795_000_000_000;

fn fresh_name() -> String {
    format!("wangge-photos-test-{}", js_sys::Math::random())
}

fn issue(n: u8) -> (Issue, IssueEvent) {
    let id = IssueId::generate(NOW + i64::from(n), [n; 10]);
    let issue = Issue {
        id: id.clone(),
        title: IssueTitle::parse("井盖破损").unwrap(),
        description: Description::parse("小区东门井盖裂开").unwrap(),
        category: Category::Infrastructure,
        source: Source::Visit,
        grid: GridId::parse("G-JICHI-1").unwrap(),
        household: None,
        unit: None,
        location: None,
        reporter: PersonId::parse("P-WORKER").unwrap(),
        priority: Priority::Normal,
        due_at: None,
        created_at: NOW,
    };
    let actor = PersonId::parse("P-WORKER").unwrap();
    let reported = IssueEvent::new(id, NOW + i64::from(n), actor, Role::GridWorker, EventKind::Reported, [n; 10]);
    (issue, reported)
}

/// A "photo" and its "thumbnail" (the store does not look inside), hashed as the app does.
async fn photo(text: &str) -> (PhotoRef, Vec<PhotoBytes>) {
    let blob = |s: &str| {
        let parts = js_sys::Array::of1(&JsValue::from_str(s));
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type("image/jpeg");
        Blob::new_with_str_sequence_and_options(&parts, &opts).unwrap()
    };
    let (full, thumb) = (blob(text), blob(&format!("{text}-thumb")));
    let (h, t) = (hash_of(&full).await.unwrap(), hash_of(&thumb).await.unwrap());
    let r = PhotoRef {
        hash: PhotoHash::parse(&h).unwrap(),
        thumb: PhotoHash::parse(&t).unwrap(),
        stage: PhotoStage::Before,
        taken_at: NOW,
    };
    let bytes =
        vec![PhotoBytes { hash: h, blob: full, thumb: false }, PhotoBytes { hash: t, blob: thumb, thumb: true }];
    (r, bytes)
}

/// Answers recorded per request, and the requests made.
#[derive(Default)]
struct Recorded {
    heads: RefCell<Vec<u16>>,
    puts: RefCell<Vec<(u16, String)>>,
    calls: RefCell<Vec<String>>,
}

impl Link for Recorded {
    async fn head(&self, hash: &str) -> u16 {
        self.calls.borrow_mut().push(format!("HEAD {}", &hash[..8]));
        let mut h = self.heads.borrow_mut();
        if h.is_empty() {
            404
        } else {
            h.remove(0)
        }
    }
    async fn put(&self, hash: &str, _blob: &Blob) -> (u16, String) {
        self.calls.borrow_mut().push(format!("PUT {}", &hash[..8]));
        let mut p = self.puts.borrow_mut();
        if p.is_empty() {
            (201, String::new())
        } else {
            p.remove(0)
        }
    }
}

#[wasm_bindgen_test]
async fn a_photo_saved_with_its_step_survives_reopening_and_waits_for_upload() {
    let name = fresh_name();
    let store = Store::open_named(&name).await.unwrap();
    let (a, reported) = issue(1);
    let (r, bytes) = photo("井盖照片").await;
    store.report_issue_with(a.clone(), reported.with_photos(vec![r.clone()]), &bytes).await.unwrap();
    store.close();

    let again = Store::open_named(&name).await.unwrap();
    let events = again.events_of(a.id.as_str()).await.unwrap();
    assert_eq!(events[0].photos, vec![r.clone()], "the step references the photo");
    assert_eq!(again.outbox().await.unwrap().len(), 2, "and is in the outbox");
    let pending: Vec<String> = again.pending_photos().await.unwrap().into_iter().map(|(h, _)| h).collect();
    assert_eq!(pending.len(), 2, "the photo and its thumbnail wait for upload");
    assert!(pending.contains(&r.hash.to_string()) && pending.contains(&r.thumb.to_string()));
    assert_eq!(again.photo_counts().await.unwrap(), (1, 0), "one photo as the worker counts");
    let kept = again.photo_blob(r.hash.as_str()).await.unwrap().expect("bytes kept");
    assert_eq!(kept.size(), bytes[0].blob.size());
    assert_eq!(kept.type_(), "image/jpeg");
}

#[wasm_bindgen_test]
async fn a_failed_save_keeps_no_photo() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let (a, reported) = issue(2);
    store.report_issue(a, reported.clone()).await.unwrap();
    // A second issue whose event id is taken: the save fails, and its photo goes with it.
    let (b, _) = issue(3);
    let (r, bytes) = photo("失败").await;
    let err = store.report_issue_with(b, reported.with_photos(vec![r.clone()]), &bytes).await.unwrap_err();
    assert_eq!(err, StoreError::AlreadyExists);
    assert!(store.photo_blob(r.hash.as_str()).await.unwrap().is_none(), "no orphan photo");
    assert_eq!(store.photo_counts().await.unwrap(), (0, 0));
}

#[wasm_bindgen_test]
async fn an_upload_without_network_or_with_a_failing_server_stays_pending_and_a_later_one_succeeds() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let (a, reported) = issue(4);
    let (r, bytes) = photo("漏水").await;
    store.report_issue_with(a, reported.with_photos(vec![r]), &bytes).await.unwrap();

    let offline = Recorded { heads: RefCell::new(vec![0]), ..Recorded::default() };
    assert_eq!(upload(&store, &offline).await.unwrap(), 0);
    assert_eq!(offline.calls.borrow().len(), 1, "no network: the rest are not tried this round");
    assert_eq!(store.photo_counts().await.unwrap(), (1, 0), "still pending");

    let failing = Recorded { puts: RefCell::new(vec![(503, String::new())]), ..Recorded::default() };
    assert_eq!(upload(&store, &failing).await.unwrap(), 0);
    assert_eq!(store.photo_counts().await.unwrap(), (1, 0), "a 503 leaves it pending");

    let working = Recorded::default();
    assert_eq!(upload(&store, &working).await.unwrap(), 2);
    assert_eq!(working.calls.borrow().iter().filter(|c| c.starts_with("PUT")).count(), 2);
    assert_eq!(store.photo_counts().await.unwrap(), (0, 0), "nothing waits any more");
    assert!(store.photo_blob(&bytes[0].hash).await.unwrap().is_some(), "and the phone keeps them");
}

#[wasm_bindgen_test]
async fn a_photo_the_server_already_has_is_not_sent_again() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let (a, reported) = issue(5);
    let (r, bytes) = photo("已上传").await;
    store.report_issue_with(a, reported.with_photos(vec![r]), &bytes).await.unwrap();
    let link = Recorded { heads: RefCell::new(vec![200, 200]), ..Recorded::default() };
    assert_eq!(upload(&store, &link).await.unwrap(), 2);
    assert!(link.calls.borrow().iter().all(|c| c.starts_with("HEAD")), "{:?}", link.calls.borrow());
    assert_eq!(store.photo_counts().await.unwrap(), (0, 0));
}

#[wasm_bindgen_test]
async fn a_refused_upload_is_kept_with_its_reason_and_not_retried() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let (a, reported) = issue(6);
    let (r, bytes) = photo("太大").await;
    store.report_issue_with(a, reported.with_photos(vec![r]), &bytes).await.unwrap();
    let body = r#"{"error":{"code":"photo_too_large","message":"照片超过 1 MB"}}"#.to_string();
    let link = Recorded { puts: RefCell::new(vec![(413, body)]), ..Recorded::default() };
    assert_eq!(upload(&store, &link).await.unwrap(), 1, "the other one went");
    assert_eq!(store.photo_counts().await.unwrap(), (0, 1), "one refused, counted, not pending");
    assert!(store.pending_photos().await.unwrap().is_empty());
}

#[wasm_bindgen_test]
fn each_answer_is_judged_as_the_sync_loop_acts_on_it() {
    assert_eq!(judge(200, None), Sent::Done);
    assert_eq!(judge(0, None), Sent::Later);
    assert_eq!(judge(502, None), Sent::Later);
    assert_eq!(judge(404, Some((201, ""))), Sent::Done);
    assert_eq!(judge(404, Some((200, ""))), Sent::Done, "stored already, by another phone");
    assert_eq!(judge(404, Some((0, ""))), Sent::Later);
    assert_eq!(judge(404, Some((500, ""))), Sent::Later);
    assert_eq!(judge(404, Some((415, "not json"))), Sent::Refused("http_415".into()));
}

#[wasm_bindgen_test]
async fn an_upgrade_from_version_5_keeps_data_and_outbox_and_adds_the_photos_store() {
    let name = fresh_name();
    let v5 = Store::open_at_version(&name, 5).await.unwrap();
    assert_eq!(v5.version(), 5);
    let (a, reported) = issue(7);
    legacy::report_issue_before_v9(&name, 5, &a, &reported).await;
    let visit = Visit {
        id: VisitId::generate(NOW, [7; 10]),
        household: HouseholdId::generate(NOW, [8; 10]),
        worker: PersonId::parse("P-WORKER").unwrap(),
        date: Date::of_millis(NOW),
        notes: Notes::parse("独居老人，身体尚好").unwrap(),
        issues: Vec::new(),
        photos: Vec::new(),
    };
    v5.record_visit(visit).await.unwrap();
    let outbox = v5.outbox().await.unwrap();
    assert_eq!(outbox.len(), 3);
    v5.close();

    let v6 = Store::open_named(&name).await.unwrap();
    assert_eq!(v6.version(), wangge::store::DB_VERSION);
    assert_eq!(v6.issue(a.id.as_str()).await.unwrap().unwrap().issue, a, "data kept");
    assert_eq!(v6.outbox().await.unwrap(), outbox, "outbox kept as it was");
    assert_eq!(v6.photo_counts().await.unwrap(), (0, 0), "the photos store is there, empty");
    let (b, reported_b) = issue(9);
    let (r, bytes) = photo("升级后").await;
    v6.report_issue_with(b, reported_b.with_photos(vec![r]), &bytes).await.unwrap();
    assert_eq!(v6.photo_counts().await.unwrap(), (1, 0));
}
