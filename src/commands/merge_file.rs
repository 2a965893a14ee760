//! `salesproc merge-file BASE OURS THEIRS`: git's merge driver for records.

use super::{Ctx, Exit};
use crate::process::Process;
use crate::prospect::Record;
use crate::store::{MARKER, Store, show, write_atomic};
use crate::{merge, output, yaml};
use anyhow::{Context, Result};
use std::path::Path;
use std::process::Command;

/// Merges into OURS; exit 0 when clean, 1 with conflict markers otherwise.
pub fn run(_ctx: &Ctx, base: &Path, ours: &Path, theirs: &Path) -> Result<Exit> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).with_context(|| format!("could not read {}", show(p)))
    };
    let (bt, ot, tt) = (read(base)?, read(ours)?, read(theirs)?);
    let parse = |t: &str| -> Option<Record> {
        if t.trim().is_empty() {
            None
        } else {
            yaml::from_str(t).ok()
        }
    };
    let (b, o, t) = (parse(&bt), parse(&ot), parse(&tt));
    let (Some(o), Some(t)) = (o, t) else {
        output::warn("a side is not a readable record; falling back to a line merge");
        return text_merge(base, ours, theirs);
    };
    // A record added on both sides has no base (or an empty one): merge as if
    // it were empty, so where the sides differ the newer one wins, not theirs.
    let b = b.unwrap_or_else(empty_record);
    let p = process_here();
    let mut merged = merge::merge(&b, &o, &t, &p);
    merged.record.canonicalize(&p);
    write_atomic(ours, &merge::render(&merged)?)?;
    if merged.conflicts.is_empty() && merged.clash.is_none() {
        return Ok(Exit::Success);
    }
    if let Some(c) = &merged.clash {
        output::warn(&merge::describe_clash(c));
    }
    for c in &merged.conflicts {
        output::warn(&merge::describe(c));
    }
    Ok(Exit::Failure)
}

/// The process of the pipeline git runs us in (git starts drivers at the top of
/// the work tree), so the merged file is canonical; the built-in one otherwise.
fn process_here() -> Process {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            cwd.ancestors()
                .find(|d| d.join(MARKER).is_file())
                .map(Path::to_path_buf)
        })
        .and_then(|root| Store::open_at(&root, true).ok())
        .map(|s| s.process)
        .unwrap_or_else(Process::builtin)
}

/// A record with nothing in it: every field either side set differs from it.
fn empty_record() -> Record {
    Record {
        name: String::new(),
        contact: Default::default(),
        owner: None,
        stage: String::new(),
        status: crate::prospect::Status::Open,
        follow_up: None,
        value: None,
        close_date: None,
        answers: Default::default(),
        insights: Vec::new(),
        history: Vec::new(),
        extra: Default::default(),
    }
}

/// git's line merge into OURS; a clean result that is not a record is still a
/// conflict, so git never commits a file no command can read.
fn text_merge(base: &Path, ours: &Path, theirs: &Path) -> Result<Exit> {
    let status = Command::new("git")
        .args(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs"])
        .arg(ours)
        .arg(base)
        .arg(theirs)
        .status()
        .context("could not run git merge-file")?;
    if !status.success() {
        return Ok(Exit::Failure);
    }
    let text =
        std::fs::read_to_string(ours).with_context(|| format!("could not read {}", show(ours)))?;
    if let Err(e) = yaml::from_str::<Record>(&text) {
        output::warn(&format!(
            "the line merge is not a valid record ({}:{}: {}): marked as a conflict\nhint: fix the file by hand or with `salesproc edit`, then `git add` it",
            e.line, e.column, e.message
        ));
        return Ok(Exit::Failure);
    }
    Ok(Exit::Success)
}
