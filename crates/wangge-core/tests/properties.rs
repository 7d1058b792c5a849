//! Property tests of the rules every replica relies on: the state machine never panics,
//! merging keeps every event, the derived state does not depend on how a history was
//! batched or in what order it arrived. (The demo generator's properties are in
//! `crates/wangge-demo/tests/properties.rs`.)

use proptest::prelude::*;
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::{derive, EventKind, IssueEvent, IssueState, Satisfaction};
use wangge_core::people::Role;
use wangge_core::{new_ulid, CommentText, Date, EventId, IssueId, PersonId, Phone, Reason, Summary};

fn person(n: u8) -> PersonId {
    PersonId::parse(format!("p{n}")).unwrap()
}

fn level() -> impl Strategy<Value = EscalationLevel> {
    prop::sample::select(EscalationLevel::ALL.to_vec())
}

/// Any event kind; lifecycle steps weighted up so random walks get somewhere.
fn kind() -> impl Strategy<Value = EventKind> {
    let reason = || Reason::parse("需要上级协调").unwrap();
    let text = || CommentText::parse("已回访").unwrap();
    prop_oneof![
        1 => Just(EventKind::Reported),
        4 => Just(EventKind::Accepted),
        4 => (0u8..3).prop_map(|p| EventKind::Assigned { assignee: person(p) }),
        4 => Just(EventKind::Resolved { summary: Summary::parse("已处理").unwrap() }),
        4 => Just(EventKind::Verified { note: None }),
        3 => level().prop_map(move |to| EventKind::Escalated { to, reason: reason() }),
        1 => Just(EventKind::Returned { reason: Reason::parse("信息不全").unwrap() }),
        1 => Just(EventKind::Resubmitted { note: None }),
        1 => Just(EventKind::Reopened { reason: Reason::parse("问题复发").unwrap() }),
        2 => Just(EventKind::Commented { text: text() }),
        1 => Just(EventKind::Supervised { note: CommentText::parse("请加快办理").unwrap() }),
        2 => (1i64..=5).prop_map(|s| EventKind::Rated { score: Satisfaction::parse(s).unwrap(), comment: None }),
    ]
}

/// Any event of one of two issues, at a coarse time so that ties on `at` are common.
fn event() -> impl Strategy<Value = IssueEvent> {
    (0u8..2, 0i64..40, 0u8..3, kind(), any::<[u8; 10]>()).prop_map(|(issue, at, actor, kind, bytes)| {
        let issue = IssueId::parse(format!("i{issue}")).unwrap();
        IssueEvent::new(issue, at, person(actor), Role::GridWorker, kind, bytes)
    })
}

/// A valid history of one issue: a random walk that keeps only the steps that apply.
fn valid_history() -> impl Strategy<Value = Vec<IssueEvent>> {
    prop::collection::vec((kind(), 0u8..3, 1i64..1000, any::<[u8; 10]>()), 0..80).prop_map(|steps| {
        let issue = IssueId::parse("i0").unwrap();
        let mut state = IssueState::default();
        let mut at = 0;
        let first = IssueEvent::new(issue.clone(), at, person(0), Role::GridWorker, EventKind::Reported, [0; 10]);
        state.apply(&first).unwrap();
        let mut history = vec![first];
        for (kind, actor, gap, bytes) in steps {
            at += gap;
            let e = IssueEvent::new(issue.clone(), at, person(actor), Role::GridWorker, kind, bytes);
            if state.apply(&e).is_ok() {
                history.push(e);
            }
        }
        history
    })
}

fn sorted_ids(ids: impl IntoIterator<Item = EventId>) -> Vec<EventId> {
    let mut v: Vec<EventId> = ids.into_iter().collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn random_event_sequences_never_panic(events in prop::collection::vec(event(), 0..40)) {
        let _ = IssueState::fold(&events);
        let mut state = IssueState::default();
        for e in &events {
            let before = state.clone();
            if state.apply(e).is_err() {
                prop_assert_eq!(&state, &before, "a refused event changed the state");
            }
        }
        let d = derive(&events);
        for (_, err) in &d.conflicts {
            prop_assert!(!err.message_zh().is_empty() && !err.message_en().is_empty());
        }
    }

    #[test]
    fn derive_keeps_every_event(events in prop::collection::vec(event(), 0..40)) {
        let d = derive(&events);
        prop_assert_eq!(d.applied.len() + d.conflicts.len(), events.len());
        let accounted = sorted_ids(d.applied.iter().cloned().chain(d.conflicts.iter().map(|(id, _)| id.clone())));
        prop_assert_eq!(accounted, sorted_ids(events.iter().map(|e| e.id.clone())));
    }

    #[test]
    fn derive_does_not_depend_on_arrival_order(
        (events, shuffled) in prop::collection::vec(event(), 0..40)
            .prop_flat_map(|events| (Just(events.clone()), Just(events).prop_shuffle())),
    ) {
        prop_assert_eq!(derive(&events), derive(&shuffled));
    }

    #[test]
    fn a_valid_history_folds_the_same_in_one_go_or_batch_by_batch(
        history in valid_history(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..5),
    ) {
        let whole = IssueState::fold(&history).unwrap();
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c.index(history.len() + 1)).collect();
        cuts.push(history.len());
        cuts.sort_unstable();
        let mut state = IssueState::default();
        let mut from = 0;
        for to in cuts {
            state.apply_all(&history[from..to]).unwrap();
            from = to;
        }
        prop_assert_eq!(&state, &whole);
        let d = derive(&history);
        prop_assert!(d.conflicts.is_empty());
        prop_assert_eq!(d.state, whole);
    }

    #[test]
    fn merging_two_devices_batches_equals_deriving_the_whole(
        history in valid_history(),
        take in any::<prop::sample::Index>(),
    ) {
        // Device A uploads a prefix; device B's later events arrive first.
        let k = take.index(history.len() + 1);
        let mut arrived: Vec<IssueEvent> = history[k..].to_vec();
        arrived.extend_from_slice(&history[..k]);
        prop_assert_eq!(derive(&arrived), derive(&history));
    }

    #[test]
    fn ulids_sort_like_their_instants(a in 0i64..(1 << 48), b in 0i64..(1 << 48), ra: [u8; 10], rb: [u8; 10]) {
        let (ia, ib) = (new_ulid(a, ra), new_ulid(b, rb));
        prop_assert_eq!(ia.len(), 26);
        if a < b {
            prop_assert!(ia < ib);
        }
    }

    #[test]
    fn parsing_any_text_as_a_phone_never_panics(s in "\\PC{0,20}") {
        if let Ok(p) = Phone::parse(&s) {
            prop_assert_eq!(Phone::parse(p.as_str()).unwrap(), p);
        }
    }

    #[test]
    fn dates_round_trip_through_day_numbers_and_text(days in -700_000i64..2_900_000) {
        let d = Date::from_days(days);
        prop_assert_eq!(d.days(), days);
        prop_assert_eq!(Date::parse(&d.to_string()).unwrap(), d);
    }
}
