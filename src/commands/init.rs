//! `salesproc init [DIR] [--no-git]`

use super::{Ctx, Exit};
use crate::git;
use crate::output::status;
use crate::process::BUILTIN;
use crate::store::{self, MARKER, MARKER_TEXT, show, write_atomic};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// `.gitattributes`: records merge with salesproc's driver.
pub const GITATTRIBUTES: &str = "prospects/*.yaml merge=salesproc\n";
/// `.gitignore`: the writers' lock file and temp files.
pub const GITIGNORE: &str =
    ".salesproc.lock\n.salesproc-*.tmp\n.salesproc-edit-*\nprospects/.salesproc-*.tmp\n";

/// Creates a pipeline folder, or wires git in an existing clone; with a
/// methodology `pack`, writes it into `checklists/packs/` too.
pub fn run(ctx: &Ctx, dir: Option<PathBuf>, no_git: bool, pack: Option<&str>) -> Result<Exit> {
    // Only the DIR argument or the working directory: $SALESPROC_DIR names the
    // folder to use, not where a new one should go.
    let dir = match dir {
        Some(d) => d,
        None => std::env::current_dir().context("could not read the working directory")?,
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", show(&dir)))?;
    let existing = dir.join(MARKER).is_file();
    let mut written = Vec::new();
    if !existing {
        written = write_skeleton(&dir)?;
    }
    if let Some(name) = pack {
        written.extend(super::process::write_pack(&dir, name)?);
    }
    if no_git || !git::available() {
        report(&dir, existing, written.len(), "no git");
        return Ok(Exit::Success);
    }
    let fresh_repo = git::toplevel(&dir).is_none();
    if fresh_repo {
        git::init(&dir).map_err(|e| anyhow::anyhow!("git init failed in {}: {e}", show(&dir)))?;
    }
    wire_merge_driver(&dir)?;
    let git_note = if fresh_repo {
        "new git repository"
    } else {
        "git merge driver set up"
    };
    if !written.is_empty() {
        let store = store::Store::open_at(&dir, ctx.no_commit)?;
        if let Err(e) = store.commit(&written, "salesproc init") {
            report(&dir, existing, written.len(), git_note);
            return Err(e);
        }
    }
    report(&dir, existing, written.len(), git_note);
    Ok(Exit::Success)
}

fn report(dir: &Path, existing: bool, files: usize, git: &str) {
    let what = if existing {
        "pipeline folder already set up"
    } else {
        "created pipeline folder"
    };
    status(&format!(
        "{what} {} ({files} files written, {git})",
        show(dir)
    ));
}

fn write_skeleton(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<(PathBuf, String)> = vec![
        (dir.join(MARKER), MARKER_TEXT.to_string()),
        (dir.join(".gitattributes"), GITATTRIBUTES.to_string()),
        (dir.join(".gitignore"), GITIGNORE.to_string()),
        (dir.join("prospects/.gitkeep"), String::new()),
    ];
    for (name, text) in BUILTIN {
        files.push((dir.join("checklists").join(name), (*text).to_string()));
    }
    let mut written = Vec::new();
    for (path, text) in files {
        if !path.exists() {
            write_atomic(&path, &text)?;
            written.push(path);
        }
    }
    Ok(written)
}

/// Sets the local config that makes git merge records with `salesproc merge-file`
/// (git config is not cloned, so every clone runs `salesproc init` once). The
/// driver runs `salesproc` from PATH, never this binary's path, which a
/// rebuild elsewhere or `cargo clean` would break.
pub fn wire_merge_driver(dir: &Path) -> Result<()> {
    for (k, v) in [
        ("merge.salesproc.name", "salesproc prospect record merge"),
        ("merge.salesproc.driver", git::MERGE_DRIVER),
    ] {
        git::set_config(dir, k, v)
            .map_err(|e| anyhow::anyhow!("could not set git config {k}: {e}"))?;
    }
    if !git::program_found("salesproc") {
        crate::output::warn(
            "salesproc is not on PATH, so git cannot run its merge driver and merges of records will conflict\nhint: install salesproc on PATH (`cargo install --path .`, or copy the binary to ~/.local/bin)",
        );
    }
    Ok(())
}
