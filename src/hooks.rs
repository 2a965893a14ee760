//! Hooks for integrations, like taskwarrior's: executables in
//! `.salesproc/hooks/` run after a record is written, with the event and the
//! record as JSON on stdin.
//!
//! - `on-change`: after every write (a new record, an answer, a decision…).
//! - `on-decide`: after a write that recorded a decision.
//!
//! A hook runs in the pipeline folder after the write (and its commit), while
//! the folder is still locked, so it must not write records with salesproc
//! itself. What it prints goes to stderr (stdout is the command's data). A
//! hook that fails or cannot start is a warning: the write is never undone.

use crate::output;
use crate::prospect::{Event, Record, events};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The folder of hooks in a pipeline folder.
pub fn dir(root: &Path) -> PathBuf {
    root.join(crate::index::DIR).join("hooks")
}

/// What a hook reads on stdin.
#[derive(Debug, Serialize)]
pub struct Payload<'a> {
    /// `on-change` or `on-decide`.
    pub hook: &'a str,
    /// The record's id.
    pub id: &'a str,
    /// The record's file, relative to the pipeline folder.
    pub path: String,
    /// The last event this write added (`null` for a write without one).
    pub event: Option<&'a Event>,
    /// Every event this write added, oldest first.
    pub events: &'a [Event],
    /// The whole record as written.
    pub record: &'a Record,
}

/// Runs the hooks after a new record was written.
pub fn after_create(root: &Path, id: &str, record: &Record) {
    after(root, id, record, 0);
}

/// Runs the hooks after `record` replaced the text `old` on disk.
pub fn after_update(root: &Path, id: &str, old: &str, record: &Record) {
    if !dir(root).is_dir() {
        return;
    }
    let before =
        crate::yaml::record_from_str(old).map_or(record.history.len(), |r| r.history.len());
    after(root, id, record, before);
}

/// Runs each hook that applies to the events from `first` on.
fn after(root: &Path, id: &str, record: &Record, first: usize) {
    let hooks = dir(root);
    if !hooks.is_dir() {
        return;
    }
    let added = record.history.get(first..).unwrap_or(&[]);
    let decided = added.iter().any(|e| e.event == events::DECIDED);
    for name in ["on-change", "on-decide"] {
        if name == "on-decide" && !decided {
            continue;
        }
        let exe = hooks.join(name);
        if !exe.exists() {
            continue;
        }
        let payload = Payload {
            hook: name,
            id,
            path: format!("prospects/{id}.yaml"),
            event: added.last(),
            events: added,
            record,
        };
        if let Err(why) = run(root, &exe, &payload) {
            output::warn(&format!(
                "hook {name} for {id}: {why}\nhint: the change is saved; fix or remove {}",
                crate::store::show(&exe)
            ));
        }
    }
}

/// Runs one hook, its output to stderr; the reason when it failed.
fn run(root: &Path, exe: &Path, payload: &Payload) -> Result<(), String> {
    if !is_executable(exe) {
        return Err("not executable (chmod +x it)".into());
    }
    let json = serde_json::to_vec(payload).map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .current_dir(root)
        .env("SALESPROC_HOOK", payload.hook)
        .env("SALESPROC_ID", payload.id)
        .env("SALESPROC_DIR", root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input is fine.
        let _ = stdin.write_all(&json);
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(&out.stdout);
    let _ = err.write_all(&out.stderr);
    if out.status.success() {
        Ok(())
    } else {
        Err(match out.status.code() {
            Some(c) => format!("failed (exit {c})"),
            None => "killed by a signal".into(),
        })
    }
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
