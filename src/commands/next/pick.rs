//! Turning what the rep typed into one prospect without ever creating junk:
//! an ambiguous name offers its candidates, a near miss suggests the closest
//! names, and creation is offered only when nothing is close (default no).

use crate::commands::{Ambiguous, UsageError, near, resolve};
use crate::store::Store;
use crate::{output, prompt};
use anyhow::Result;

/// How many candidates a select offers.
const OFFERED: usize = 10;

/// The prospect `spec` names, asking in a terminal when it is ambiguous or
/// unknown; `None` when the rep picks nothing.
pub fn prospect(store: &Store, spec: &str, interactive: bool) -> Result<Option<String>> {
    let e = match resolve(store, spec) {
        Ok(id) => return Ok(Some(id)),
        Err(e) => e,
    };
    if !interactive || spec.trim().is_empty() {
        return Err(e);
    }
    if let Some(a) = e.downcast_ref::<Ambiguous>() {
        output::status(&format!("\"{}\" matches {} prospects", a.spec, a.ids.len()));
        let ids: Vec<String> = a.ids.iter().take(OFFERED).cloned().collect();
        return choose(store, "Which one?", &ids, a.ids.len() > OFFERED);
    }
    if e.downcast_ref::<UsageError>().is_none() {
        return Err(e);
    }
    let (rows, _) = store.rows()?;
    let close = near(spec, &rows);
    let spec = spec.trim();
    if !close.is_empty() {
        output::status(&format!("no prospect matches \"{spec}\""));
        return choose(store, "Did you mean?", &close, false);
    }
    output::status(&format!("no prospect matches \"{spec}\" yet"));
    if !prompt::confirm(&format!("Create \"{spec}\" as a new prospect?"), false)? {
        return Ok(None);
    }
    super::super::add::create(store, spec, Default::default(), None, None).map(Some)
}

/// A select over `ids` (shown with their names) and "none of these".
fn choose(store: &Store, question: &str, ids: &[String], more: bool) -> Result<Option<String>> {
    let mut labels: Vec<String> = ids
        .iter()
        .map(|id| match store.read(id) {
            Ok(r) => format!("{id} — {}", output::escape_controls(&r.record.name, false)),
            Err(_) => id.clone(),
        })
        .collect();
    labels.push(if more {
        "none of these (type a longer name)".to_string()
    } else {
        "none of these".to_string()
    });
    let shown: Vec<&str> = labels.iter().map(String::as_str).collect();
    match prompt::select_or_skip(question, &shown, 0, false)? {
        prompt::Got::Value(i) if i < ids.len() => Ok(Some(ids[i].clone())),
        _ => Ok(None),
    }
}
