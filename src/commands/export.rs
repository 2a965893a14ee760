//! `salesproc export --preset hubspot|pipedrive|salesforce|csv`: every record
//! as one CSV row, in the columns and date format a CRM's importer takes, or
//! every field (`csv`) with answers flattened as `step.item`. The CRM presets
//! add `salesproc id`, `salesproc stage` and `salesproc status`, so an export
//! imports back into the same records.

use super::{Ctx, Exit, report_unreadable};
use crate::cli::ExportPreset;
use crate::import::presets::Crm;
use crate::output;
use crate::prospect::{Record, Status};
use crate::store::Store;
use crate::value::display_value;
use anyhow::Result;
use serde_json::Value;

/// Writes every record as CSV for a CRM's importer or a spreadsheet.
pub fn run(ctx: &Ctx, preset: ExportPreset) -> Result<Exit> {
    let store = ctx.store()?;
    let mut bad = Vec::new();
    let mut records = Vec::new();
    for id in store.ids()? {
        match store.read(&id) {
            Ok(l) => records.push((id, l.record)),
            Err(e) => bad.push(e),
        }
    }
    let (headers, rows) = match preset {
        ExportPreset::Csv => wide(&store, &records),
        ExportPreset::Hubspot => crm(Crm::HubSpot, &records),
        ExportPreset::Pipedrive => crm(Crm::Pipedrive, &records),
        ExportPreset::Salesforce => crm(Crm::Salesforce, &records),
    };
    let text = output::csv_text(&headers, rows, b',')?;
    ctx.out.emit(crate::cli::Format::Csv, &text)?;
    report_unreadable(bad)
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => display_value(other),
    }
}

/// The wide CSV: every field, user keys as `extra.KEY`, answers as `step.item`.
fn wide(store: &Store, records: &[(String, Record)]) -> (Vec<String>, Vec<Vec<String>>) {
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
    let mut keys: Vec<String> = Vec::new();
    for (_, r) in records {
        for k in r.extra.keys() {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    keys.sort();
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
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let rows = records
        .iter()
        .map(|(id, r)| {
            let mut row = vec![
                id.clone(),
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
                keys.iter()
                    .map(|k| r.extra.get(k).map(text).unwrap_or_default()),
            );
            row.extend(
                items
                    .iter()
                    .map(|(s, i)| r.answer(s, i).map(display_value).unwrap_or_default()),
            );
            row
        })
        .collect();
    (headers, rows)
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
fn crm(crm: Crm, records: &[(String, Record)]) -> (Vec<String>, Vec<Vec<String>>) {
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
    let today = crate::clock::today();
    let mut defaulted = 0usize;
    let rows = records
        .iter()
        .map(|(id, r)| {
            let mut row: Vec<String> = targets.iter().map(|(t, _)| cell(crm, t, r, &key)).collect();
            // Salesforce requires a close date: the expected one, else the
            // follow-up, else 90 days from today.
            if crm == Crm::Salesforce
                && let Some(i) = targets.iter().position(|(t, _)| t == "close_date")
                && row[i].is_empty()
            {
                let d = r.follow_up_date().map(str::to_string).unwrap_or_else(|| {
                    today
                        .checked_add(jiff::ToSpan::days(90))
                        .unwrap_or(today)
                        .to_string()
                });
                row[i] = date_for(crm, &d);
                defaulted += 1;
            }
            row.extend([id.clone(), r.stage.clone(), r.status.name().into()]);
            row
        })
        .collect();
    if defaulted > 0 {
        output::status(&format!(
            "{defaulted} records have no close date; Salesforce requires one, so they get their follow-up date or 90 days from today\nhint: `salesproc set ID close-date DATE` sets the real one"
        ));
    }
    (headers, rows)
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
