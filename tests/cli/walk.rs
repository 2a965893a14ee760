//! Issue 12: the rep's day in a real terminal at 80 columns. Typos never
//! create junk, mistakes are forgiven, the terminal is left as it was found.

use crate::Env;
use crate::pty::{DOWN, exit_code, spawn, spawn_with};
use expectrl::Expect;

const ESC: &str = "\x1b";
const LEFT: &str = "\x1b[D";

fn ids(env: &Env) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(env.pipe().join("prospects"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn an_ambiguous_name_offers_its_candidates_and_creates_nothing() {
    let env = Env::new();
    env.run(&["add", "Acme Corp"]).ok();
    env.run(&["add", "Acme Corporation"]).ok();
    let mut s = spawn(&env, &["next", "acme"]);
    s.expect("\"acme\" matches 2 prospects").unwrap();
    s.expect("Which one?").unwrap();
    s.expect("acme-corporation — Acme Corporation").unwrap();
    s.send(DOWN).unwrap();
    s.send("\r").unwrap(); // acme-corporation
    s.expect("Lead Qualification · 1/8 Research").unwrap();
    s.expect("What industry").unwrap();
    s.send("\x03").unwrap();
    s.expect(expectrl::Eof).unwrap();
    assert!(exit_code(&mut s).contains("130"));
    assert_eq!(ids(&env), ["acme-corp.yaml", "acme-corporation.yaml"]);

    // Without a terminal: exit 2, the candidates named.
    let r = env.run(&["next", "acme"]).code(2);
    assert!(
        r.stderr.contains("acme-corp, acme-corporation"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_near_miss_suggests_the_closest_names_and_never_offers_creation() {
    let env = Env::new();
    env.run(&["add", "Acme Corp"]).ok();
    let mut s = spawn(&env, &["next", "Acme Crop"]);
    s.expect("no prospect matches \"Acme Crop\"").unwrap();
    s.expect("Did you mean?").unwrap();
    s.expect("acme-corp — Acme Corp").unwrap();
    s.expect("none of these").unwrap();
    s.send(DOWN).unwrap();
    s.send("\r").unwrap(); // none of these
    s.expect(expectrl::Eof).unwrap();
    assert!(exit_code(&mut s).contains(", 0)"));
    assert_eq!(ids(&env), ["acme-corp.yaml"]);
}

#[test]
fn creation_is_offered_only_when_nothing_is_close_and_defaults_to_no() {
    let env = Env::new();
    env.run(&["add", "Acme Corp"]).ok();
    let mut s = spawn(&env, &["next", "Globex"]);
    s.expect("Create \"Globex\" as a new prospect? (y/N)")
        .unwrap();
    s.send("\r").unwrap();
    s.expect(expectrl::Eof).unwrap();
    assert_eq!(ids(&env), ["acme-corp.yaml"]);
}

#[test]
fn an_ambiguity_error_names_ten_candidates_and_counts_the_rest() {
    let env = Env::new();
    for i in 0..25 {
        env.run(&["add", &format!("Bell {i:02}")]).ok();
    }
    let r = env.run(&["show", "bell"]).code(2);
    let first = r.stderr.lines().next().unwrap();
    assert!(first.ends_with("bell-09 and 15 more"), "{first}");
    assert!(!first.contains("bell-10"), "{first}");
}

#[test]
fn a_nurturing_prospect_is_reopened_only_when_the_rep_says_so() {
    let env = Env::new();
    let id = env.prospect("Globex", &[]);
    env.run(&[
        "decide",
        &id,
        "later",
        "--why",
        "budget frozen",
        "--revisit",
        "2027-01-15",
    ])
    .ok();
    let before = env.read("pipe/prospects/globex.yaml");
    let mut s = spawn(&env, &["next", &id]);
    s.expect("Globex is nurturing until 2027-01-15 (why: budget frozen). Reopen now? (Y/n)")
        .unwrap();
    s.send("n").unwrap();
    s.expect("Globex stays nurturing").unwrap();
    s.expect(expectrl::Eof).unwrap();
    assert!(exit_code(&mut s).contains(", 0)"));
    assert_eq!(env.read("pipe/prospects/globex.yaml"), before);

    // Ctrl-C at the question writes nothing either.
    let mut s = spawn(&env, &["next", &id]);
    s.expect("Reopen now?").unwrap();
    s.send("\x03").unwrap();
    s.expect(expectrl::Eof).unwrap();
    assert!(exit_code(&mut s).contains("130"));
    assert_eq!(env.read("pipe/prospects/globex.yaml"), before);
}

#[test]
fn every_decision_is_offered_before_the_required_items_and_yes_names_them() {
    let env = Env::new();
    let id = env.prospect("Hooli", &[]);
    let mut s = spawn(&env, &["next", &id]);
    for q in [
        "What industry",
        "How many employees",
        "What is happening",
        "How did they hear",
        "Have you read their website",
    ] {
        s.expect(q).unwrap();
        s.send(ESC).unwrap(); // skip
    }
    s.expect("Decision on Research?").unwrap();
    s.send("\r").unwrap(); // yes
    s.expect("yes needs these answered first: industry, website-reviewed")
        .unwrap();
    s.expect("What industry").unwrap();
    s.send_line("Media").unwrap();
    s.expect("Have you read their website").unwrap();
    s.send(ESC).unwrap(); // still missing: the decision again
    s.expect("Decision on Research?").unwrap();
    s.send("n").unwrap(); // a letter jumps: "not yet"
    s.send("\r").unwrap();
    s.expect("Next step?").unwrap();
    s.send_line("").unwrap();
    s.expect("Next step date?").unwrap();
    s.send_line("").unwrap();
    s.expect(expectrl::Eof).unwrap();
    assert!(exit_code(&mut s).contains(", 0)"));
    let text = env.read("pipe/prospects/hooli.yaml");
    assert!(text.contains("stage: research\nstatus: open\n"), "{text}");
    assert!(text.contains("industry: Media"), "{text}");
}

#[test]
fn later_and_no_are_offered_with_nothing_answered() {
    let env = Env::new();
    let id = env.prospect("Initech", &[]);
    let mut s = spawn(&env, &["next", &id]);
    for q in ["industry", "employees", "market", "hear of us", "website"] {
        s.expect(q).unwrap();
        s.send(ESC).unwrap();
    }
    s.expect("Decision on Research?").unwrap();
    s.send("n").unwrap(); // not yet
    s.send("n").unwrap(); // no
    s.send("\r").unwrap();
    s.expect("Why?").unwrap();
    s.send_line("not a fit").unwrap();
    s.expect(expectrl::Eof).unwrap();
    let text = env.read("pipe/prospects/initech.yaml");
    assert!(text.contains("status: lost"), "{text}");
}

#[test]
fn ctrl_c_at_a_select_or_a_yes_no_restores_the_cursor() {
    let env = Env::new();
    let id = env.prospect("Juno", &[("industry", "Retail"), ("company-size", "5")]);
    let mut s = spawn(&env, &["next", &id]);
    s.expect("What is happening").unwrap();
    s.send_line("").unwrap();
    s.expect("How did they hear").unwrap();
    s.send("\x03").unwrap();
    let rest = s.expect(expectrl::Eof).unwrap();
    let tail = String::from_utf8_lossy(rest.as_bytes()).into_owned();
    assert!(tail.contains("\x1b[?25h"), "cursor shown again: {tail:?}");
    assert!(exit_code(&mut s).contains("130"));

    env.run(&["decide", &id, "later", "--why", "x"]).ok();
    let mut s = spawn(&env, &["next", &id]);
    s.expect("Reopen now?").unwrap();
    s.send("\x03").unwrap();
    let rest = s.expect(expectrl::Eof).unwrap();
    let tail = String::from_utf8_lossy(rest.as_bytes()).into_owned();
    assert!(tail.contains("\x1b[?25h"), "cursor shown again: {tail:?}");
}

#[test]
fn letters_jump_esc_skips_and_left_goes_back() {
    let env = Env::new();
    let id = env.prospect("Kilo", &[]);
    let mut s = spawn(&env, &["next", &id]);
    s.expect("What industry").unwrap();
    s.send_line("Retial").unwrap();
    s.expect("How many employees").unwrap();
    s.send(LEFT).unwrap(); // back: fix the typo
    s.expect("What industry is the company in? (required) (Retial)")
        .unwrap();
    for _ in 0..6 {
        s.send("\x7f").unwrap(); // backspace does nothing on an empty line
    }
    s.send_line("Retail").unwrap();
    s.expect("How many employees").unwrap();
    s.send(ESC).unwrap();
    s.expect("What is happening").unwrap();
    s.send(ESC).unwrap();
    s.expect("How did they hear").unwrap();
    s.send("p").unwrap(); // partner
    s.send("\r").unwrap();
    s.expect("Have you read their website").unwrap();
    s.send("\x03").unwrap();
    s.expect(expectrl::Eof).unwrap();
    let text = env.read("pipe/prospects/kilo.yaml");
    assert!(
        text.contains("    industry: Retail\n    lead-source: partner\n"),
        "{text}"
    );
    assert!(!text.contains("company-size"), "{text}");
}

#[test]
fn a_long_question_and_answer_is_cleared_whole_at_80_columns() {
    let env = Env::new();
    let id = env.prospect("Lima", &[("industry", "Retail"), ("company-size", "5")]);
    let mut s = spawn_with(&env, &["next", &id], |_| {});
    s.get_process_mut().set_window_size(80, 24).unwrap();
    s.expect("What is happening").unwrap();
    s.send_line("word ".repeat(30)).unwrap();
    // The question and the answer take three rows: the settled line is drawn
    // after moving up over all of them.
    let seen = s.expect("How did they hear").unwrap();
    let seen = String::from_utf8_lossy(seen.before()).into_owned();
    let settled = seen.rfind("regulation)? · word").expect("settled line");
    let before = &seen[settled.saturating_sub(200)..settled];
    assert!(
        before.contains("\x1b[2A\r"),
        "three rows cleared: {before:?}"
    );
    s.send("\x03").unwrap();
    s.expect(expectrl::Eof).unwrap();
}

#[test]
fn one_walk_makes_one_commit_that_says_what_happened() {
    let env = Env::new();
    env.run(&["init", "deals"]).ok();
    let d = env.path().join("deals");
    let dir = d.to_str().unwrap().to_string();
    env.run(&["--dir", &dir, "add", "Acme Corp"]).ok();
    let before = crate::git(&env, &d, &["rev-list", "--count", "HEAD"]);
    let mut s = spawn(&env, &["--dir", &dir, "next", "acme-corp"]);
    s.expect("What industry").unwrap();
    s.send_line("Logistics").unwrap();
    s.expect("How many employees").unwrap();
    s.send_line("250").unwrap();
    s.expect("What is happening").unwrap();
    s.send_line("Growing").unwrap();
    s.expect("How did they hear").unwrap();
    s.send("\r").unwrap();
    s.expect("Have you read their website").unwrap();
    s.send("\r").unwrap();
    s.expect("Decision on Research?").unwrap();
    s.send("\r").unwrap();
    s.expect("Next step?").unwrap();
    s.send_line("Intro call").unwrap();
    s.expect("Next step date?").unwrap();
    s.send_line("2026-12-03").unwrap();
    s.expect("Continue with Introduce?").unwrap();
    s.send("n").unwrap();
    s.expect(expectrl::Eof).unwrap();
    let after = crate::git(&env, &d, &["rev-list", "--count", "HEAD"]);
    assert_eq!(
        after.trim().parse::<u32>().unwrap(),
        before.trim().parse::<u32>().unwrap() + 1
    );
    let subject = crate::git(&env, &d, &["log", "-1", "--format=%s"]);
    assert_eq!(
        subject.trim(),
        "acme-corp: research answered 5, yes → introduce; next step 2026-12-03"
    );
    assert_eq!(crate::git(&env, &d, &["status", "--porcelain"]), "");

    // Ctrl-C commits what the walk saved too.
    let mut s = spawn(&env, &["--dir", &dir, "next", "acme-corp"]);
    s.expect("When did the first conversation").unwrap();
    s.send_line("yesterday").unwrap();
    s.expect("Which needs").unwrap();
    s.send("\x03").unwrap();
    let rest = s.expect(expectrl::Eof).unwrap();
    let rest = String::from_utf8_lossy(rest.as_bytes()).into_owned();
    assert!(exit_code(&mut s).contains("130"));
    let subject = crate::git(&env, &d, &["log", "-1", "--format=%s"]);
    assert_eq!(
        subject.trim(),
        "acme-corp: introduce answered 1",
        "{rest}\n{}\n{}",
        crate::git(&env, &d, &["log", "--format=%s"]),
        crate::git(&env, &d, &["status", "--short"])
    );
    assert_eq!(crate::git(&env, &d, &["status", "--porcelain"]), "");
}
