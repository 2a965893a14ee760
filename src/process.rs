//! The sales process: phases, steps and their checklists. Loading, validation
//! and the built-in process embedded from the repo's `checklists/` folder.

use crate::yaml;
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
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
}

/// Where a process file came from, for error messages.
struct Source {
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
                validate_checklist(&checklist, step, &phase.id, &src)?;
                steps.push(Step {
                    id: step.clone(),
                    phase: phase.id.clone(),
                    checklist,
                });
            }
        }
        if let Some(dir) = dir {
            check_strays(dir, &steps)?;
        }
        validate_process(&pfile, &steps, &psrc)?;
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
        })
    }

    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
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

fn display(p: &Path) -> String {
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

fn err_at(src: &Source, path: &[&str], msg: String) -> anyhow::Error {
    let (l, c) = yaml::locate(&src.text, path);
    anyhow::anyhow!("{}:{l}:{c}: {msg}", src.label)
}

fn validate_checklist(c: &Checklist, step: &str, phase: &str, src: &Source) -> Result<()> {
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
    }
    Ok(())
}

fn validate_process(p: &ProcessFile, steps: &[Step], src: &Source) -> Result<()> {
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
fn check_strays(dir: &Path, steps: &[Step]) -> Result<()> {
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

/// The process as a markdown checklist (`- [ ]` lines), for printing.
pub fn to_markdown(p: &Process, only: Option<&str>) -> String {
    let mut out = String::new();
    if only.is_none() {
        let _ = writeln!(out, "# {}\n", p.name);
    }
    let mut n = 0;
    for phase in &p.phases {
        let steps: Vec<&Step> = p.steps.iter().filter(|s| s.phase == phase.id).collect();
        if only.is_none() {
            let _ = writeln!(out, "## {}\n", phase.title);
            if let Some(purpose) = &phase.purpose {
                let _ = writeln!(out, "{purpose}\n");
            }
        }
        for step in steps {
            n += 1;
            if only.is_some_and(|o| o != step.id) {
                continue;
            }
            let c = &step.checklist;
            let _ = writeln!(out, "### {n}. {}\n\n_{}_\n", c.title, c.purpose);
            for item in &c.items {
                let mut line = format!("- [ ] {}", item.ask);
                if item.required {
                    line.push_str(" **(required)**");
                }
                match item.kind {
                    ItemType::Choice => line.push_str(&format!(" ({})", item.options.join(" / "))),
                    ItemType::Check | ItemType::Text => {}
                    k => line.push_str(&format!(" ({})", k.name())),
                }
                let _ = writeln!(out, "{line}");
                if let Some(help) = &item.help {
                    let _ = writeln!(out, "  - _{help}_");
                }
            }
            let _ = writeln!(
                out,
                "- [ ] **Decision:** yes / no / later, and why\n- [ ] **Next step** agreed, with a date\n"
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for (n, t) in files {
            std::fs::write(d.path().join(n), t).unwrap();
        }
        d
    }

    fn err(files: &[(&str, &str)]) -> String {
        let d = folder(files);
        let e = Process::load(Some(d.path())).unwrap_err().to_string();
        e.replace(&d.path().display().to_string(), "DIR")
    }

    #[test]
    fn the_built_in_process_has_eight_steps_with_every_item_type() {
        let p = Process::builtin();
        let ids: Vec<&str> = p.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "research",
                "introduce",
                "qualify",
                "learn",
                "present",
                "propose",
                "resolve",
                "agree"
            ]
        );
        let kinds: std::collections::HashSet<&str> = p
            .steps
            .iter()
            .flat_map(|s| s.checklist.items.iter().map(|i| i.kind.name()))
            .collect();
        assert_eq!(kinds.len(), 6);
        for s in &p.steps {
            let n = s.checklist.items.len();
            assert!((3..=8).contains(&n), "{} has {n} items", s.id);
            assert!(
                s.checklist.items.iter().any(|i| i.required),
                "{} has no required item",
                s.id
            );
        }
        assert_eq!(p.later_returns_to, "learn");
    }

    #[test]
    fn duplicate_item_ids_name_the_file_and_line() {
        let text = "step: research\ntitle: R\npurpose: p\nitems:\n  - id: a\n    ask: A?\n    type: text\n  - id: a\n    ask: B?\n    type: text\n";
        assert_eq!(
            err(&[("research.yaml", text)]),
            "DIR/research.yaml:8:5: duplicate item id \"a\""
        );
    }

    #[test]
    fn a_choice_without_options_is_refused() {
        let text = "step: research\ntitle: R\npurpose: p\nitems:\n  - id: a\n    ask: A?\n    type: choice\n";
        assert!(
            err(&[("research.yaml", text)])
                .starts_with("DIR/research.yaml:5:3: choice item \"a\" has no options")
        );
    }

    #[test]
    fn an_unknown_step_file_is_refused() {
        let text =
            "step: demo\ntitle: D\npurpose: p\nitems:\n  - id: a\n    ask: A?\n    type: text\n";
        assert!(
            err(&[("demo.yaml", text)]).starts_with("DIR/demo.yaml:1:1: unknown step \"demo\"")
        );
    }

    #[test]
    fn a_step_without_a_checklist_is_refused() {
        let p =
            "phases:\n  - id: qualification\n    title: Q\n    steps: [research, learn, scoping]\n";
        let e = err(&[("process.yaml", p)]);
        assert!(
            e.starts_with("DIR/process.yaml:1:1: step \"scoping\" has no checklist"),
            "{e}"
        );
    }

    #[test]
    fn later_must_return_into_qualification() {
        let p = "later_returns_to: present\nphases:\n  - id: qualification\n    title: Q\n    steps: [research, learn]\n  - id: pipeline\n    title: P\n    steps: [present]\n";
        let e = err(&[("process.yaml", p)]);
        assert!(e.starts_with("DIR/process.yaml:1:1: later_returns_to \"present\" is not in the qualification phase"), "{e}");
        let p2 = p.replace("present\nphases", "nowhere\nphases");
        assert!(err(&[("process.yaml", &p2)]).contains("\"nowhere\" is not a step"));
    }

    #[test]
    fn yaml_errors_name_the_line() {
        let e = err(&[("qualify.yaml", "step: qualify\ntitle: [\n")]);
        assert!(e.starts_with("DIR/qualify.yaml:2:"), "{e}");
    }

    #[test]
    fn unknown_keys_in_a_checklist_are_refused() {
        let text = "step: research\ntitle: R\npurpose: p\nitems:\n  - id: a\n    ask: A?\n    type: text\n    requred: true\n";
        let e = err(&[("research.yaml", text)]);
        assert!(
            e.contains("research.yaml:8:") && e.contains("requred"),
            "{e}"
        );
    }

    #[test]
    fn a_folder_overrides_one_step_and_keeps_the_rest() {
        let text = "step: research\ntitle: Homework\npurpose: p\nitems:\n  - id: a\n    ask: A?\n    type: text\n    required: true\n";
        let d = folder(&[("research.yaml", text)]);
        let p = Process::load(Some(d.path())).unwrap();
        assert_eq!(p.steps[0].checklist.title, "Homework");
        assert_eq!(p.steps[1].checklist.title, "Introduce");
    }

    #[test]
    fn markdown_has_a_box_per_item() {
        let md = to_markdown(&Process::builtin(), Some("qualify"));
        assert!(md.starts_with("### 3. Qualify\n"));
        assert!(
            md.contains("- [ ] What is the contact's role in the buying decision? **(required)**")
        );
    }
}
