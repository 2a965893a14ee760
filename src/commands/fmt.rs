//! `salesproc fmt [--check]`: every record in canonical form.

use super::{Ctx, Exit};
use crate::output;
use crate::store::{parse_record, show, write_atomic};
use anyhow::Result;

/// Rewrites records canonically, or lists those that differ with `--check`.
pub fn run(ctx: &Ctx, check: bool) -> Result<Exit> {
    let store = ctx.store()?;
    let mut differ = Vec::new();
    let mut failed = 0usize;
    let _lock = if check { None } else { Some(store.lock()?) };
    for id in store.ids()? {
        let path = store.path_of(&id)?;
        let text = std::fs::read_to_string(&path)?;
        let mut record = match parse_record(&text, &path, &id) {
            Ok(r) => r,
            Err(e) => {
                output::error(&format!("{e:#}\nnot rewritten"));
                failed += 1;
                continue;
            }
        };
        let canonical = store.render(&mut record)?;
        if canonical != text {
            if !check {
                write_atomic(&path, &canonical)?;
            }
            differ.push(path);
        }
    }
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
    Ok(if failed > 0 || (check && !differ.is_empty()) {
        Exit::Failure
    } else {
        Exit::Success
    })
}
