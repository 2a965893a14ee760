//! `salesproc export --preset hubspot|pipedrive|salesforce|csv`: every record
//! as one CSV row, in the columns and date format a CRM's importer takes, or
//! every field (`csv`) with answers flattened as `step.item`. The CRM presets
//! add `salesproc id`, `salesproc stage` and `salesproc status`, so an export
//! imports back into the same records.

use super::{Ctx, Exit, report_unreadable};
use crate::cli::ExportPreset;
use crate::import::presets::Crm;
use crate::output;
use crate::parallel;
use crate::prospect::{Record, Status};
use crate::store::Store;
use crate::value::display_value;
use anyhow::Result;
use serde_json::Value;
use std::collections::BTreeSet;
use std::ops::Range;

/// Writes every record as CSV for a CRM's importer or a spreadsheet, a
/// chunk of records at a time read on every core and written in id order
/// as they come (at 100,000 records nothing grows with the folder).
pub fn run(ctx: &Ctx, preset: ExportPreset) -> Result<Exit> {
    let store = ctx.store()?;
    // Files in prospects/ that are not records (a FIFO, a bad name) are
    // named, and make the exit 1, as `list` does.
    let listing = store.listing()?;
    let ids = listing.ids;
    let crm = match preset {
        ExportPreset::Csv => None,
        ExportPreset::Hubspot => Some(Crm::HubSpot),
        ExportPreset::Pipedrive => Some(Crm::Pipedrive),
        ExportPreset::Salesforce => Some(Crm::Salesforce),
    };
    let layout = match crm {
        // The wide export has a column per key of the records' own: a first
        // pass finds them (only they are kept).
        None => Layout::Wide(wide(&store, extra_keys(&store, &ids))),
        Some(c) => Layout::Crm(crm_columns(c)),
    };
    let today = crate::clock::today();
    let threads = parallel::threads();
    let chunks = parallel::chunks(ids.len(), threads);
    let mut bad = listing.problems;
    let mut defaulted = 0usize;
    let work = |r: &Range<usize>, _: &mut ()| {
        r.clone()
            .map(|i| {
                let l = store.read(&ids[i])?;
                Ok(match &layout {
                    Layout::Wide(w) => (wide_row(&store, w, &ids[i], &l.record), false),
                    Layout::Crm(c) => crm_row(c, &ids[i], &l.record, today),
                })
            })
            .collect::<Vec<Result<(Vec<String>, bool)>>>()
    };
    let headers = match &layout {
        Layout::Wide(w) => w.headers.clone(),
        Layout::Crm(c) => c.headers.clone(),
    };
    output::print_with(|w| {
        let mut out = output::CsvOut::new(w, &headers, b',').map_err(output::as_io)?;
        let mut failed: Option<std::io::Error> = None;
        parallel::in_order(&chunks, threads, 1, work, |_, rows| {
            let rows = match rows {
                Ok(rows) => rows,
                Err(p) => std::panic::resume_unwind(p),
            };
            for row in rows {
                match row {
                    Ok((row, d)) if failed.is_none() => {
                        defaulted += usize::from(d);
                        if let Err(e) = out.row(row) {
                            failed = Some(output::as_io(e));
                        }
                    }
                    Ok(_) => {}
                    Err(e) => bad.push(e),
                }
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        out.finish().map_err(output::as_io)
    })?;
    if defaulted > 0 {
        output::status(&format!(
            "{defaulted} records have no close date; Salesforce requires one, so they get their follow-up date or 90 days from today\nhint: `salesproc set ID close-date DATE` sets the real one"
        ));
    }
    report_unreadable(bad)
}

/// The keys of the records' own (`extra`), sorted: read on every core.
fn extra_keys(store: &Store, ids: &[String]) -> Vec<String> {
    let threads = parallel::threads();
    let chunks = parallel::chunks(ids.len(), threads);
    let work = |r: &Range<usize>, _: &mut ()| {
        let mut keys = BTreeSet::new();
        for i in r.clone() {
            if let Ok(l) = store.read(&ids[i]) {
                keys.extend(l.record.extra.keys().cloned());
            }
        }
        keys
    };
    let mut keys = BTreeSet::new();
    parallel::in_order(&chunks, threads, 1, work, |_, got| match got {
        Ok(k) => keys.extend(k),
        Err(p) => std::panic::resume_unwind(p),
    });
    keys.into_iter().collect()
}

/// What each row holds.
enum Layout {
    Wide(Wide),
    Crm(CrmColumns),
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => display_value(other),
    }
}

/// The wide CSV's columns: every field, user keys as `extra.KEY`, answers
/// as `step.item`.
struct Wide {
    headers: Vec<String>,
    keys: Vec<String>,
    items: Vec<(String, String)>,
}

fn wide(store: &Store, keys: Vec<String>) -> Wide {
    let p = &store.process;
    let mut headers: Vec<String> = [
        "id",
        "name",
        "contact_name",
        "contact_title",
        "contact_email",
        "contact_phone",
        "owner",
        "stage",
        "status",
        "value",
        "currency",
        "close_date",
        "created",
        "follow_up",
        "follow_up_action",
        "last_activity",
    ]
    .map(String::from)
    .to_vec();
    headers.extend(keys.iter().map(|k| format!("extra.{k}")));
    let items: Vec<(String, String)> = p
        .steps
        .iter()
        .flat_map(|s| {
            s.checklist
                .items
                .iter()
                .map(|i| (s.id.clone(), i.id.clone()))
        })
        .collect();
    headers.extend(items.iter().map(|(s, i)| format!("{s}.{i}")));
    Wide {
        headers,
        keys,
        items,
    }
}

/// One record's row of the wide CSV.
fn wide_row(store: &Store, w: &Wide, id: &str, r: &Record) -> Vec<String> {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut row = vec![
        id.to_string(),
        r.name.clone(),
        o(&r.contact.name),
        o(&r.contact.title),
        o(&r.contact.email),
        o(&r.contact.phone),
        o(&r.owner),
        r.stage.clone(),
        r.status.name().into(),
        r.value.as_ref().map(|n| n.to_string()).unwrap_or_default(),
        if r.value.is_some() {
            o(&store.config.currency)
        } else {
            String::new()
        },
        o(&r.close_date),
        r.created_at().unwrap_or("").to_string(),
        r.follow_up_date().unwrap_or("").to_string(),
        r.follow_up
            .as_ref()
            .and_then(|f| f.action.clone())
            .unwrap_or_default(),
        r.last_activity().unwrap_or("").to_string(),
    ];
    row.extend(
        w.keys
            .iter()
            .map(|k| r.extra.get(k).map(text).unwrap_or_default()),
    );
    row.extend(
        w.items
            .iter()
            .map(|(s, i)| r.answer(s, i).map(display_value).unwrap_or_default()),
    );
    row
}

/// A date as the CRM's importer reads it.
fn date_for(crm: Crm, iso: &str) -> String {
    let iso = iso.get(..10).unwrap_or(iso);
    match (crm, iso.split('-').collect::<Vec<_>>().as_slice()) {
        (Crm::HubSpot | Crm::Salesforce, [y, m, d]) => format!("{m}/{d}/{y}"),
        _ => iso.to_string(),
    }
}

/// A CRM's columns: the first column name of each of its preset's targets,
/// then salesproc's own.
struct CrmColumns {
    crm: Crm,
    key: String,
    targets: Vec<(String, String)>,
    headers: Vec<String>,
}

fn crm_columns(crm: Crm) -> CrmColumns {
    let rules = crm.rules();
    let key = rules.key().to_string();
    let mut targets: Vec<(String, String)> = rules
        .columns
        .iter()
        .filter_map(|(t, c)| Some((t.clone(), c.names().first()?.to_string())))
        .collect();
    // HubSpot's importer requires a pipeline (`default` is its own).
    if crm == Crm::HubSpot {
        targets.insert(2, ("pipeline".into(), "Pipeline".into()));
    }
    let mut headers: Vec<String> = targets.iter().map(|(_, c)| c.clone()).collect();
    headers.extend(["salesproc id", "salesproc stage", "salesproc status"].map(String::from));
    CrmColumns {
        crm,
        key,
        targets,
        headers,
    }
}

/// One record's row for a CRM, and whether its close date was made up
/// (Salesforce requires one).
fn crm_row(c: &CrmColumns, id: &str, r: &Record, today: jiff::civil::Date) -> (Vec<String>, bool) {
    let crm = c.crm;
    let mut row: Vec<String> = c
        .targets
        .iter()
        .map(|(t, _)| cell(crm, t, r, &c.key))
        .collect();
    let mut defaulted = false;
    // Salesforce requires a close date: the expected one, else the
    // follow-up, else 90 days from today.
    if crm == Crm::Salesforce
        && let Some(i) = c.targets.iter().position(|(t, _)| t == "close_date")
        && row[i].is_empty()
    {
        let d = r.follow_up_date().map(str::to_string).unwrap_or_else(|| {
            today
                .checked_add(jiff::ToSpan::days(90))
                .unwrap_or(today)
                .to_string()
        });
        row[i] = date_for(crm, &d);
        defaulted = true;
    }
    row.extend([id.to_string(), r.stage.clone(), r.status.name().into()]);
    (row, defaulted)
}

fn cell(crm: Crm, target: &str, r: &Record, key: &str) -> String {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    match target {
        "external_id" => r.extra.get(key).map(text).unwrap_or_default(),
        "name" => r.name.clone(),
        "stage" => crm.stage_name(&r.stage, r.status).to_string(),
        "status" => match r.status {
            Status::Won => "Won",
            Status::Lost => "Lost",
            _ => "Open",
        }
        .into(),
        "value" => r.value.as_ref().map(|n| n.to_string()).unwrap_or_default(),
        "close_date" => r
            .close_date
            .as_deref()
            .map(|d| date_for(crm, d))
            .unwrap_or_default(),
        "created" => r.created_at().map(|d| date_for(crm, d)).unwrap_or_default(),
        "owner" => o(&r.owner),
        "contact.name" => o(&r.contact.name),
        "contact.email" => o(&r.contact.email),
        "contact.phone" => o(&r.contact.phone),
        "contact.title" => o(&r.contact.title),
        "pipeline" => "default".into(),
        // Pipedrive and Salesforce need an organization / account; a record
        // without one is its own (and an import does not keep that one).
        "extra.company" => r
            .extra
            .get("company")
            .map(text)
            .unwrap_or_else(|| r.name.clone()),
        t => {
            if let Some(k) = t.strip_prefix("extra.") {
                return r.extra.get(k).map(text).unwrap_or_default();
            }
            if let Some((s, i)) = t.strip_prefix("answers.").and_then(|x| x.split_once('.')) {
                return r.answer(s, i).map(display_value).unwrap_or_default();
            }
            String::new()
        }
    }
}
