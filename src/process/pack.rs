//! Methodology packs (BANT, MEDDPICC, SPIN): questions a methodology adds to
//! the process's steps. A folder uses a pack when `checklists/packs/NAME.yaml`
//! exists; its items are appended to their steps, after the step's own items.
//! An item whose id a step already has is left out, so the folder's own
//! checklist always wins and adding a pack twice changes nothing.

use super::{Item, ItemType, Source, Step, display};
use crate::yaml;
use anyhow::{Context, Result, bail};
use indexmap::IndexMap;
use serde::Deserialize;
use std::path::Path;

/// The built-in packs, embedded: `(name, text)`.
pub const PACKS: &[(&str, &str)] = &[
    ("bant", include_str!("../../checklists/packs/bant.yaml")),
    (
        "meddpicc",
        include_str!("../../checklists/packs/meddpicc.yaml"),
    ),
    ("spin", include_str!("../../checklists/packs/spin.yaml")),
];

/// The folder a pipeline's packs live in, inside `checklists/`.
pub const DIR: &str = "packs";

/// One pack file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub pack: String,
    pub title: String,
    pub about: String,
    /// Step id → the items it adds there.
    pub steps: IndexMap<String, Vec<Item>>,
}

/// The text of a built-in pack.
pub fn builtin(name: &str) -> Option<&'static str> {
    PACKS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Parses and checks a pack's text (`label` names it in errors).
pub fn parse(label: &str, text: &str) -> Result<Pack> {
    let pack: Pack = yaml::from_str(text).map_err(|e| {
        anyhow::anyhow!(
            "{label}:{}:{}: {}\nhint: fix the pack, or delete it to stop using it",
            e.line,
            e.column,
            e.message
        )
    })?;
    for (step, items) in &pack.steps {
        for item in items {
            if !crate::slug::is_slug(&item.id) {
                bail!(
                    "{label}: item id \"{}\" in {step} is not a slug (a-z, 0-9, -)",
                    item.id
                );
            }
            if item.kind == ItemType::Choice && item.options.is_empty() {
                bail!(
                    "{label}: choice item \"{}\" in {step} has no options",
                    item.id
                );
            }
        }
    }
    Ok(pack)
}

/// Merges the packs in `dir/packs/` (sorted by name) into the steps; their
/// texts join `texts` (what the index fingerprint is made from).
pub(super) fn merge(dir: &Path, steps: &mut [Step], texts: &mut Vec<String>) -> Result<()> {
    let folder = dir.join(DIR);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Ok(());
    };
    let mut paths: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("could not read {}", display(&path)))?;
        let src = Source {
            label: display(&path),
            text,
        };
        let pack = parse(&src.label, &src.text)?;
        for (step_id, items) in pack.steps {
            let Some(step) = steps.iter_mut().find(|s| s.id == step_id) else {
                let (l, c) = yaml::locate(&src.text, &["steps", &step_id]);
                bail!(
                    "{}:{l}:{c}: the pack adds to step \"{step_id}\", which the process does not have\nhint: steps are {}",
                    src.label,
                    steps
                        .iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            };
            for item in items {
                if !step.checklist.items.iter().any(|i| i.id == item.id) {
                    step.checklist.items.push(item);
                }
            }
        }
        texts.push(src.text);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{PACKS, parse};

    #[test]
    fn built_in_packs_parse_and_cover_their_letters() {
        for (name, text) in PACKS {
            let p = parse(name, text).unwrap();
            assert_eq!(&p.pack, name);
            let n: usize = p.steps.values().map(Vec::len).sum();
            assert!(n >= 4, "{name}: {n} items");
        }
    }
}
