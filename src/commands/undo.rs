//! `salesproc undo [ID]`: revert the last change salesproc made (to one
//! record). In git, a new commit that puts back the files of the last
//! commit touching `prospects/` (that record only, with an id); without git,
//! the per-folder journal (`journal.rs`).

use super::{Ctx, Exit, UsageError, resolve};
use crate::store::{Store, show, write_atomic};
use crate::{git, journal, output};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Reverts the last change, all of it or to one record.
pub fn run(ctx: &Ctx, spec: Option<String>) -> Result<Exit> {
    let store = ctx.store()?;
    let id = match spec.as_deref() {
        Some(s) => Some(resolve(&store, s).or_else(|e| {
            // A record that the last change created and undo removed is
            // still a valid target in the journal: fall back to the slug.
            let slug = crate::slug::slugify(s);
            if slug.is_empty() { Err(e) } else { Ok(slug) }
        })?),
        None => None,
    };
    let _lock = store.lock()?;
    if store.commit && git::repo(&store.root).is_some() {
        with_git(&store, id.as_deref())
    } else {
        with_journal(&store, id.as_deref())
    }
}

fn git_in(root: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .context("could not run git")?;
    if !out.status.success() {
        bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn with_git(store: &Store, id: Option<&str>) -> Result<Exit> {
    let root = &store.root;
    let spec = match id {
        Some(id) => format!("prospects/{id}.yaml"),
        None => "prospects/".to_string(),
    };
    let head = git_in(root, &["log", "-1", "--format=%H%x00%P%x00%s", "--", &spec])?;
    let mut parts = head.trim_end().splitn(3, '\0');
    let (hash, parent, subject) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    if hash.is_empty() || parent.is_empty() || parent.contains(' ') {
        return Err(UsageError(format!(
            "nothing to undo{}\nhint: `git log -- prospects/` shows the history",
            id.map(|i| format!(" for {i}")).unwrap_or_default()
        ))
        .into());
    }
    let files = git_in(
        root,
        &[
            "diff-tree",
            "--no-commit-id",
            "--name-only",
            "-r",
            "--relative",
            hash,
            "--",
            &spec,
        ],
    )?;
    let files: Vec<&str> = files.lines().filter(|l| !l.is_empty()).collect();
    let dirty = git_in(root, &["status", "--porcelain", "--"])?;
    let dirty: Vec<&str> = files
        .iter()
        .copied()
        .filter(|f| {
            dirty
                .lines()
                .any(|l| l.get(3..) == Some(*f) || l.ends_with(*f))
        })
        .collect();
    if !dirty.is_empty() {
        bail!(
            "{} has changes that are not committed; undo would lose them\nhint: commit them or `git restore` them first",
            dirty.join(", ")
        );
    }
    let mut paths: Vec<PathBuf> = Vec::new();
    for f in &files {
        let path = root.join(f);
        match git_in(root, &["show", &format!("{parent}:./{f}")]) {
            Ok(text) => write_atomic(&path, &text)?,
            Err(_) => {
                if path.exists() {
                    std::fs::remove_file(&path)
                        .with_context(|| format!("could not remove {}", show(&path)))?;
                }
            }
        }
        paths.push(path);
    }
    store.commit(&paths, &format!("undo: {subject}"))?;
    output::status(&format!(
        "undone: {subject}\nhint: `salesproc undo` again redoes it; `git log` shows both"
    ));
    Ok(Exit::Success)
}

fn with_journal(store: &Store, id: Option<&str>) -> Result<Exit> {
    let Some(entry) = journal::last(&store.root, id)? else {
        return Err(UsageError(format!(
            "nothing to undo{}: no change is in this folder's journal\nhint: salesproc keeps its last 50 changes in .salesproc/journal/",
            id.map(|i| format!(" for {i}")).unwrap_or_default()
        ))
        .into());
    };
    let path = store.path_of(&entry.id)?;
    match &entry.before {
        Some(text) => {
            store.check_write(&path, text)?;
            write_atomic(&path, text)?;
            output::status(&format!("undone the last change to {}", entry.id));
        }
        None => {
            if path.exists() {
                std::fs::remove_file(&path)
                    .with_context(|| format!("could not remove {}", show(&path)))?;
            }
            output::status(&format!(
                "undone: removed {}, which the last change added",
                entry.id
            ));
        }
    }
    std::fs::remove_file(&entry.path).ok();
    Ok(Exit::Success)
}
