//! The step machine: pure state changes on a record (answer, decide, reopen,
//! follow up, capture an insight). Each appends to `history`; none does I/O.

use crate::process::{Audience, Fills, Item, Process};
use crate::prospect::{Contact, Event, FollowUp, Insight, Outcome, Record, Status, events};
use anyhow::{Result, bail};
use serde_json::Value;

/// Who did it and when: stamped on every event.
#[derive(Debug, Clone)]
pub struct Actor {
    pub by: String,
    pub at: String,
}

/// What a decision did, for messages and commit subjects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: String,
    pub to: String,
    pub outcome: Outcome,
    pub status: Status,
}

impl Transition {
    /// `qualify → learn (yes)`, `agree → won (yes)`, `present → lost (no)`.
    pub fn describe(&self) -> String {
        let to = match self.status {
            Status::Won | Status::Lost => self.status.name(),
            _ => self.to.as_str(),
        };
        format!("{} → {} ({})", self.from, to, self.outcome.name())
    }
}

/// A new record at the first step, status open, with a `created` event.
pub fn new_record(
    name: &str,
    contact: Contact,
    owner: Option<String>,
    p: &Process,
    who: &Actor,
) -> Record {
    let first = p.steps[0].id.clone();
    Record {
        name: name.to_string(),
        contact,
        owner,
        stage: first.clone(),
        status: Status::Open,
        follow_up: None,
        value: None,
        close_date: None,
        answers: Default::default(),
        insights: Vec::new(),
        history: vec![event(who, events::CREATED, &first)],
        extra: Default::default(),
    }
}

fn event(who: &Actor, kind: &str, step: &str) -> Event {
    Event {
        at: who.at.as_str().into(),
        by: Some(who.by.as_str().into()),
        event: kind.into(),
        step: Some(step.into()),
        ..Event::default()
    }
}

/// Stores an answer; returns false when it was already the same (nothing to write).
pub fn set_answer(rec: &mut Record, step: &str, item: &str, value: Value, who: &Actor) -> bool {
    let slot = rec.answers.entry(step.to_string()).or_default();
    if slot.get(item) == Some(&value) {
        return false;
    }
    slot.insert(item.to_string(), value);
    let mut e = event(who, events::ANSWERED, step);
    e.item = Some(item.into());
    rec.history.push(e);
    true
}

/// Copies an answer into the record field its item fills (`fills:` in the
/// checklist): a number into `value`, a date into `close_date`. The
/// `answered` event already records it. Returns true when the field changed.
pub fn fill(rec: &mut Record, fills: Fills, answer: &Value) -> bool {
    match fills {
        Fills::Value => {
            let n = match answer {
                Value::Number(n) => Some(n.clone()),
                _ => None,
            };
            if n.is_none() || rec.value == n {
                return false;
            }
            rec.value = n;
        }
        Fills::CloseDate => {
            let d = answer.as_str().map(str::to_string);
            if d.is_none() || rec.close_date == d {
                return false;
            }
            rec.close_date = d;
        }
    }
    true
}

/// A field `salesproc set` changes.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// The deal value; `None` clears it.
    Value(Option<serde_json::Number>),
    /// The expected close date; `None` clears it.
    CloseDate(Option<String>),
}

impl Field {
    /// The field's name in the record.
    pub fn name(&self) -> &'static str {
        match self {
            Field::Value(_) => "value",
            Field::CloseDate(_) => "close_date",
        }
    }
}

/// Sets `value` or `close_date` with a `set` event (`item` names the field,
/// `value` holds the new one); false when it was already so.
pub fn set_field(rec: &mut Record, field: Field, who: &Actor) -> bool {
    let new = match &field {
        Field::Value(v) => {
            if rec.value == *v {
                return false;
            }
            rec.value.clone_from(v);
            v.clone().map(Value::Number)
        }
        Field::CloseDate(d) => {
            if rec.close_date == *d {
                return false;
            }
            rec.close_date.clone_from(d);
            d.clone().map(Value::String)
        }
    };
    let mut e = event(who, events::SET, &rec.stage.clone());
    e.item = Some(field.name().to_string().into());
    e.extra.insert("value".into(), new.unwrap_or(Value::Null));
    rec.history.push(e);
    true
}

/// Gives the record to another owner, with an `assigned` event; false when
/// it is theirs already.
pub fn assign(rec: &mut Record, owner: &str, who: &Actor) -> bool {
    let owner = owner.trim();
    if rec.owner.as_deref() == Some(owner) {
        return false;
    }
    rec.owner = Some(owner.to_string());
    let mut e = event(who, events::ASSIGNED, &rec.stage.clone());
    e.extra.insert("owner".into(), Value::String(owner.into()));
    rec.history.push(e);
    true
}

/// The required items of a step that have no answer yet.
pub fn missing_required<'p>(rec: &Record, p: &'p Process, step: &str) -> Vec<&'p Item> {
    p.step(step)
        .map(|s| {
            s.checklist
                .items
                .iter()
                .filter(|i| i.required && rec.answer(step, &i.id).is_none())
                .collect()
        })
        .unwrap_or_default()
}

/// Reopens a nurturing record at its stage (what `next` does before walking it).
pub fn reopen(rec: &mut Record, who: &Actor) -> bool {
    if rec.status != Status::Nurturing {
        return false;
    }
    rec.status = Status::Open;
    let mut e = event(who, events::REOPENED, &rec.stage.clone());
    e.status = Some(Status::Open);
    rec.history.push(e);
    true
}

/// Marks the agreed next step done (with an optional note) and clears it.
/// False when there is no next step to mark.
pub fn done(rec: &mut Record, note: Option<&str>, who: &Actor) -> bool {
    let Some(f) = rec.follow_up.take() else {
        return false;
    };
    let mut e = event(who, events::DONE, &rec.stage.clone());
    e.date = f.date.map(Into::into);
    e.action = f.action.map(Into::into);
    if let Some(n) = note.map(str::trim).filter(|n| !n.is_empty()) {
        e.extra.insert("note".into(), Value::String(n.to_string()));
    }
    rec.history.push(e);
    true
}

/// Reopens a won or lost deal at its step, status open, with the why.
pub fn reopen_closed(rec: &mut Record, why: &str, who: &Actor) -> Result<()> {
    if !rec.status.is_closed() {
        bail!("it is {}, not won or lost", rec.status.name());
    }
    if why.trim().is_empty() {
        bail!("reopening needs a why");
    }
    rec.status = Status::Open;
    let mut e = event(who, events::REOPENED, &rec.stage.clone());
    e.status = Some(Status::Open);
    e.why = Some(why.trim().to_string().into());
    rec.history.push(e);
    Ok(())
}

/// Decides on the current step. `yes` advances (or wins on the last step), `no`
/// loses, `later` returns to the process's nurture step. `no` and `later` need a why.
pub fn decide(
    rec: &mut Record,
    p: &Process,
    outcome: Outcome,
    why: Option<&str>,
    revisit: Option<&str>,
    who: &Actor,
) -> Result<Transition> {
    if rec.status.is_closed() {
        bail!(
            "{} is already {}; there is nothing left to decide\nhint: `salesproc edit` can reopen it by hand",
            rec.name,
            rec.status.name()
        );
    }
    let why = why.map(str::trim).filter(|w| !w.is_empty());
    if outcome != Outcome::Yes && why.is_none() {
        bail!(
            "a `{}` needs a why\nhint: add --why \"…\": always seek the why of a decision",
            outcome.name()
        );
    }
    if revisit.is_some() && outcome != Outcome::Later {
        bail!("--revisit goes with `later` only");
    }
    let from = rec.stage.clone();
    if p.step(&from).is_none() {
        bail!(
            "{} is at unknown step \"{from}\"\nhint: run `salesproc validate`",
            rec.name
        );
    }
    if outcome == Outcome::Yes {
        let missing = missing_required(rec, p, &from);
        if !missing.is_empty() {
            let ids: Vec<&str> = missing.iter().map(|i| i.id.as_str()).collect();
            bail!(
                "required items of {from} are unanswered: {}\nhint: answer them with `salesproc answer` or `salesproc next`",
                ids.join(", ")
            );
        }
    }
    reopen(rec, who);
    let before = rec.status;
    // The same rule the history replay uses when an event omits `to`/`status`.
    let (to, status) = crate::history::derive(p, &from, outcome);
    let mut e = event(who, events::DECIDED, &from);
    e.outcome = Some(outcome);
    e.why = why.map(Into::into);
    e.revisit = revisit.map(Into::into);
    if to != from {
        e.to = Some(to.clone().into());
    }
    if status != before {
        e.status = Some(status);
    }
    rec.history.push(e);
    rec.stage = to.clone();
    rec.status = status;
    match outcome {
        Outcome::Later => {
            rec.follow_up = revisit.map(|d| FollowUp {
                date: Some(d.to_string()),
                action: why.map(|w| format!("Revisit: {w}")),
                extra: Default::default(),
            });
        }
        // A decision settles the step's agreed next step; the walk then asks
        // for the next one.
        Outcome::No | Outcome::Yes => rec.follow_up = None,
    }
    Ok(Transition {
        from,
        to,
        outcome,
        status,
    })
}

/// Sets the agreed next step; either part may be empty.
pub fn set_follow_up(
    rec: &mut Record,
    date: Option<String>,
    action: Option<String>,
    who: &Actor,
) -> bool {
    let action = action.filter(|a| !a.trim().is_empty());
    if date.is_none() && action.is_none() {
        return false;
    }
    let new = FollowUp {
        date: date.clone(),
        action: action.clone(),
        extra: Default::default(),
    };
    if rec.follow_up.as_ref() == Some(&new) {
        return false;
    }
    rec.follow_up = Some(new);
    let mut e = event(who, events::FOLLOW_UP, &rec.stage.clone());
    e.date = date.map(Into::into);
    e.action = action.map(Into::into);
    rec.history.push(e);
    true
}

/// Captures a voice-of-the-customer insight.
pub fn add_insight(rec: &mut Record, audience: Audience, text: &str, who: &Actor) -> Result<()> {
    let text = text.trim();
    if text.is_empty() {
        bail!(
            "an insight needs text\nhint: salesproc insight PROSPECT --for product \"what they said\""
        );
    }
    rec.insights.push(Insight {
        at: who.at.clone(),
        audience,
        text: text.to_string(),
        by: Some(who.by.clone()),
        extra: Default::default(),
    });
    Ok(())
}

#[cfg(test)]
mod tests;
