//! The hostile corpus (`tests/fixtures/hostile/`, plus kinds made here: a
//! 50 MB file, a huge history, a FIFO, a folder, bad names, a symlinked
//! `prospects/`): each kind gives a clear error naming the file (with line
//! and column where they apply), never a panic, never a rewrite, never a hang.

use crate::Env;
use crate::integrity::run_limited;
use std::path::Path;

/// Seconds any one run may take before it counts as a hang.
const HANG: u64 = 60;

/// A fixture and what `validate` says about it; `true` when the message
/// carries a line and column.
const STATIC: &[(&str, &str, bool)] = &[
    ("tabs", "a tab character where YAML needs spaces", true),
    (
        "duplicate-keys",
        "duplicate key \"stage\" (line 4; first at line 2)",
        true,
    ),
    (
        "wrong-types",
        "\"name\" must be text, not a list or mapping",
        true,
    ),
    (
        "impossible-dates",
        "follow-up date \"2026-02-30\" is not a date",
        true,
    ),
    ("unknown-stage", "unknown stage \"scoping\"", true),
    ("unknown-status", "unknown status \"opne\"", true),
    (
        "invalid-utf8",
        "not UTF-8 text (byte 0xe9 at offset 9)",
        true,
    ),
    ("nul", "a control character (U+0000)", true),
    ("empty", "the file is empty", true),
    (
        "alias-bomb",
        "aliases (*name) that expand to too many values",
        true,
    ),
    ("deep-nesting", "too deeply nested (over 64 levels)", true),
    (
        "conflict-markers",
        "unresolved merge conflict (lines 2-6)",
        true,
    ),
    ("multiple-documents", "more than one YAML document", true),
    ("recursive-alias", "refers back to its own anchor", true),
    (
        "not-a-mapping",
        "must be a mapping of `key: value` lines",
        true,
    ),
    ("missing-name", "missing key \"name\"", true),
    ("null-name", "\"name\" has no value", true),
];

/// Kinds that parse as records: only `validate` reports them.
const SEMANTIC: &[&str] = &["impossible-dates", "unknown-stage"];

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/hostile")
            .join(format!("{name}.yaml")),
    )
    .unwrap()
}

/// No panic (exit 101 or the word), whatever the exit.
#[track_caller]
fn no_panic(r: &crate::Run, what: &str) {
    assert_ne!(r.code, 101, "{what}: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{what}: {}", r.stderr);
}

/// Every command on a folder holding one hostile file: validate names it
/// (with `expect`), reads warn about it, writes refuse it, and its bytes
/// stay as they were.
fn hostile(env: &Env, file: &str, expect: &str, line_col: bool) {
    let path = env.pipe().join("prospects").join(file);
    let before = std::fs::symlink_metadata(&path)
        .ok()
        .filter(|m| m.is_file())
        .map(|_| std::fs::read(&path).unwrap());
    let r = run_limited(env, &["validate"], HANG, |_| {});
    no_panic(&r, file);
    assert_eq!(r.code, 1, "{file}: {}{}", r.stdout, r.stderr);
    let shown = format!("pipe/prospects/{file}:");
    let line = r
        .stdout
        .lines()
        .find(|l| l.starts_with(&shown))
        .unwrap_or_else(|| panic!("{file}: {}", r.stdout));
    assert!(r.stdout.contains(expect), "{file}: {}", r.stdout);
    if line_col {
        let at = &line[shown.len()..];
        assert!(
            !at.starts_with("0:0:"),
            "{file}: no line and column: {line}"
        );
    }
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    // Records that parse but break the process's rules (an impossible date,
    // an unknown stage) are read; `validate` is where they show.
    let parses = SEMANTIC.contains(&stem);
    let runs: &[&[&str]] = if parses {
        &[&["list"], &["show", stem], &["fmt", "--check"]]
    } else {
        &[
            &["list"],
            &["pipeline"],
            &["show", stem],
            &["fmt", "--check"],
            &["fmt"],
            &["answer", stem, "industry", "Retail"],
            &["insight", stem, "--for", "sales", "x"],
        ]
    };
    for args in runs {
        let r = run_limited(env, args, HANG, |_| {});
        no_panic(&r, file);
        if !parses {
            assert_ne!(r.code, 0, "{file} {args:?}: {}", r.stderr);
            assert!(
                r.stderr.contains(file) || r.stderr.contains(stem),
                "{file} {args:?}: {}",
                r.stderr
            );
        }
    }
    if let Some(before) = before {
        assert!(
            std::fs::read(&path).unwrap() == before,
            "{file} was rewritten"
        );
    }
}

/// The static kinds from `from` on, every `step`th (so tests share the work).
fn static_kinds(from: usize, step: usize) {
    for (name, expect, line_col) in STATIC.iter().skip(from).step_by(step) {
        let env = Env::new();
        let file = format!("{name}.yaml");
        std::fs::create_dir_all(env.pipe().join("prospects")).unwrap();
        std::fs::write(env.pipe().join("prospects").join(&file), fixture(name)).unwrap();
        hostile(&env, &file, expect, *line_col);
    }
}

#[test]
fn static_kinds_are_named_never_panic_never_rewritten_1() {
    static_kinds(0, 3);
}

#[test]
fn static_kinds_are_named_never_panic_never_rewritten_2() {
    static_kinds(1, 3);
}

#[test]
fn static_kinds_are_named_never_panic_never_rewritten_3() {
    static_kinds(2, 3);
}

#[test]
fn a_50_mb_file_and_a_huge_history_are_refused_quickly() {
    let env = Env::new();
    std::fs::create_dir_all(env.pipe().join("prospects")).unwrap();
    let mut big = b"name: Big\nnotes: ".to_vec();
    big.resize(50 * 1024 * 1024, b'x');
    big.push(b'\n');
    std::fs::write(env.pipe().join("prospects/big.yaml"), &big).unwrap();
    hostile(&env, "big.yaml", "too large", false);

    let env = Env::new();
    let mut text = String::from_utf8(fixture("valid")).unwrap();
    while text.len() <= 17 * 1024 * 1024 {
        text.push_str("- at: \"2026-11-21T10:00:00Z\"\n  by: sam\n  event: follow-up\n  action: Call again about the pilot\n");
    }
    env.file("pipe/prospects/huge-history.yaml", &text);
    hostile(&env, "huge-history.yaml", "too large", false);
}

#[test]
fn files_that_are_not_records_are_named_and_never_opened() {
    let valid = fixture("valid");
    let env = Env::new();
    std::fs::create_dir_all(env.pipe().join("prospects")).unwrap();
    let ok = Command::new("mkfifo")
        .arg(env.pipe().join("prospects/fifo.yaml"))
        .status()
        .unwrap();
    assert!(ok.success());
    hostile(&env, "fifo.yaml", "not a regular file", false);

    let env = Env::new();
    std::fs::create_dir_all(env.pipe().join("prospects/folder.yaml")).unwrap();
    hostile(&env, "folder.yaml", "not a regular file", false);

    let env = Env::new();
    std::fs::create_dir_all(env.pipe().join("prospects")).unwrap();
    std::fs::write(env.pipe().join("prospects/Acme Corp.yaml"), &valid).unwrap();
    hostile(
        &env,
        "Acme Corp.yaml",
        "hint: rename the file to acme-corp.yaml",
        false,
    );

    let env = Env::new();
    std::fs::create_dir_all(env.pipe().join("prospects")).unwrap();
    std::fs::write(env.pipe().join("prospects/acme.yml"), &valid).unwrap();
    hostile(&env, "acme.yml", "hint: rename it to acme.yaml", false);
}

use std::process::Command;

#[test]
fn a_symlinked_prospects_folder_is_read_but_never_written() {
    let env = Env::new();
    let outside = env.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("valid.yaml"), fixture("valid")).unwrap();
    std::os::unix::fs::symlink(&outside, env.pipe().join("prospects")).unwrap();
    run_limited(&env, &["validate"], HANG, |_| {}).ok();
    run_limited(&env, &["show", "valid"], HANG, |_| {}).ok();
    for args in [
        vec!["fmt"],
        vec!["answer", "valid", "industry", "Retail"],
        vec!["add", "New"],
    ] {
        let r = run_limited(&env, &args, HANG, |_| {});
        no_panic(&r, "symlinked prospects/");
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("outside the pipeline folder"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(
        std::fs::read(outside.join("valid.yaml")).unwrap(),
        fixture("valid")
    );
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 1);
}

#[test]
fn escape_sequences_in_a_valid_record_are_shown_escaped() {
    let env = Env::new();
    std::fs::create_dir_all(env.pipe().join("prospects")).unwrap();
    std::fs::write(
        env.pipe().join("prospects/evil.yaml"),
        fixture("escape-sequences"),
    )
    .unwrap();
    for args in [
        vec!["validate"],
        vec!["list"],
        vec!["show", "evil"],
        vec!["log", "evil"],
        vec!["pipeline"],
    ] {
        let r = run_limited(&env, &args, HANG, |_| {}).ok();
        assert!(
            !r.stdout.contains('\u{1b}') && !r.stderr.contains('\u{1b}'),
            "{args:?}: {:?}",
            r.stdout
        );
    }
    assert!(
        env.run(&["list"])
            .stdout
            .contains("Evil\\x1b]0;pwned\\x07\\x1b[8mhidden")
    );
}

/// How many kinds the corpus holds (for the closing note).
#[test]
fn the_corpus_has_at_least_twenty_kinds() {
    // Static kinds, then: 50 MB, huge history, FIFO, folder, non-id name,
    // .yml, symlinked prospects/, escape sequences.
    assert!(STATIC.len() + 8 >= 20, "{}", STATIC.len() + 8);
}
