//! Every file in `prospects/`: each record read from disk (never the index)
//! and checked on every core, a chunk at a time so memory stays bounded;
//! files that are not read as records are reported with what to do.

use super::FileProblem;
use crate::process::Process;
use crate::store::{self, read_regular, show};
use crate::{slug, validate, yaml};
use anyhow::{Result, anyhow};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Files checked per chunk (all cores share a chunk).
const CHUNK: usize = 1024;

/// A file in `prospects/` that looks like a record.
struct Entry {
    path: PathBuf,
    /// The file's name, which orders the entries (as bytes, like the paths).
    name: std::ffi::OsString,
    stem: String,
    yml: bool,
    regular: bool,
}

/// Checks every record file under `dir`, adding problems in path order, then
/// the problems with file names. Returns how many files were read.
pub(super) fn check_all(
    dir: &Path,
    process: &Process,
    problems: &mut Vec<FileProblem>,
) -> Result<usize> {
    let entries = list(dir)?;
    let readable: Vec<&Entry> = entries.iter().filter(|e| e.regular).collect();
    // Each file is opened by its name in the folder open once (the kernel
    // walks one name, not the whole path), into a buffer each checker keeps.
    let folder = if readable.is_empty() {
        None
    } else {
        Some(fs::File::open(dir).map_err(|e| anyhow!("could not list {}: {e}", show(dir)))?)
    };
    let bar = store::progress(readable.len());
    let chunks: Vec<&[&Entry]> = readable.chunks(CHUNK).collect();
    let check = |chunk: &&[&Entry], buffers: &mut Buffers| -> Vec<FileProblem> {
        let Some(folder) = &folder else {
            return Vec::new();
        };
        chunk
            .iter()
            .flat_map(|e| check_in(folder, e, buffers, process))
            .collect()
    };
    // Checkers hand their problems over in order; one that fails on a chunk
    // says so and goes on.
    crate::parallel::in_order(
        &chunks,
        crate::parallel::threads(),
        1,
        check,
        |chunk, found| {
            problems.extend(found.unwrap_or_else(|_| failed(dir)));
            bar.inc(chunk.len() as u64);
        },
    );
    bar.finish_and_clear();
    problems.extend(name_problems(&entries));
    Ok(readable.len())
}

/// What a checker keeps from one file to the next: the file's C name and
/// its bytes.
#[derive(Default)]
struct Buffers {
    name: Vec<u8>,
    bytes: Vec<u8>,
}

/// The problems of the file `e` in the folder open as `folder`.
fn check_in(
    folder: &fs::File,
    e: &Entry,
    buffers: &mut Buffers,
    process: &Process,
) -> Vec<FileProblem> {
    use std::os::unix::ffi::OsStrExt;
    buffers.name.clear();
    buffers.name.extend_from_slice(e.name.as_bytes());
    buffers.name.push(0);
    let Ok(name) = std::ffi::CStr::from_bytes_with_nul(&buffers.name) else {
        return check_file(&e.path, process);
    };
    match store::read_regular_into(folder, name, || e.path.clone(), &mut buffers.bytes) {
        Ok(_) => check_bytes(&e.path, &buffers.bytes, process),
        Err(err) => unreadable(&e.path, &err),
    }
}

/// What a checker thread that failed leaves in the report.
fn failed(dir: &Path) -> Vec<FileProblem> {
    vec![FileProblem {
        path: show(dir),
        line: 0,
        column: 0,
        message: "a checker thread failed; run validate again".into(),
    }]
}

/// Checks the files named on the command line (`-`: a record on stdin).
/// Settings and checklists among them were checked when the folder opened.
/// Returns how many files were checked.
pub(super) fn check_named(
    files: &[PathBuf],
    process: &Process,
    problems: &mut Vec<FileProblem>,
) -> Result<usize> {
    for file in files {
        if file.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
            problems.extend(check_bytes(file, &bytes, process));
            continue;
        }
        let settings = file.file_name().is_some_and(|n| n == store::MARKER)
            || file
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|d| d == "checklists");
        if !settings {
            problems.extend(check_file(file, process));
        }
    }
    Ok(files.len())
}

/// The problems of one file: unreadable, conflicted, or what `check_text` finds.
fn check_file(path: &Path, process: &Process) -> Vec<FileProblem> {
    match read_regular(path) {
        Ok(bytes) => check_bytes(path, &bytes, process),
        Err(e) => unreadable(path, &e),
    }
}

/// A file that could not be read, as a problem.
fn unreadable(path: &Path, e: &anyhow::Error) -> Vec<FileProblem> {
    let m = format!("{e:#}");
    let m = m
        .strip_prefix(&format!("could not read {}: ", show(path)))
        .unwrap_or(&m);
    vec![FileProblem {
        path: show(path),
        line: 0,
        column: 0,
        message: m.to_string(),
    }]
}

/// The problems of a record's bytes, read from `path`.
fn check_bytes(path: &Path, bytes: &[u8], process: &Process) -> Vec<FileProblem> {
    let at = |line, column, message| FileProblem {
        path: show(path),
        line,
        column,
        message,
    };
    let text = match yaml::decode_str(bytes) {
        Ok(t) => t,
        Err(e) => return vec![at(e.line, e.column, e.message)],
    };
    let blocks = crate::merge::conflict_blocks(text);
    if let Some(&(first, _)) = blocks.first() {
        let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or("ID");
        return vec![at(
            first as u64,
            1,
            format!(
                "unresolved merge conflict ({})\nhint: resolve it with `salesproc edit {id}`",
                crate::merge::describe_blocks(&blocks)
            ),
        )];
    }
    let (_, found) = validate::check_text(text, process, true);
    found
        .into_iter()
        .map(|p| FileProblem::new(path, p))
        .collect()
}

/// Every `*.yaml` and `*.yml` in `dir` but temp and hidden files, sorted.
fn list(dir: &Path) -> Result<Vec<Entry>> {
    let read = match fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(anyhow!("could not list {}: {e}", show(dir))),
    };
    let mut out = Vec::new();
    for entry in read.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let Some((stem, ext)) = name.rsplit_once('.') else {
            continue;
        };
        if ext != "yaml" && ext != "yml" {
            continue;
        }
        let path = entry.path();
        // A symlinked record is read when it leads to a regular file (the
        // folder's own entry says what the rest are, with no stat each).
        let regular = match entry.file_type() {
            Ok(t) if t.is_symlink() => fs::metadata(&path).is_ok_and(|m| m.is_file()),
            Ok(t) => t.is_file(),
            Err(_) => false,
        };
        out.push(Entry {
            name: entry.file_name(),
            stem: stem.to_string(),
            yml: ext == "yml",
            regular,
            path,
        });
    }
    // One folder: the file names order the paths.
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Files that are not read as records, and ids that differ only by case.
fn name_problems(entries: &[Entry]) -> Vec<FileProblem> {
    let at = |path: &Path, message: String| FileProblem {
        path: show(path),
        line: 1,
        column: 1,
        message,
    };
    let mut out = Vec::new();
    let mut by_lower: HashMap<String, Vec<&Path>> = HashMap::new();
    for e in entries {
        let to = format!("{}.yaml", slug::slugify(&e.stem));
        if !e.regular {
            out.push(FileProblem {
                line: 0,
                column: 0,
                ..at(
                    &e.path,
                    "not a regular file (a folder, pipe or device), so it is never read\nhint: move it out of prospects/; records are plain files".into(),
                )
            });
        } else if e.yml {
            out.push(at(
                &e.path,
                format!(
                    "record files end in .yaml, so this file is not read\nhint: rename it to {to}"
                ),
            ));
        } else if !slug::is_slug(&e.stem) {
            out.push(at(
                &e.path,
                format!(
                    "\"{}\" is not a valid id\nhint: rename the file to {to}",
                    e.stem
                ),
            ));
        }
        if e.regular && !e.yml {
            by_lower
                .entry(e.stem.to_lowercase())
                .or_default()
                .push(&e.path);
        }
    }
    let mut dups: Vec<_> = by_lower.into_iter().filter(|(_, v)| v.len() > 1).collect();
    dups.sort();
    for (id, paths) in dups {
        let names: Vec<String> = paths.iter().map(|p| show(p)).collect();
        for p in &paths {
            out.push(at(
                p,
                format!("duplicate id \"{id}\" by case: {}", names.join(", ")),
            ));
        }
    }
    out
}
