//! Conflicts you can get out of: clones without the driver, conflict markers,
//! `edit` on a broken record, writes during an unfinished merge.

use crate::git::{conflicted, git_try, run_in, two_reps};
use crate::{Env, git};
use std::os::unix::fs::PermissionsExt;

const NO_DRIVER: &str =
    "the salesproc merge driver is not set up in this clone: run salesproc init";

#[test]
fn a_clone_without_the_merge_driver_warns_once_per_write_and_in_validate() {
    let env = Env::new();
    let (sam, _) = two_reps(&env);
    git(&env, env.path(), &["clone", "-q", "origin.git", "lee"]);
    let lee = env.path().join("lee");
    run_in(&env, &lee, &["add", "Beta"]).ok();
    let r = crate::git::run_in_with(
        &env,
        &lee,
        &["decide", "-", "later", "--why", "Budget"],
        "acme\nbeta\n",
    )
    .ok();
    assert_eq!(r.stderr.matches(NO_DRIVER).count(), 1, "{}", r.stderr);
    let v = run_in(&env, &lee, &["validate"]);
    assert!(v.stderr.contains(NO_DRIVER), "{}", v.stderr);
    let s = run_in(&env, &sam, &["add", "Gamma"]).ok();
    assert!(!s.stderr.contains("merge driver"), "{}", s.stderr);
    run_in(&env, &lee, &["init"]).ok();
    let r = run_in(&env, &lee, &["add", "Delta"]).ok();
    assert!(!r.stderr.contains("merge driver"), "{}", r.stderr);
}

/// The 1-based first and last line of each conflict block.
fn marker_lines(text: &str) -> (usize, usize) {
    let at = |p: &str| text.lines().position(|l| l.starts_with(p)).unwrap() + 1;
    (at("<<<<<<<"), at(">>>>>>>"))
}

#[test]
fn conflict_markers_are_reported_as_a_conflict_with_a_way_out() {
    let env = Env::new();
    let (_, kim) = conflicted(&env);
    let text = std::fs::read_to_string(kim.join("prospects/acme-corp.yaml")).unwrap();
    let (from, to) = marker_lines(&text);
    let want = format!("unresolved merge conflict in prospects/acme-corp.yaml (lines {from}-{to})");
    let r = run_in(&env, &kim, &["list"]).code(1);
    assert!(r.stderr.contains(&want), "{}", r.stderr);
    assert!(
        r.stderr.contains("salesproc edit acme-corp"),
        "{}",
        r.stderr
    );
    let r = run_in(&env, &kim, &["show", "acme"]).code(1);
    assert!(r.stderr.contains(&want), "{}", r.stderr);
    let v = run_in(&env, &kim, &["validate"]).code(1);
    assert!(
        v.stdout.contains(&format!(
            "prospects/acme-corp.yaml:{from}:1: unresolved merge conflict (lines {from}-{to})"
        )),
        "{}",
        v.stdout
    );
}

fn editor(env: &Env, body: &str) -> String {
    let p = env.path().join("ed.sh");
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p.display().to_string()
}

/// Keeps "ours" of every conflict block.
const KEEP_OURS: &str = "sed -i -e '/^=======/,/^>>>>>>>/d' -e '/^<<<<<<</d' \"$1\"";

#[test]
fn edit_resolves_a_conflicted_record_and_stages_it() {
    let env = Env::new();
    let (_, kim) = conflicted(&env);
    let mut c = env.cmd();
    c.env_remove("SALESPROC_DIR")
        .env("EDITOR", editor(&env, KEEP_OURS))
        .current_dir(&kim)
        .args(["edit", "acme-corp"]);
    let r = crate::output(c, "").ok();
    assert!(r.stderr.contains("git merge --continue"), "{}", r.stderr);
    let text = std::fs::read_to_string(kim.join("prospects/acme-corp.yaml")).unwrap();
    assert!(
        text.contains("industry: Retail") && !text.contains("<<<"),
        "{text}"
    );
    assert_eq!(
        git(&env, &kim, &["status", "--porcelain"]),
        "M  prospects/acme-corp.yaml\n",
        "resolved and staged"
    );
    git(&env, &kim, &["commit", "-q", "--no-edit"]);
    run_in(&env, &kim, &["validate"]).ok();
}

#[test]
fn edit_opens_a_record_that_does_not_parse() {
    let env = Env::new();
    let id = env.prospect("Acme", &[("industry", "Retail")]);
    let path = env.pipe().join("prospects/acme.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("status: open", "status: [open")).unwrap();
    let r = env.run(&["show", &id]).code(1);
    assert!(r.stderr.contains("salesproc edit acme"), "{}", r.stderr);
    let mut c = env.cmd();
    c.env(
        "EDITOR",
        editor(&env, "sed -i 's/status: \\[open/status: open/' \"$1\""),
    )
    .args(["edit", &id]);
    crate::output(c, "").ok();
    env.run(&["show", &id]).ok();
    env.run(&["validate"]).ok();
}

#[test]
fn writes_during_an_unfinished_merge_are_refused() {
    let env = Env::new();
    let (_, kim) = conflicted(&env);
    let before = git(&env, &kim, &["status", "--porcelain"]);
    let head = git(&env, &kim, &["rev-parse", "HEAD"]);
    for args in [
        &["add", "Beta"][..],
        &["follow-up", "acme", "2026-12-01", "Call"],
    ] {
        let r = run_in(&env, &kim, args).code(1);
        assert!(
            r.stderr
                .contains("finish or abort the merge first (git merge --continue / --abort)"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(git(&env, &kim, &["status", "--porcelain"]), before);
    assert_eq!(git(&env, &kim, &["rev-parse", "HEAD"]), head);
    assert!(!kim.join("prospects/beta.yaml").exists());
    git_try(&env, &kim, &["merge", "--abort"]).ok();
    run_in(&env, &kim, &["add", "Beta"]).ok();
}

/// A dotfiles repository around the per-user folder does not use the driver.
#[test]
fn a_repository_that_does_not_route_records_to_salesproc_gets_no_warning() {
    let env = Env::new();
    git(&env, &env.path().join("home"), &["init", "-q"]);
    let mut c = env.cmd();
    c.env_remove("SALESPROC_DIR").args(["add", "Acme"]);
    let r = crate::output(c, "").ok();
    assert!(!r.stderr.contains("merge driver"), "{}", r.stderr);
}
