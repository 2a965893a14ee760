//! The prospect record: serde types in a fixed key order, with unknown keys
//! kept, and what can be derived from a record without I/O.

use crate::process::{Audience, ItemType, Process};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Keys the tool does not know, kept in file order through every rewrite.
pub type Extra = serde_json::Map<String, Value>;

/// Short text kept inline when it fits (24 bytes): an event's time, author,
/// name, step and item cost no allocation each.
pub type Text = compact_str::CompactString;

/// Answers: step id → item id → value.
pub type Answers = IndexMap<String, StepAnswers, Hasher>;
/// One step's answers: item id → value.
pub type StepAnswers = IndexMap<String, Value, Hasher>;
/// The hasher of the answer maps: a summary looks an answer up for every
/// item of the process, and a record's keys are short ids (SipHash, the
/// default, costs several times as much for those; still seeded per process).
pub type Hasher = foldhash::fast::RandomState;

/// One prospect, as stored in `prospects/<id>.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub name: String,
    #[serde(default, skip_serializing_if = "Contact::is_empty")]
    pub contact: Contact,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub stage: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
    /// The deal's value, in the folder's `currency`; whole numbers stay integers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Number>,
    /// The expected close date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close_date: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "IndexMap::is_empty",
        deserialize_with = "crate::fastyaml::answers::deserialize"
    )]
    pub answers: Answers,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub insights: Vec<Insight>,
    #[serde(default, deserialize_with = "crate::fastyaml::events::deserialize")]
    pub history: Vec<Event>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The person the rep talks to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Contact {
    /// True when nothing is known about the contact.
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.title.is_none()
            && self.email.is_none()
            && self.phone.is_none()
            && self.extra.is_empty()
    }
}

/// Where a record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Nurturing,
    Won,
    Lost,
}

impl Status {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Nurturing => "nurturing",
            Status::Won => "won",
            Status::Lost => "lost",
        }
    }

    /// True for won and lost.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Won | Status::Lost)
    }
}

/// The decision that ends a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Yes,
    No,
    Later,
}

impl Outcome {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Yes => "yes",
            Outcome::No => "no",
            Outcome::Later => "later",
        }
    }
}

/// The agreed next step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A voice-of-the-customer insight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Insight {
    pub at: String,
    #[serde(rename = "for")]
    pub audience: Audience,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One entry of the append-only history.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Event {
    pub at: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Text>,
    pub event: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revisit: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Text>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Event names the tool writes.
pub mod events {
    pub const CREATED: &str = "created";
    pub const ANSWERED: &str = "answered";
    pub const DECIDED: &str = "decided";
    pub const REOPENED: &str = "reopened";
    pub const FOLLOW_UP: &str = "follow-up";
    pub const EDITED: &str = "edited";
    /// A field set with `salesproc set`: `item` names it (`value`, `close_date`), `value` holds it.
    pub const SET: &str = "set";
    /// A new owner (`salesproc assign`), named in `owner`.
    pub const ASSIGNED: &str = "assigned";
    /// A record brought in from elsewhere, entering the process at `step`.
    pub const IMPORTED: &str = "imported";
    /// A follow-up done (`salesproc done`), with its `note`.
    pub const DONE: &str = "done";
    /// Every name the tool knows.
    pub const ALL: &[&str] = &[
        CREATED, ANSWERED, DECIDED, REOPENED, FOLLOW_UP, EDITED, IMPORTED, SET, ASSIGNED, DONE,
    ];
}

/// True when a stored value counts as an answer.
pub fn is_answered(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    }
}

impl Record {
    /// The stored answer to `step/item`, if any.
    pub fn answer(&self, step: &str, item: &str) -> Option<&Value> {
        self.answers
            .get(step)
            .and_then(|m| m.get(item))
            .filter(|v| is_answered(v))
    }

    /// (answered, total) items of a step.
    pub fn progress(&self, process: &Process, step: &str) -> (usize, usize) {
        let Some(s) = process.step(step) else {
            return (0, 0);
        };
        let items = &s.checklist.items;
        let answers = self.answers.get(step);
        let done = items
            .iter()
            .filter(|i| answers.and_then(|a| a.get(&i.id)).is_some_and(is_answered))
            .count();
        (done, items.len())
    }

    /// The phase id of the current stage.
    pub fn phase<'p>(&self, process: &'p Process) -> &'p str {
        process
            .step(&self.stage)
            .map(|s| s.phase.as_str())
            .unwrap_or("")
    }

    /// Contact, prospect or customer: the derived word for where the record stands.
    pub fn kind(&self, process: &Process) -> &'static str {
        if self.status == Status::Won {
            "customer"
        } else if process
            .phases
            .first()
            .is_some_and(|p| p.id == self.phase(process))
        {
            "contact"
        } else {
            "prospect"
        }
    }

    /// The newest timestamp in history or insights.
    pub fn last_activity(&self) -> Option<&str> {
        let h = self.history.iter().map(|e| e.at.as_str());
        let i = self.insights.iter().map(|e| e.at.as_str());
        h.chain(i).max()
    }

    /// When the record was created (its first event).
    pub fn created_at(&self) -> Option<&str> {
        self.history.first().map(|e| e.at.as_str())
    }

    /// The follow-up date, if one is set.
    pub fn follow_up_date(&self) -> Option<&str> {
        self.follow_up.as_ref().and_then(|f| f.date.as_deref())
    }

    /// Puts answers in process order (steps, then items); unknown ones keep their place after.
    pub fn canonicalize(&mut self, process: &Process) {
        let rank_step = |s: &str| process.index(s).unwrap_or(usize::MAX);
        self.answers
            .sort_by(|a, _, b, _| rank_step(a).cmp(&rank_step(b)));
        for (step, items) in self.answers.iter_mut() {
            if let Some(s) = process.step(step) {
                let pos = |id: &str| {
                    s.checklist
                        .items
                        .iter()
                        .position(|i| i.id == id)
                        .unwrap_or(usize::MAX)
                };
                items.sort_by(|a, _, b, _| pos(a).cmp(&pos(b)));
                for (id, v) in items.iter_mut() {
                    let check = s
                        .checklist
                        .items
                        .iter()
                        .any(|i| &i.id == id && i.kind == ItemType::Check);
                    if check && let Some(b) = crate::value::as_bool(v) {
                        *v = Value::Bool(b);
                    }
                }
            }
        }
        self.answers.retain(|_, items| !items.is_empty());
    }
}

#[cfg(test)]
mod tests;
