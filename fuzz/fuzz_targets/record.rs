//! Record parsing: the reader and `validate`'s checks never panic, and a
//! record that reads back writes canonically and reads again.
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
        let _ = salesproc::yaml::decode(data.to_vec());
        return;
    };
    if let Ok(mut record) = salesproc::yaml::record_from_str(text) {
        record.canonicalize(process());
        let written = salesproc::yaml::to_string(&record).expect("a record serializes");
        // What salesproc writes, it reads back (or refuses to write).
        if salesproc::yaml::check_limits(&written).is_ok() {
            salesproc::yaml::record_from_str(&written).expect("a written record reads back");
        }
    }
    let _ = salesproc::validate::check_text(text, process(), true);
});
