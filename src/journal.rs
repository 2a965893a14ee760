//! The per-folder journal of the last changes, `.salesproc/journal/`, so
//! `salesproc undo` works without git: before each write the store notes
//! the record's previous text (or that it did not exist). Per clone, never
//! committed; the last `KEEP` changes are kept.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

const DIR: &str = ".salesproc/journal";
const KEEP: usize = 50;
/// The suffix of an entry for a record that did not exist before.
const CREATED: &str = ".created";

/// One change that can be undone.
#[derive(Debug)]
pub struct Entry {
    pub path: PathBuf,
    pub id: String,
    /// The record's text before the change; `None` when the change created it.
    pub before: Option<String>,
}

/// Notes the text of `id` before a change. Best effort: a journal that
/// cannot be written never stops a write.
pub fn note(root: &Path, id: &str, before: Option<&str>) {
    let _ = try_note(root, id, before);
}

fn try_note(root: &Path, id: &str, before: Option<&str>) -> Result<()> {
    crate::index::private_dir(root)?;
    let dir = root.join(DIR);
    std::fs::create_dir_all(&dir)?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let name = match before {
        Some(_) => format!("{stamp:024}-{id}.yaml"),
        None => format!("{stamp:024}-{id}{CREATED}"),
    };
    std::fs::write(dir.join(name), before.unwrap_or(""))?;
    let entries = list(root);
    for old in entries.iter().take(entries.len().saturating_sub(KEEP)) {
        let _ = std::fs::remove_file(&old.0);
    }
    Ok(())
}

/// The entries, oldest first: (path, id, created).
fn list(root: &Path) -> Vec<(PathBuf, String, bool)> {
    let Ok(rd) = std::fs::read_dir(root.join(DIR)) else {
        return Vec::new();
    };
    let mut v: Vec<(PathBuf, String, bool)> = rd
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let (_, rest) = name.split_once('-')?;
            let (id, created) = match rest.strip_suffix(CREATED) {
                Some(id) => (id.to_string(), true),
                None => (rest.strip_suffix(".yaml")?.to_string(), false),
            };
            Some((e.path(), id, created))
        })
        .collect();
    v.sort();
    v
}

/// The newest change (to `id`, when given).
pub fn last(root: &Path, id: Option<&str>) -> Result<Option<Entry>> {
    let Some((path, id, created)) = list(root)
        .into_iter()
        .rev()
        .find(|(_, i, _)| id.is_none_or(|want| want == i))
    else {
        return Ok(None);
    };
    let before = if created {
        None
    } else {
        Some(
            std::fs::read_to_string(&path)
                .with_context(|| format!("could not read {}", path.display()))?,
        )
    };
    Ok(Some(Entry { path, id, before }))
}
