//! Issue 12 #6, #7, #11: dates and amounts as people type them; a bad value
//! for an option is a usage error (exit 2) that changes nothing.

use crate::Env;

#[test]
fn date_options_take_what_people_type() {
    let env = Env::new(); // today is Friday 2026-11-27
    let id = env.prospect("Acme", &[]);
    for (typed, stored) in [
        ("tomorrow", "2026-11-28"),
        ("+3d", "2026-11-30"),
        ("in 2 weeks", "2026-12-11"),
        ("next friday", "2026-12-04"),
        ("eom", "2026-11-30"),
        ("2026-12-03", "2026-12-03"),
    ] {
        env.run(&["follow-up", &id, typed, "Call"]).ok();
        let text = env.read("pipe/prospects/acme.yaml");
        assert!(
            text.contains(&format!("follow_up:\n  date: \"{stored}\"")),
            "{typed}: {text}"
        );
    }
    env.run(&["answer", &id, "introduce/first-contact", "yesterday"])
        .ok();
    assert!(
        env.read("pipe/prospects/acme.yaml")
            .contains("first-contact: \"2026-11-26\"")
    );
}

#[test]
fn an_ambiguous_date_shows_both_readings_and_changes_nothing() {
    let env = Env::new();
    let id = env.prospect("Acme", &[]);
    let before = env.read("pipe/prospects/acme.yaml");
    let r = env.run(&["follow-up", &id, "12/03/2026", "Call"]).code(2);
    assert!(
        r.stderr.contains("\"12/03/2026\" could be 12 March 2026 (2026-03-12, day first) or December 3, 2026 (2026-12-03, month first)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("hint: write it as YYYY-MM-DD"));
    assert_eq!(env.read("pipe/prospects/acme.yaml"), before);
    // One reading only: taken.
    env.run(&["follow-up", &id, "25/12/2026", "Call"]).ok();
}

#[test]
fn a_revisit_or_next_step_in_the_past_is_warned_about_not_refused() {
    let env = Env::new();
    let id = env.prospect("Acme", &[]);
    let r = env.run(&["follow-up", &id, "yesterday", "Call"]).ok();
    assert!(
        r.stderr
            .contains("2026-11-26 is in the past; is that the right date?"),
        "{}",
        r.stderr
    );
    let r = env
        .run(&["decide", &id, "later", "--why", "x", "--revisit", "-1w"])
        .ok();
    assert!(
        r.stderr.contains("2026-11-20 is in the past"),
        "{}",
        r.stderr
    );
}

#[test]
fn bad_option_values_are_usage_errors() {
    let env = Env::new();
    let id = env.prospect("Acme", &[]);
    let before = env.read("pipe/prospects/acme.yaml");
    let r = env.run(&["pipeline", "--as-of", "2027-13-01"]).code(2);
    assert!(
        r.stderr.contains("\"2027-13-01\" is not a date"),
        "{}",
        r.stderr
    );
    env.run(&["insights", "--since", "someday"]).code(2);
    env.run(&["follow-up", &id, "someday", "Call"]).code(2);
    env.run(&["decide", &id, "later", "--why", "x", "--revisit", "soon"])
        .code(2);
    let r = env.run(&["answer", &id, "nope", "x"]).code(2);
    assert!(r.stderr.contains("has no item \"nope\""), "{}", r.stderr);
    assert_eq!(env.read("pipe/prospects/acme.yaml"), before);
}

#[test]
fn amounts_are_read_as_written_or_refused_when_ambiguous() {
    let env = Env::new();
    let id = env.prospect("Acme", &[]);
    for (typed, stored) in [
        ("48000", "48000"),
        ("48,000", "48000"),
        ("48 000", "48000"),
        ("48k", "48000"),
        ("1.5M", "1500000"),
        ("€48,000", "48000"),
    ] {
        env.run(&["answer", &id, "learn/budget", typed]).ok();
        let text = env.read("pipe/prospects/acme.yaml");
        assert!(
            text.contains(&format!("budget: {stored}\n")),
            "{typed}: {text}"
        );
    }
    let before = env.read("pipe/prospects/acme.yaml");
    for bad in ["2,5", "1.000,50", "250.000", "-5000"] {
        let r = env.run(&["answer", &id, "learn/budget", bad]).code(2);
        assert!(
            r.stderr.contains("ambiguous") || r.stderr.contains("negative"),
            "{bad}: {}",
            r.stderr
        );
    }
    assert_eq!(env.read("pipe/prospects/acme.yaml"), before);
}
