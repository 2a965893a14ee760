use super::*;
use crate::prospect::Record;

const BASE: &str = r#"name: Acme Corp
stage: qualify
status: open
answers:
  research:
    industry: Logistics
history:
- at: "2026-11-27T10:00:00Z"
  by: sam
  event: created
  step: research
"#;

fn rec(s: &str) -> Record {
    yaml::from_str(s).unwrap()
}

fn with(base: &str, answers: &str, history: &str) -> Record {
    let mut t = base.replace("    industry: Logistics\n", answers);
    t.push_str(history);
    rec(&t)
}

#[test]
fn different_answers_and_events_merge_cleanly() {
    let b = rec(BASE);
    let o = with(
        BASE,
        "    industry: Logistics\n  qualify:\n    fit: true\n",
        "- at: \"2026-11-28T09:00:00Z\"\n  by: sam\n  event: answered\n  step: qualify\n  item: fit\n",
    );
    let t = with(
        BASE,
        "    industry: Logistics\n    company-size: 250\n",
        "- at: \"2026-11-27T12:00:00Z\"\n  by: kim\n  event: answered\n  step: research\n  item: company-size\n",
    );
    let m = merge(&b, &o, &t);
    assert!(m.conflicts.is_empty());
    let r = &m.record;
    assert_eq!(
        r.answers["research"]["company-size"],
        serde_json::json!(250)
    );
    assert_eq!(r.answers["qualify"]["fit"], serde_json::json!(true));
    let ats: Vec<&str> = r.history.iter().map(|e| e.at.as_str()).collect();
    assert_eq!(
        ats,
        [
            "2026-11-27T10:00:00Z",
            "2026-11-27T12:00:00Z",
            "2026-11-28T09:00:00Z"
        ]
    );
}

#[test]
fn the_same_answer_changed_two_ways_is_a_conflict_around_that_item_only() {
    let b = rec(BASE);
    let o = with(BASE, "    industry: Freight\n    company-size: 10\n", "");
    let t = with(BASE, "    industry: Retail\n", "");
    let m = merge(&b, &o, &t);
    assert_eq!(m.conflicts.len(), 1);
    let text = render(&m).unwrap();
    assert!(
        text.contains(
            "<<<<<<< ours\n    industry: Freight\n=======\n    industry: Retail\n>>>>>>> theirs\n"
        ),
        "{text}"
    );
    assert!(text.contains("    company-size: 10\n"));
    assert!(describe(&m.conflicts[0]).contains("industry"));
}

#[test]
fn scalars_both_sides_changed_take_the_newer_history() {
    let b = rec(BASE);
    let mut o = rec(BASE);
    let mut t = rec(BASE);
    o.stage = "learn".into();
    t.stage = "present".into();
    let mut e = t.history[0].clone();
    e.at = "2026-12-01T00:00:00Z".into();
    e.event = "decided".into();
    t.history.push(e);
    let m = merge(&b, &o, &t);
    assert_eq!(m.record.stage, "present");
    assert!(m.conflicts.is_empty());
    o.follow_up = Some(crate::prospect::FollowUp {
        date: Some("2026-12-05".into()),
        action: None,
        extra: Default::default(),
    });
    let m = merge(&b, &o, &rec(BASE));
    assert_eq!(
        m.record.follow_up, o.follow_up,
        "a scalar only one side changed takes that side"
    );
}

#[test]
fn identical_events_are_not_duplicated() {
    let b = rec(BASE);
    let m = merge(&b, &b, &b);
    assert_eq!(m.record.history.len(), 1);
    assert_eq!(yaml::to_string(&m.record).unwrap(), BASE);
}

mod properties {
    use super::*;
    use crate::prospect::Event;
    use proptest::prelude::*;

    fn events(stamps: &[u32], by: &str) -> Vec<Event> {
        stamps
            .iter()
            .map(|s| Event {
                at: format!("2026-11-{:02}T{:02}:00:00Z", 1 + s / 24 % 28, s % 24),
                by: Some(by.into()),
                event: "answered".into(),
                step: Some("research".into()),
                item: Some(format!("i{s}")),
                ..Event::default()
            })
            .collect()
    }

    proptest! {
        /// Whatever both sides append, the merge keeps every event once, in time order.
        #[test]
        fn merge_never_loses_an_event(
            base in prop::collection::vec(0u32..600, 0..5),
            ours in prop::collection::vec(0u32..600, 0..8),
            theirs in prop::collection::vec(0u32..600, 0..8),
        ) {
            let mut b = rec(BASE);
            b.history = events(&base, "sam");
            let mut o = b.clone();
            o.history.extend(events(&ours, "sam"));
            let mut t = b.clone();
            t.history.extend(events(&theirs, "kim"));
            let m = merge(&b, &o, &t);
            let count = |list: &[Event], e: &Event| list.iter().filter(|x| *x == e).count();
            for e in o.history.iter().chain(&t.history) {
                let want = count(&o.history, e).max(count(&t.history, e));
                prop_assert_eq!(count(&m.record.history, e), want, "{:?}", e);
            }
            prop_assert!(m.record.history.iter().all(|e| o.history.contains(e) || t.history.contains(e)));
            prop_assert!(m.record.history.windows(2).all(|w| w[0].at <= w[1].at));
            prop_assert!(m.conflicts.is_empty());
        }
    }
}

#[test]
fn conflict_blocks_are_found_by_their_markers() {
    let text = "a: 1\n<<<<<<< ours\nb: 2\n=======\nb: 3\n>>>>>>> theirs\nc: 4\n<<<<<<< ours\n";
    assert_eq!(conflict_blocks(text), vec![(2, 6), (8, 8)]);
    assert_eq!(describe_blocks(&conflict_blocks(text)), "lines 2-6, 8-8");
    assert!(conflict_blocks("a: \"<<<<<<<\"\n").is_empty());
}
