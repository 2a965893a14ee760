//! The walk itself: reopen (asked), the items (with a way back), the
//! decision (all four choices at any time), the agreed next step. Writes go
//! to disk at once; the walk makes one git commit when it ends.

use super::journal::Journal;
use crate::clock::Expect;
use crate::commands::{Exit, actor, answer, decide, follow_up};
use crate::flow;
use crate::output::{self, Out};
use crate::process::Step;
use crate::prompt::{self, Got};
use crate::prospect::{Outcome, Record, Status};
use crate::store::Store;
use anyhow::Result;
use std::sync::{Arc, Mutex};

/// Walks `id` from its current step on. `store` commits once at the end
/// (also after Ctrl-C); `quiet` is the same folder with commits off.
pub fn walk(store: &Store, quiet: &Store, out: &Out, id: &str) -> Result<Exit> {
    let log = Arc::new(Mutex::new(Journal::default()));
    let (root, path, who) = (store.root.clone(), store.path_of(id)?, id.to_string());
    let shared = Arc::clone(&log);
    // A Ctrl-C between prompts (while a write runs) still commits the walk.
    prompt::on_interrupt(Some(Box::new(move || {
        let done = Store::open_at(&root, false).and_then(|s| commit(&s, &path, &who, &shared));
        if let Err(e) = done {
            output::warn(&format!("{e:#}"));
        }
    })));
    let result = steps(quiet, out, id, &log);
    prompt::on_interrupt(None);
    let committed = commit(store, &store.path_of(id)?, id, &log);
    match committed {
        Err(e) if result.is_err() => output::warn(&format!("{e:#}")),
        other => other?,
    }
    result
}

/// The walk's journal, shared with the Ctrl-C hook.
type Log = Mutex<Journal>;

fn with(log: &Log, f: impl FnOnce(&mut Journal)) {
    if let Ok(mut j) = log.lock() {
        f(&mut j);
    }
}

/// Commits what the walk saved, once.
fn commit(store: &Store, path: &std::path::Path, id: &str, log: &Mutex<Journal>) -> Result<()> {
    let mut log = log
        .lock()
        .map_err(|_| anyhow::anyhow!("walk journal poisoned"))?;
    if let Some(message) = log.take_message(id) {
        let _lock = store.lock()?;
        store.commit(&[path.to_path_buf()], &message)?;
    }
    Ok(())
}

fn steps(s: &Store, out: &Out, id: &str, log: &Log) -> Result<Exit> {
    loop {
        let rec = s.read(id)?.record;
        if rec.status.is_closed() {
            output::status(&format!(
                "{} is {}: there is no step left to walk\nhint: `salesproc reopen {id} --why …` reopens it",
                rec.name,
                rec.status.name()
            ));
            return Ok(Exit::Success);
        }
        let review = rec.status == Status::Nurturing;
        if review && !reopen(s, id, &rec, log)? {
            return Ok(Exit::Success);
        }
        let rec = s.read(id)?.record;
        let step = s.process.step(&rec.stage).ok_or_else(|| {
            anyhow::anyhow!(
                "{id} is at unknown step \"{}\"\nhint: run `salesproc validate`",
                rec.stage
            )
        })?;
        with(log, |j| j.start(&step.id));
        super::header(s, out, &rec, step);
        items(s, id, step, review, log)?;
        if !decide_step(s, id, step, log)? {
            return Ok(Exit::Success);
        }
    }
}

/// Asks before reopening a nurturing record; writes nothing on no.
fn reopen(s: &Store, id: &str, rec: &Record, log: &Log) -> Result<bool> {
    let until = rec
        .follow_up
        .as_ref()
        .and_then(|f| f.date.as_deref())
        .map(|d| format!(" until {d}"))
        .unwrap_or_default();
    let why = rec
        .history
        .iter()
        .rev()
        .find_map(|e| e.why.as_deref())
        .map(|w| format!(" (why: {w})"))
        .unwrap_or_default();
    let name = output::escape_controls(&rec.name, false);
    if !prompt::confirm(
        &format!("{name} is nurturing{until}{why}. Reopen now?"),
        true,
    )? {
        output::status(&format!("{name} stays nurturing"));
        return Ok(false);
    }
    let who = actor(s);
    let rec = s.update(id, |r| {
        flow::reopen(r, &who);
        Ok((Some(format!("{id}: reopen at {}", r.stage)), r.clone()))
    })?;
    output::status(&format!(
        "reopened {} at {} (it was nurturing)",
        rec.name, rec.stage
    ));
    with(log, |j| j.part(&format!("reopened at {}", rec.stage)));
    Ok(true)
}

/// Asks the step's items in order: unanswered ones, or all of them when
/// reviewing a reopened record. ← goes back to the item asked before.
fn items(s: &Store, id: &str, step: &Step, review: bool, log: &Log) -> Result<()> {
    let list = &step.checklist.items;
    let mut asked: Vec<usize> = Vec::new();
    let (mut i, mut again) = (0, false);
    while i < list.len() {
        let item = &list[i];
        let earlier = s.read(id)?.record.answer(&step.id, &item.id).cloned();
        if earlier.is_some() && !review && !again {
            i += 1;
            continue;
        }
        again = false;
        match prompt::ask_item(item, earlier.as_ref(), true)? {
            Got::Value(v) => {
                if answer::save(s, id, &step.id, &item.id, v)? {
                    with(log, |j| j.answered(&item.id));
                }
                asked.push(i);
                i += 1;
            }
            Got::Skip => {
                asked.push(i);
                i += 1;
            }
            Got::Back => {
                match asked.pop() {
                    Some(j) => i = j,
                    None => output::status("this is the first item"),
                }
                again = true;
            }
        }
    }
    Ok(())
}

/// Asks the decision; returns true when the walk should go on to the next step.
fn decide_step(s: &Store, id: &str, step: &Step, log: &Log) -> Result<bool> {
    let p = &s.process;
    let title = &step.checklist.title;
    let yes = match p.next_step(&step.id) {
        Some(n) => format!("yes (advance to {})", n.checklist.title),
        None => "yes (won: the deal is agreed)".to_string(),
    };
    // Where the replay puts a `later`: the nurture step, or this one when
    // it comes before that.
    let (to, _) = crate::history::derive(p, &step.id, crate::prospect::Outcome::Later);
    let later = match p.step(&to) {
        Some(s) if s.id == step.id => "later (nurture here, at this step)".to_string(),
        Some(s) => format!("later (nurture: back to {})", s.checklist.title),
        None => "later (nurture)".to_string(),
    };
    let choices = [
        yes.as_str(),
        "not yet (stay here)",
        later.as_str(),
        "no (disqualify)",
    ];
    loop {
        match prompt::select(&format!("Decision on {title}?"), &choices, 0)? {
            0 => {
                if !required_answered(s, id, step, log)? {
                    continue;
                }
                let t = decide::apply(s, id, Outcome::Yes, None, None)?;
                output::status(&format!("{id}: {}", t.describe()));
                let to = if t.status == Status::Won {
                    "won"
                } else {
                    &t.to
                };
                with(log, |j| j.note(&format!("yes → {to}")));
                if t.status == Status::Won {
                    output::status("won: it is a customer now");
                    return Ok(false);
                }
                agree_next_step(s, id, log)?;
                let next = p
                    .step(&t.to)
                    .map(|s| s.checklist.title.clone())
                    .unwrap_or_default();
                return prompt::confirm(&format!("Continue with {next}?"), true);
            }
            1 => {
                with(log, |j| j.note("not yet"));
                agree_next_step(s, id, log)?;
                return Ok(false);
            }
            2 => {
                let why = ask_why()?;
                let revisit = prompt::date("Revisit on (empty for none)", "", Expect::Future)?;
                let t = decide::apply(s, id, Outcome::Later, Some(&why), revisit.as_deref())?;
                output::status(&format!("{id}: {} (nurturing)", t.describe()));
                with(log, |j| j.note(&format!("later → {} (nurturing)", t.to)));
                return Ok(false);
            }
            _ => {
                let why = ask_why()?;
                let t = decide::apply(s, id, Outcome::No, Some(&why), None)?;
                output::status(&format!("{id}: {}", t.describe()));
                with(log, |j| j.note("no (lost)"));
                return Ok(false);
            }
        }
    }
}

/// Before `yes`: names the required items still open and asks them; true
/// when none is left.
fn required_answered(s: &Store, id: &str, step: &Step, log: &Log) -> Result<bool> {
    let rec = s.read(id)?.record;
    let missing = flow::missing_required(&rec, &s.process, &step.id);
    if missing.is_empty() {
        return Ok(true);
    }
    let ids: Vec<&str> = missing.iter().map(|i| i.id.as_str()).collect();
    output::status(&format!(
        "yes needs these answered first: {}",
        ids.join(", ")
    ));
    for item in missing {
        if let Got::Value(v) = prompt::ask_item(item, None, false)?
            && answer::save(s, id, &step.id, &item.id, v)?
        {
            with(log, |j| j.answered(&item.id));
        }
    }
    let rec = s.read(id)?.record;
    Ok(flow::missing_required(&rec, &s.process, &step.id).is_empty())
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

fn agree_next_step(s: &Store, id: &str, log: &Log) -> Result<()> {
    let rec = s.read(id)?.record;
    let old = rec.follow_up.as_ref();
    let action = prompt::text(
        "Next step?",
        old.and_then(|f| f.action.as_deref()).unwrap_or(""),
    )?;
    let date = prompt::date(
        "Next step date?",
        old.and_then(|f| f.date.as_deref()).unwrap_or(""),
        Expect::Future,
    )?;
    let action = Some(action.trim().to_string()).filter(|a| !a.is_empty());
    let shown = format!(
        "{} {}",
        date.as_deref().unwrap_or("(no date)"),
        action.as_deref().unwrap_or("")
    );
    let date_part = date.clone();
    if follow_up::apply(s, id, date, action)? {
        output::status(&format!("{id}: next step {}", shown.trim_end()));
        let part = format!("next step {}", date_part.as_deref().unwrap_or("(no date)"));
        with(log, |j| j.part(&part));
    }
    Ok(())
}
