//! Against real git: auto-commit, and two reps sharing one pipeline.

use crate::{Env, git};
use std::path::Path;

pub fn run_in(env: &Env, dir: &Path, args: &[&str]) -> crate::Run {
    let mut c = env.cmd();
    c.env_remove("SALESPROC_DIR").current_dir(dir).args(args);
    crate::output(c, "")
}

#[test]
fn each_write_is_one_commit_of_exactly_its_file() {
    let env = Env::new();
    env.run(&["init", "deals"]).ok();
    let d = env.path().join("deals");
    std::fs::write(d.join("notes.txt"), "staged, not ours\n").unwrap();
    git(&env, &d, &["add", "notes.txt"]);
    run_in(&env, &d, &["add", "Acme Corp"]).ok();
    run_in(&env, &d, &["answer", "acme", "industry", "Logistics"]).ok();
    run_in(&env, &d, &["answer", "acme", "website-reviewed", "yes"]).ok();
    run_in(&env, &d, &["decide", "acme", "yes"]).ok();
    run_in(&env, &d, &["follow-up", "acme", "2026-12-03", "Call"]).ok();
    run_in(
        &env,
        &d,
        &["insight", "acme", "--for", "product", "Wants SSO"],
    )
    .ok();
    let log = git(&env, &d, &["log", "--format=%s"]);
    assert_eq!(
        log,
        "acme-corp: insight for product\nacme-corp: follow-up 2026-12-03\nacme-corp: research → introduce (yes)\nacme-corp: answer research/website-reviewed\nacme-corp: answer research/industry\nadd acme-corp\nsalesproc init\n"
    );
    assert_eq!(
        git(&env, &d, &["status", "--porcelain"]),
        "A  notes.txt\n",
        "the other staged file stays staged, uncommitted"
    );
    let files = git(&env, &d, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files, "prospects/acme-corp.yaml\n");
}

#[test]
fn no_commit_is_honoured() {
    let env = Env::new();
    env.run(&["init", "deals"]).ok();
    let d = env.path().join("deals");
    run_in(&env, &d, &["add", "Acme", "--no-commit"]).ok();
    assert_eq!(git(&env, &d, &["log", "--format=%s"]), "salesproc init\n");
    assert_eq!(
        git(&env, &d, &["status", "--porcelain"]),
        "?? prospects/acme.yaml\n"
    );
    std::fs::write(d.join("salesproc.yaml"), "commit: false\n").unwrap();
    git(&env, &d, &["commit", "-qam", "no auto-commit"]);
    run_in(&env, &d, &["answer", "acme", "industry", "Retail"]).ok();
    assert_eq!(
        git(&env, &d, &["log", "-1", "--format=%s"]),
        "no auto-commit\n"
    );
}

#[test]
fn outside_a_repository_nothing_is_committed_and_nothing_fails() {
    let env = Env::new();
    let r = env.run(&["add", "Acme"]).ok();
    assert!(!r.stderr.contains("commit"), "{}", r.stderr);
}

pub fn clone(env: &Env, name: &str) -> std::path::PathBuf {
    git(env, env.path(), &["clone", "-q", "origin.git", name]);
    let d = env.path().join(name);
    run_in(env, &d, &["init"]).ok();
    d
}

pub fn two_reps(env: &Env) -> (std::path::PathBuf, std::path::PathBuf) {
    env.run(&["init", "seed"]).ok();
    let seed = env.path().join("seed");
    run_in(env, &seed, &["add", "Acme Corp"]).ok();
    run_in(env, &seed, &["answer", "acme", "industry", "Logistics"]).ok();
    git(
        env,
        env.path(),
        &["clone", "-q", "--bare", "seed", "origin.git"],
    );
    (clone(env, "sam"), clone(env, "kim"))
}

#[test]
fn two_reps_edit_one_record_and_pull_merges_without_conflict() {
    let env = Env::new();
    let (sam, kim) = two_reps(&env);
    env.at("2026-11-28T09:00:00Z");
    run_in(&env, &sam, &["answer", "acme", "website-reviewed", "yes"]).ok();
    run_in(
        &env,
        &sam,
        &["answer", "acme", "market-notes", "Two competitors"],
    )
    .ok();
    run_in(
        &env,
        &sam,
        &["insight", "acme", "--for", "product", "Needs SSO"],
    )
    .ok();
    run_in(
        &env,
        &sam,
        &["follow-up", "acme", "2026-12-03", "Send", "the", "deck"],
    )
    .ok();
    git(&env, &sam, &["push", "-q"]);
    env.at("2026-11-28T11:00:00Z");
    run_in(&env, &kim, &["answer", "acme", "company-size", "250"]).ok();
    run_in(&env, &kim, &["answer", "acme", "lead-source", "event"]).ok();
    run_in(
        &env,
        &kim,
        &["insight", "acme", "--for", "marketing", "Met us at LogiMAT"],
    )
    .ok();
    git(&env, &kim, &["pull", "-q", "--no-rebase", "--no-edit"]);
    assert_eq!(git(&env, &kim, &["status", "--porcelain"]), "");
    let text = std::fs::read_to_string(kim.join("prospects/acme-corp.yaml")).unwrap();
    for want in [
        "industry: Logistics",
        "company-size: 250",
        "lead-source: event",
        "website-reviewed: true",
        "text: Needs SSO",
        "text: Met us at LogiMAT",
        "date: \"2026-12-03\"",
    ] {
        assert!(text.contains(want), "missing {want} in\n{text}");
    }
    assert_eq!(text.matches("event: answered").count(), 5, "{text}");
    assert_eq!(
        run_in(&env, &kim, &["fmt", "--check"]).stdout,
        "",
        "the merged file is canonical"
    );
    let (insights, history) = text.split_once("history:").unwrap();
    for part in [insights, history] {
        let ats: Vec<&str> = part.lines().filter(|l| l.starts_with("- at:")).collect();
        let mut sorted = ats.clone();
        sorted.sort();
        assert_eq!(ats, sorted, "history and insights are each in time order");
    }
    assert_eq!(run_in(&env, &kim, &["validate"]).code, 0);
    git(&env, &kim, &["push", "-q"]);
    git(&env, &sam, &["pull", "-q", "--no-rebase", "--no-edit"]);
    assert_eq!(
        std::fs::read_to_string(sam.join("prospects/acme-corp.yaml")).unwrap(),
        text
    );
}

#[test]
fn the_same_answer_changed_two_ways_leaves_markers_around_that_item() {
    let env = Env::new();
    let (sam, kim) = two_reps(&env);
    run_in(&env, &sam, &["answer", "acme", "industry", "Freight"]).ok();
    git(&env, &sam, &["push", "-q"]);
    run_in(&env, &kim, &["answer", "acme", "industry", "Retail"]).ok();
    run_in(&env, &kim, &["answer", "acme", "company-size", "80"]).ok();
    let mut c = std::process::Command::new("git");
    env.hermetic(&mut c);
    c.current_dir(&kim)
        .args(["pull", "-q", "--no-rebase", "--no-edit"]);
    let r = crate::output(c, "");
    assert_ne!(r.code, 0);
    let text = std::fs::read_to_string(kim.join("prospects/acme-corp.yaml")).unwrap();
    assert!(
        text.contains(
            "<<<<<<< ours\n    industry: Retail\n=======\n    industry: Freight\n>>>>>>> theirs\n"
        ),
        "{text}"
    );
    assert!(text.contains("    company-size: 80\n"), "the rest merged");
    assert_eq!(text.matches("<<<<<<<").count(), 1);
}

#[test]
fn merge_file_writes_ours_and_exits_0() {
    let env = Env::new();
    let base = "name: A\nstage: research\nstatus: open\nhistory:\n- at: \"2026-11-27T10:00:00Z\"\n  event: created\n  step: research\n";
    let ours = format!(
        "{base}- at: \"2026-11-28T10:00:00Z\"\n  event: follow-up\n  step: research\n  date: \"2026-12-01\"\n"
    );
    let theirs =
        format!("{base}- at: \"2026-11-27T12:00:00Z\"\n  event: edited\n  step: research\n");
    env.file("b.yaml", base)
        .file("o.yaml", &ours)
        .file("t.yaml", &theirs);
    env.run(&["merge-file", "b.yaml", "o.yaml", "t.yaml"]).ok();
    let merged = env.read("o.yaml");
    assert_eq!(merged.matches("- at:").count(), 3);
    assert!(merged.find("edited").unwrap() < merged.find("follow-up").unwrap());
}

#[test]
fn concurrent_writers_in_a_repository_each_commit_cleanly() {
    let env = Env::new();
    env.run(&["init", "deals"]).ok();
    let d = env.path().join("deals");
    run_in(&env, &d, &["add", "Acme"]).ok();
    let mut children = Vec::new();
    for (i, (item, value)) in [
        ("industry", "Retail"),
        ("company-size", "40"),
        ("market-notes", "Busy"),
        ("lead-source", "event"),
    ]
    .iter()
    .enumerate()
    {
        let mut c = env.cmd();
        c.env_remove("SALESPROC_DIR")
            .current_dir(&d)
            .args(["answer", "acme", item, value]);
        children.push(c.stderr(std::process::Stdio::piped()).spawn().unwrap());
        let mut a = env.cmd();
        a.env_remove("SALESPROC_DIR")
            .current_dir(&d)
            .args(["add", &format!("Beta {i}")]);
        children.push(
            a.stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap(),
        );
    }
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success());
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("could not commit"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(git(&env, &d, &["status", "--porcelain"]), "");
    assert_eq!(
        git(&env, &d, &["log", "--format=%s"]).lines().count(),
        1 + 1 + 8
    );
}

/// Runs git in `dir` without asserting success (a pull that conflicts).
pub fn git_try(env: &Env, dir: &Path, args: &[&str]) -> crate::Run {
    let mut c = std::process::Command::new("git");
    env.hermetic(&mut c);
    c.current_dir(dir).args(args);
    crate::output(c, "")
}

/// Sam and Kim answer the same item two ways; Kim's pull stops with markers.
pub fn conflicted(env: &Env) -> (std::path::PathBuf, std::path::PathBuf) {
    let (sam, kim) = two_reps(env);
    run_in(env, &sam, &["answer", "acme", "industry", "Freight"]).ok();
    git(env, &sam, &["push", "-q"]);
    run_in(env, &kim, &["answer", "acme", "industry", "Retail"]).ok();
    let r = git_try(env, &kim, &["pull", "-q", "--no-rebase", "--no-edit"]);
    assert_ne!(r.code, 0, "the pull conflicts");
    (sam, kim)
}

/// Like `run_in`, with `input` on stdin.
pub fn run_in_with(env: &Env, dir: &Path, args: &[&str], input: &str) -> crate::Run {
    let mut c = env.cmd();
    c.env_remove("SALESPROC_DIR").current_dir(dir).args(args);
    crate::output(c, input)
}

/// Everything salesproc keeps per clone in `.salesproc/` (the journal, the
/// index, the lookup) stays out of `git status`, whichever command made the
/// folder first, while `hooks/` can be committed as it is. An older
/// `.gitignore` there (the journal's `*`) is brought up to date.
#[test]
fn the_private_folder_stays_out_of_git_except_hooks() {
    let env = Env::new();
    for first in [&["add", "Beta"][..], &["list"][..]] {
        env.run(&["init", "deals"]).ok();
        let d = env.path().join("deals");
        run_in(&env, &d, first).ok();
        run_in(&env, &d, &["add", "Acme"]).ok();
        run_in(&env, &d, &["list"]).ok();
        run_in(&env, &d, &["answer", "acme", "industry", "Retail"]).ok();
        assert!(d.join(".salesproc/journal").is_dir());
        assert!(d.join(".salesproc/index").is_file());
        assert_eq!(git(&env, &d, &["status", "--porcelain"]), "", "{first:?}");
        std::fs::create_dir_all(d.join(".salesproc/hooks")).unwrap();
        std::fs::write(d.join(".salesproc/hooks/on-decide"), "#!/bin/sh\n").unwrap();
        git(&env, &d, &["add", ".salesproc/hooks"]);
        assert_eq!(
            git(&env, &d, &["status", "--porcelain"]),
            "A  .salesproc/hooks/on-decide\n"
        );
        // The journal's old `*` hid hooks/ too: it is replaced.
        std::fs::write(d.join(".salesproc/.gitignore"), "*\n").unwrap();
        run_in(&env, &d, &["answer", "acme", "website-reviewed", "yes"]).ok();
        assert!(env.read("deals/.salesproc/.gitignore").contains("!/hooks/"));
        std::fs::remove_dir_all(&d).unwrap();
    }
}
