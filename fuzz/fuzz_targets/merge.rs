//! `merge-file`: base, ours and theirs (split by NUL bytes) that read as
//! records merge without a panic, and the merged record reads back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use salesproc::process::Process;
use std::sync::OnceLock;

fn process() -> &'static Process {
    static P: OnceLock<Process> = OnceLock::new();
    P.get_or_init(Process::builtin)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\0');
    let (Some(b), Some(o), Some(t)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let read = |s: &str| salesproc::yaml::record_from_str(s).ok();
    let (Some(b), Some(o), Some(t)) = (read(b), read(o), read(t)) else {
        return;
    };
    let mut merged = salesproc::merge::merge(&b, &o, &t, process());
    merged.record.canonicalize(process());
    let out = salesproc::merge::render(&merged).expect("a merge renders");
    if merged.conflicts.is_empty() && salesproc::yaml::check_limits(&out).is_ok() {
        salesproc::yaml::record_from_str(&out).expect("a merged record reads back");
    }
});

