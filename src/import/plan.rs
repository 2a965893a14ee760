//! What an import does to the folder: each [`Incoming`] row matched to a
//! record (by external id, else by id, else by the id its name makes) and
//! turned into a new record or a change of one. Pure: records in, records out.

use super::Incoming;
use crate::flow::{self, Actor, Field};
use crate::process::Process;
use crate::prospect::{Contact, Event, FollowUp, Outcome, Record, Status, events};
use crate::{clock, slug};
use indexmap::IndexMap;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Why stage moves made by an import are made.
pub const WHY: &str = "imported";

/// What became of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Created,
    Updated,
    Skipped,
}

impl Action {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Updated => "updated",
            Action::Skipped => "skipped",
        }
    }
}

/// The folder's records as an import sees them, and the changes planned.
pub struct Plan<'p> {
    p: &'p Process,
    key: String,
    who: Actor,
    default_owner: Option<String>,
    /// Every record: the ones on disk, then the ones planned.
    pub records: HashMap<String, Record>,
    /// External id → record id.
    by_external: HashMap<String, String>,
    /// The ids this plan created or changed, in first-touched order.
    pub touched: IndexMap<String, Action>,
    taken: HashSet<String>,
}

impl<'p> Plan<'p> {
    /// A plan over the existing records (`(id, record)`).
    pub fn new(
        p: &'p Process,
        key: &str,
        who: Actor,
        default_owner: Option<String>,
        existing: impl IntoIterator<Item = (String, Record)>,
    ) -> Plan<'p> {
        let mut records = HashMap::new();
        let mut by_external = HashMap::new();
        for (id, r) in existing {
            if let Some(x) = r.extra.get(key).and_then(external_text) {
                by_external.insert(x, id.clone());
            }
            records.insert(id, r);
        }
        let taken = records.keys().cloned().collect();
        Plan {
            p,
            key: key.to_string(),
            who,
            default_owner,
            records,
            by_external,
            touched: IndexMap::new(),
            taken,
        }
    }

    /// Keeps an id from being given to a new record (an unreadable record's).
    pub fn reserve(&mut self, id: &str) {
        self.taken.insert(id.to_string());
    }

    /// Applies one row: returns the record's id and what happened to it.
    pub fn apply(&mut self, row: &Incoming) -> (String, Action) {
        match self.find(row) {
            Some(id) => {
                let mut rec = self.records[&id].clone();
                let changed = update(&mut rec, row, self.p, &self.key, &self.who);
                let action = if changed {
                    self.records.insert(id.clone(), rec);
                    let prev = self.touched.get(&id).copied();
                    let a = if prev == Some(Action::Created) {
                        Action::Created
                    } else {
                        Action::Updated
                    };
                    self.touched.insert(id.clone(), a);
                    Action::Updated
                } else {
                    Action::Skipped
                };
                (id, action)
            }
            None => {
                let base = row.id.clone().unwrap_or_else(|| slug::slugify(&row.name));
                let base = if base.is_empty() {
                    "prospect".into()
                } else {
                    base
                };
                let id = slug::unique(&base, |c| self.taken.contains(c));
                let rec = create(
                    row,
                    self.p,
                    &self.key,
                    &self.who,
                    self.default_owner.clone(),
                );
                self.taken.insert(id.clone());
                if let Some(x) = &row.external {
                    self.by_external.insert(x.clone(), id.clone());
                }
                self.records.insert(id.clone(), rec);
                self.touched.insert(id.clone(), Action::Created);
                (id, Action::Created)
            }
        }
    }

    /// The record a row is about: by external id, else by its id column,
    /// else by the id its name makes when that record has no other external id.
    fn find(&self, row: &Incoming) -> Option<String> {
        if let Some(x) = &row.external
            && let Some(id) = self.by_external.get(x)
        {
            return Some(id.clone());
        }
        if let Some(id) = &row.id {
            return self.records.contains_key(id).then(|| id.clone());
        }
        let id = slug::slugify(&row.name);
        let r = self.records.get(&id)?;
        let theirs = r.extra.get(&self.key).and_then(external_text);
        match (&row.external, theirs) {
            (Some(_), Some(_)) => None,
            _ => Some(id),
        }
    }
}

fn external_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The row's user keys, without a `company` that is only the record's own
/// name (what an export fills in for CRMs that require an organization).
fn own_extras(row: &Incoming) -> impl Iterator<Item = &(String, String)> {
    row.extra
        .iter()
        .filter(|(k, v)| !(k == "company" && *v == row.name))
}

/// When a row's record was created: its created date, but never after the
/// import itself (history is never dated in the future).
fn stamp_of(row: &Incoming, who: &Actor) -> String {
    row.created
        .map(clock::stamp)
        .filter(|c| *c <= who.at)
        .unwrap_or_else(|| who.at.clone())
}

/// A new record entering the process at the row's step, with an `imported`
/// event at its created date; a closed deal is then decided at its close
/// date (at the import, when that date is still to come).
pub fn create(
    row: &Incoming,
    p: &Process,
    key: &str,
    who: &Actor,
    owner: Option<String>,
) -> Record {
    let status = row.status.unwrap_or(Status::Open);
    let step = row.stage.clone().unwrap_or_else(|| match status {
        // A lost deal with no step was lost in the deal pipeline.
        Status::Lost => p
            .phases
            .get(1)
            .and_then(|ph| p.steps.iter().find(|s| s.phase == ph.id))
            .unwrap_or(&p.steps[0])
            .id
            .clone(),
        _ => p.steps[0].id.clone(),
    });
    let at = stamp_of(row, who);
    let mut history = vec![Event {
        at: at.clone().into(),
        by: Some(who.by.clone().into()),
        event: events::IMPORTED.into(),
        step: Some(step.clone().into()),
        status: (status == Status::Nurturing).then_some(Status::Nurturing),
        ..Event::default()
    }];
    if status.is_closed() {
        let closed = row
            .close_date
            .as_ref()
            .map(|d| format!("{d}T00:00:00Z"))
            .filter(|c| *c > at)
            .unwrap_or_else(|| at.clone())
            // A closed deal whose close date is still to come (an expected
            // date the CRM kept) was closed by the time of the import.
            .min(who.at.clone());
        history.push(Event {
            at: closed.into(),
            by: Some(who.by.clone().into()),
            event: events::DECIDED.into(),
            step: Some(step.clone().into()),
            outcome: Some(if status == Status::Won {
                Outcome::Yes
            } else {
                Outcome::No
            }),
            why: Some(WHY.into()),
            status: Some(status),
            ..Event::default()
        });
    }
    let mut answers = crate::prospect::Answers::default();
    for (s, i, v) in &row.answers {
        answers
            .entry(s.clone())
            .or_default()
            .insert(i.clone(), v.clone());
    }
    let mut extra = serde_json::Map::new();
    if let Some(x) = &row.external {
        extra.insert(key.to_string(), Value::String(x.clone()));
    }
    for (k, v) in own_extras(row) {
        extra.insert(k.clone(), Value::String(v.clone()));
    }
    let follow_up = (!status.is_closed()
        && (row.follow_up_date.is_some() || row.follow_up_action.is_some()))
    .then(|| FollowUp {
        date: row.follow_up_date.clone(),
        action: row.follow_up_action.clone(),
        extra: Default::default(),
    });
    Record {
        name: row.name.clone(),
        contact: Contact {
            name: row.contact_name.clone(),
            title: row.contact_title.clone(),
            email: row.contact_email.clone(),
            phone: row.contact_phone.clone(),
            extra: Default::default(),
        },
        owner: row.owner.clone().or(owner),
        stage: step,
        status,
        follow_up,
        value: row.value.clone(),
        close_date: row.close_date.clone(),
        answers,
        insights: Vec::new(),
        history,
        extra,
    }
}

/// Changes a record to what the row says; true when anything changed. Only
/// what the row gives is changed: an empty cell keeps the record's value.
pub fn update(rec: &mut Record, row: &Incoming, p: &Process, key: &str, who: &Actor) -> bool {
    let mut changed = false;
    let mut edited = false;
    let set = |slot: &mut Option<String>, new: &Option<String>| {
        if new.is_some() && slot != new {
            slot.clone_from(new);
            true
        } else {
            false
        }
    };
    edited |= set(&mut rec.contact.name, &row.contact_name);
    edited |= set(&mut rec.contact.title, &row.contact_title);
    edited |= set(&mut rec.contact.email, &row.contact_email);
    edited |= set(&mut rec.contact.phone, &row.contact_phone);
    if rec.name != row.name {
        rec.name = row.name.clone();
        edited = true;
    }
    let mut extras: Vec<(String, String)> = own_extras(row).cloned().collect();
    if let Some(x) = &row.external {
        extras.push((key.to_string(), x.clone()));
    }
    for (k, v) in extras {
        let same = rec.extra.get(&k).and_then(external_text).as_deref() == Some(v.as_str());
        if !same {
            rec.extra.insert(k, Value::String(v));
            edited = true;
        }
    }
    if edited {
        let mut e = event(who, events::EDITED, &rec.stage);
        e.why = Some(WHY.into());
        rec.history.push(e);
        changed = true;
    }
    if let Some(o) = &row.owner {
        changed |= flow::assign(rec, o, who);
    }
    if row.value.is_some() {
        changed |= flow::set_field(rec, Field::Value(row.value.clone()), who);
    }
    if row.close_date.is_some() {
        changed |= flow::set_field(rec, Field::CloseDate(row.close_date.clone()), who);
    }
    for (s, i, v) in &row.answers {
        changed |= flow::set_answer(rec, s, i, v.clone(), who);
    }
    changed |= move_to(rec, row, p, who);
    if !rec.status.is_closed() && (row.follow_up_date.is_some() || row.follow_up_action.is_some()) {
        changed |= flow::set_follow_up(
            rec,
            row.follow_up_date.clone(),
            row.follow_up_action.clone(),
            who,
        );
    }
    changed
}

fn event(who: &Actor, kind: &str, step: &str) -> Event {
    Event {
        at: who.at.clone().into(),
        by: Some(who.by.clone().into()),
        event: kind.to_string().into(),
        step: Some(step.to_string().into()),
        ..Event::default()
    }
}

/// Moves a record to the row's step and status: forward, won and lost as a
/// `decided` event with why `imported`; back, or out of a close, as an
/// `edited` one (a decision cannot go back).
fn move_to(rec: &mut Record, row: &Incoming, p: &Process, who: &Actor) -> bool {
    let status = row.status.unwrap_or(rec.status);
    let stage = match (&row.stage, status) {
        (Some(s), _) => s.clone(),
        (None, _) => rec.stage.clone(),
    };
    // A closed deal stays where it closed unless the row reopens it.
    if status == rec.status && (status.is_closed() || stage == rec.stage) {
        return false;
    }
    let from = rec.stage.clone();
    let forward = p.index(&stage) >= p.index(&from);
    let (kind, outcome) = match status {
        Status::Won => (events::DECIDED, Some(Outcome::Yes)),
        Status::Lost => (events::DECIDED, Some(Outcome::No)),
        Status::Open if forward && !rec.status.is_closed() && stage != from => {
            (events::DECIDED, Some(Outcome::Yes))
        }
        _ => (events::EDITED, None),
    };
    let mut e = event(who, kind, &from);
    e.outcome = outcome;
    e.why = Some(WHY.into());
    if stage != from {
        e.to = Some(stage.clone().into());
    }
    if status != rec.status {
        e.status = Some(status);
    }
    rec.history.push(e);
    rec.stage = stage;
    rec.status = status;
    if kind == events::DECIDED {
        rec.follow_up = None;
    }
    true
}

#[cfg(test)]
mod tests;
