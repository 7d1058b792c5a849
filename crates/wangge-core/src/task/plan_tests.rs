//! A sending, a forward, Today's order and the month's figures.

use super::tests::{eid, hid, storm_check, tick, tree, DUE, SENT};
use super::*;
use crate::{Date, HOUR_MILLIS};

fn gid(s: &str) -> GridId {
    GridId::parse(s).unwrap()
}

fn tid(s: &str) -> TaskId {
    TaskId::parse(s).unwrap()
}

#[test]
fn a_sending_is_a_record_per_grid_and_a_forward_keeps_the_sending_and_every_rungs_instructions() {
    let tree = tree();
    let sending = Sending {
        batch: tid("storm"),
        from: gid("town"),
        sender: PersonId::parse("p-town").unwrap(),
        title: IssueTitle::parse("暴雨前排查独居老人").unwrap(),
        instructions: None,
        sent_at: SENT,
        due: DUE,
        emergency: true,
        targets: TargetRule::CareTag { tag: HouseholdTag::LivingAloneElderly },
    };
    let sent = send(&sending, vec![(tid("t-qc"), gid("qc")), (tid("t-xjz"), gid("xjz"))]);
    assert_eq!(sent.len(), 2);
    for t in &sent {
        assert_eq!((t.batch.as_str(), t.parent.as_ref()), ("storm", None));
        assert_eq!((check(t), check_sent_from(&tree, t)), (Ok(()), Ok(())));
    }
    let secretary = PersonId::parse("p-secretary").unwrap();
    let note = Description::parse("河边三户重点查看").unwrap();
    let at = SENT + HOUR_MILLIS;
    let fwd = forward(&sent[0], tid("t-qc-1"), gid("qc-1"), secretary.clone(), Some((eid("n1"), note)), at);
    assert_eq!((fwd.batch.as_str(), fwd.parent.as_ref().map(|p| p.as_str())), ("storm", Some("t-qc")));
    assert_eq!((fwd.from.as_str(), &fwd.sender, fwd.sent_at, fwd.due), ("qc", &secretary, at, DUE));
    assert_eq!(check_forward(&tree, &fwd, &sent[0]), Ok(()));
    assert_eq!((check(&fwd), check_sent_from(&tree, &fwd)), (Ok(()), Ok(())));
    // Forwarded once more (a community node with a sub-group), both rungs' notes travel.
    let again = forward(
        &fwd,
        tid("t-qc-1a"),
        gid("qc-1"),
        secretary,
        Some((eid("n2"), Description::parse("先查老平房").unwrap())),
        at + 1,
    );
    let notes: Vec<&str> = again.notes_in_order().iter().map(|n| n.text.as_str()).collect();
    assert_eq!(notes, ["河边三户重点查看", "先查老平房"]);
}

#[test]
fn today_puts_emergencies_first_then_the_nearest_deadline_and_leaves_closed_tasks_out() {
    let mut ordinary_soon = storm_check("a", "qc-1");
    ordinary_soon.emergency = false;
    let mut emergency_later = storm_check("b", "qc-1");
    emergency_later.due = DUE + HOUR_MILLIS;
    let emergency_sooner = storm_check("c", "qc-1");
    let mut closed = storm_check("d", "qc-1");
    closed.closed = Some(Closed { at: SENT + 1, by: closed.sender.clone(), note: None });
    let tasks = [ordinary_soon, emergency_later, emergency_sooner, closed];
    let order: Vec<&str> = today(&tasks).iter().map(|t| t.id.as_str()).collect();
    assert_eq!(order, ["c", "b", "a"]);
}

#[test]
fn the_months_figures_count_each_workers_results_reached_and_on_time() {
    let mut t = storm_check("t1", "qc-1");
    t.entries.results.insert(eid("r1"), tick(hid("h1"), ResultOutcome::Safe, "p-a", SENT + 1));
    t.entries.results.insert(eid("r2"), tick(hid("h2"), ResultOutcome::Unreachable, "p-a", SENT + 2));
    t.entries.results.insert(eid("r3"), tick(hid("h2"), ResultOutcome::NeedsHelp, "p-a", DUE + 1));
    t.entries.results.insert(eid("r4"), tick(hid("h3"), ResultOutcome::Safe, "p-b", SENT + 3));
    let day = Date::of_millis(SENT);
    let f = month_figures(&[t.clone()], day.year(), day.month());
    let a = f[&PersonId::parse("p-a").unwrap()];
    assert_eq!((a.results, a.reached, a.on_time), (3, 2, 1));
    assert_eq!(f[&PersonId::parse("p-b").unwrap()].on_time, 1);
    let next = day.add_days(40);
    assert!(month_figures(&[t], next.year(), next.month()).is_empty(), "another month counts nothing");
}
