//! `edit` with EDITOR set to a script.

use crate::Env;
use std::os::unix::fs::PermissionsExt;

fn editor(env: &Env, name: &str, body: &str) -> String {
    let p = env.path().join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p.display().to_string()
}

fn edit(env: &Env, editor: &str, id: &str) -> crate::Run {
    let mut c = env.cmd();
    c.env("EDITOR", editor).args(["edit", id]);
    crate::output(c, "")
}

#[test]
fn a_good_save_is_validated_canonicalised_and_logged() {
    let env = Env::new();
    let id = env.prospect("Acme", &[("industry", "Retail")]);
    let ed = editor(
        &env,
        "ed.sh",
        "sed -i -e 's/industry: Retail/industry: Wholesale/' -e 's/^stage: research/stage: introduce/' \"$1\"\necho 'region: EMEA' >> \"$1\"",
    );
    let r = edit(&env, &ed, &id).ok();
    assert!(
        r.stderr.contains("saved pipe/prospects/acme.yaml"),
        "{}",
        r.stderr
    );
    let text = env.read("pipe/prospects/acme.yaml");
    assert!(text.contains("industry: Wholesale"));
    assert!(text.contains("stage: introduce"));
    assert!(
        text.contains("  event: edited\n  step: introduce\n  to: introduce\nregion: EMEA\n"),
        "{text}"
    );
    env.run(&["validate"]).ok();
}

#[test]
fn a_broken_save_keeps_the_original_and_says_where_the_text_is() {
    let env = Env::new();
    let id = env.prospect("Acme", &[("industry", "Retail")]);
    let before = env.read("pipe/prospects/acme.yaml");
    let ed = editor(
        &env,
        "ed.sh",
        "sed -i 's/status: open/status: opne/' \"$1\"",
    );
    let r = edit(&env, &ed, &id).code(1);
    assert!(
        r.stderr.contains(":3:9: unknown status \"opne\""),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("your edited text is kept at"),
        "{}",
        r.stderr
    );
    assert_eq!(env.read("pipe/prospects/acme.yaml"), before);
    let kept = r
        .stderr
        .lines()
        .find_map(|l| l.split("kept at ").nth(1))
        .unwrap()
        .trim()
        .to_string();
    assert!(
        std::fs::read_to_string(kept)
            .unwrap()
            .contains("status: opne")
    );
}

#[test]
fn no_change_is_no_write() {
    let env = Env::new();
    let id = env.prospect("Acme", &[]);
    let before = env.read("pipe/prospects/acme.yaml");
    let r = edit(&env, "true", &id).ok();
    assert!(r.stderr.contains("no changes"));
    assert_eq!(env.read("pipe/prospects/acme.yaml"), before);
}

#[test]
fn a_failing_editor_changes_nothing() {
    let env = Env::new();
    let id = env.prospect("Acme", &[]);
    let before = env.read("pipe/prospects/acme.yaml");
    edit(&env, "false", &id).code(1);
    assert_eq!(env.read("pipe/prospects/acme.yaml"), before);
}

/// Issue 12 #13: no editor set and no terminal: refuse, start nothing.
#[test]
fn no_editor_and_no_terminal_is_refused_with_a_hint() {
    let env = Env::new();
    let id = env.prospect("Acme", &[]);
    let before = env.read("pipe/prospects/acme.yaml");
    let r = env.run(&["edit", &id]).code(1);
    assert!(
        r.stderr
            .contains("no editor to open: $VISUAL and $EDITOR are not set"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("hint: set EDITOR"), "{}", r.stderr);
    assert_eq!(env.read("pipe/prospects/acme.yaml"), before);
}

/// Issue 12 #13: after an invalid save, the next `edit` starts from the kept
/// copy, so the work is not lost; a good save removes the copy.
#[test]
fn edit_again_starts_from_the_kept_copy() {
    let env = Env::new();
    let id = env.prospect("Acme", &[("industry", "Retail")]);
    let broken = editor(
        &env,
        "break.sh",
        "sed -i -e 's/status: open/status: opne/' -e 's/industry: Retail/industry: Wholesale/' \"$1\"",
    );
    edit(&env, &broken, &id).code(1);
    let fix = editor(
        &env,
        "fix.sh",
        "sed -i 's/status: opne/status: open/' \"$1\"",
    );
    let r = edit(&env, &fix, &id).ok();
    assert!(
        r.stderr.contains("starting from your unsaved edit kept at"),
        "{}",
        r.stderr
    );
    let text = env.read("pipe/prospects/acme.yaml");
    assert!(
        text.contains("industry: Wholesale"),
        "the first edit kept: {text}"
    );
    let left: Vec<_> = std::fs::read_dir(env.pipe())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".salesproc-edit")
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
