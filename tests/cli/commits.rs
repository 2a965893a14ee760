//! Commits never fail silently: each cause of a failed commit, retries on a
//! busy index, and files saved earlier committed by the next write.

use crate::git::run_in;
use crate::{Env, git};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn deals(env: &Env) -> PathBuf {
    env.run(&["init", "deals"]).ok();
    let d = env.path().join("deals");
    run_in(env, &d, &["add", "Acme"]).ok();
    d
}

/// Asserts a failed commit: exit 1, the record saved, git's reason and a hint.
#[track_caller]
fn failed(r: crate::Run, reason: &str, hint: &str) {
    let r = r.code(1);
    assert!(
        r.stderr
            .contains("saved prospects/acme.yaml, but could not commit it"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(reason), "reason {reason:?}: {}", r.stderr);
    assert!(r.stderr.contains(hint), "hint {hint:?}: {}", r.stderr);
    assert!(!r.stderr.contains("user.email") || hint.contains("user.email"));
}

fn answer(env: &Env, d: &Path) -> crate::Run {
    run_in(env, d, &["answer", "acme", "industry", "Retail"])
}

fn saved(d: &Path) -> bool {
    std::fs::read_to_string(d.join("prospects/acme.yaml"))
        .unwrap()
        .contains("industry: Retail")
}

#[test]
fn a_stale_index_lock_is_named_with_how_to_remove_it() {
    let env = Env::new();
    let d = deals(&env);
    let lock = d.join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    let mut touch = Command::new("touch");
    touch.args(["-d", "1 hour ago"]).arg(&lock);
    assert!(touch.status().unwrap().success());
    let r = answer(&env, &d);
    failed(
        r,
        "index.lock': File exists",
        "if no git process is running, remove it",
    );
    assert!(saved(&d));
}

/// Something recreates `index.lock` all the time, for longer than salesproc waits.
#[test]
fn a_busy_index_lock_is_waited_for_then_reported() {
    let env = Env::new();
    let d = deals(&env);
    let mut busy = Command::new("sh");
    busy.current_dir(d.join(".git")).args([
        "-c",
        "while :; do : > l.new; mv l.new index.lock; sleep 0.1; done",
    ]);
    let mut busy = Killed(busy.spawn().unwrap());
    std::thread::sleep(std::time::Duration::from_millis(200));
    let start = std::time::Instant::now();
    let r = answer(&env, &d);
    assert!(start.elapsed().as_secs() >= 2, "retried for a while");
    busy.0.kill().unwrap();
    failed(r, "index.lock': File exists", "another git process");
    assert!(saved(&d));
}

#[test]
fn no_identity_says_how_to_set_one() {
    let env = Env::new();
    let d = deals(&env);
    let mut c = anonymous(&env, &d);
    c.args(["answer", "acme", "industry", "Retail"]);
    let r = crate::output(c, "");
    failed(r, "no email was given", "git config --global user.email");
    assert!(saved(&d));
}

/// A salesproc run with no git identity at all.
fn anonymous(env: &Env, dir: &Path) -> Command {
    let mut c = env.cmd();
    c.env_remove("SALESPROC_DIR")
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL")
        .env("GIT_CONFIG_COUNT", "1")
        .env("GIT_CONFIG_KEY_0", "user.useConfigOnly")
        .env("GIT_CONFIG_VALUE_0", "true")
        .current_dir(dir);
    c
}

#[test]
fn a_refusing_hook_is_named_with_its_output() {
    let env = Env::new();
    let d = deals(&env);
    let hook = d.join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'no commits on Fridays' >&2\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    failed(
        answer(&env, &d),
        "no commits on Fridays",
        "the pre-commit hook refused the commit",
    );
    assert!(saved(&d));
}

/// A full disk cannot be made without root, so a `git` in front of the real
/// one fails `commit` the way git does on ENOSPC and runs the rest for real.
#[test]
fn a_full_disk_says_so() {
    let env = Env::new();
    let d = deals(&env);
    let real = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v git"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let shim = env.path().join("full");
    std::fs::create_dir_all(&shim).unwrap();
    std::fs::write(
        shim.join("git"),
        format!(
            "#!/bin/sh\ncase \" $* \" in *\" commit \"*) echo 'error: unable to write file .git/objects/ab/cdef: No space left on device' >&2; echo 'fatal: unable to write new_index file' >&2; exit 128;; esac\nexec {} \"$@\"\n",
            real.trim()
        ),
    )
    .unwrap();
    std::fs::set_permissions(shim.join("git"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut c = env.cmd();
    c.env_remove("SALESPROC_DIR")
        .env(
            "PATH",
            format!("{}:{}", shim.display(), env.path_with_salesproc()),
        )
        .current_dir(&d)
        .args(["answer", "acme", "industry", "Retail"]);
    failed(
        crate::output(c, ""),
        "No space left on device",
        "the disk is full",
    );
    assert!(saved(&d));
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// An editor's git integration runs `git status` every 50 ms, each taking
/// `index.lock` for a moment: every write still gets its commit.
#[test]
fn writes_wait_for_a_busy_index_and_all_commit() {
    let env = Env::new();
    let d = deals(&env);
    let mut status = Command::new("sh");
    env.hermetic(&mut status);
    status
        .current_dir(&d)
        .args([
            "-c",
            "while :; do git status >/dev/null 2>&1; sleep 0.05; done",
        ])
        .stdout(Stdio::null());
    let _status = Killed(status.spawn().unwrap());
    for i in 0..60 {
        let r = run_in(
            &env,
            &d,
            &["answer", "acme", "company-size", &i.to_string()],
        )
        .ok();
        assert!(!r.stderr.contains("commit"), "write {i}: {}", r.stderr);
    }
    assert_eq!(
        git(&env, &d, &["log", "--format=%s"]).lines().count(),
        2 + 60
    );
    assert_eq!(git(&env, &d, &["status", "--porcelain"]), "");
}

/// `init` before git knows who you are: the files are committed by the next
/// write that succeeds, which names them, and `validate` lists them meanwhile.
#[test]
fn files_saved_but_not_committed_go_with_the_next_write() {
    let env = Env::new();
    std::fs::create_dir_all(env.path().join("deals")).unwrap();
    let d = env.path().join("deals");
    let mut c = anonymous(&env, &d);
    c.arg("init");
    let r = crate::output(c, "").code(1);
    assert!(r.stderr.contains("could not commit"), "{}", r.stderr);
    assert!(
        r.stderr.contains("git config --global user.email"),
        "{}",
        r.stderr
    );
    let v = run_in(&env, &d, &["validate"]);
    assert!(
        v.stderr.contains("saved but not committed: salesproc.yaml"),
        "{}",
        v.stderr
    );
    let r = run_in(&env, &d, &["add", "Acme"]).ok();
    assert!(r.stderr.contains("also committed"), "{}", r.stderr);
    let msg = git(&env, &d, &["log", "-1", "--format=%B"]);
    assert!(msg.starts_with("add acme\n"), "{msg}");
    assert!(msg.contains("salesproc.yaml"), "{msg}");
    assert_eq!(git(&env, &d, &["status", "--porcelain"]), "");
    git(&env, env.path(), &["clone", "-q", "deals", "kim"]);
    assert!(env.path().join("kim/salesproc.yaml").is_file());
    assert!(env.path().join("kim/checklists/process.yaml").is_file());
    let v = run_in(&env, &d, &["validate"]).ok();
    assert!(!v.stderr.contains("not committed"), "{}", v.stderr);
}

#[test]
fn a_failed_commit_is_made_up_by_the_next_write() {
    let env = Env::new();
    let d = deals(&env);
    let hook = d.join(".git/hooks/pre-commit");
    std::fs::write(&hook, "#!/bin/sh\nexit 1\n").unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    answer(&env, &d).code(1);
    std::fs::remove_file(&hook).unwrap();
    run_in(&env, &d, &["add", "Beta"]).ok();
    assert_eq!(git(&env, &d, &["status", "--porcelain"]), "");
    let files = git(&env, &d, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files, "prospects/acme.yaml\nprospects/beta.yaml\n");
}
