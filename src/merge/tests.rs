use super::*;
use crate::process::Process;
use crate::prospect::Record;

const BASE: &str = r#"name: Acme Corp
stage: research
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
    let m = merge(&b, &o, &t, &Process::builtin());
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
    let m = merge(&b, &o, &t, &Process::builtin());
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
    o.owner = Some("sam".into());
    t.owner = Some("kim".into());
    let mut e = t.history[0].clone();
    e.at = "2026-12-01T00:00:00Z".into();
    e.event = "decided".into();
    t.history.push(e);
    let m = merge(&b, &o, &t, &Process::builtin());
    assert_eq!(m.record.owner.as_deref(), Some("kim"));
    assert!(m.conflicts.is_empty());
    o.follow_up = Some(crate::prospect::FollowUp {
        date: Some("2026-12-05".into()),
        action: None,
        extra: Default::default(),
    });
    let m = merge(&b, &o, &rec(BASE), &Process::builtin());
    assert_eq!(
        m.record.follow_up, o.follow_up,
        "a scalar only one side changed takes that side"
    );
}

#[test]
fn identical_events_are_not_duplicated() {
    let b = rec(BASE);
    let m = merge(&b, &b, &b, &Process::builtin());
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
                at: format!("2026-11-{:02}T{:02}:00:00Z", 1 + s / 24 % 28, s % 24).into(),
                by: Some(by.into()),
                event: "answered".into(),
                step: Some("research".into()),
                item: Some(format!("i{s}").into()),
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
            let m = merge(&b, &o, &t, &Process::builtin());
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

mod decisions {
    use super::*;
    use crate::flow::{self, Actor};
    use crate::process::ItemType;
    use crate::prospect::{Contact, Outcome, Status};
    use crate::value::parse_value;
    use proptest::prelude::*;

    fn who(by: &str, minute: u32) -> Actor {
        Actor {
            by: by.into(),
            at: format!(
                "2026-11-{:02}T{:02}:{:02}:00Z",
                1 + minute / 1440,
                minute / 60 % 24,
                minute % 60
            ),
        }
    }

    /// Answers the current step's required items, then decides.
    fn step(r: &mut Record, p: &Process, o: Outcome, who: &Actor) {
        if r.status.is_closed() {
            return;
        }
        let stage = r.stage.clone();
        if o == Outcome::Yes {
            for item in p
                .step(&stage)
                .unwrap()
                .checklist
                .items
                .iter()
                .filter(|i| i.required)
            {
                let raw = match item.kind {
                    ItemType::Check => "yes".to_string(),
                    ItemType::Choice => item.options[0].clone(),
                    ItemType::Number => "10".into(),
                    ItemType::Date => "2026-11-20".into(),
                    ItemType::List | ItemType::Text => "something".into(),
                };
                let v = parse_value(item, &[raw]).unwrap();
                flow::set_answer(r, &stage, &item.id, v, who);
            }
        }
        let revisit = (o == Outcome::Later).then_some("2027-01-15");
        flow::decide(r, p, o, Some("a reason"), revisit, who).unwrap();
    }

    fn base(p: &Process, yeses: usize) -> Record {
        let mut r = flow::new_record("Acme", Contact::default(), None, p, &who("sam", 0));
        for i in 0..yeses {
            step(&mut r, p, Outcome::Yes, &who("sam", 1 + i as u32));
        }
        r
    }

    #[test]
    fn yes_and_later_on_one_step_is_a_clash_with_markers() {
        let p = Process::builtin();
        let b = base(&p, 1);
        let mut o = b.clone();
        step(&mut o, &p, Outcome::Yes, &who("sam", 100));
        let mut t = b.clone();
        step(&mut t, &p, Outcome::Later, &who("kim", 120));
        let m = merge(&b, &o, &t, &p);
        let c = m.clash.as_ref().expect("a clash");
        assert_eq!(c.step, "introduce");
        assert!(describe_clash(c).contains("both sides decided introduce: ours yes, theirs later"));
        let text = render(&m).unwrap();
        assert!(text.contains("<<<<<<< ours\n- at: \"2026-11-01T01:40:00Z\"\n  by: sam\n  event: decided\n  step: introduce\n  outcome: \"yes\""), "{text}");
        assert!(text.contains("=======\n- at: \"2026-11-01T02:00:00Z\"\n  by: kim\n  event: decided\n  step: introduce\n  outcome: later"), "{text}");
        assert!(
            text.contains(
                "<<<<<<< ours\nstage: qualify\n=======\nstage: introduce\n>>>>>>> theirs"
            ),
            "{text}"
        );
        assert!(
            text.contains("<<<<<<< ours\nstatus: open\n=======\nstatus: nurturing\n>>>>>>> theirs"),
            "{text}"
        );
    }

    #[test]
    fn the_same_decision_on_both_sides_merges_cleanly() {
        let p = Process::builtin();
        let b = base(&p, 1);
        let mut o = b.clone();
        step(&mut o, &p, Outcome::Yes, &who("sam", 100));
        let mut t = b.clone();
        step(&mut t, &p, Outcome::Yes, &who("kim", 130));
        let m = merge(&b, &o, &t, &p);
        assert!(m.clash.is_none() && m.conflicts.is_empty());
        assert_eq!(
            (m.record.stage.as_str(), m.record.status),
            ("qualify", Status::Open)
        );
    }

    #[test]
    fn a_decision_on_one_side_and_answers_on_the_other_keep_the_decided_state() {
        // Before: merged field by field, `yes` here and `later` there gave a
        // state neither chose. Now the replay of the merged history decides.
        let p = Process::builtin();
        let b = base(&p, 0);
        let mut o = b.clone();
        step(&mut o, &p, Outcome::Later, &who("sam", 100));
        let mut t = b.clone();
        flow::set_answer(
            &mut t,
            "research",
            "industry",
            serde_json::json!("Retail"),
            &who("kim", 90),
        );
        let m = merge(&b, &o, &t, &p);
        assert!(m.clash.is_none());
        assert_eq!(
            (m.record.stage.as_str(), m.record.status),
            ("research", Status::Nurturing)
        );
        assert_eq!(
            m.record.follow_up.as_ref().and_then(|f| f.date.as_deref()),
            Some("2027-01-15")
        );
    }

    fn outcome() -> impl Strategy<Value = Outcome> {
        prop_oneof![
            Just(Outcome::Yes),
            Just(Outcome::Yes),
            Just(Outcome::Later),
            Just(Outcome::No)
        ]
    }

    proptest! {
        /// Random decisions on two clones of one base: the merge is either a
        /// clash, or a record whose stage, status and follow-up are what its
        /// merged history says, and which validates.
        #[test]
        fn a_merge_is_a_clash_or_a_state_the_history_explains(
            start in 0usize..7,
            ours in prop::collection::vec((outcome(), 1u32..300), 0..4),
            theirs in prop::collection::vec((outcome(), 1u32..300), 0..4),
        ) {
            let p = Process::builtin();
            let b = base(&p, start);
            let mut o = b.clone();
            let mut minute = 2000;
            for (x, gap) in &ours {
                minute += gap;
                step(&mut o, &p, *x, &who("sam", minute));
            }
            let mut t = b.clone();
            let mut minute = 2000;
            for (x, gap) in &theirs {
                minute += gap;
                step(&mut t, &p, *x, &who("kim", minute));
            }
            let mut m = merge(&b, &o, &t, &p);
            if m.clash.is_some() {
                prop_assert!(render(&m).unwrap().contains("<<<<<<< ours"));
                return Ok(());
            }
            prop_assert!(m.conflicts.is_empty());
            m.record.canonicalize(&p);
            let r = &m.record;
            let replay = crate::history::of_record(r, &p).unwrap();
            prop_assert_eq!(&r.stage, &replay.stage);
            prop_assert_eq!(r.status, replay.status);
            if let Some(f) = replay.follow_up {
                prop_assert_eq!(r.follow_up.as_ref().and_then(|x| x.date.clone()), f.and_then(|n| n.date.map(String::from)));
            }
            let text = render(&m).unwrap();
            let (_, problems) = crate::validate::check_text(&text, &p, true);
            prop_assert!(problems.is_empty(), "{:?}\n{}", problems, text);
        }
    }
}

/// Two reps who each name a different contact (both added the record, or
/// both changed its contact) keep one person whole, the newer side's: never
/// one person's name with the other's email. One rep's change to a field
/// of the same person still merges with the other's change to another.
#[test]
fn a_contact_is_one_person_whole() {
    let b = rec(BASE);
    let person = |contact: &str, at: &str| {
        let mut t = BASE.replace("stage:", &format!("contact:\n{contact}stage:"));
        t.push_str(&format!("- at: \"{at}\"\n  by: kim\n  event: edited\n"));
        rec(&t)
    };
    let bill = person(
        "  name: Bill Smith\n  email: bill@u.example\n",
        "2026-11-28T09:00:00Z",
    );
    let peter = person("  name: Peter Jones\n", "2026-11-28T10:00:00Z");
    for (o, t) in [(&peter, &bill), (&bill, &peter)] {
        let m = merge(&b, o, t, &Process::builtin());
        let c = &m.record.contact;
        assert_eq!(c.name.as_deref(), Some("Peter Jones"));
        assert_eq!(c.email, None, "Bill's email is not given to Peter");
    }
    // The same person: one side adds a title, the other an email.
    let base = person("  name: Bill Smith\n", "2026-11-28T08:00:00Z");
    let titled = person("  name: Bill Smith\n  title: CFO\n", "2026-11-28T09:00:00Z");
    let mailed = person(
        "  name: Bill Smith\n  email: bill@u.example\n",
        "2026-11-28T10:00:00Z",
    );
    let m = merge(&base, &titled, &mailed, &Process::builtin());
    let c = &m.record.contact;
    assert_eq!(
        (c.title.as_deref(), c.email.as_deref()),
        (Some("CFO"), Some("bill@u.example"))
    );
}
