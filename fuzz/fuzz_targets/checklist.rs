//! Checklist and process parsing: a folder's `checklists/` with one file
//! replaced by the input loads or fails with an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// A scratch `checklists/` folder per fuzzing process.
fn dir() -> &'static PathBuf {
    static D: OnceLock<PathBuf> = OnceLock::new();
    D.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("salesproc-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    })
}

const FILES: [&str; 3] = ["process.yaml", "qualify.yaml", "research.yaml"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let file = FILES[usize::from(pick) % FILES.len()];
    let d = dir();
    for f in FILES {
        let _ = std::fs::remove_file(d.join(f));
    }
    std::fs::write(d.join(file), rest).unwrap();
    let _ = salesproc::process::Process::load(Some(d));
});
