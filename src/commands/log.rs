//! `salesproc log PROSPECT`: the history, oldest first.

use super::{Ctx, Exit, for_each_read};
use crate::cli::Format;
use crate::output::{self, Tabular};
use crate::prospect::Event;
use anyhow::Result;
use serde::Serialize;

/// One history event, flattened for every format.
#[derive(Debug, Serialize)]
pub struct LogRow {
    pub prospect: String,
    #[serde(flatten)]
    pub event: Event,
}

impl LogRow {
    fn what(&self) -> String {
        let e = &self.event;
        let mut s = e.event.to_string();
        if let Some(step) = &e.step {
            s.push(' ');
            s.push_str(step);
        }
        if let Some(item) = &e.item {
            s.push('/');
            s.push_str(item);
        }
        if let Some(o) = e.outcome {
            s.push_str(&format!(" {}", o.name()));
        }
        if let Some(to) = &e.to {
            s.push_str(&format!(" → {to}"));
        }
        if let Some(st) = e.status {
            s.push_str(&format!(" [{}]", st.name()));
        }
        s
    }

    fn detail(&self) -> String {
        let e = &self.event;
        let mut parts = Vec::new();
        if let Some(w) = &e.why {
            parts.push(format!("why: {w}"));
        }
        if let Some(r) = &e.revisit {
            parts.push(format!("revisit {r}"));
        }
        if let Some(d) = &e.date {
            parts.push(d.to_string());
        }
        if let Some(a) = &e.action {
            parts.push(a.to_string());
        }
        // `done` carries what came of it.
        if let Some(n) = e.extra.get("note").and_then(|n| n.as_str()) {
            parts.push(format!("note: {n}"));
        }
        parts.join("; ")
    }
}

/// Every event field as its own column, for spreadsheets and scripts.
impl Tabular for LogRow {
    fn headers() -> Vec<&'static str> {
        vec![
            "prospect", "at", "by", "event", "step", "item", "outcome", "why", "to", "status",
            "revisit", "date", "action", "value", "owner",
        ]
    }
    fn row(&self) -> Vec<String> {
        let e = &self.event;
        let o = |v: &Option<crate::prospect::Text>| v.as_deref().unwrap_or_default().to_string();
        vec![
            self.prospect.clone(),
            e.at.to_string(),
            o(&e.by),
            e.event.to_string(),
            o(&e.step),
            o(&e.item),
            e.outcome.map(|x| x.name().to_string()).unwrap_or_default(),
            o(&e.why),
            o(&e.to),
            e.status.map(|x| x.name().to_string()).unwrap_or_default(),
            o(&e.revisit),
            o(&e.date),
            o(&e.action),
            e.extra.get("value").map(extra_text).unwrap_or_default(),
            e.extra.get("owner").map(extra_text).unwrap_or_default(),
        ]
    }
    fn id(&self) -> String {
        self.prospect.clone()
    }
}

/// Prints the history of one prospect (or of each id from stdin).
pub fn run(ctx: &Ctx, spec: &str) -> Result<Exit> {
    let store = ctx.store()?;
    let mut rows = Vec::new();
    let exit = for_each_read(&store, spec, |id| {
        let r = store.read(id)?.record;
        let mut events = r.history;
        events.sort_by(|a, b| a.at.cmp(&b.at));
        rows.extend(events.into_iter().map(|event| LogRow {
            prospect: id.to_string(),
            event,
        }));
        Ok(())
    })?;
    if ctx.out.format_or(Format::Table) == Format::Table {
        let mut t = ctx.out.table(&["at", "by", "event", "detail"]);
        for r in &rows {
            t.add_row(vec![
                r.event.at.to_string(),
                r.event.by.as_deref().unwrap_or_default().to_string(),
                r.what(),
                r.detail(),
            ]);
        }
        if !rows.is_empty() {
            ctx.out.emit_paged(Format::Table, &output::table_text(&t))?;
        }
    } else {
        ctx.out.emit_paged(
            Format::Table,
            &output::render_rows(&ctx.out, &rows, Format::Table)?,
        )?;
    }
    Ok(exit)
}

/// A `set` event's value or an `assigned` event's owner, as text.
fn extra_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}
