//! The proofs of issue 10: concurrent writers lose nothing, and writes
//! killed with SIGKILL at random moments never tear a record.

use crate::git::run_in;
use crate::{Env, git};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A pipeline folder made by `init`, with git or without, holding `acme`.
fn folder(env: &Env, git: bool) -> PathBuf {
    let mut args = vec!["init", "deals"];
    if !git {
        args.push("--no-git");
    }
    env.run(&args).ok();
    let d = env.path().join("deals");
    run_in(env, &d, &["add", "Acme"]).ok();
    d
}

fn cmd_in(env: &Env, dir: &Path) -> Command {
    let mut c = env.cmd();
    c.env_remove("SALESPROC_DIR").current_dir(dir);
    c
}

/// No lock held, no git index.lock, no temp file.
fn nothing_left(dir: &Path) {
    let lock = std::fs::File::options()
        .write(true)
        .open(dir.join(".salesproc.lock"))
        .unwrap();
    lock.try_lock().expect("the folder lock is free");
    assert!(!dir.join(".git/index.lock").exists());
    for d in [dir.to_path_buf(), dir.join("prospects")] {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            assert!(!n.ends_with(".tmp"), "temp file left: {n}");
        }
    }
}

/// `writers` processes each adding `each` insights to one record at once.
fn concurrent(writers: usize, each: usize, with_git: bool) {
    let env = Env::new();
    let dir = folder(&env, with_git);
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let cmds: Vec<Command> = (0..each)
                .map(|i| {
                    let mut c = cmd_in(&env, &dir);
                    c.args(["insight", "acme", "--for", "product", &format!("w{w}-{i}")])
                        .stdin(Stdio::null())
                        .stdout(Stdio::null())
                        .stderr(Stdio::piped());
                    c
                })
                .collect();
            std::thread::spawn(move || {
                for mut c in cmds {
                    let out = c.output().unwrap();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let text = std::fs::read_to_string(dir.join("prospects/acme.yaml")).unwrap();
    let record = salesproc::yaml::record_from_str(&text).unwrap();
    let kept = (0..writers)
        .flat_map(|w| (0..each).map(move |i| format!("w{w}-{i}")))
        .filter(|t| record.insights.iter().any(|i| &i.text == t))
        .count();
    assert_eq!(kept, writers * each, "insights kept out of attempted");
    assert_eq!(record.insights.len(), writers * each);
    if with_git {
        let log = git(
            &env,
            &dir,
            &["log", "--format=%s", "--", "prospects/acme.yaml"],
        );
        assert_eq!(
            log.lines().count(),
            writers * each + 1,
            "one commit per write and the add"
        );
        git(&env, &dir, &["fsck", "--no-progress"]);
        assert_eq!(git(&env, &dir, &["status", "--porcelain"]), "");
    }
    nothing_left(&dir);
}

#[test]
fn two_writers_times_fifty_lose_nothing_with_git() {
    concurrent(2, 50, true);
}

#[test]
fn eight_writers_times_twenty_lose_nothing_with_git() {
    concurrent(8, 20, true);
}

#[test]
fn two_writers_times_fifty_lose_nothing_without_git() {
    concurrent(2, 50, false);
}

#[test]
fn eight_writers_times_twenty_lose_nothing_without_git() {
    concurrent(8, 20, false);
}

/// A small deterministic generator, so a failing run can be repeated.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// How many writes the crash proof kills.
pub const KILLS: usize = 200;

#[test]
fn writes_killed_at_random_moments_never_tear_a_record() {
    let env = Env::new();
    let dir = folder(&env, true);
    let path = dir.join("prospects/acme.yaml");
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    // Kill anywhere in a whole write (start-up, read, rename, git commit).
    let start = std::time::Instant::now();
    run_in(&env, &dir, &["insight", "acme", "--for", "sales", "timing"]).ok();
    let span = start.elapsed().as_micros() as u64 * 11 / 10;
    let (mut killed, mut finished, mut in_commit) = (0usize, 0usize, 0usize);
    while killed < KILLS {
        let i = killed + finished;
        let mut c = cmd_in(&env, &dir);
        c.args(["insight", "acme", "--for", "sales", &format!("kill {i}")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut child = c.spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(span)));
        let was_killed = if child.try_wait().unwrap().is_some() {
            finished += 1;
            false
        } else {
            child.kill().unwrap();
            child.wait().unwrap();
            killed += 1;
            true
        };
        let text = std::fs::read_to_string(&path).unwrap();
        // Saved but killed before its commit finished.
        if was_killed && text.contains(&format!("kill {i}\n")) {
            in_commit += 1;
        }
        assert!(!text.is_empty(), "empty record after kill {i}");
        if let Err(e) = salesproc::yaml::record_from_str(&text) {
            panic!("torn record after kill {i}: {e}\n{text}");
        }
    }
    eprintln!(
        "crash proof: {killed} writes killed ({in_commit} after the rename, in the commit), {finished} finished first"
    );
    assert!(in_commit > 0, "some kills land in the git commit");
    // The next write commits, or explains git's stale index.lock.
    let r = run_in(&env, &dir, &["insight", "acme", "--for", "sales", "after"]);
    if r.code != 0 {
        assert!(
            r.stderr.contains("index.lock") && r.stderr.contains("hint:"),
            "{}",
            r.stderr
        );
        std::fs::remove_file(dir.join(".git/index.lock")).unwrap();
        run_in(
            &env,
            &dir,
            &["insight", "acme", "--for", "sales", "after the fix"],
        )
        .ok();
    }
    run_in(&env, &dir, &["validate"]).ok();
    git(&env, &dir, &["fsck", "--no-progress"]);
    assert_eq!(git(&env, &dir, &["status", "--porcelain", "prospects"]), "");
    assert!(!dir.join(".git/index.lock").exists());
}
