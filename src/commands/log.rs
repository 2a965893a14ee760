//! `salesproc log PROSPECT`: the history, oldest first.

use super::{Ctx, Exit, for_each};
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
        let mut s = e.event.clone();
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
            parts.push(d.clone());
        }
        if let Some(a) = &e.action {
            parts.push(a.clone());
        }
        // `done` carries what came of it.
        if let Some(n) = e.extra.get("note").and_then(|n| n.as_str()) {
            parts.push(format!("note: {n}"));
        }
        parts.join("; ")
    }
}

impl Tabular for LogRow {
    fn headers() -> Vec<&'static str> {
        vec!["prospect", "at", "by", "event", "detail"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.prospect.clone(),
            self.event.at.clone(),
            self.event.by.clone().unwrap_or_default(),
            self.what(),
            self.detail(),
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
    let exit = for_each(&store, spec, |id| {
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
                r.event.at.clone(),
                r.event.by.clone().unwrap_or_default(),
                r.what(),
                r.detail(),
            ]);
        }
        if !rows.is_empty() {
            ctx.out.emit(Format::Table, &output::table_text(&t))?;
        }
    } else {
        ctx.out.emit(
            Format::Table,
            &output::render_rows(&ctx.out, &rows, Format::Table)?,
        )?;
    }
    Ok(exit)
}
