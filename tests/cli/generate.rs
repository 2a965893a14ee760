//! `examples/generate.rs`, the record generator of the benchmarks: its folder
//! validates, and the same seed gives the same bytes.
//!
//! `cargo test` builds the examples next to the binary; a run that did not
//! (`cargo test --test cli`) skips this with a note.

use crate::Env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn generator() -> Option<PathBuf> {
    let exe = crate::bin()
        .parent()?
        .join("examples")
        .join(format!("generate{}", std::env::consts::EXE_SUFFIX));
    exe.is_file().then_some(exe)
}

fn generate(exe: &Path, dir: &Path, count: &str, seed: &str) {
    let out = Command::new(exe)
        .args(["--count", count, "--seed", seed])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "generate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir.join("prospects"))
        .unwrap()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn generated_records_validate_and_repeat_byte_for_byte() {
    let Some(exe) = generator() else {
        eprintln!("skipped: the generate example is not built (run `cargo test`)");
        return;
    };
    let env = Env::new();
    // The harness marks the folder with an empty salesproc.yaml; the
    // generator writes its own marker only where there is none.
    std::fs::remove_file(env.pipe().join("salesproc.yaml")).unwrap();
    generate(&exe, &env.pipe(), "150", "7");
    let first = files(&env.pipe());
    assert_eq!(first.len(), 150);
    assert_eq!(
        env.read("pipe/salesproc.yaml"),
        salesproc::store::MARKER_TEXT
    );
    assert!(
        !env.pipe().join(".git").exists(),
        "the generator never commits"
    );
    let r = env.run(&["validate"]).ok();
    let said = format!("{}{}", r.stdout, r.stderr);
    assert!(said.contains("150 records are valid"), "{said}");

    let again = env.path().join("again");
    generate(&exe, &again, "150", "7");
    assert!(first == files(&again), "the same seed gives the same files");
    let other = env.path().join("other");
    generate(&exe, &other, "150", "8");
    assert!(first != files(&other), "another seed gives other records");

    // A real funnel: every status, several owners, nurture loops.
    let list = env.run(&["list", "--format", "json"]).ok().stdout;
    for status in ["open", "nurturing", "won", "lost"] {
        assert!(
            list.contains(&format!("\"status\": \"{status}\"")),
            "no {status} record"
        );
    }
    let all: String = first
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(all.contains("event: reopened"), "no nurture loop");
    assert!(all.contains("outcome: later"), "no later");
    let avg = all.len() / first.len();
    assert!((2_500..6_000).contains(&avg), "average record size {avg} B");
}
