//! `salesproc import FILE.csv [--rules FILE] [--preset CRM] [--dry-run]`

use super::{Ctx, Exit, UsageError, actor};
use crate::cli::{Format, ImportArgs, ImportPreset};
use crate::import::plan::{Action, Plan};
use crate::import::presets::Crm;
use crate::import::rules::{Columns, Rules};
use crate::import::{self, Incoming, RowError};
use crate::output::{self, Tabular};
use crate::prospect::{Record, Status};
use crate::store::{Store, show};
use anyhow::{Context, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One row's outcome; the JSON shape of `import --dry-run --format json`.
#[derive(Debug, Serialize)]
pub struct Outcome {
    pub line: u64,
    pub action: Action,
    pub id: String,
    pub name: String,
    pub stage: String,
    pub status: Status,
}

impl Tabular for Outcome {
    fn headers() -> Vec<&'static str> {
        vec!["line", "action", "id", "name", "stage", "status"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.line.to_string(),
            self.action.name().into(),
            self.id.clone(),
            self.name.clone(),
            self.stage.clone(),
            self.status.name().into(),
        ]
    }
    fn id(&self) -> String {
        self.id.clone()
    }
}

/// Imports a CSV; exit 1 when any row failed (the good rows are imported).
pub fn run(ctx: &Ctx, args: ImportArgs) -> Result<Exit> {
    let store = ctx.store()?;
    let rules = rules_for(&args, &store)?;
    let stdin = args.file == Path::new("-");
    let label = if stdin {
        "stdin".to_string()
    } else {
        show(&args.file)
    };
    let (rows, errors) = if stdin {
        import::read(std::io::stdin().lock(), &rules, &store.process)
    } else {
        let f = std::fs::File::open(&args.file)
            .with_context(|| format!("could not read {label}"))
            .map_err(|e| UsageError(format!("{e:#}")))?;
        import::read(std::io::BufReader::new(f), &rules, &store.process)
    }
    .map_err(|e| anyhow::anyhow!("{label}: {e:#}"))?;
    for e in &errors {
        output::error(&format!(
            "{label}:{}: column \"{}\": {}",
            e.line, e.column, e.message
        ));
    }
    let key = rules.key().to_string();
    let outcomes = if args.dry_run {
        plan(&store, &rows, &key)?.0
    } else {
        let (outcomes, written) = store.write_many(
            |s| {
                let (outcomes, records) = plan(s, &rows, &key)?;
                Ok((records, outcomes))
            },
            |outcomes, _| format!("import {label}: {}", counts(outcomes, &errors)),
        )?;
        let _ = written;
        outcomes
    };
    if args.dry_run {
        let text = output::render_rows(&ctx.out, &outcomes, Format::Table)?;
        ctx.out.emit(Format::Table, &text)?;
    }
    output::status(&format!(
        "{}{label}: {}",
        if args.dry_run {
            "would import "
        } else {
            "imported "
        },
        counts(&outcomes, &errors)
    ));
    Ok(if errors.is_empty() {
        Exit::Success
    } else {
        Exit::Failure
    })
}

/// `3 created, 1 updated, 2 skipped, 1 failed`.
fn counts(outcomes: &[Outcome], errors: &[RowError]) -> String {
    let n = |a: Action| outcomes.iter().filter(|o| o.action == a).count();
    let mut s = format!(
        "{} created, {} updated, {} skipped",
        n(Action::Created),
        n(Action::Updated),
        n(Action::Skipped)
    );
    if !errors.is_empty() {
        s.push_str(&format!(", {} failed", errors.len()));
    }
    s
}

/// A record with its id.
type Named = (String, Record);

/// Plans every row against the records on disk: the outcomes, and the
/// records to write.
fn plan(store: &Store, rows: &[Incoming], key: &str) -> Result<(Vec<Outcome>, Vec<Named>)> {
    let ids = store.ids()?;
    let bar = crate::store::progress(ids.len() + rows.len());
    bar.set_message("importing");
    let mut existing = Vec::with_capacity(ids.len());
    let mut unreadable = Vec::new();
    for id in ids {
        // An unreadable record is never rewritten: it cannot be matched, and
        // its id is not given to a new record.
        match store.read(&id) {
            Ok(l) => existing.push((id, l.record)),
            Err(e) => {
                output::warn(&format!("skipped {e:#}"));
                unreadable.push(id);
            }
        }
        bar.inc(1);
    }
    let who = actor(store);
    let mut p = Plan::new(&store.process, key, who, store.default_owner(), existing);
    for id in &unreadable {
        p.reserve(id);
    }
    let mut outcomes = Vec::with_capacity(rows.len());
    for row in rows {
        let (id, action) = p.apply(row);
        let r = &p.records[&id];
        outcomes.push(Outcome {
            line: row.line,
            action,
            id,
            name: r.name.clone(),
            stage: r.stage.clone(),
            status: r.status,
        });
        bar.inc(1);
    }
    bar.finish_and_clear();
    let touched: Vec<String> = p.touched.keys().cloned().collect();
    let records = touched
        .into_iter()
        .filter_map(|id| p.records.remove(&id).map(|r| (id, r)))
        .collect();
    Ok((outcomes, records))
}

/// The rules: a preset, a rules file (`--rules`, or FILE.rules.yaml beside
/// the CSV) on top of it; with neither, the columns of `salesproc export`.
fn rules_for(args: &ImportArgs, store: &Store) -> Result<Rules> {
    let file: Option<PathBuf> = args.rules.clone().or_else(|| {
        (args.file != Path::new("-"))
            .then(|| {
                let mut p = args.file.clone().into_os_string();
                p.push(".rules.yaml");
                PathBuf::from(p)
            })
            .filter(|p| p.is_file())
    });
    let base = match args.preset {
        Some(ImportPreset::Hubspot) => Crm::HubSpot.rules(),
        Some(ImportPreset::Pipedrive) => Crm::Pipedrive.rules(),
        Some(ImportPreset::Salesforce) => Crm::Salesforce.rules(),
        None => generic(),
    };
    let base = with_own_columns(base);
    let _ = store;
    Ok(match file {
        Some(f) => base.overlay(Rules::load(&f)?),
        None => base,
    })
}

/// The columns `salesproc export --preset csv` writes.
pub fn generic() -> Rules {
    let mut r = Rules::default();
    for (t, c) in [
        ("name", "name"),
        ("external_id", "crm_id"),
        ("contact.name", "contact_name"),
        ("contact.email", "contact_email"),
        ("contact.phone", "contact_phone"),
        ("contact.title", "contact_title"),
        ("owner", "owner"),
        ("value", "value"),
        ("close_date", "close_date"),
        ("created", "created"),
        ("follow_up.date", "follow_up"),
        ("follow_up.action", "follow_up_action"),
    ] {
        r.columns.insert(t.into(), Columns::One(c.into()));
    }
    r
}

/// salesproc's own columns, which its exports add to every preset so that
/// an export reads back into the same records: `id`, `stage`, `status`.
fn with_own_columns(mut r: Rules) -> Rules {
    for (t, c) in [
        ("id", "salesproc id"),
        ("stage", "salesproc stage"),
        ("status", "salesproc status"),
    ] {
        let mut names = vec![c.to_string(), c.replace("salesproc ", "")];
        if let Some(old) = r.columns.shift_remove(t) {
            names.retain(|n| !old.names().contains(&n.as_str()));
            names.extend(old.names().into_iter().map(str::to_string));
        }
        r.columns.insert(t.into(), Columns::Any(names));
    }
    r
}
