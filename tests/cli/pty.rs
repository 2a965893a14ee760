//! The interactive `next`, driven through a real pseudo-terminal.

use crate::Env;
use expectrl::{Expect, Session};
use std::process::Command;
use std::time::Duration;

pub const DOWN: &str = "\x1b[B";

pub fn spawn(env: &Env, args: &[&str]) -> expectrl::session::OsSession {
    spawn_with(env, args, |_| {})
}

pub fn spawn_with(
    env: &Env,
    args: &[&str],
    tweak: impl FnOnce(&mut Command),
) -> expectrl::session::OsSession {
    let mut c = Command::new(crate::bin());
    env.hermetic(&mut c);
    c.env("TERM", "dumb").args(args);
    tweak(&mut c);
    let mut s = Session::spawn(c).expect("spawn in a pty");
    // Issue 12: the walk is shown at 80 columns, as on a laptop terminal.
    let _ = s.get_process_mut().set_window_size(80, 24);
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    s
}

pub fn exit_code(s: &mut expectrl::session::OsSession) -> String {
    let status = s.get_process().wait().unwrap();
    format!("{status:?}")
}

/// On a fresh machine (empty HOME, no folder): the per-user folder is used.
#[test]
fn next_walks_research_then_advances_with_a_next_step() {
    let env = Env::new();
    let mut s = spawn_with(&env, &["next", "Acme Corp"], |c| {
        c.env_remove("SALESPROC_DIR");
    });
    s.expect("Create \"Acme Corp\" as a new prospect?").unwrap();
    s.send("y").unwrap();
    s.expect("Lead Qualification · 1/8 Research").unwrap();
    s.expect("0/5 answered").unwrap();
    s.expect("What industry is the company in?").unwrap();
    s.send_line("Logistics").unwrap();
    s.expect("How many employees").unwrap();
    s.send_line("250").unwrap();
    s.expect("What is happening in their market").unwrap();
    s.send_line("").unwrap(); // skipped
    s.expect("How did they hear of us?").unwrap();
    s.send(DOWN).unwrap(); // inbound
    s.send("\r").unwrap();
    s.expect("Have you read their website").unwrap();
    s.send("\r").unwrap(); // yes
    s.expect("Decision on Research?").unwrap();
    // Research comes before Learn: a `later` stays here (the replay says so).
    s.expect("later (nurture here, at this step)").unwrap();
    s.send("\r").unwrap(); // yes (advance)
    s.expect("Next step?").unwrap();
    s.send_line("Intro call with Jane").unwrap();
    s.expect("Next step date?").unwrap();
    s.send_line("2026-12-03").unwrap();
    s.expect("Continue with Introduce?").unwrap();
    s.send("n").unwrap();
    s.expect(expectrl::Eof).unwrap();
    assert!(exit_code(&mut s).contains(", 0)"));

    let text = env.read("home/.local/share/salesproc/prospects/acme-corp.yaml");
    assert!(text.contains("stage: introduce\nstatus: open\n"), "{text}");
    assert!(
        text.contains("follow_up:\n  date: \"2026-12-03\"\n  action: Intro call with Jane\n"),
        "{text}"
    );
    assert!(text.contains("  research:\n    industry: Logistics\n    company-size: 250\n    lead-source: inbound\n    website-reviewed: true\n"), "{text}");
    assert!(
        !text.contains("market-notes"),
        "a skipped item is not stored"
    );
    assert!(
        text.contains("outcome: \"yes\"\n  to: introduce\n"),
        "{text}"
    );
}

#[test]
fn next_later_records_the_why_and_revisit_date() {
    let env = Env::new();
    let id = env.prospect(
        "Beta GmbH",
        &[
            ("industry", "Retail"),
            ("company-size", "40"),
            ("market-notes", "Flat"),
            ("lead-source", "event"),
            ("website-reviewed", "yes"),
        ],
    );
    let mut s = spawn(&env, &["next", &id]);
    s.expect("Decision on Research?").unwrap();
    s.send(DOWN).unwrap();
    s.send(DOWN).unwrap(); // later
    s.send("\r").unwrap();
    s.expect("Why?").unwrap();
    s.send_line("Budget frozen until the new fiscal year")
        .unwrap();
    s.expect("Revisit on (empty for none) (YYYY-MM-DD, today")
        .unwrap();
    s.send_line("2027-01-15").unwrap();
    s.expect(expectrl::Eof).unwrap();
    assert!(exit_code(&mut s).contains(", 0)"));

    let text = env.read("pipe/prospects/beta-gmbh.yaml");
    // Research comes before the nurture step: the prospect stays there.
    assert!(
        text.contains("stage: research\nstatus: nurturing\n"),
        "{text}"
    );
    assert!(
        text.contains("follow_up:\n  date: \"2027-01-15\"\n"),
        "{text}"
    );
    assert!(text.contains("  outcome: later\n  why: Budget frozen until the new fiscal year\n  revisit: \"2027-01-15\"\n  status: nurturing\n"), "{text}");
    assert!(text.contains("industry: Retail"), "answers are kept");
}

#[test]
fn ctrl_c_keeps_saved_answers_and_exits_130() {
    let env = Env::new();
    let id = env.prospect("Gamma", &[]);
    let mut s = spawn(&env, &["next", &id]);
    s.expect("What industry is the company in?").unwrap();
    s.send_line("Energy").unwrap();
    s.expect("How many employees").unwrap();
    s.send("\x03").unwrap();
    s.expect(expectrl::Eof).unwrap();
    assert!(exit_code(&mut s).contains("130"));
    let text = env.read("pipe/prospects/gamma.yaml");
    assert!(text.contains("industry: Energy"), "{text}");
}

#[test]
fn answer_without_a_value_prompts_for_that_item_alone() {
    let env = Env::new();
    let id = env.prospect("Delta", &[]);
    let mut s = spawn(&env, &["answer", &id, "lead-source"]);
    s.expect("How did they hear of us?").unwrap();
    s.send(DOWN).unwrap();
    s.send(DOWN).unwrap(); // event
    s.send("\r").unwrap();
    s.expect(expectrl::Eof).unwrap();
    assert!(exit_code(&mut s).contains(", 0)"));
    assert!(
        env.read("pipe/prospects/delta.yaml")
            .contains("    lead-source: event\n")
    );
}

#[test]
fn a_nurturing_record_is_reopened_at_learn_with_earlier_answers_as_defaults() {
    let env = Env::new();
    let id = env.prospect("Echo", &[]);
    for (item, v) in [
        ("learn/goals", "Grow 30%"),
        ("learn/pain-points", "manual work"),
        ("learn/timeline", "2027-03-01"),
        ("learn/budget", "40000"),
        ("learn/budget-status", "planned"),
        ("learn/deal-ready", "yes"),
    ] {
        env.run(&["answer", &id, item, v]).ok();
    }
    // Walk it to Learn first: a later before Learn would keep it where it is.
    for (item, v) in [
        ("research/industry", "Retail"),
        ("research/website-reviewed", "yes"),
        ("introduce/first-contact", "2026-11-20"),
        ("introduce/stated-needs", "speed"),
        ("qualify/role-in-decision", "champion"),
        ("qualify/buying-process", "committee"),
    ] {
        env.run(&["answer", &id, item, v]).ok();
        if item.ends_with("website-reviewed")
            || item.ends_with("stated-needs")
            || item.ends_with("buying-process")
        {
            env.run(&["decide", &id, "yes"]).ok();
        }
    }
    env.run(&["decide", &id, "later", "--why", "fiscal year"])
        .ok();
    let mut s = spawn(&env, &["next", &id]);
    s.expect("Echo is nurturing (why: fiscal year). Reopen now?")
        .unwrap();
    s.send("\r").unwrap(); // yes, the default
    s.expect("reopened Echo at learn").unwrap();
    s.expect("last later on 2026-11-27: fiscal year").unwrap();
    s.expect("What goals do they want to reach?").unwrap();
    s.expect("Grow 30%").unwrap();
    s.send("\r").unwrap(); // keep
    s.expect("Which pain points").unwrap();
    s.send("\r").unwrap();
    s.expect("By when do they need a solution?").unwrap();
    s.send("\r").unwrap();
    s.expect("What budget is set aside").unwrap();
    s.send_line("").unwrap();
    s.expect("Is the budget approved?").unwrap();
    s.send("\r").unwrap();
    s.expect("Is the deal ready for the pipeline").unwrap();
    s.send("\r").unwrap();
    s.expect("Decision on Learn?").unwrap();
    s.send("\r").unwrap();
    s.expect("Next step?").unwrap();
    s.send_line("").unwrap();
    s.expect("Next step date?").unwrap();
    s.send_line("").unwrap();
    s.expect("Continue with Present?").unwrap();
    s.send("n").unwrap();
    s.expect(expectrl::Eof).unwrap();
    let text = env.read("pipe/prospects/echo.yaml");
    assert!(text.contains("stage: present\nstatus: open\n"), "{text}");
    assert!(
        text.contains("  event: reopened\n  step: learn\n  status: open\n"),
        "{text}"
    );
    assert!(
        text.contains("goals: Grow 30%"),
        "defaults kept the answers: {text}"
    );
    assert_eq!(
        text.matches("item: goals").count(),
        1,
        "an unchanged answer writes no event"
    );
}

#[test]
fn edit_in_a_terminal_offers_to_edit_again() {
    let env = Env::new();
    let id = env.prospect("Foxtrot", &[]);
    let ed = env.path().join("ed.sh");
    // First save breaks the status, the second one fixes it and sets an owner.
    std::fs::write(
        &ed,
        "#!/bin/sh\nif [ ! -f \"$0.once\" ]; then touch \"$0.once\"; sed -i 's/status: open/status: opne/' \"$1\"; \
         else sed -i -e 's/status: opne/status: open/' -e 's/^stage:/owner: kim\\nstage:/' \"$1\"; fi\n",
    )
    .unwrap();
    std::fs::set_permissions(&ed, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut s = spawn_with(&env, &["edit", &id], |c| {
        c.env("EDITOR", &ed);
    });
    s.expect("unknown status \"opne\"").unwrap();
    s.expect("The edit is not valid. What now?").unwrap();
    s.send("\r").unwrap(); // edit again
    s.expect("saved pipe/prospects/foxtrot.yaml").unwrap();
    s.expect(expectrl::Eof).unwrap();
    let text = env.read("pipe/prospects/foxtrot.yaml");
    assert!(
        text.contains("owner: kim\nstage: research\nstatus: open\n"),
        "{text}"
    );
    assert!(text.contains("event: edited"));
}

/// A record with conflict markers opens; saving it unchanged is not valid,
/// so the editor opens again until the markers are gone.
#[test]
fn edit_reopens_a_conflicted_record_until_it_is_valid() {
    let env = Env::new();
    let id = env.prospect("Golf", &[("industry", "Retail")]);
    let path = env.pipe().join("prospects/golf.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let conflicted = text.replace(
        "    industry: Retail\n",
        "<<<<<<< ours\n    industry: Retail\n=======\n    industry: Freight\n>>>>>>> theirs\n",
    );
    std::fs::write(&path, conflicted).unwrap();
    let ed = env.path().join("ed.sh");
    // The first save changes nothing; the second keeps "ours".
    std::fs::write(
        &ed,
        "#!/bin/sh\nif [ ! -f \"$0.once\" ]; then touch \"$0.once\"; \
         else sed -i -e '/^=======/,/^>>>>>>>/d' -e '/^<<<<<<</d' \"$1\"; fi\n",
    )
    .unwrap();
    std::fs::set_permissions(&ed, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut s = spawn_with(&env, &["edit", &id], |c| {
        c.env("EDITOR", &ed);
    });
    s.expect("unresolved merge conflict (lines 6-10)").unwrap();
    s.expect("The edit is not valid. What now?").unwrap();
    s.send("\r").unwrap(); // edit again
    s.expect("saved pipe/prospects/golf.yaml").unwrap();
    s.expect(expectrl::Eof).unwrap();
    let text = env.read("pipe/prospects/golf.yaml");
    assert!(
        text.contains("industry: Retail\n") && !text.contains("<<<"),
        "{text}"
    );
    env.run(&["validate"]).ok();
}
