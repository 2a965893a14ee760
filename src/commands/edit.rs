//! `salesproc edit PROSPECT`: edit the file in $VISUAL/$EDITOR on a temp copy;
//! validate on save; never leave an invalid file behind silently. A record
//! that does not parse (conflict markers, bad YAML) opens too: this is how it
//! is fixed.

use super::{Ctx, Exit, actor, resolve};
use crate::prospect::{Event, Record, events};
use crate::store::{self, Store, parse_record, show, write_atomic};
use crate::{git, merge, output, prompt, validate};
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;

/// Opens the record in the editor and saves it back when it is valid.
pub fn run(ctx: &Ctx, spec: &str) -> Result<Exit> {
    let store = ctx.store()?;
    if spec == "-" {
        return Err(super::UsageError(
            "edit opens one prospect at a time\nhint: name it, e.g. `salesproc edit acme`".into(),
        )
        .into());
    }
    let id = resolve(&store, spec)?;
    let path = store.path_of(&id)?;
    let original = std::fs::read_to_string(&path)
        .with_context(|| format!("could not read {}", show(&path)))?;
    let broken = parse_record(&original, &path, &id).is_err();
    // During a merge only a record that does not parse may be edited: that is
    // how its conflict is resolved. Anything else waits for the merge.
    let merge = git::repo(&store.root).and_then(|r| r.unfinished());
    let resolving = merge.filter(|_| broken);
    if resolving.is_none() {
        store::before_write(&store.root)?;
    }
    refuse_without_editor()?;
    // The copy lives in the pipeline folder (git ignores it), so an edit that
    // cannot be saved is kept next to the record, not in a temp dir; the next
    // `edit` starts from it.
    let tmp_path = match kept_copy(&store.root, &id) {
        Some(kept) => {
            output::status(&format!(
                "starting from your unsaved edit kept at {}\nhint: delete it to start from the record again",
                kept.display()
            ));
            kept
        }
        None => {
            let tmp = tempfile::Builder::new()
                .prefix(&format!(".salesproc-edit-{id}-"))
                .suffix(".yaml")
                .tempfile_in(&store.root)?;
            let (_, tmp_path) = tmp.keep().context("could not keep the temp copy")?;
            std::fs::write(&tmp_path, &original)?;
            tmp_path
        }
    };
    loop {
        run_editor(&tmp_path)?;
        let edited = std::fs::read_to_string(&tmp_path)?;
        if edited == original && !broken {
            let _ = std::fs::remove_file(&tmp_path);
            output::status("no changes");
            return Ok(Exit::Success);
        }
        let (record, problems) = check(&edited, &store);
        if let (Some(record), true) = (record, problems.is_empty()) {
            save(&store, &id, &original, record, &tmp_path, resolving)?;
            let _ = std::fs::remove_file(&tmp_path);
            return Ok(Exit::Success);
        }
        for p in &problems {
            eprintln!("{}:{}:{}: {}", show(&tmp_path), p.line, p.column, p.message);
        }
        if !prompt::can_prompt(ctx.no_input) {
            output::error(&format!(
                "{} is unchanged: the edit is not valid\nhint: your edited text is kept at {}",
                show(&path),
                tmp_path.display()
            ));
            return Ok(Exit::Failure);
        }
        if prompt::select(
            "The edit is not valid. What now?",
            &["edit again", "discard the changes"],
            0,
        )? == 1
        {
            let _ = std::fs::remove_file(&tmp_path);
            output::status("discarded; the record is unchanged");
            return Ok(Exit::Success);
        }
    }
}

/// Parses and checks edited text; conflict markers are named as such.
fn check(text: &str, store: &Store) -> (Option<Record>, Vec<validate::Problem>) {
    let blocks = merge::conflict_blocks(text);
    if let Some((first, _)) = blocks.first() {
        let problem = validate::Problem {
            line: *first as u64,
            column: 1,
            message: format!(
                "unresolved merge conflict ({}): keep the lines you want and delete the marker lines",
                merge::describe_blocks(&blocks)
            ),
        };
        return (None, vec![problem]);
    }
    validate::check_text(text, &store.process, false)
}

/// The newest copy an earlier invalid edit of `id` left behind.
fn kept_copy(root: &Path, id: &str) -> Option<std::path::PathBuf> {
    let prefix = format!(".salesproc-edit-{id}-");
    std::fs::read_dir(root)
        .ok()?
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            // The random part has no dash, so `acme` never takes `acme-corp`'s copy.
            name.strip_prefix(&prefix)
                .and_then(|r| r.strip_suffix(".yaml"))
                .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric()))
        })
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
}

fn configured_editor() -> Option<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
}

/// With no editor set, `vi` is only started on a terminal.
fn refuse_without_editor() -> Result<()> {
    use std::io::IsTerminal;
    if configured_editor().is_none()
        && !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal())
    {
        bail!(
            "no editor to open: $VISUAL and $EDITOR are not set and this is not a terminal\nhint: set EDITOR (e.g. EDITOR=nano), or change the record with `salesproc answer`, `decide` or `follow-up`"
        );
    }
    Ok(())
}

fn run_editor(path: &Path) -> Result<()> {
    let editor = configured_editor().unwrap_or_else(|| "vi".into());
    // Through the shell, so `code --wait` and other editors with arguments work.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path)
        .status()
        .with_context(|| format!("could not start the editor `{editor}`"))?;
    if !status.success() {
        bail!(
            "the editor `{editor}` failed ({status})\nhint: your text is kept at {}; set $VISUAL or $EDITOR",
            path.display()
        );
    }
    Ok(())
}

fn save(
    store: &Store,
    id: &str,
    original: &str,
    mut record: Record,
    tmp: &Path,
    resolving: Option<(&str, &str)>,
) -> Result<()> {
    let _lock = match resolving {
        Some(_) => store.lock_to_resolve()?,
        None => store.lock()?,
    };
    let path = store.path_of(id)?;
    let current = std::fs::read_to_string(&path)?;
    if current != original {
        bail!(
            "{} changed while you edited it; nothing was saved\nhint: your version is kept at {}",
            show(&path),
            tmp.display()
        );
    }
    let who = actor(store);
    let mut e = Event {
        at: who.at.clone().into(),
        by: Some(who.by.clone().into()),
        event: events::EDITED.into(),
        step: Some(record.stage.clone().into()),
        ..Event::default()
    };
    // A record that did not parse has no state to compare: the event states it.
    let before = parse_record(&current, &path, id).ok();
    if before.as_ref().is_none_or(|b| record.stage != b.stage) {
        e.to = Some(record.stage.clone().into());
    }
    if before.as_ref().is_none_or(|b| record.status != b.status) {
        e.status = Some(record.status);
    }
    record.history.push(e);
    let text = store.render(&mut record)?;
    store.check_write(&path, &text)?;
    write_atomic(&path, &text)?;
    if let Some((op, how)) = resolving {
        git::add(&store.root, std::slice::from_ref(&path))
            .map_err(|e| anyhow::anyhow!("saved {}, but could not stage it: {e}", show(&path)))?;
        output::status(&format!(
            "resolved {} (staged); when no conflicts are left, finish the {op} ({how})",
            show(&path)
        ));
        return Ok(());
    }
    store.commit(std::slice::from_ref(&path), &format!("{id}: edit"))?;
    output::status(&format!("saved {}", show(&path)));
    Ok(())
}
