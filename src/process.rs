//! The sales process: phases, steps and their checklists. Loading, validation
//! and the built-in process embedded from the repo's `checklists/` folder.

use crate::yaml;
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The built-in process files, embedded so the tool works with no files at all.
pub const BUILTIN: &[(&str, &str)] = &[
    ("process.yaml", include_str!("../checklists/process.yaml")),
    ("research.yaml", include_str!("../checklists/research.yaml")),
    (
        "introduce.yaml",
        include_str!("../checklists/introduce.yaml"),
    ),
    ("qualify.yaml", include_str!("../checklists/qualify.yaml")),
    ("learn.yaml", include_str!("../checklists/learn.yaml")),
    ("present.yaml", include_str!("../checklists/present.yaml")),
    ("propose.yaml", include_str!("../checklists/propose.yaml")),
    ("resolve.yaml", include_str!("../checklists/resolve.yaml")),
    ("agree.yaml", include_str!("../checklists/agree.yaml")),
];

/// `process.yaml`: the phases, their steps in order, and process-wide settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessFile {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub later_returns_to: Option<String>,
    #[serde(default)]
    pub stale_after_days: Option<u32>,
    pub phases: Vec<Phase>,
}

/// One phase of the process, e.g. Lead Qualification.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub purpose: Option<String>,
    pub steps: Vec<String>,
}

/// The type of answer an item takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemType {
    Check,
    Text,
    Choice,
    Number,
    Date,
    List,
}

impl ItemType {
    /// The lowercase name used in checklists.
    pub fn name(self) -> &'static str {
        match self {
            ItemType::Check => "check",
            ItemType::Text => "text",
            ItemType::Choice => "choice",
            ItemType::Number => "number",
            ItemType::Date => "date",
            ItemType::List => "list",
        }
    }
}

/// The audience an item's answers are routed to in the voice-of-the-customer report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Product,
    Marketing,
    Sales,
}

impl Audience {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Audience::Product => "product",
            Audience::Marketing => "marketing",
            Audience::Sales => "sales",
        }
    }
}

/// One question on a checklist.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub ask: String,
    #[serde(rename = "type")]
    pub kind: ItemType,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insight: Option<Audience>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The record field an answer to this item also sets (`value`, `close_date`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fills: Option<Fills>,
}

/// A record field that a checklist item's answer fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fills {
    /// The deal value (a `number` item).
    Value,
    /// The expected close date (a `date` item).
    CloseDate,
}

/// One step's checklist file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    pub step: String,
    #[serde(default)]
    pub phase: Option<String>,
    pub title: String,
    pub purpose: String,
    #[serde(default)]
    pub stale_after_days: Option<u32>,
    pub items: Vec<Item>,
}

/// A step of the loaded process, with its place and checklist.
#[derive(Debug, Clone)]
pub struct Step {
    pub id: String,
    pub phase: String,
    pub checklist: Checklist,
}

/// A loaded, validated process.
#[derive(Debug, Clone)]
pub struct Process {
    pub name: String,
    pub phases: Vec<Phase>,
    pub steps: Vec<Step>,
    pub later_returns_to: String,
    pub stale_after_days: u32,
    /// A hash of every file the process was loaded from: what the summary
    /// index depends on.
    pub fingerprint: u64,
}

/// Where a process file came from, for error messages.
pub(crate) struct Source {
    label: String,
    text: String,
}

impl Process {
    /// The built-in process.
    pub fn builtin() -> Process {
        Process::load(None).expect("the built-in process is valid")
    }

    /// Loads the process: each file from `dir` (a folder's `checklists/`) when
    /// present there, else the built-in one.
    pub fn load(dir: Option<&Path>) -> Result<Process> {
        let read = |file: &str| -> Result<Option<Source>> {
            if let Some(dir) = dir {
                let path = dir.join(file);
                if path.is_file() {
                    let text = std::fs::read_to_string(&path)
                        .with_context(|| format!("could not read {}", path.display()))?;
                    return Ok(Some(Source {
                        label: display(&path),
                        text,
                    }));
                }
            }
            Ok(BUILTIN
                .iter()
                .find(|(n, _)| *n == file)
                .map(|(n, t)| Source {
                    label: format!("<built-in>/checklists/{n}"),
                    text: (*t).to_string(),
                }))
        };
        let psrc = read("process.yaml")?.expect("built-in process.yaml");
        let pfile: ProcessFile = parse(&psrc)?;
        let mut texts: Vec<String> = vec![psrc.text.clone()];
        let mut steps = Vec::new();
        for phase in &pfile.phases {
            for step in &phase.steps {
                let file = format!("{step}.yaml");
                let Some(src) = read(&file)? else {
                    let (l, c) = yaml::locate(&psrc.text, &["phases"]);
                    bail!(
                        "{}:{l}:{c}: step \"{step}\" has no checklist\nhint: add {} with `step: {step}`",
                        psrc.label,
                        dir.map(|d| display(&d.join(&file))).unwrap_or(file.clone())
                    );
                };
                let checklist: Checklist = parse(&src)?;
                texts.push(src.text.clone());
                check::checklist(&checklist, step, &phase.id, &src)?;
                steps.push(Step {
                    id: step.clone(),
                    phase: phase.id.clone(),
                    checklist,
                });
            }
        }
        if let Some(dir) = dir {
            check::strays(dir, &steps)?;
            pack::merge(dir, &mut steps, &mut texts)?;
        }
        check::process(&pfile, &steps, &psrc)?;
        let later = pfile
            .later_returns_to
            .clone()
            .unwrap_or_else(|| "learn".into());
        Ok(Process {
            name: pfile.name.unwrap_or_else(|| "Sales process".into()),
            phases: pfile.phases,
            steps,
            later_returns_to: later,
            stale_after_days: pfile.stale_after_days.unwrap_or(14),
            fingerprint: crate::index::fingerprint(texts.iter().map(|t| t.as_bytes())),
        })
    }

    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The items tagged `persona:`, each with its step, in process order:
    /// a persona answer names its item by its place in this list (the
    /// summary index keeps that place, and is made again when the process
    /// changes).
    pub fn persona_items(&self) -> impl Iterator<Item = (&Step, &Item)> {
        self.steps.iter().flat_map(|s| {
            s.checklist
                .items
                .iter()
                .filter(|i| i.persona.is_some())
                .map(move |i| (s, i))
        })
    }

    /// The 0-based position of a step in process order.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id == id)
    }

    /// The step after this one, or `None` after the last.
    pub fn next_step(&self, id: &str) -> Option<&Step> {
        self.index(id).and_then(|i| self.steps.get(i + 1))
    }

    /// The phase with this id.
    pub fn phase(&self, id: &str) -> Option<&Phase> {
        self.phases.iter().find(|p| p.id == id)
    }

    /// The stale limit for a step: its own, else the process default.
    pub fn stale_days(&self, step: &str) -> u32 {
        self.step(step)
            .and_then(|s| s.checklist.stale_after_days)
            .unwrap_or(self.stale_after_days)
    }

    /// Resolves `item` or `step/item` against the current step.
    pub fn item(&self, current: &str, spec: &str) -> Result<(&Step, &Item)> {
        let (step_id, item_id) = spec.split_once('/').unwrap_or((current, spec));
        let Some(step) = self.step(step_id) else {
            bail!(
                "unknown step \"{step_id}\"\nhint: steps are {}",
                self.steps
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        match step.checklist.items.iter().find(|i| i.id == item_id) {
            Some(item) => Ok((step, item)),
            None => bail!(
                "step {} has no item \"{item_id}\"\nhint: its items are {}",
                step.id,
                step.checklist
                    .items
                    .iter()
                    .map(|i| i.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

pub(crate) fn display(p: &Path) -> String {
    crate::store::show(p)
}

fn parse<T: serde::de::DeserializeOwned>(src: &Source) -> Result<T> {
    yaml::from_str(&src.text).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: {}\nhint: fix the checklist file, or delete it to use the built-in one",
            src.label,
            e.line,
            e.column,
            e.message
        )
    })
}

mod check;
pub mod pack;
#[cfg(test)]
mod tests;
