//! `salesproc edit PROSPECT`: edit the file in $VISUAL/$EDITOR on a temp copy;
//! validate on save; never leave an invalid file behind silently.

use super::{Ctx, Exit, actor, resolve};
use crate::prospect::{Event, events};
use crate::store::{Store, show, write_atomic};
use crate::{output, prompt, validate};
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
    let original = store.read(&id)?.text;
    // The copy lives in the pipeline folder (git ignores it), so an edit that
    // cannot be saved is kept next to the record, not in a temp dir.
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".salesproc-edit-{id}-"))
        .suffix(".yaml")
        .tempfile_in(&store.root)?;
    let (_, tmp_path) = tmp.keep().context("could not keep the temp copy")?;
    std::fs::write(&tmp_path, &original)?;
    loop {
        run_editor(&tmp_path)?;
        let edited = std::fs::read_to_string(&tmp_path)?;
        if edited == original {
            let _ = std::fs::remove_file(&tmp_path);
            output::status("no changes");
            return Ok(Exit::Success);
        }
        let (record, problems) = validate::check_text(&edited, &store.process, false);
        if let (Some(record), true) = (record, problems.is_empty()) {
            save(&store, &id, &original, record, &tmp_path)?;
            let _ = std::fs::remove_file(&tmp_path);
            return Ok(Exit::Success);
        }
        for p in &problems {
            eprintln!("{}:{}:{}: {}", show(&tmp_path), p.line, p.column, p.message);
        }
        if !prompt::can_prompt(ctx.no_input) {
            output::error(&format!(
                "{} is unchanged: the edit is not valid\nhint: your edited text is kept at {}",
                show(&store.path_of(&id)?),
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

fn run_editor(path: &Path) -> Result<()> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "vi".into());
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
    mut record: crate::prospect::Record,
    tmp: &Path,
) -> Result<()> {
    let _lock = store.lock()?;
    let current = store.read(id)?;
    if current.text != original {
        bail!(
            "{} changed while you edited it; nothing was saved\nhint: your version is kept at {}",
            show(&current.path),
            tmp.display()
        );
    }
    let before = current.record;
    let who = actor(store);
    let mut e = Event {
        at: who.at.clone(),
        by: Some(who.by.clone()),
        event: events::EDITED.into(),
        step: Some(record.stage.clone()),
        ..Event::default()
    };
    if record.stage != before.stage {
        e.to = Some(record.stage.clone());
    }
    if record.status != before.status {
        e.status = Some(record.status);
    }
    record.history.push(e);
    let text = store.render(&mut record)?;
    write_atomic(&current.path, &text)?;
    store.commit(std::slice::from_ref(&current.path), &format!("{id}: edit"));
    output::status(&format!("saved {}", show(&current.path)));
    Ok(())
}
