use super::*;
use crate::process::ItemType;
use crate::process::Process;
use crate::prospect::{Outcome, Status};
use crate::value::parse_value;
use serde_json::json;

fn who() -> Actor {
    Actor {
        by: "sam".into(),
        at: "2026-11-27T10:00:00Z".into(),
    }
}

fn fresh(p: &Process) -> Record {
    new_record("Acme Corp", Contact::default(), None, p, &who())
}

/// Answers every required item of the current step.
fn fill(rec: &mut Record, p: &Process) {
    let step = rec.stage.clone();
    for item in p
        .step(&step)
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
        set_answer(rec, &step, &item.id, v, &who());
    }
}

fn at_step(p: &Process, step: &str) -> Record {
    let mut r = fresh(p);
    while r.stage != step {
        fill(&mut r, p);
        decide(&mut r, p, Outcome::Yes, None, None, &who()).unwrap();
    }
    r
}

#[test]
fn a_new_record_starts_at_research_open() {
    let p = Process::builtin();
    let r = fresh(&p);
    assert_eq!((r.stage.as_str(), r.status), ("research", Status::Open));
    assert_eq!(r.history.len(), 1);
    assert_eq!(r.history[0].event, "created");
}

#[test]
fn yes_advances_through_every_step_and_wins_on_agree() {
    let p = Process::builtin();
    let mut r = fresh(&p);
    let order: Vec<String> = p.steps.iter().map(|s| s.id.clone()).collect();
    for (i, step) in order.iter().enumerate() {
        assert_eq!(&r.stage, step);
        fill(&mut r, &p);
        let t = decide(&mut r, &p, Outcome::Yes, None, None, &who()).unwrap();
        if i + 1 < order.len() {
            assert_eq!(t.to, order[i + 1]);
            assert_eq!(r.status, Status::Open);
        } else {
            assert_eq!(r.status, Status::Won);
            assert_eq!(r.stage, "agree");
            assert_eq!(t.describe(), "agree → won (yes)");
        }
    }
    assert_eq!(
        crate::validate::replay(&r, &p),
        Some((r.stage.clone(), r.status))
    );
}

#[test]
fn yes_is_refused_while_required_items_are_open() {
    let p = Process::builtin();
    let mut r = fresh(&p);
    let err = decide(&mut r, &p, Outcome::Yes, None, None, &who())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("industry") && err.contains("website-reviewed"),
        "{err}"
    );
    assert_eq!(r.stage, "research");
    assert_eq!(r.history.len(), 1, "a refused decision writes nothing");
}

#[test]
fn no_loses_from_every_step() {
    let p = Process::builtin();
    for s in &p.steps {
        let mut r = at_step(&p, &s.id);
        let t = decide(&mut r, &p, Outcome::No, Some("no budget"), None, &who()).unwrap();
        assert_eq!((r.stage.as_str(), r.status), (s.id.as_str(), Status::Lost));
        assert_eq!(t.describe(), format!("{} → lost (no)", s.id));
        assert!(r.follow_up.is_none());
        assert!(
            decide(&mut r, &p, Outcome::Yes, None, None, &who()).is_err(),
            "closed records take no decision"
        );
    }
}

#[test]
fn later_returns_to_learn_from_every_later_step_and_keeps_answers() {
    let p = Process::builtin();
    let learn = p.index("learn").unwrap();
    for (i, s) in p.steps.iter().enumerate() {
        let mut r = at_step(&p, &s.id);
        let answers = r.answers.clone();
        decide(
            &mut r,
            &p,
            Outcome::Later,
            Some("fiscal year"),
            Some("2027-01-15"),
            &who(),
        )
        .unwrap();
        // A later before Learn keeps the prospect at its step: steps never
        // walked are never passed.
        let back = if i < learn { s.id.as_str() } else { "learn" };
        assert_eq!((r.stage.as_str(), r.status), (back, Status::Nurturing));
        assert_eq!(r.answers, answers, "later keeps every earlier answer");
        let f = r.follow_up.as_ref().unwrap();
        assert_eq!(f.date.as_deref(), Some("2027-01-15"));
        let last = r.history.last().unwrap();
        assert_eq!(last.why.as_deref(), Some("fiscal year"));
        assert_eq!(last.revisit.as_deref(), Some("2027-01-15"));
        assert_eq!(last.status, Some(Status::Nurturing));
    }
}

#[test]
fn a_nurturing_record_reopens_and_goes_on() {
    let p = Process::builtin();
    let mut r = at_step(&p, "propose");
    decide(
        &mut r,
        &p,
        Outcome::Later,
        Some("waiting for SSO"),
        None,
        &who(),
    )
    .unwrap();
    assert!(reopen(&mut r, &who()));
    assert_eq!((r.stage.as_str(), r.status), ("learn", Status::Open));
    assert!(!reopen(&mut r, &who()), "an open record is not reopened");
    decide(&mut r, &p, Outcome::Yes, None, None, &who()).unwrap();
    assert_eq!(
        r.stage, "present",
        "learn's answers were kept, so yes needs nothing new"
    );
    assert_eq!(
        crate::validate::replay(&r, &p),
        Some(("present".into(), Status::Open))
    );
}

#[test]
fn no_and_later_need_a_why() {
    let p = Process::builtin();
    let mut r = fresh(&p);
    for o in [Outcome::No, Outcome::Later] {
        assert!(
            decide(&mut r, &p, o, None, None, &who())
                .unwrap_err()
                .to_string()
                .contains("needs a why")
        );
        assert!(decide(&mut r, &p, o, Some("  "), None, &who()).is_err());
    }
    assert!(
        decide(
            &mut r,
            &p,
            Outcome::No,
            Some("x"),
            Some("2027-01-01"),
            &who()
        )
        .is_err(),
        "revisit goes with later"
    );
}

#[test]
fn the_same_answer_twice_writes_one_event() {
    let p = Process::builtin();
    let mut r = fresh(&p);
    assert!(set_answer(
        &mut r,
        "research",
        "industry",
        json!("Retail"),
        &who()
    ));
    assert!(!set_answer(
        &mut r,
        "research",
        "industry",
        json!("Retail"),
        &who()
    ));
    assert_eq!(r.history.len(), 2);
}

#[test]
fn a_decision_settles_the_agreed_next_step() {
    let p = Process::builtin();
    let mut r = fresh(&p);
    set_follow_up(
        &mut r,
        Some("2026-12-03".into()),
        Some("Call".into()),
        &who(),
    );
    fill(&mut r, &p);
    decide(&mut r, &p, Outcome::Yes, None, None, &who()).unwrap();
    assert!(
        r.follow_up.is_none(),
        "yes: the walk agrees a new next step"
    );
}

#[test]
fn follow_up_is_an_event() {
    let p = Process::builtin();
    let mut r = fresh(&p);
    assert!(set_follow_up(
        &mut r,
        Some("2026-12-03".into()),
        Some("Call".into()),
        &who()
    ));
    assert!(!set_follow_up(
        &mut r,
        Some("2026-12-03".into()),
        Some("Call".into()),
        &who()
    ));
    assert!(!set_follow_up(&mut r, None, Some(" ".into()), &who()));
    assert_eq!(r.history.last().unwrap().event, "follow-up");
}
