//! Validation of a loaded process: each mistake named with its file and line.

use super::{Checklist, ItemType, ProcessFile, Source, Step, display};
use crate::yaml;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

fn err_at(src: &Source, path: &[&str], msg: String) -> anyhow::Error {
    let (l, c) = yaml::locate(&src.text, path);
    anyhow::anyhow!("{}:{l}:{c}: {msg}", src.label)
}

pub(super) fn checklist(c: &Checklist, step: &str, phase: &str, src: &Source) -> Result<()> {
    if c.step != step {
        return Err(err_at(
            src,
            &["step"],
            format!("step is \"{}\", expected \"{step}\"", c.step),
        ));
    }
    if let Some(p) = &c.phase
        && p != phase
    {
        return Err(err_at(
            src,
            &["phase"],
            format!("phase is \"{p}\", but process.yaml puts {step} in \"{phase}\""),
        ));
    }
    if c.items.is_empty() {
        return Err(err_at(
            src,
            &["items"],
            "a checklist needs at least one item".into(),
        ));
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, item) in c.items.iter().enumerate() {
        let idx = i.to_string();
        if !crate::slug::is_slug(&item.id) {
            return Err(err_at(
                src,
                &["items", &idx, "id"],
                format!("item id \"{}\" is not a slug (a-z, 0-9, -)", item.id),
            ));
        }
        if seen.contains(&item.id.as_str()) {
            return Err(err_at(
                src,
                &["items", &idx, "id"],
                format!("duplicate item id \"{}\"", item.id),
            ));
        }
        seen.push(&item.id);
        if item.kind == ItemType::Choice && item.options.is_empty() {
            return Err(err_at(
                src,
                &["items", &idx],
                format!(
                    "choice item \"{}\" has no options\nhint: add `options: [a, b]`",
                    item.id
                ),
            ));
        }
        if item.kind != ItemType::Choice && !item.options.is_empty() {
            return Err(err_at(
                src,
                &["items", &idx, "options"],
                format!(
                    "item \"{}\" has options but is of type {}\nhint: use `type: choice`",
                    item.id,
                    item.kind.name()
                ),
            ));
        }
        let fits = match item.fills {
            None => true,
            Some(crate::process::Fills::Value) => item.kind == ItemType::Number,
            Some(crate::process::Fills::CloseDate) => item.kind == ItemType::Date,
        };
        if !fits {
            return Err(err_at(
                src,
                &["items", &idx, "fills"],
                format!(
                    "item \"{}\" is of type {}, so it cannot fill a record field\nhint: `fills: value` goes on a number item, `fills: close_date` on a date item",
                    item.id,
                    item.kind.name()
                ),
            ));
        }
    }
    Ok(())
}

pub(super) fn process(p: &ProcessFile, steps: &[Step], src: &Source) -> Result<()> {
    if p.phases.is_empty() || steps.is_empty() {
        return Err(err_at(
            src,
            &["phases"],
            "the process needs at least one phase with steps".into(),
        ));
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        if seen.contains(&s.id.as_str()) {
            return Err(err_at(
                src,
                &["phases"],
                format!("step \"{}\" appears twice", s.id),
            ));
        }
        if !crate::slug::is_slug(&s.id) {
            return Err(err_at(
                src,
                &["phases"],
                format!("step id \"{}\" is not a slug", s.id),
            ));
        }
        seen.push(&steps[i].id);
    }
    let later = p.later_returns_to.as_deref().unwrap_or("learn");
    let first = &p.phases[0];
    if !first.steps.iter().any(|s| s == later) {
        let what = if seen.contains(&later) {
            "is not in the qualification phase"
        } else {
            "is not a step"
        };
        return Err(err_at(
            src,
            &["later_returns_to"],
            format!(
                "later_returns_to \"{later}\" {what}\nhint: later sends a record back for nurturing: use one of {}",
                first.steps.join(", ")
            ),
        ));
    }
    Ok(())
}

/// A checklist file in the folder whose step the process does not list is a mistake.
pub(super) fn strays(dir: &Path, steps: &[Step]) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut names: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    names.sort();
    for path in names {
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "yaml")
            && stem != "process"
            && !steps.iter().any(|s| s.id == stem)
        {
            bail!(
                "{}:1:1: unknown step \"{stem}\": process.yaml does not list it\nhint: add it to a phase's steps in {}, or remove the file",
                display(&path),
                display(&dir.join("process.yaml"))
            );
        }
    }
    Ok(())
}
