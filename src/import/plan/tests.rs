use super::*;
use crate::import::Incoming;

fn who() -> Actor {
    Actor {
        by: "sam".into(),
        at: "2026-11-27T10:00:00Z".into(),
    }
}

fn row(name: &str, stage: &str) -> Incoming {
    Incoming {
        line: 2,
        name: name.into(),
        external: Some("x1".into()),
        stage: Some(stage.into()),
        created: "2026-03-01T09:00:00Z".parse().ok(),
        ..Incoming::default()
    }
}

#[test]
fn a_mid_funnel_row_enters_at_its_step() {
    let p = Process::builtin();
    let r = create(&row("Acme", "propose"), &p, "crm_id", &who(), None);
    assert_eq!(r.stage, "propose");
    assert_eq!(r.history.len(), 1);
    assert_eq!(r.history[0].event, events::IMPORTED);
    assert_eq!(r.history[0].at, "2026-03-01T09:00:00Z");
    let t = crate::history::of_record(&r, &p).unwrap();
    assert!(!t.visited("qualify"));
    assert!(t.visited("propose"));
}

#[test]
fn the_same_row_twice_changes_nothing_and_a_move_is_a_decision() {
    let p = Process::builtin();
    let mut plan = Plan::new(&p, "crm_id", who(), None, Vec::new());
    let (id, a) = plan.apply(&row("Acme", "present"));
    assert_eq!(a, Action::Created);
    let (id2, a) = plan.apply(&row("Acme", "present"));
    assert_eq!((id2.as_str(), a), (id.as_str(), Action::Skipped));
    let (_, a) = plan.apply(&row("Acme Corp", "propose"));
    assert_eq!(a, Action::Updated);
    let r = &plan.records[&id];
    let last = r
        .history
        .iter()
        .rev()
        .find(|e| e.event == events::DECIDED)
        .unwrap();
    assert_eq!(last.outcome, Some(Outcome::Yes));
    assert_eq!(last.to.as_deref(), Some("propose"));
    assert_eq!(last.why.as_deref(), Some(WHY));
    assert_eq!(r.name, "Acme Corp");
    assert_eq!(crate::history::of_record(r, &p).unwrap().stage, "propose");
}

#[test]
fn won_and_lost_rows_are_decided_at_their_close_date() {
    let p = Process::builtin();
    let mut w = row("Acme", "agree");
    w.status = Some(Status::Won);
    w.close_date = Some("2026-06-30".into());
    let r = create(&w, &p, "crm_id", &who(), None);
    let t = crate::history::of_record(&r, &p).unwrap();
    assert_eq!((t.status, r.status), (Status::Won, Status::Won));
    assert_eq!(r.history[1].at, "2026-06-30T00:00:00Z");
    let mut l = row("Beta", "x");
    l.stage = None;
    l.status = Some(Status::Lost);
    let r = create(&l, &p, "crm_id", &who(), None);
    assert_eq!((r.stage.as_str(), r.status), ("present", Status::Lost));
}

/// History is never dated after the import: a won deal whose close date is
/// still to come is decided at the import, and a created date to come is
/// the import's.
#[test]
fn dates_still_to_come_are_the_import_time() {
    let p = Process::builtin();
    let mut w = row("Acme", "agree");
    w.status = Some(Status::Won);
    w.close_date = Some("2027-03-01".into());
    let r = create(&w, &p, "crm_id", &who(), None);
    assert_eq!(r.history[0].at, "2026-03-01T09:00:00Z");
    assert_eq!(r.history[1].at, who().at);
    assert_eq!(r.close_date.as_deref(), Some("2027-03-01"));
    let mut f = row("Beta", "qualify");
    f.created = "2027-01-01T00:00:00Z".parse().ok();
    let r = create(&f, &p, "crm_id", &who(), None);
    assert_eq!(r.history[0].at, who().at);
}
