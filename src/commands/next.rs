//! `salesproc next PROSPECT`: the main job. Walks the current step: header,
//! the items, the decision, the agreed next step; saves after every answer.

mod journal;
mod pick;
mod walk;

use super::{Ctx, Exit};
use crate::cli::Format;
use crate::output::{self, Out, Tabular};
use crate::process::{Item, Step};
use crate::prompt;
use crate::prospect::Record;
use crate::store::Store;
use anyhow::Result;
use serde::Serialize;

/// Walks the prospect's current step, or lists its pending items without a terminal.
pub fn run(ctx: &Ctx, spec: &str) -> Result<Exit> {
    let store = ctx.store()?;
    if spec == "-" {
        return pending_batch(ctx, &store);
    }
    let interactive = prompt::can_prompt(ctx.no_input);
    let Some(id) = pick::prospect(&store, spec, interactive)? else {
        return Ok(Exit::Success);
    };
    if !interactive {
        return pending(&store, &ctx.out, &id);
    }
    walk_one(&store, &ctx.out, &id)
}

/// Walks one prospect in a terminal (also what the agenda walk calls).
pub fn walk_one(store: &Store, out: &Out, id: &str) -> Result<Exit> {
    prompt::install_interrupt_handler();
    let quiet = Store::open_at(&store.root, true)?;
    walk::walk(store, &quiet, out, id)
}

pub(super) fn header(store: &Store, out: &Out, rec: &Record, step: &Step) {
    // The walk talks on stderr, so it follows stderr's colour.
    let out = &Out {
        color: output::stderr_color(),
        ..*out
    };
    let p = &store.process;
    let phase = p
        .phase(&step.phase)
        .map(|ph| ph.title.as_str())
        .unwrap_or(&step.phase);
    let n = p.index(&step.id).unwrap_or(0) + 1;
    let (done, total) = rec.progress(p, &step.id);
    let title = format!("{phase} · {n}/{} {}", p.steps.len(), step.checklist.title);
    let shown = |s: String| output::escape_controls(&s, out.color).into_owned();
    eprintln!(
        "{}",
        shown(format!("\n{} — {}", out.bold(&rec.name), out.bold(&title)))
    );
    eprintln!("{}", shown(out.dim(&step.checklist.purpose)));
    eprintln!("{done}/{total} answered");
    // Context a rep wants before the call: the last later or no, and the agreed next step.
    if let Some(e) = rec.history.iter().rev().find(|e| e.why.is_some()) {
        let at = e.at.get(..10).unwrap_or(&e.at);
        let outcome = e.outcome.map(|o| o.name()).unwrap_or("");
        let why = e.why.as_deref().unwrap_or("");
        eprintln!("{}", shown(format!("last {outcome} on {at}: {why}")));
    }
    if let Some(f) = &rec.follow_up {
        let date = f.date.as_deref().unwrap_or("(no date)");
        let action = f.action.as_deref().unwrap_or("");
        eprintln!("{}", shown(format!("agreed next step: {date} {action}")));
    }
    eprintln!(
        "{}\n",
        out.dim("(Enter on an empty answer or Esc skips an item; ← goes back to the one before; a letter jumps in a list; Ctrl-C stops, answers are kept)")
    );
}

/// A pending item, as printed by `next` without a terminal.
#[derive(Debug, Serialize)]
pub struct Pending {
    pub prospect: String,
    pub step: String,
    pub item: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub required: bool,
    pub ask: String,
    pub options: Vec<String>,
    pub help: Option<String>,
}

impl Pending {
    fn new(id: &str, step: &str, item: &Item) -> Pending {
        Pending {
            prospect: id.to_string(),
            step: step.to_string(),
            item: item.id.clone(),
            kind: item.kind.name().to_string(),
            required: item.required,
            ask: item.ask.clone(),
            options: item.options.clone(),
            help: item.help.clone(),
        }
    }
}

impl Tabular for Pending {
    fn headers() -> Vec<&'static str> {
        vec![
            "prospect", "step", "item", "type", "required", "ask", "options",
        ]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.prospect.clone(),
            self.step.clone(),
            self.item.clone(),
            self.kind.clone(),
            output::yes_no(self.required),
            self.ask.clone(),
            self.options.join(" | "),
        ]
    }
    fn id(&self) -> String {
        format!("{}/{}", self.step, self.item)
    }
}

/// The unanswered items of a record's current step (none once it is closed).
fn pending_rows(rec: &Record, store: &Store, id: &str) -> Vec<Pending> {
    match store.process.step(&rec.stage) {
        Some(step) if !rec.status.is_closed() => step
            .checklist
            .items
            .iter()
            .filter(|i| rec.answer(&step.id, &i.id).is_none())
            .map(|i| Pending::new(id, &step.id, i))
            .collect(),
        _ => Vec::new(),
    }
}

/// `next -`: the pending items of every id on stdin; one list in data formats.
fn pending_batch(ctx: &Ctx, store: &Store) -> Result<Exit> {
    if ctx.out.format_or(Format::Table) == Format::Table {
        return super::for_each(store, "-", |id| pending(store, &ctx.out, id).map(|_| ()));
    }
    let mut rows = Vec::new();
    let exit = super::for_each(store, "-", |id| {
        let rec = store.read(id)?.record;
        rows.extend(pending_rows(&rec, store, id));
        Ok(())
    })?;
    ctx.out.emit(
        Format::Table,
        &output::render_rows(&ctx.out, &rows, Format::Table)?,
    )?;
    Ok(exit)
}

fn pending(store: &Store, out: &Out, id: &str) -> Result<Exit> {
    let rec = store.read(id)?.record;
    let rows = pending_rows(&rec, store, id);
    if out.format_or(Format::Table) == Format::Table
        && let Some(step) = store.process.step(&rec.stage)
    {
        {
            let (done, total) = rec.progress(&store.process, &step.id);
            let phase = store
                .process
                .phase(&step.phase)
                .map(|p| p.title.clone())
                .unwrap_or_default();
            let n = store.process.index(&step.id).unwrap_or(0) + 1;
            out.emit(
                Format::Table,
                &format!(
                    "{} — {phase} · {n}/{} {} ({}, {done}/{total} answered)\n",
                    rec.name,
                    store.process.steps.len(),
                    step.checklist.title,
                    rec.status.name()
                ),
            )?;
        }
    }
    out.emit(
        Format::Table,
        &output::render_rows(out, &rows, Format::Table)?,
    )?;
    let hint = if rec.status.is_closed() {
        format!("{} is {}", rec.name, rec.status.name())
    } else if rows.is_empty() {
        format!("nothing pending: decide with `salesproc decide {id} yes|no|later`")
    } else {
        format!(
            "no terminal: answer with `salesproc answer {id} ITEM VALUE`, or run `salesproc next {id}` in a terminal"
        )
    };
    output::status(&hint);
    Ok(Exit::Success)
}
