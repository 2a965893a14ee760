//! The one replay of a record's history: stage path, status, follow-up and
//! last activity, rebuilt from its events against the process. `validate`,
//! the reports, `list` and `merge-file` all use it, so the stored `stage`,
//! `status` and `follow_up` always mean what the history says.
//!
//! Timestamps are parsed once, here, into `jiff::Timestamp`. Events may omit
//! `to` and `status` (the documented record format): they then follow from
//! the process (`yes` → the next step, `won` after the last; `later` → the
//! nurture step, or the current step when it comes before that one,
//! `nurturing`; `no` → `lost`).

use crate::process::Process;
use crate::prospect::{Event, Insight, Outcome, Record, Status, Text, events};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What kind of event a move is. `answered` events are not moves: they only
/// count as activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Created,
    Imported,
    Decided,
    Reopened,
    FollowUp,
    Edited,
    /// A follow-up marked done: it settles the agreed next step.
    Done,
    /// Anything else (an unknown event name); only its explicit `to`/`status` count.
    Other,
}

impl Kind {
    fn of(name: &str) -> Option<Kind> {
        Some(match name {
            events::CREATED => Kind::Created,
            events::IMPORTED => Kind::Imported,
            events::DECIDED => Kind::Decided,
            events::REOPENED => Kind::Reopened,
            events::FOLLOW_UP => Kind::FollowUp,
            events::EDITED => Kind::Edited,
            events::DONE => Kind::Done,
            events::ANSWERED => return None,
            _ => Kind::Other,
        })
    }
}

/// One event that can change where a record stands, with its time parsed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Move {
    #[serde(with = "ts")]
    pub at: Timestamp,
    pub kind: Kind,
    pub step: Option<Text>,
    pub outcome: Option<Outcome>,
    pub to: Option<Text>,
    pub status: Option<Status>,
    /// The follow-up date, or a `later`'s revisit date.
    pub date: Option<Text>,
    pub action: Option<Text>,
    pub why: Option<Text>,
}

/// A record's events as the replay needs them: the moves in time order, and
/// the time of every event and insight (sorted, without repeats).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Events {
    pub moves: Vec<Move>,
    #[serde(with = "ts_vec")]
    pub activity: Vec<Timestamp>,
}

/// Parses a record's `at` text. An unparseable one is `None` (validate reports it).
pub fn parse_at(s: &str) -> Option<Timestamp> {
    crate::clock::parse_at(s)
}

impl Events {
    /// Extracts the events of a record. An event whose time does not parse
    /// keeps its place, at the time of the event before it.
    pub fn of(r: &Record) -> Events {
        Facts::of(r).events
    }
}

/// One history entry's fields, borrowed from a parsed [`Event`] or straight
/// from the text (the fast reader's summary path).
#[derive(Debug, Clone, Copy, Default)]
pub struct EntryRef<'a> {
    pub at: &'a str,
    pub event: &'a str,
    pub step: Option<&'a str>,
    pub item: Option<&'a str>,
    pub outcome: Option<Outcome>,
    pub why: Option<&'a str>,
    pub revisit: Option<&'a str>,
    pub to: Option<&'a str>,
    pub status: Option<Status>,
    pub date: Option<&'a str>,
    pub action: Option<&'a str>,
}

impl<'a> From<&'a Event> for EntryRef<'a> {
    fn from(e: &'a Event) -> EntryRef<'a> {
        EntryRef {
            at: &e.at,
            event: &e.event,
            step: e.step.as_deref(),
            item: e.item.as_deref(),
            outcome: e.outcome,
            why: e.why.as_deref(),
            revisit: e.revisit.as_deref(),
            to: e.to.as_deref(),
            status: e.status,
            date: e.date.as_deref(),
            action: e.action.as_deref(),
        }
    }
}

/// What a summary needs of a record's history, gathered entry by entry in
/// file order (the one place that knows what an entry counts for), then
/// [`Facts::finish`]ed with the record's insights.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub events: Events,
    /// How many entries the history has.
    pub entries: usize,
    /// The time of the first entry (the record's creation), if it parses.
    pub created: Option<Timestamp>,
    /// Each `answered` entry's step, item and time, in file order.
    answered: Vec<(Text, Text, Option<Timestamp>)>,
    /// The time of the entry before (an unparseable time takes it).
    last: Timestamp,
}

impl Facts {
    /// The facts of a parsed record.
    pub fn of(r: &Record) -> Facts {
        let mut f = Facts::default();
        for e in &r.history {
            f.add(&EntryRef::from(e));
        }
        f.finish(&r.insights)
    }

    /// Counts one entry, the next in file order.
    pub fn add(&mut self, e: &EntryRef) {
        let parsed = parse_at(e.at);
        if self.entries == 0 {
            self.created = parsed;
            // Room for a typical history's entries, answers and moves at once.
            self.events.activity.reserve(32);
            self.answered.reserve(16);
            self.events.moves.reserve(8);
        }
        self.entries += 1;
        let at = parsed.unwrap_or(self.last);
        self.last = at;
        self.events.activity.push(at);
        if e.event == events::ANSWERED
            && let (Some(step), Some(item)) = (e.step, e.item)
        {
            self.answered.push((step.into(), item.into(), parsed));
        }
        let Some(kind) = Kind::of(e.event) else {
            return;
        };
        let decided = kind == Kind::Decided;
        let text = |s: Option<&str>| s.map(Text::from);
        self.events.moves.push(Move {
            at,
            kind,
            step: text(e.step),
            outcome: e.outcome,
            to: text(e.to),
            status: e.status,
            date: text(if decided { e.revisit } else { e.date }),
            action: text(e.action),
            why: text(e.why.filter(|_| decided)),
        });
    }

    /// Adds the insights' times and puts the moves and times in order.
    pub fn finish(mut self, insights: &[Insight]) -> Facts {
        let ev = &mut self.events;
        ev.activity
            .extend(insights.iter().filter_map(|i| parse_at(&i.at)));
        // Stable: events at the same second keep their file order.
        ev.moves.sort_by_key(|m| m.at);
        ev.activity.sort();
        ev.activity.dedup();
        self
    }

    /// When `step`/`item` was last answered (the creation time when no
    /// entry says; `None` when that entry's time does not parse).
    pub fn answered_at(&self, step: &str, item: &str) -> Option<Timestamp> {
        match self
            .answered
            .iter()
            .rev()
            .find(|(s, i, _)| s == step && i == item)
        {
            Some((_, _, at)) => *at,
            None => self.created,
        }
    }
}

/// One stay at a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub step: crate::summary::Text,
    #[serde(with = "ts")]
    pub enter: Timestamp,
    /// When the record moved on or closed; `None` while it is still there.
    #[serde(with = "ts_opt")]
    pub leave: Option<Timestamp>,
}

/// The agreed next step as the history left it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NextStep {
    pub date: Option<crate::summary::Text>,
    pub action: Option<crate::summary::Text>,
}

/// Where a record stood at the cutoff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replay {
    #[serde(with = "ts")]
    pub created: Timestamp,
    pub visits: Vec<Visit>,
    pub stage: crate::summary::Text,
    pub status: Status,
    #[serde(with = "ts_opt")]
    pub closed_at: Option<Timestamp>,
    /// `None` when no event set or settled a next step (the record's own
    /// `follow_up` then stands); `Some(None)` when a decision settled it.
    pub follow_up: Option<Option<NextStep>>,
    #[serde(with = "ts")]
    pub last_activity: Timestamp,
}

impl Replay {
    /// True when the record was ever at `step`.
    pub fn visited(&self, step: &str) -> bool {
        self.visits.iter().any(|v| v.step == step)
    }
}

/// Where a decision leads when the event does not say: `(to, status)`.
pub fn derive(p: &Process, from: &str, outcome: Outcome) -> (String, Status) {
    match outcome {
        Outcome::Yes => match p.next_step(from) {
            Some(next) => (next.id.clone(), Status::Open),
            None => (from.to_string(), Status::Won),
        },
        Outcome::No => (from.to_string(), Status::Lost),
        Outcome::Later => {
            let back = &p.later_returns_to;
            let before = match (p.index(from), p.index(back)) {
                (Some(f), Some(b)) => f < b,
                _ => false,
            };
            let to = if before { from } else { back.as_str() };
            (to.to_string(), Status::Nurturing)
        }
    }
}

/// Replays the events at or before `cutoff` (`None`: all). `fallback_stage`
/// is where a history that names no step starts. `None` when nothing had
/// happened yet.
pub fn replay(
    ev: &Events,
    p: &Process,
    fallback_stage: &str,
    cutoff: Option<Timestamp>,
) -> Option<Replay> {
    let within = |t: Timestamp| cutoff.is_none_or(|c| t <= c);
    let mut moves = ev.moves.iter().filter(|m| within(m.at));
    let first_activity = ev.activity.iter().copied().find(|t| within(*t));
    let first = moves.next();
    let created = match (first, first_activity) {
        (Some(m), Some(a)) => m.at.min(a),
        (Some(m), None) => m.at,
        (None, Some(a)) => a,
        (None, None) => return None,
    };
    let start = first
        .and_then(|m| m.step.clone().or_else(|| m.to.clone()))
        .unwrap_or_else(|| fallback_stage.to_string().into());
    let mut st = State {
        r: Replay {
            created,
            visits: vec![Visit {
                step: start.as_str().into(),
                enter: created,
                leave: None,
            }],
            stage: start,
            status: Status::Open,
            closed_at: None,
            follow_up: None,
            last_activity: created,
        },
    };
    if let Some(m) = first {
        if m.kind == Kind::Created || m.kind == Kind::Imported {
            st.set_status(m.status.unwrap_or(Status::Open), m.at);
        } else {
            st.apply(m, p);
        }
    }
    for m in moves {
        st.apply(m, p);
    }
    let mut r = st.r;
    r.last_activity = ev
        .activity
        .iter()
        .copied()
        .filter(|t| within(*t))
        .max()
        .unwrap_or(created);
    Some(r)
}

struct State {
    r: Replay,
}

impl State {
    fn apply(&mut self, m: &Move, p: &Process) {
        match m.kind {
            Kind::Decided => {
                let from = m.step.clone().unwrap_or_else(|| self.r.stage.clone());
                let (to, status) = match m.outcome {
                    Some(o) => {
                        let (to, status) = derive(p, &from, o);
                        (
                            m.to.clone().unwrap_or_else(|| to.into()),
                            m.status.unwrap_or(status),
                        )
                    }
                    None => (
                        m.to.clone().unwrap_or_else(|| self.r.stage.clone()),
                        m.status.unwrap_or(self.r.status),
                    ),
                };
                self.move_to(&to, m.at);
                self.set_status(status, m.at);
                self.r.follow_up = Some(match m.outcome {
                    Some(Outcome::Later) => m.date.clone().map(|d| NextStep {
                        date: Some(d),
                        action: m.why.as_ref().map(|w| format!("Revisit: {w}").into()),
                    }),
                    _ => None,
                });
            }
            Kind::Reopened => {
                if let Some(to) = &m.to {
                    self.move_to(to, m.at);
                }
                self.set_status(m.status.unwrap_or(Status::Open), m.at);
            }
            Kind::Done => self.r.follow_up = Some(None),
            Kind::FollowUp => {
                self.r.follow_up = Some(Some(NextStep {
                    date: m.date.as_deref().map(Into::into),
                    action: m.action.as_deref().map(Into::into),
                }));
            }
            Kind::Created | Kind::Imported | Kind::Edited | Kind::Other => {
                if let Some(to) = &m.to {
                    self.move_to(to, m.at);
                }
                if let Some(s) = m.status {
                    self.set_status(s, m.at);
                }
            }
        }
    }

    fn move_to(&mut self, to: &str, at: Timestamp) {
        if to == self.r.stage {
            return;
        }
        self.close(at);
        self.r.visits.push(Visit {
            step: to.into(),
            enter: at,
            leave: None,
        });
        self.r.stage = to.into();
    }

    fn set_status(&mut self, status: Status, at: Timestamp) {
        let was = self.r.status;
        if status.is_closed() && !was.is_closed() {
            self.close(at);
            self.r.closed_at = Some(at);
        } else if !status.is_closed() && was.is_closed() {
            // Reopened after a close: a new stay at the same step.
            self.r.closed_at = None;
            self.r.visits.push(Visit {
                step: self.r.stage.clone(),
                enter: at,
                leave: None,
            });
        }
        self.r.status = status;
    }

    fn close(&mut self, at: Timestamp) {
        if let Some(v) = self.r.visits.last_mut()
            && v.leave.is_none()
        {
            v.leave = Some(at);
        }
    }
}

/// Replays a whole record.
pub fn of_record(r: &Record, p: &Process) -> Option<Replay> {
    replay(&Events::of(r), p, &r.stage, None)
}

/// True when an open record has had no activity for longer than its step allows.
pub fn is_stale(status: Status, stage: &str, last: Timestamp, p: &Process, now: Timestamp) -> bool {
    status == Status::Open && crate::clock::days_between(last, now) > f64::from(p.stale_days(stage))
}

/// True when an open or nurturing record's follow-up is on or before `day`.
pub fn is_due(status: Status, follow_up: Option<&str>, day: &str) -> bool {
    !status.is_closed() && follow_up.is_some_and(|d| d <= day)
}

/// A timestamp in the summary index: whole seconds and nanoseconds, two
/// small varints (about 6 bytes for a date of this century, where the
/// nanoseconds as one 128-bit number take 9 and decode slower).
pub(crate) mod ts {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&(t.as_second(), t.subsec_nanosecond()), s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let (secs, nanos) = <(i64, i32)>::deserialize(d)?;
        Timestamp::new(secs, nanos).map_err(serde::de::Error::custom)
    }
}

/// Serde for a list of timestamps, as [`ts`] does one.
pub(crate) mod ts_vec {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[Timestamp], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|t| (t.as_second(), t.subsec_nanosecond())))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Timestamp>, D::Error> {
        Vec::<(i64, i32)>::deserialize(d)?
            .into_iter()
            .map(|(s, n)| Timestamp::new(s, n).map_err(serde::de::Error::custom))
            .collect()
    }
}

/// Serde for an optional timestamp, as [`ts`] does one.
pub(crate) mod ts_opt {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_some(&(t.as_second(), t.subsec_nanosecond())),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        Option::<(i64, i32)>::deserialize(d)?
            .map(|(s, n)| Timestamp::new(s, n).map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests;
