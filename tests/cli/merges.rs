//! The merge driver against real git: add/add, unreadable sides, where it runs from.

use crate::git::{clone, git_try, run_in, two_reps};
use crate::{Env, git};

/// Both reps add the same company; the newer side's stage and status win.
#[test]
fn a_record_added_on_both_sides_keeps_the_newer_sides_state() {
    let env = Env::new();
    env.run(&["init", "seed"]).ok();
    let seed = env.path().join("seed");
    git(
        &env,
        env.path(),
        &["clone", "-q", "--bare", "seed", "origin.git"],
    );
    let (sam, kim) = (clone(&env, "sam"), clone(&env, "kim"));
    env.at("2026-11-27T09:00:00Z");
    run_in(&env, &sam, &["add", "Acme Corp"]).ok();
    git(&env, &sam, &["push", "-q"]);
    env.at("2026-11-27T10:00:00Z");
    run_in(&env, &kim, &["add", "Acme Corp"]).ok();
    env.at("2026-11-27T12:00:00Z");
    run_in(&env, &kim, &["decide", "acme", "no", "--why", "No budget"]).ok();
    git(&env, &kim, &["pull", "-q", "--no-rebase", "--no-edit"]);
    assert_eq!(git(&env, &kim, &["status", "--porcelain"]), "");
    let text = std::fs::read_to_string(kim.join("prospects/acme-corp.yaml")).unwrap();
    assert!(text.contains("status: lost\n"), "ours is newer:\n{text}");
    assert_eq!(text.matches("event: created").count(), 2, "{text}");
    run_in(&env, &kim, &["validate"]).ok();
    let _ = seed;
}

/// A side that is not a record falls back to a line merge; a result that
/// does not parse is a conflict, never a commit.
#[test]
fn a_line_merge_that_is_not_a_record_is_a_conflict() {
    let env = Env::new();
    let (sam, kim) = two_reps(&env);
    let rec = sam.join("prospects/acme-corp.yaml");
    let text = std::fs::read_to_string(&rec).unwrap();
    std::fs::write(&rec, text.replace("status: open", "status: opne")).unwrap();
    git(&env, &sam, &["commit", "-qam", "hand edit"]);
    git(&env, &sam, &["push", "-q"]);
    run_in(&env, &kim, &["answer", "acme", "company-size", "80"]).ok();
    let r = git_try(&env, &kim, &["pull", "-q", "--no-rebase", "--no-edit"]);
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("not a valid record"),
        "says why: {}",
        r.stderr
    );
    let status = git(&env, &kim, &["status", "--porcelain"]);
    assert_eq!(status, "UU prospects/acme-corp.yaml\n");
}

/// `init` writes `salesproc merge-file`, not the path of the binary that ran
/// it, so a rebuild elsewhere or `cargo clean` does not break merges.
#[test]
fn the_merge_driver_is_found_on_path_not_by_the_build_path() {
    let env = Env::new();
    let build = env.path().join("target/release");
    std::fs::create_dir_all(&build).unwrap();
    std::fs::copy(crate::bin(), build.join("salesproc")).unwrap();
    // A test thread forking while the copy was open can hold it for a moment
    // (ETXTBSY, "text file busy"): try again briefly.
    let mut tries = 0;
    let out = loop {
        let mut c = std::process::Command::new(build.join("salesproc"));
        env.hermetic(&mut c);
        c.args(["init", "deals"]);
        match c.output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            r => break r.unwrap(),
        }
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d = env.path().join("deals");
    assert_eq!(
        git(&env, &d, &["config", "merge.salesproc.driver"]),
        "salesproc merge-file %O %A %B\n"
    );
    std::fs::remove_dir_all(env.path().join("target")).unwrap();
    run_in(&env, &d, &["add", "Acme"]).ok();
    git(&env, &d, &["checkout", "-qb", "other"]);
    run_in(&env, &d, &["answer", "acme", "industry", "Retail"]).ok();
    git(&env, &d, &["checkout", "-q", "-"]);
    run_in(&env, &d, &["answer", "acme", "company-size", "80"]).ok();
    git(&env, &d, &["merge", "-q", "--no-edit", "other"]);
    let text = std::fs::read_to_string(d.join("prospects/acme.yaml")).unwrap();
    assert!(text.contains("industry: Retail") && text.contains("company-size: 80"));
}

#[test]
fn init_says_when_salesproc_is_not_on_path() {
    let env = Env::new();
    let mut c = env.cmd();
    c.env("PATH", std::env::var("PATH").unwrap_or_default())
        .args(["init", "deals"]);
    let r = crate::output(c, "").ok();
    assert!(
        r.stderr
            .contains("salesproc is not on PATH, so git cannot run its merge driver"),
        "{}",
        r.stderr
    );
}

#[test]
fn yes_here_and_later_there_is_a_clash_not_an_invented_state() {
    // Before: stage came from one side and status from the other
    // (`stage: qualify`, `status: nurturing`), a state neither rep chose.
    let env = Env::new();
    let (sam, kim) = two_reps(&env);
    env.at("2026-11-28T09:00:00Z");
    run_in(&env, &sam, &["answer", "acme", "website-reviewed", "yes"]).ok();
    run_in(&env, &sam, &["decide", "acme", "yes"]).ok();
    git(&env, &sam, &["push", "-q"]);
    env.at("2026-11-28T10:00:00Z");
    run_in(
        &env,
        &kim,
        &["decide", "acme", "later", "--why", "budget frozen"],
    )
    .ok();
    let r = git_try(&env, &kim, &["pull", "-q", "--no-rebase", "--no-edit"]);
    assert_ne!(r.code, 0, "a clash is a conflict: {}", r.stderr);
    assert!(
        r.stderr
            .contains("both sides decided research: ours later, theirs yes"),
        "{}",
        r.stderr
    );
    let text = std::fs::read_to_string(kim.join("prospects/acme-corp.yaml")).unwrap();
    assert!(
        text.contains("<<<<<<< ours\n- at: \"2026-11-28T10:00:00Z\"\n  by: sam\n  event: decided\n  step: research\n  outcome: later"),
        "{text}"
    );
    assert!(
        text.contains("<<<<<<< ours\nstage: research\n=======\nstage: introduce\n>>>>>>> theirs"),
        "{text}"
    );
}

#[test]
fn a_decision_merged_with_answers_keeps_the_state_its_history_gives() {
    let env = Env::new();
    let (sam, kim) = two_reps(&env);
    env.at("2026-11-28T09:00:00Z");
    run_in(&env, &sam, &["answer", "acme", "website-reviewed", "yes"]).ok();
    run_in(&env, &sam, &["decide", "acme", "yes"]).ok();
    git(&env, &sam, &["push", "-q"]);
    env.at("2026-11-28T10:00:00Z");
    run_in(&env, &kim, &["answer", "acme", "company-size", "80"]).ok();
    git(&env, &kim, &["pull", "-q", "--no-rebase", "--no-edit"]);
    let text = std::fs::read_to_string(kim.join("prospects/acme-corp.yaml")).unwrap();
    assert!(text.contains("stage: introduce\nstatus: open\n"), "{text}");
    assert!(text.contains("company-size: 80"), "{text}");
    assert_eq!(run_in(&env, &kim, &["validate"]).code, 0);
}
