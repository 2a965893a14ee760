//! `salesproc fmt [--check]`: every record in canonical form.

use super::{Ctx, Exit};
use crate::output;
use crate::store::{Store, parse_record, read_regular, show, write_atomic};
use anyhow::{Result, anyhow};
use std::path::PathBuf;

/// Rewrites records canonically, or lists those that differ with `--check`.
/// An unreadable file is named and skipped; the others are still formatted,
/// what was written is committed, and the exit is 1.
pub fn run(ctx: &Ctx, check: bool) -> Result<Exit> {
    let store = ctx.store()?;
    let mut differ = Vec::new();
    let _lock = if check { None } else { Some(store.lock()?) };
    let listing = store.listing()?;
    // Non-regular files (a FIFO would block a read forever), `.yml` and
    // names that are not ids are never opened.
    let mut failed = listing.problems.len();
    for e in &listing.problems {
        output::error(&format!("{e:#}\nnot formatted"));
    }
    let bar = crate::store::progress(listing.ids.len());
    for id in listing.ids {
        bar.inc(1);
        match one(&store, &id, check) {
            Ok(Some(path)) => differ.push(path),
            Ok(None) => {}
            Err(e) => {
                output::error(&format!("{e:#}\nnot rewritten"));
                failed += 1;
            }
        }
    }
    bar.finish_and_clear();
    if check {
        output::print(
            &differ
                .iter()
                .map(|p| format!("{}\n", show(p)))
                .collect::<String>(),
        )?;
    } else if !differ.is_empty() {
        output::status(&format!("formatted {} record(s)", differ.len()));
        store.commit(&differ, &format!("fmt: {} record(s)", differ.len()))?;
    }
    if failed > 0 {
        output::status(&format!("{failed} file(s) could not be formatted"));
    }
    Ok(if failed > 0 || (check && !differ.is_empty()) {
        Exit::Failure
    } else {
        Exit::Success
    })
}

/// Formats one record; the path when it differs (and, without `check`, was rewritten).
fn one(store: &Store, id: &str, check: bool) -> Result<Option<PathBuf>> {
    let path = store.path_of(id)?;
    let bytes = read_regular(&path)?;
    let text = crate::yaml::decode(bytes).map_err(|e| {
        anyhow!(
            "could not read {}:{}:{}: {}",
            show(&path),
            e.line,
            e.column,
            e.message
        )
    })?;
    let mut record = parse_record(&text, &path, id)?;
    let canonical = store.render_over(&mut record, &text)?;
    if canonical == text {
        return Ok(None);
    }
    if !check {
        store.check_write(&path, &canonical)?;
        write_atomic(&path, &canonical)?;
    }
    Ok(Some(path))
}
