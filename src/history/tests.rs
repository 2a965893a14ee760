use super::*;
use crate::process::Process;
use crate::prospect::{Event, Record};

fn ev(at: &str, event: &str, step: &str) -> Event {
    Event {
        at: at.into(),
        by: Some("sam".into()),
        event: event.into(),
        step: Some(step.into()),
        ..Event::default()
    }
}

fn decided(at: &str, step: &str, outcome: Outcome) -> Event {
    Event {
        outcome: Some(outcome),
        why: (outcome != Outcome::Yes).then(|| "because".into()),
        ..ev(at, events::DECIDED, step)
    }
}

fn record(stage: &str, history: Vec<Event>) -> Record {
    let text = format!("name: Acme\nstage: {stage}\nstatus: open\nhistory: []\n");
    let mut r: Record = crate::yaml::from_str(&text).unwrap();
    r.history = history;
    r
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn the_documented_format_derives_to_and_status() {
    // Decided events with only `step` and `outcome`, as DESIGN.md shows them.
    let p = Process::builtin();
    let steps = [
        "research",
        "introduce",
        "qualify",
        "learn",
        "present",
        "propose",
        "resolve",
        "agree",
    ];
    let mut h = vec![ev("2026-01-01T00:00:00Z", "created", "research")];
    for (i, s) in steps.iter().enumerate() {
        h.push(decided(
            &format!("2026-01-{:02}T00:00:00Z", i + 2),
            s,
            Outcome::Yes,
        ));
    }
    let t = of_record(&record("agree", h), &p).unwrap();
    assert_eq!((t.stage.as_str(), t.status), ("agree", Status::Won));
    assert_eq!(t.visits.len(), 8);
    assert_eq!(t.closed_at, Some(ts("2026-01-09T00:00:00Z")));
    assert_eq!(t.created, ts("2026-01-01T00:00:00Z"));
}

#[test]
fn later_before_the_nurture_step_stays_put() {
    let p = Process::builtin();
    let h = vec![
        ev("2026-01-01T00:00:00Z", "created", "research"),
        decided("2026-01-02T00:00:00Z", "research", Outcome::Later),
    ];
    let t = of_record(&record("research", h), &p).unwrap();
    assert_eq!(
        (t.stage.as_str(), t.status),
        ("research", Status::Nurturing)
    );
    assert!(!t.visited("learn"), "learn was never walked");
}

#[test]
fn later_after_the_nurture_step_goes_back_to_it() {
    let p = Process::builtin();
    let mut h = vec![ev("2026-01-01T00:00:00Z", "created", "present")];
    h.push(decided("2026-01-02T00:00:00Z", "present", Outcome::Later));
    h[1].revisit = Some("2026-03-01".into());
    let t = of_record(&record("learn", h), &p).unwrap();
    assert_eq!((t.stage.as_str(), t.status), ("learn", Status::Nurturing));
    let f = t.follow_up.unwrap().unwrap();
    assert_eq!(f.date.as_deref(), Some("2026-03-01"));
    assert_eq!(f.action.as_deref(), Some("Revisit: because"));
}

#[test]
fn no_loses_and_explicit_fields_win() {
    let p = Process::builtin();
    let mut h = vec![
        ev("2026-01-01T00:00:00Z", "created", "research"),
        decided("2026-01-02T00:00:00Z", "research", Outcome::No),
    ];
    let t = of_record(&record("research", h.clone()), &p).unwrap();
    assert_eq!(t.status, Status::Lost);
    // An older salesproc wrote `to: learn` for an early later: it is honoured.
    h[1] = decided("2026-01-02T00:00:00Z", "research", Outcome::Later);
    h[1].to = Some("learn".into());
    h[1].status = Some(Status::Nurturing);
    let t = of_record(&record("learn", h), &p).unwrap();
    assert_eq!((t.stage.as_str(), t.status), ("learn", Status::Nurturing));
}

#[test]
fn a_cutoff_replays_the_past_and_imports_enter_mid_funnel() {
    let p = Process::builtin();
    let h = vec![
        ev("2026-01-01T00:00:00Z", events::IMPORTED, "propose"),
        decided("2026-02-01T00:00:00Z", "propose", Outcome::Yes),
    ];
    let r = record("resolve", h);
    let ev = Events::of(&r);
    let then = replay(&ev, &p, "resolve", Some(ts("2026-01-15T00:00:00Z"))).unwrap();
    assert_eq!(then.stage, "propose");
    assert!(!then.visited("research"));
    let now = replay(&ev, &p, "resolve", None).unwrap();
    assert_eq!(now.stage, "resolve");
    assert_eq!(now.visits[0].leave, Some(ts("2026-02-01T00:00:00Z")));
    assert!(replay(&ev, &p, "resolve", Some(ts("2025-12-01T00:00:00Z"))).is_none());
}

#[test]
fn follow_up_events_and_decisions_set_and_settle_the_next_step() {
    let p = Process::builtin();
    let mut f = ev("2026-01-02T00:00:00Z", events::FOLLOW_UP, "research");
    f.date = Some("2026-01-05".into());
    f.action = Some("call".into());
    let h = vec![ev("2026-01-01T00:00:00Z", "created", "research"), f.clone()];
    let t = of_record(&record("research", h), &p).unwrap();
    assert_eq!(
        t.follow_up.unwrap().unwrap().date.as_deref(),
        Some("2026-01-05")
    );
    let h = vec![
        ev("2026-01-01T00:00:00Z", "created", "research"),
        f,
        decided("2026-01-03T00:00:00Z", "research", Outcome::Yes),
    ];
    let t = of_record(&record("introduce", h), &p).unwrap();
    assert_eq!(t.follow_up, Some(None));
    let h = vec![ev("2026-01-01T00:00:00Z", "created", "research")];
    let t = of_record(&record("research", h), &p).unwrap();
    assert_eq!(
        t.follow_up, None,
        "no event: the record's own follow_up stands"
    );
}

#[test]
fn a_bad_timestamp_keeps_its_place() {
    let p = Process::builtin();
    let mut h = vec![
        ev("2026-01-01T00:00:00Z", "created", "research"),
        decided("2026-01-02T00:00:00Z", "research", Outcome::Yes),
    ];
    h[1].at = "yesterday-ish".into();
    let t = of_record(&record("introduce", h), &p).unwrap();
    assert_eq!(t.stage, "introduce");
    assert_eq!(t.last_activity, ts("2026-01-01T00:00:00Z"));
}

/// A time through the index's encoding (postcard, as `index.rs` writes it).
fn through_index(t: jiff::Timestamp) -> jiff::Timestamp {
    #[derive(serde::Serialize, serde::Deserialize)]
    struct T(#[serde(with = "super::ts")] jiff::Timestamp);
    let bytes = postcard::to_allocvec(&T(t)).unwrap();
    postcard::from_bytes::<T>(&bytes).unwrap().0
}

proptest::proptest! {
    /// Every time jiff can hold reads back from the index as it was, before
    /// 1970 and after 2262 (past 64-bit nanoseconds) too.
    #[test]
    fn times_read_back_from_the_index_as_they_were(
        secs in jiff::Timestamp::MIN.as_second()..=jiff::Timestamp::MAX.as_second(),
        nanos in 0i32..1_000_000_000,
    ) {
        let t = jiff::Timestamp::new(secs, nanos)
            .or_else(|_| jiff::Timestamp::new(secs, 0))
            .unwrap();
        proptest::prop_assert_eq!(through_index(t), t);
    }
}

#[test]
fn times_at_the_edges_read_back_from_the_index_as_they_were() {
    for n in [
        0i128,
        -1,
        1,
        -999_999_999,
        -1_000_000_000,
        -1_000_000_001,
        1_764_000_000_123_456_789,
    ] {
        let t = jiff::Timestamp::from_nanosecond(n).unwrap();
        assert_eq!(through_index(t), t, "{n}");
    }
    for t in [jiff::Timestamp::MIN, jiff::Timestamp::MAX] {
        assert_eq!(through_index(t), t);
    }
}
