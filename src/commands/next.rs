//! `salesproc next PROSPECT`: the main job. Walks the current step: header,
//! the items, the decision, the agreed next step; saves after every answer.

use super::{Ctx, Exit, UsageError, actor, answer, decide, follow_up, resolve};
use crate::cli::Format;
use crate::output::{self, Out, Tabular};
use crate::process::{Item, Step};
use crate::prospect::{Outcome, Record, Status};
use crate::store::Store;
use crate::{flow, prompt};
use anyhow::Result;
use serde::Serialize;

/// Walks the prospect's current step, or lists its pending items without a terminal.
pub fn run(ctx: &Ctx, spec: &str) -> Result<Exit> {
    let store = ctx.store()?;
    if spec == "-" {
        return pending_batch(ctx, &store);
    }
    let interactive = prompt::can_prompt(ctx.no_input);
    let id = match resolve(&store, spec) {
        Ok(id) => id,
        Err(e)
            if interactive
                && e.downcast_ref::<UsageError>().is_some()
                && !spec.trim().is_empty() =>
        {
            output::status(&format!("no prospect matches \"{}\" yet", spec.trim()));
            if !prompt::confirm(
                &format!("Create \"{}\" as a new prospect?", spec.trim()),
                true,
            )? {
                return Ok(Exit::Success);
            }
            super::add::create(&store, spec, Default::default(), None, None)?
        }
        Err(e) => return Err(e),
    };
    if !interactive {
        return pending(&store, &ctx.out, &id);
    }
    prompt::install_interrupt_handler();
    walk(&store, &ctx.out, &id)
}

fn walk(store: &Store, out: &Out, id: &str) -> Result<Exit> {
    loop {
        let mut rec = store.read(id)?.record;
        if rec.status.is_closed() {
            output::status(&format!(
                "{} is {}: there is no step left to walk",
                rec.name,
                rec.status.name()
            ));
            return Ok(Exit::Success);
        }
        let review = rec.status == Status::Nurturing;
        if review {
            let who = actor(store);
            rec = store.update(id, |r| {
                flow::reopen(r, &who);
                Ok((Some(format!("{id}: reopen at {}", r.stage)), r.clone()))
            })?;
            output::status(&format!(
                "reopened {} at {} (it was nurturing)",
                rec.name, rec.stage
            ));
        }
        let step = store.process.step(&rec.stage).ok_or_else(|| {
            anyhow::anyhow!(
                "{id} is at unknown step \"{}\"\nhint: run `salesproc validate`",
                rec.stage
            )
        })?;
        header(store, out, &rec, step);
        for item in &step.checklist.items {
            let earlier = rec.answer(&step.id, &item.id).cloned();
            if earlier.is_some() && !review {
                continue;
            }
            if let Some(v) = prompt::ask_item(item, earlier.as_ref())? {
                answer::save(store, id, &step.id, &item.id, v)?;
            }
        }
        let rec = store.read(id)?.record;
        let missing = flow::missing_required(&rec, &store.process, &step.id);
        if !missing.is_empty() {
            let ids: Vec<&str> = missing.iter().map(|i| i.id.as_str()).collect();
            output::status(&format!(
                "still required before a decision: {}",
                ids.join(", ")
            ));
            agree_next_step(store, id, &rec)?;
            return Ok(Exit::Success);
        }
        if !decide_step(store, id, step)? {
            return Ok(Exit::Success);
        }
    }
}

fn header(store: &Store, out: &Out, rec: &Record, step: &Step) {
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
        out.dim("(Enter on an empty answer skips an item; Ctrl-C stops, answers are kept)")
    );
}

/// Asks the decision; returns true when the walk should go on to the next step.
fn decide_step(store: &Store, id: &str, step: &Step) -> Result<bool> {
    let p = &store.process;
    let title = &step.checklist.title;
    let yes = match p.next_step(&step.id) {
        Some(n) => format!("yes (advance to {})", n.checklist.title),
        None => "yes (won: the deal is agreed)".to_string(),
    };
    let later_to = p
        .step(&p.later_returns_to)
        .map(|s| s.checklist.title.as_str())
        .unwrap_or("");
    let later = format!("later (nurture: back to {later_to})");
    let choices = [
        yes.as_str(),
        "not yet (stay here)",
        later.as_str(),
        "no (disqualify)",
    ];
    match prompt::select(&format!("Decision on {title}?"), &choices, 0)? {
        0 => {
            let t = decide::apply(store, id, Outcome::Yes, None, None)?;
            output::status(&format!("{id}: {}", t.describe()));
            if t.status == Status::Won {
                output::status("won: it is a customer now");
                return Ok(false);
            }
            let rec = store.read(id)?.record;
            agree_next_step(store, id, &rec)?;
            let next = p
                .step(&t.to)
                .map(|s| s.checklist.title.clone())
                .unwrap_or_default();
            prompt::confirm(&format!("Continue with {next}?"), true)
        }
        1 => {
            let rec = store.read(id)?.record;
            agree_next_step(store, id, &rec)?;
            Ok(false)
        }
        2 => {
            let why = ask_why()?;
            let revisit = prompt::date("Revisit on (YYYY-MM-DD, empty for none)", "")?;
            let t = decide::apply(store, id, Outcome::Later, Some(&why), revisit.as_deref())?;
            output::status(&format!("{id}: {} (nurturing)", t.describe()));
            Ok(false)
        }
        _ => {
            let why = ask_why()?;
            let t = decide::apply(store, id, Outcome::No, Some(&why), None)?;
            output::status(&format!("{id}: {}", t.describe()));
            Ok(false)
        }
    }
}

fn ask_why() -> Result<String> {
    loop {
        let why = prompt::text("Why?", "")?;
        if !why.trim().is_empty() {
            return Ok(why.trim().to_string());
        }
        output::status("always seek the why: a few words are enough");
    }
}

fn agree_next_step(store: &Store, id: &str, rec: &Record) -> Result<()> {
    let old = rec.follow_up.as_ref();
    let action = prompt::text(
        "Next step?",
        old.and_then(|f| f.action.as_deref()).unwrap_or(""),
    )?;
    let date = prompt::date(
        "Next step date?",
        old.and_then(|f| f.date.as_deref()).unwrap_or(""),
    )?;
    let action = Some(action.trim().to_string()).filter(|a| !a.is_empty());
    let shown = format!(
        "{} {}",
        date.as_deref().unwrap_or("(no date)"),
        action.as_deref().unwrap_or("")
    );
    if follow_up::apply(store, id, date, action)? {
        output::status(&format!("{id}: next step {}", shown.trim_end()));
    }
    Ok(())
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
