//! `validate` on a corpus of broken files, and `fmt`.

use crate::Env;
use std::path::Path;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn fixture(env: &Env, name: &str) {
    crate::validate_copy(env, name);
}

/// Copies `tests/fixtures/NAME` to the test's pipeline folder.
pub fn copy_fixture(env: &Env, name: &str) {
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        &env.pipe(),
    );
}

const EXPECTED: &str = r#"pipe/prospects/bad-follow-up.yaml:5:3: follow-up date "next week" is not a date (YYYY-MM-DD)
pipe/prospects/bad-status.yaml:3:9: unknown status "opne" (expected one of open, nurturing, won, lost)
pipe/prospects/bad-yaml.yaml:7:8: illegal placement of ':' indicator
pipe/prospects/disagree.yaml:2:1: stage is "research" but the history ends at "introduce"
  hint: record moves with `salesproc decide`, or `salesproc edit` adds the event
pipe/prospects/disagree.yaml:3:1: status is "nurturing" but the history ends with "open"
pipe/prospects/many-wrong.yaml:3:3: "owner" must be text, not a list or mapping
pipe/prospects/many-wrong.yaml:4:9: unknown status "opne" (expected one of open, nurturing, won, lost)
pipe/prospects/many-wrong.yaml:5:12: "follow_up" must be a mapping (`key: value` lines)
pipe/prospects/many-wrong.yaml:6:1: missing key "stage"
pipe/prospects/many-wrong.yaml:14:12: unknown outcome "perhaps" (expected one of yes, no, later)
pipe/prospects/many-wrong.yaml:16:5: "at" must be text, not a list or mapping
pipe/prospects/no-why.yaml:13:3: a `no` decision needs a why
pipe/prospects/out-of-order.yaml:14:3: history is out of time order: 2026-11-22T10:00:00Z comes after 2026-11-25T10:00:00Z
pipe/prospects/unknown-answers.yaml:7:5: unknown item "colour" in step research
pipe/prospects/unknown-answers.yaml:8:3: answers for unknown step "discovery" (steps are research, introduce, qualify, learn, present, propose, resolve, agree)
pipe/prospects/unknown-stage.yaml:2:1: unknown stage "scoping" (steps are research, introduce, qualify, learn, present, propose, resolve, agree)
pipe/prospects/unknown-stage.yaml:2:1: stage is "scoping" but the history ends at "research"
  hint: record moves with `salesproc decide`, or `salesproc edit` adds the event
pipe/prospects/wrong-type.yaml:6:5: answer to company-size must be a number (e.g. 250 or 12.5), not "lots"
pipe/prospects/wrong-type.yaml:7:5: answer to lead-source must be one of referral, inbound, event, outbound, partner, content, other, not "radio"
pipe/prospects/wrong-type.yaml:8:5: answer to website-reviewed must be yes or no, not "maybe"
pipe/prospects/wrong-type.yaml:10:5: answer to first-contact must be a date as YYYY-MM-DD, not "20/11/2026"
pipe/prospects/Acme.yaml:1:1: "Acme" is not a valid id
  hint: rename the file to acme.yaml
pipe/prospects/Acme.yaml:1:1: duplicate id "acme" by case: pipe/prospects/Acme.yaml, pipe/prospects/acme.yaml
pipe/prospects/acme.yaml:1:1: duplicate id "acme" by case: pipe/prospects/Acme.yaml, pipe/prospects/acme.yaml
"#;

#[test]
fn validate_reports_every_problem_with_path_line_and_column() {
    let env = Env::new();
    fixture(&env, "validate");
    let r = env.run(&["validate"]).code(1);
    assert_eq!(r.stdout, EXPECTED);
    assert!(r.stderr.contains("24 problem(s)"), "{}", r.stderr);
    let json: serde_json::Value =
        serde_json::from_str(&env.run(&["validate", "--format", "json"]).code(1).stdout).unwrap();
    assert_eq!(json[0]["path"], "pipe/prospects/bad-follow-up.yaml");
    assert_eq!(
        (json[0]["line"].as_u64(), json[0]["column"].as_u64()),
        (Some(5), Some(3))
    );
}

#[test]
fn validate_passes_a_clean_folder_and_checks_checklists() {
    let env = Env::new();
    env.prospect("Acme", &[("industry", "Retail")]);
    let r = env.run(&["validate"]).ok();
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .contains("ok: settings, checklists and 1 records are valid")
    );
    env.file(
        "pipe/checklists/qualify.yaml",
        "step: qualify\ntitle: Q\npurpose: p\nitems:\n  - id: a\n    ask: A?\n    type: choice\n",
    );
    let r = env.run(&["validate"]).code(1);
    assert_eq!(
        r.stdout.lines().next(),
        Some("pipe/checklists/qualify.yaml:5:3: choice item \"a\" has no options"),
        "{}",
        r.stdout
    );
}

#[test]
fn fmt_is_idempotent_and_check_lists_what_differs() {
    let env = Env::new();
    env.prospect("Acme", &[("industry", "Retail")]);
    env.file(
        "pipe/prospects/hand.yaml",
        "# written by hand\nstatus: open\nname: Hand Made\nstage: research\nanswers:\n  research:\n    website-reviewed: yes\n    industry: 'Retail'\nhistory:\n  - {at: '2026-11-20T10:00:00Z', event: created, step: research}\nregion: EMEA\n",
    );
    let r = env.run(&["fmt", "--check"]).code(1);
    assert_eq!(r.stdout, "pipe/prospects/hand.yaml\n");
    env.run(&["fmt"]).ok();
    let once = env.read("pipe/prospects/hand.yaml");
    assert_eq!(
        once,
        "name: Hand Made\nstage: research\nstatus: open\nanswers:\n  research:\n    industry: Retail\n    website-reviewed: true\nhistory:\n- at: \"2026-11-20T10:00:00Z\"\n  event: created\n  step: research\nregion: EMEA\n"
    );
    assert_eq!(env.run(&["fmt", "--check"]).ok().stdout, "");
    env.run(&["fmt"]).ok();
    assert_eq!(
        env.read("pipe/prospects/hand.yaml"),
        once,
        "fmt twice changes nothing"
    );
}

#[test]
fn a_typo_in_salesproc_yaml_names_the_line() {
    let env = Env::new();
    env.file("pipe/salesproc.yaml", "owner: sam\ncomit: false\n");
    let r = env.run(&["list"]).code(1);
    assert!(
        r.stderr
            .contains("pipe/salesproc.yaml:2:1: unknown key \"comit\""),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("hint: salesproc.yaml takes `owner: NAME` and `commit: true|false`")
    );
    let r = env.run(&["validate"]).code(1);
    assert!(
        r.stdout
            .starts_with("pipe/salesproc.yaml:2:1: unknown key \"comit\""),
        "{}",
        r.stdout
    );
}
