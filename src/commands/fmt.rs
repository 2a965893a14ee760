//! `salesproc fmt [--check] [FILE…]`: every record (or the named files) in
//! canonical form.

use super::{Ctx, Exit};
use crate::output;
use crate::store::{Store, parse_record, read_regular, show, write_atomic};
use anyhow::{Result, anyhow};
use std::path::{Path, PathBuf};

use crate::fixes;

/// Rewrites records canonically, or lists those that differ with `--check`.
/// An unreadable file is named and skipped; the others are still formatted,
/// what was written is committed, and the exit is 1. Named files are
/// formatted in place and not committed (a pre-commit hook is mid-commit).
pub fn run(ctx: &Ctx, check: bool, files: &[PathBuf]) -> Result<Exit> {
    if !files.is_empty() {
        return named(ctx, check, files);
    }
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
    // Records are formatted on every core, a chunk at a time; what each
    // found is reported in id order.
    let ids = &listing.ids;
    let threads = crate::parallel::threads();
    let chunks = crate::parallel::chunks(ids.len(), threads);
    let work = |r: &std::ops::Range<usize>, _: &mut ()| {
        r.clone()
            .map(|i| one(&store, &ids[i], check))
            .collect::<Vec<_>>()
    };
    crate::parallel::in_order(&chunks, threads, 1, work, |r, got| {
        let got = match got {
            Ok(g) => g,
            Err(p) => std::panic::resume_unwind(p),
        };
        bar.inc(r.len() as u64);
        for result in got {
            match result {
                Ok((differs, fixed)) => {
                    report_fixes(fixed);
                    differ.extend(differs);
                }
                Err(e) => {
                    output::error(&format!("{e:#}\nnot rewritten"));
                    failed += 1;
                }
            }
        }
    });
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

/// Formats the files named on the command line; `-` formats stdin to stdout.
fn named(ctx: &Ctx, check: bool, files: &[PathBuf]) -> Result<Exit> {
    let store = Store::open_at(&ctx.folder_for(files)?, true)?;
    let mut differ = Vec::new();
    let mut failed = 0usize;
    let writes = !check && files.iter().any(|f| f.as_os_str() != "-");
    let _lock = if writes { Some(store.lock()?) } else { None };
    for file in files {
        let result = if file.as_os_str() == "-" {
            stdin(&store, check).map(|same| (!same).then(|| file.clone()))
        } else {
            let id = file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("record");
            path(&store, file, id, check)
        };
        match result {
            Ok(Some(p)) => differ.push(p),
            Ok(None) => {}
            Err(e) => {
                output::error(&format!("{e:#}\nnot formatted"));
                failed += 1;
            }
        }
    }
    if check {
        output::print(
            &differ
                .iter()
                .map(|p| format!("{}\n", show(p)))
                .collect::<String>(),
        )?;
    } else if differ.iter().any(|p| p.as_os_str() != "-") {
        output::status(&format!("formatted {} file(s)", differ.len()));
    }
    Ok(if failed > 0 || (check && !differ.is_empty()) {
        Exit::Failure
    } else {
        Exit::Success
    })
}

/// A record on stdin: its canonical form to stdout (nothing with `check`).
/// True when it was canonical already.
fn stdin(store: &Store, check: bool) -> Result<bool> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
    let label = Path::new("-");
    let text = crate::yaml::decode(bytes)
        .map_err(|e| anyhow!("could not read -:{}:{}: {}", e.line, e.column, e.message))?;
    let mut record = parse_record(&text, label, "stdin")?;
    report_fixes(
        fixes::answer_types(&mut record, &text, &store.process)
            .into_iter()
            .map(|f| format!("-: {f}"))
            .collect(),
    );
    let canonical = store.render(&mut record)?;
    if !check {
        output::print(&canonical)?;
    }
    Ok(canonical == text)
}

/// Formats one record; the path when it differs (and, without `check`, was
/// rewritten), and what was repaired (for the caller to say, in order).
fn one(store: &Store, id: &str, check: bool) -> Result<(Option<PathBuf>, Vec<String>)> {
    repaired(store, &store.path_of(id)?, id, check)
}

/// Formats the record at `path`, saying what was repaired.
fn path(store: &Store, path: &Path, id: &str, check: bool) -> Result<Option<PathBuf>> {
    let (differs, fixed) = repaired(store, path, id, check)?;
    report_fixes(fixed);
    Ok(differs)
}

/// Formats the record at `path`: the path when it differs, and what was repaired.
fn repaired(
    store: &Store,
    path: &Path,
    id: &str,
    check: bool,
) -> Result<(Option<PathBuf>, Vec<String>)> {
    let path = path.to_path_buf();
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
    let fixed: Vec<String> = if check {
        fixes::answer_types(&mut record, &text, &store.process);
        Vec::new()
    } else {
        let file = show(&path);
        fixes::answer_types(&mut record, &text, &store.process)
            .into_iter()
            .map(|f| format!("{file}: {f}"))
            .collect()
    };
    let canonical = store.render_over(&mut record, &text)?;
    if canonical == text {
        return Ok((None, fixed));
    }
    if !check {
        store.check_write(&path, &canonical)?;
        write_atomic(&path, &canonical)?;
    }
    Ok((Some(path), fixed))
}

/// Says what was repaired, on stderr.
fn report_fixes(fixed: Vec<String>) {
    for f in fixed {
        output::status(&f);
    }
}
