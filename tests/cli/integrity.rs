//! Issue 10's defects, each with the test that failed before its fix:
//! nothing written outside the folder, unreadable files named and skipped,
//! limits the write path shares with the read path, no hang on a FIFO,
//! a lock wait that speaks and gives up, no silently skipped files, escaped
//! terminal output, sentences instead of library wording, no pipeline made
//! by a typo, and stale temp files cleared.

use crate::{Env, Run, git, output};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs salesproc in `env`, killing it (and failing) after `secs`.
pub fn run_limited(env: &Env, args: &[&str], secs: u64, setup: impl FnOnce(&mut Command)) -> Run {
    let mut c = env.cmd();
    c.args(args);
    setup(&mut c);
    c.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("salesproc {args:?} hung (killed after {secs} s)");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

#[test]
fn a_symlinked_prospects_folder_is_never_written_through() {
    let env = Env::new();
    let outside = env.path().join("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("acme.yaml"),
        "name: Acme\nstage: research\nstatus: open\nhistory:\n- at: \"2026-11-20T10:00:00Z\"\n  event: created\n  step: research\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, env.pipe().join("prospects")).unwrap();
    let before = std::fs::read_to_string(outside.join("acme.yaml")).unwrap();
    for args in [
        vec!["add", "Beta"],
        vec!["answer", "acme", "industry", "Retail"],
        vec!["fmt"],
    ] {
        let r = env.run(&args).code(1);
        assert!(
            r.stderr.contains("refusing to write")
                && r.stderr.contains("outside the pipeline folder"),
            "{args:?}: {}",
            r.stderr
        );
    }
    assert_eq!(
        std::fs::read_to_string(outside.join("acme.yaml")).unwrap(),
        before
    );
    let left: Vec<_> = std::fs::read_dir(&outside).unwrap().flatten().collect();
    assert_eq!(left.len(), 1, "nothing new outside: {left:?}");
    // Reading through the link is fine.
    env.run(&["show", "acme"]).ok();
}

#[test]
fn a_record_file_linked_outside_is_read_but_not_written() {
    let env = Env::new();
    env.prospect("Acme", &[]);
    let outside = env.path().join("shared-acme.yaml");
    let rec = env.pipe().join("prospects/acme.yaml");
    std::fs::rename(&rec, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &rec).unwrap();
    let before = std::fs::read_to_string(&outside).unwrap();
    env.run(&["show", "acme"]).ok();
    let r = env.run(&["answer", "acme", "industry", "Retail"]).code(1);
    assert!(
        r.stderr
            .contains("refusing to write pipe/prospects/acme.yaml"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), before);
    // A link that stays inside the folder is replaced by a regular file on write.
    std::fs::remove_file(&rec).unwrap();
    std::fs::create_dir_all(env.pipe().join("archive")).unwrap();
    std::fs::rename(&outside, env.pipe().join("archive/acme.yaml")).unwrap();
    std::os::unix::fs::symlink("../archive/acme.yaml", &rec).unwrap();
    env.run(&["answer", "acme", "industry", "Retail"]).ok();
    assert!(!std::fs::symlink_metadata(&rec).unwrap().is_symlink());
    assert_eq!(
        env.read("pipe/archive/acme.yaml"),
        before,
        "the link's target is left as it was"
    );
}

#[test]
fn fmt_skips_each_unreadable_file_names_it_and_commits_the_rest() {
    let env = Env::new();
    git(&env, &env.pipe(), &["init", "-q"]);
    env.prospect("Alpha", &[]);
    env.file("pipe/prospects/bad-utf8.yaml", "name: A\n");
    let mut bytes = b"name: Caf".to_vec();
    bytes.push(0xe9);
    bytes.extend_from_slice(b"\nstage: research\n");
    std::fs::write(env.pipe().join("prospects/bad-utf8.yaml"), bytes).unwrap();
    std::fs::create_dir_all(env.pipe().join("prospects/folder.yaml")).unwrap();
    let hand = "status: open\nname: Zulu\nstage: research\nhistory:\n  - {at: '2026-11-20T10:00:00Z', event: created, step: research}\n";
    env.file("pipe/prospects/zulu.yaml", hand);
    let r = env.run(&["fmt", "--check"]).code(1);
    assert_eq!(r.stdout, "pipe/prospects/zulu.yaml\n");
    assert!(
        r.stderr
            .contains("pipe/prospects/bad-utf8.yaml:1:10: not UTF-8 text (byte 0xe9 at offset 9)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("pipe/prospects/folder.yaml is not a regular file"),
        "{}",
        r.stderr
    );
    let r = env.run(&["fmt"]).code(1);
    assert!(r.stderr.contains("bad-utf8.yaml"), "{}", r.stderr);
    assert!(r.stderr.contains("formatted 1 record(s)"), "{}", r.stderr);
    assert!(
        env.read("pipe/prospects/zulu.yaml")
            .starts_with("name: Zulu\n")
    );
    let log = git(
        &env,
        &env.pipe(),
        &["log", "--format=%s", "-1", "--", "prospects/zulu.yaml"],
    );
    assert_eq!(log.trim(), "fmt: 1 record(s)");
}

#[test]
fn a_record_with_years_of_history_still_reads_and_writes() {
    let env = Env::new();
    env.prospect("Acme", &[]);
    // Ten years of ten events a day (the old limit broke reads after about
    // 22,700 events).
    let mut text = env.read("pipe/prospects/acme.yaml");
    for n in 0..36_500u32 {
        let day = n / 10;
        let (y, d) = (2016 + day / 365, day % 365);
        let (m, dd) = (d / 28 % 12 + 1, d % 28 + 1);
        text.push_str(&format!(
            "- at: \"{y}-{m:02}-{dd:02}T10:{:02}:{:02}Z\"\n  by: sam\n  event: follow-up\n  action: Call\n",
            n % 10,
            n % 60
        ));
    }
    std::fs::write(env.pipe().join("prospects/acme.yaml"), text).unwrap();
    env.run(&["insight", "acme", "--for", "product", "Still here"])
        .ok();
    env.run(&["show", "acme", "--format", "json"]).ok();
}

#[test]
fn a_write_that_would_not_read_back_is_refused_and_changes_nothing() {
    let env = Env::new();
    env.prospect("Acme", &[]);
    // One answer just under the 16 MiB limit; one more insight crosses it.
    let mut text = env.read("pipe/prospects/acme.yaml");
    let room = 16 * 1024 * 1024 - text.len() - 200;
    text.push_str(&format!("notes: {}\n", "x".repeat(room)));
    std::fs::write(env.pipe().join("prospects/acme.yaml"), &text).unwrap();
    env.run(&["show", "acme", "--format", "json"]).ok();
    let r = env
        .run(&[
            "insight",
            "acme",
            "--for",
            "product",
            &"long insight ".repeat(40),
        ])
        .code(1);
    assert!(
        r.stderr
            .contains("not saved: the new text of pipe/prospects/acme.yaml would be too large"),
        "{}",
        r.stderr
    );
    assert_eq!(env.read("pipe/prospects/acme.yaml"), text);
}

#[test]
fn a_fifo_named_like_a_record_never_hangs_anything() {
    let env = Env::new();
    env.prospect("Acme", &[]);
    mkfifo(&env.pipe().join("prospects/pipe.yaml"));
    let r = run_limited(&env, &["validate"], 20, |_| {}).code(1);
    assert!(
        r.stdout
            .contains("pipe/prospects/pipe.yaml:0:0: not a regular file"),
        "{}",
        r.stdout
    );
    let r = run_limited(&env, &["fmt"], 20, |_| {}).code(1);
    assert!(
        r.stderr.contains("pipe.yaml is not a regular file"),
        "{}",
        r.stderr
    );
    run_limited(&env, &["fmt", "--check"], 20, |_| {}).code(1);
    run_limited(&env, &["list"], 20, |_| {}).code(1);
    // `add` of its name says what is in the way.
    let r = run_limited(&env, &["add", "Pipe"], 20, |_| {}).code(1);
    assert!(
        r.stderr.contains(
            "pipe/prospects/pipe.yaml is in the way of \"Pipe\": it is not a regular file"
        ),
        "{}",
        r.stderr
    );
    // An export names it too, and says so by its exit, as `list` does.
    let r = run_limited(&env, &["export"], 20, |_| {}).code(1);
    assert!(
        r.stderr.contains("pipe.yaml is not a regular file"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.lines().count() == 2, "{}", r.stdout);
    let r = run_limited(&env, &["show", "pipe"], 20, |_| {});
    assert_eq!(r.code, 2, "{}", r.stderr);
    run_limited(&env, &["show", "Acme"], 20, |_| {}).ok();
    run_limited(&env, &["answer", "Acme", "industry", "Retail"], 20, |_| {}).ok();
}

#[test]
fn a_lock_wait_says_so_after_a_second_and_gives_up_after_the_timeout() {
    let env = Env::new();
    env.prospect("Acme", &[]);
    let before = env.read("pipe/prospects/acme.yaml");
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(env.pipe().join(".salesproc.lock"))
        .unwrap();
    lock.lock().unwrap();
    let start = Instant::now();
    let r = run_limited(&env, &["insight", "acme", "--for", "sales", "x"], 20, |c| {
        c.env("SALESPROC_LOCK_TIMEOUT", "2");
    })
    .code(1);
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(10),
        "{took:?}"
    );
    assert!(
        r.stderr
            .contains("waiting for another salesproc to finish (lock held on pipe/.salesproc.lock"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("gave up after 2 s"), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was changed"), "{}", r.stderr);
    assert_eq!(env.read("pipe/prospects/acme.yaml"), before);
    // Released while waiting: the write goes through.
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        drop(lock);
    });
    let r = run_limited(
        &env,
        &["insight", "acme", "--for", "sales", "x"],
        20,
        |_| {},
    )
    .ok();
    release.join().unwrap();
    assert!(
        r.stderr.contains("waiting for another salesproc to finish"),
        "{}",
        r.stderr
    );
    assert!(env.read("pipe/prospects/acme.yaml").contains("text: x"));
}

#[test]
fn files_that_are_not_records_are_reported_with_the_name_to_use() {
    let env = Env::new();
    env.prospect("Acme", &[]);
    let acme = env.read("pipe/prospects/acme.yaml");
    env.file("pipe/prospects/Beta Corp.yaml", &acme);
    env.file("pipe/prospects/gamma.yml", &acme);
    let r = env.run(&["validate"]).code(1);
    assert!(
        r.stdout.contains("pipe/prospects/Beta Corp.yaml:1:1: \"Beta Corp\" is not a valid id\n  hint: rename the file to beta-corp.yaml"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("pipe/prospects/gamma.yml:1:1: record files end in .yaml, so this file is not read\n  hint: rename it to gamma.yaml"),
        "{}",
        r.stdout
    );
    for args in [vec!["list"], vec!["pipeline"]] {
        let r = env.run(&args).code(1);
        assert!(
            r.stderr.contains("gamma.yml is not read"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("Beta Corp.yaml is not read"),
            "{args:?}: {}",
            r.stderr
        );
    }
}

#[test]
fn control_characters_never_reach_the_terminal_raw() {
    let env = Env::new();
    let id = env.prospect("Evil", &[]);
    let path = env.pipe().join("prospects").join(format!("{id}.yaml"));
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("name: Evil", "name: \"Evil\\e]0;pwned\\a\\e[8m\\x01\"");
    std::fs::write(&path, text).unwrap();
    env.run(&["answer", &id, "industry", "Re\u{1b}[2Jtail"])
        .ok();
    env.run(&[
        "insight",
        &id,
        "--for",
        "product",
        "needs \u{1b}]8;;http://x\u{7}SSO",
    ])
    .ok();
    for args in [
        vec!["list"],
        vec!["show", &id],
        vec!["show", &id, "--format", "markdown"],
        vec!["list", "--format", "markdown"],
        vec!["list", "--format", "markdown", "--columns", "id,name"],
        vec!["log", &id],
        vec!["insights"],
        vec!["insights", "--format", "markdown"],
        vec!["pipeline"],
        vec!["personas"],
    ] {
        let r = env.run(&args);
        assert!(
            !r.stdout.contains('\u{1b}')
                && !r.stdout.contains('\u{7}')
                && !r.stdout.contains('\u{1}'),
            "{args:?}: {:?}",
            r.stdout
        );
        assert!(!r.stderr.contains('\u{1b}'), "{args:?}: {:?}", r.stderr);
    }
    assert!(
        env.run(&["list"])
            .ok()
            .stdout
            .contains("Evil\\x1b]0;pwned\\x07\\x1b[8m\\x01")
    );
    // Data formats keep the exact text.
    let json = env.run(&["list", "--format", "json"]).ok().stdout;
    assert!(json.contains("Evil\\u001b]0;pwned\\u0007"), "{json}");
    let csv = env.run(&["list", "--format", "csv"]).ok().stdout;
    assert!(csv.contains("Evil\u{1b}]0;pwned\u{7}"), "{csv:?}");
}

#[test]
fn a_mistyped_folder_is_a_usage_error_and_creates_nothing() {
    let env = Env::new();
    for args in [
        vec!["list"],
        vec!["add", "Acme"],
        vec!["fmt"],
        vec!["validate"],
    ] {
        let r = env
            .cmd_with(|c| {
                c.args(&args).env("SALESPROC_DIR", "typo");
            })
            .code(2);
        assert!(
            r.stderr
                .contains("no pipeline folder at typo (create one with salesproc init typo)"),
            "{args:?}: {}",
            r.stderr
        );
        let r = env.run(&[&["--dir", "typo"][..], &args].concat()).code(2);
        assert!(
            r.stderr.contains("no pipeline folder at typo"),
            "{}",
            r.stderr
        );
    }
    assert!(!env.path().join("typo").exists());
    // An existing folder that is not a pipeline folder is not one either.
    std::fs::create_dir_all(env.path().join("docs")).unwrap();
    env.run(&["--dir", "docs", "add", "Acme"]).code(2);
    assert!(!env.path().join("docs/prospects").exists());
    // A clone whose setup was never committed is told what it is.
    env.file("clone/prospects/acme.yaml", "name: Acme\n");
    let r = env.run(&["--dir", "clone", "list"]).code(2);
    assert!(
        r.stderr.contains("has prospects/ but no salesproc.yaml"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_per_user_default_folder_is_created_once_and_says_where() {
    let env = Env::new();
    let first = env.cmd_with(|c| {
        c.env_remove("SALESPROC_DIR").args(["add", "Acme"]);
    });
    let first = first.ok();
    assert!(
        first
            .stderr
            .contains("created pipeline folder home/.local/share/salesproc"),
        "{}",
        first.stderr
    );
    let again = env
        .cmd_with(|c| {
            c.env_remove("SALESPROC_DIR").args(["add", "Beta"]);
        })
        .ok();
    assert!(
        !again.stderr.contains("created pipeline folder"),
        "{}",
        again.stderr
    );
}

#[test]
fn stale_temp_files_are_removed_on_the_next_write() {
    let env = Env::new();
    env.prospect("Acme", &[]);
    let dir = env.pipe().join("prospects");
    let old = dir.join(".salesproc-killed.tmp");
    let fresh = dir.join(".salesproc-running.tmp");
    std::fs::write(&old, "half").unwrap();
    std::fs::write(&fresh, "half").unwrap();
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    env.run(&["list"]).ok();
    assert!(old.exists(), "reads remove nothing");
    env.run(&["answer", "acme", "industry", "Retail"]).ok();
    assert!(!old.exists());
    assert!(
        fresh.exists(),
        "a temp file under a minute old may be a live write's"
    );
}

#[test]
fn parse_errors_read_as_sentences_about_the_file() {
    let env = Env::new();
    env.file(
        "pipe/prospects/dup.yaml",
        "name: Dup\nstage: research\nstatus: open\nhistory: []\nstage: qualify\n",
    );
    let r = env.run(&["show", "dup"]).code(1);
    assert!(
        r.stderr.contains(
            "pipe/prospects/dup.yaml:5:1: duplicate key \"stage\" (line 5; first at line 2)"
        ),
        "{}",
        r.stderr
    );
    let r = output(
        {
            let mut c = env.cmd();
            c.arg("validate");
            c
        },
        "",
    );
    assert!(!r.stdout.contains("DuplicateKeyPolicy"), "{}", r.stdout);
}

/// A record made read-only (`chmod a-w`) is left as it is by every command
/// that writes records, with a hint; `fmt` names it and goes on; once
/// writable again it is written as usual.
#[test]
fn a_read_only_record_is_left_as_it_is() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.run(&["init", "--no-commit"]).ok();
    let id = env.prospect("Acme Corp", &[]);
    let other = env.prospect("Beta Ltd", &[]);
    let file = env.pipe().join(format!("prospects/{id}.yaml"));
    let mode =
        |m: u32| std::fs::set_permissions(&file, std::fs::Permissions::from_mode(m)).unwrap();
    mode(0o444);
    let before = std::fs::read_to_string(&file).unwrap();
    for args in [
        vec!["answer", id.as_str(), "research/industry", "Retail"],
        vec!["assign", id.as_str(), "kim"],
        vec!["decide", id.as_str(), "no", "--why", "no budget"],
    ] {
        let r = env.run(&args);
        assert_ne!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("is read-only"), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("chmod u+w pipe/prospects/{id}.yaml`")),
            "{}",
            r.stderr
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), before, "{args:?}");
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o444
        );
    }
    // fmt: the read-only record is named and not rewritten; the other is.
    std::fs::write(&file, format!("{before}\n\n")).unwrap_or_else(|_| {
        mode(0o644);
        std::fs::write(&file, format!("{before}\n\n")).unwrap();
        mode(0o444);
    });
    let other_file = env.pipe().join(format!("prospects/{other}.yaml"));
    let other_text = std::fs::read_to_string(&other_file).unwrap();
    std::fs::write(&other_file, format!("{other_text}\n\n")).unwrap();
    let r = env.run(&["fmt", "--no-commit"]);
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("is read-only"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&other_file).unwrap(), other_text);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        format!("{before}\n\n")
    );
    mode(0o644);
    env.run(&["answer", &id, "research/industry", "Retail"])
        .ok();
    assert!(std::fs::read_to_string(&file).unwrap().contains("Retail"));
}
