//! `salesproc process add NAME | list`: methodology packs.

use super::{Ctx, Exit, UsageError};
use crate::cli::{Format, ProcessAction};
use crate::output::{self, Tabular};
use crate::process::{Process, pack};
use crate::store::{show, write_atomic};
use anyhow::Result;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// `salesproc process …`
pub fn run(ctx: &Ctx, action: ProcessAction) -> Result<Exit> {
    match action {
        ProcessAction::Add { name } => add(ctx, &name),
        ProcessAction::List { .. } => list(ctx),
    }
}

/// Writes a built-in pack into `root/checklists/packs/` unless it is there;
/// returns the path written. The folder's process must still load.
pub fn write_pack(root: &Path, name: &str) -> Result<Option<PathBuf>> {
    let Some(text) = pack::builtin(name) else {
        let names: Vec<&str> = pack::PACKS.iter().map(|(n, _)| *n).collect();
        return Err(UsageError(format!(
            "no pack named \"{name}\"\nhint: packs are {}",
            names.join(", ")
        ))
        .into());
    };
    let checklists = root.join("checklists");
    let path = checklists.join(pack::DIR).join(format!("{name}.yaml"));
    if path.exists() {
        return Ok(None);
    }
    write_atomic(&path, text)?;
    if let Err(e) = Process::load(Some(&checklists)) {
        let _ = std::fs::remove_file(&path);
        return Err(e.context(format!(
            "the {name} pack does not fit this folder's process; nothing was added"
        )));
    }
    Ok(Some(path))
}

fn add(ctx: &Ctx, name: &str) -> Result<Exit> {
    let store = ctx.store()?;
    store.ensure_exists()?;
    let Some(path) = write_pack(&store.root, name)? else {
        output::status(&format!("this folder already uses the {name} pack"));
        return Ok(Exit::Success);
    };
    output::status(&format!("added the {name} pack: {}", show(&path)));
    store.commit(&[path], &format!("process: add the {name} pack"))?;
    Ok(Exit::Success)
}

/// One pack, for `process list`.
#[derive(Debug, Serialize)]
struct PackRow {
    name: String,
    title: String,
    about: String,
    used: bool,
}

impl Tabular for PackRow {
    fn headers() -> Vec<&'static str> {
        vec!["name", "title", "used", "about"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.title.clone(),
            output::yes_no(self.used),
            self.about.clone(),
        ]
    }
    fn id(&self) -> String {
        self.name.clone()
    }
}

fn list(ctx: &Ctx) -> Result<Exit> {
    let store = ctx.store()?;
    let dir = store.root.join("checklists").join(pack::DIR);
    let rows = pack::PACKS
        .iter()
        .map(|(name, text)| {
            let p = pack::parse(name, text)?;
            Ok(PackRow {
                name: name.to_string(),
                title: p.title,
                about: p.about,
                used: dir.join(format!("{name}.yaml")).is_file(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    ctx.out.emit(
        Format::Table,
        &output::render_rows(&ctx.out, &rows, Format::Table)?,
    )?;
    Ok(Exit::Success)
}
