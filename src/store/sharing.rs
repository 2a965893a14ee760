//! What sharing a pipeline folder needs: refusing writes during an unfinished
//! merge, committing what an earlier write could not, naming conflicts,
//! file modes that let colleagues in, and not mistaking a half set-up clone.

use super::{LOCK, Store, show};
use crate::git;
use anyhow::{Result, anyhow, bail};
use std::fs::{self, File};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// True for a folder that holds records (`prospects/` with a `.yaml` file or
/// the `.gitkeep` that `init` writes), the sign of a pipeline folder.
pub(super) fn holds_records(dir: &Path) -> bool {
    fs::read_dir(dir.join("prospects")).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let p = e.path();
            p.extension().is_some_and(|x| x == "yaml") || p.ends_with(".gitkeep")
        })
    })
}

pub(super) fn not_set_up(dir: &Path) -> anyhow::Error {
    crate::commands::UsageError(format!(
        "{} has prospects/ but no salesproc.yaml, so it is not a pipeline folder yet\nhint: run `salesproc init` there (in a clone, it was never committed), or pass --dir DIR for another folder",
        show(dir)
    ))
    .into()
}

/// The mode a write gives `path`: the file's own, or 0666 less the umask.
pub(super) fn permissions_for(path: &Path) -> fs::Permissions {
    let mode = match fs::metadata(path) {
        Ok(m) => m.permissions().mode() & 0o7777,
        Err(_) => 0o666 & !umask(),
    };
    fs::Permissions::from_mode(mode)
}

/// The process umask, read without unsafe code from `/proc` (Linux); 022 elsewhere.
fn umask() -> u32 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

/// Refuses a write while a git merge (or rebase…) is unfinished, and warns
/// once per run when this clone cannot merge records.
pub fn before_write(root: &Path) -> Result<()> {
    let Some(repo) = git::repo(root) else {
        return Ok(());
    };
    if let Some((op, how)) = repo.unfinished() {
        bail!(
            "a git {op} is unfinished in {}; nothing was changed: finish or abort the {op} first ({how})\nhint: `git status` lists the files in conflict; `salesproc edit ID` resolves a record",
            show(&repo.top)
        );
    }
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if let Some(problem) = git::merge_driver_problem(root)
        && !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed)
    {
        crate::output::warn(&problem);
    }
    Ok(())
}

/// Commits `paths` and whatever earlier writes saved but could not commit;
/// on failure remembers them all for the next write.
pub(super) fn commit_with_pending(
    repo: &git::Repo,
    root: &Path,
    paths: &[PathBuf],
    message: &str,
) -> Result<()> {
    let earlier: Vec<PathBuf> = repo
        .changed(&repo.pending())
        .into_iter()
        .filter(|p| !paths.contains(p))
        .collect();
    let mut all = paths.to_vec();
    all.extend(earlier.iter().cloned());
    let names: Vec<String> = earlier.iter().map(|p| show(p)).collect();
    let message = if earlier.is_empty() {
        message.to_string()
    } else {
        format!(
            "{message}\n\nAlso commits files saved earlier but not committed:\n{}",
            names.iter().map(|n| format!("  {n}\n")).collect::<String>()
        )
    };
    match git::commit_paths(root, &all, &message) {
        Ok(_) => {
            let _ = repo.set_pending(&[]);
            if !earlier.is_empty() {
                crate::output::status(&format!(
                    "also committed what was saved earlier but not committed: {}",
                    summarize(&earlier)
                ));
            }
            Ok(())
        }
        Err(e) => {
            let _ = repo.set_pending(&all);
            let saved = match paths {
                [one] => show(one),
                [_, _, _, _, ..] => format!("{} files", paths.len()),
                _ => paths.iter().map(|p| show(p)).collect::<Vec<_>>().join(", "),
            };
            let it = if paths.len() == 1 { "it" } else { "them" };
            bail!(
                "saved {saved}, but could not commit {it}:\n  {}\nhint: {}",
                e.reason.replace('\n', "\n  "),
                e.hint
            )
        }
    }
}

/// The `unresolved merge conflict` error for text with git's conflict markers.
pub(super) fn conflict_error(text: &str, path: &Path, id: &str) -> Option<anyhow::Error> {
    let blocks = crate::merge::conflict_blocks(text);
    (!blocks.is_empty()).then(|| {
        anyhow!(
            "unresolved merge conflict in {} ({})\nhint: resolve it with `salesproc edit {id}`: keep the lines you want and delete the marker lines (<<<<<<<, =======, >>>>>>>)",
            show(path),
            crate::merge::describe_blocks(&blocks)
        )
    })
}

impl Store {
    /// The write lock without `lock`'s checks: for `edit` resolving a record
    /// while the git merge that left it conflicted is unfinished.
    pub fn lock_to_resolve(&self) -> Result<File> {
        let path = self.root.join(LOCK);
        super::safety::refuse_outside(&self.root, &path)?;
        super::safety::acquire(&path)
    }
}

/// Files for a message: each by name, or `checklists/ (9 files)` for a folder
/// with several.
pub fn summarize(paths: &[PathBuf]) -> String {
    let mut parts: Vec<(String, usize)> = Vec::new();
    for p in paths {
        let name = show(p);
        let key = match name.split_once('/') {
            Some((dir, _))
                if paths
                    .iter()
                    .filter(|q| show(q).starts_with(&format!("{dir}/")))
                    .count()
                    > 2 =>
            {
                format!("{dir}/")
            }
            _ => name,
        };
        match parts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => parts.push((key, 1)),
        }
    }
    parts
        .into_iter()
        .map(|(k, n)| if n > 1 { format!("{k} ({n} files)") } else { k })
        .collect::<Vec<_>>()
        .join(", ")
}
