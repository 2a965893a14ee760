//! A record's path through the process, rebuilt from its history up to a cutoff.

use crate::prospect::{Outcome, Record, Status, events};

/// One stay at a step.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub step: String,
    pub enter: String,
    /// When the record moved on or closed; `None` while it is still there.
    pub leave: Option<String>,
}

/// The record as it stood at the cutoff.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub created: String,
    pub visits: Vec<Visit>,
    pub stage: String,
    pub status: Status,
    pub closed_at: Option<String>,
    pub follow_up: Option<String>,
    pub last_activity: String,
}

/// Replays the events at or before `cutoff` (a record timestamp string; `None`
/// for all). `None` when the record did not exist yet or has no history.
pub fn build(r: &Record, cutoff: Option<&str>) -> Option<Timeline> {
    let within = |at: &str| cutoff.is_none_or(|c| at <= c);
    let mut evs: Vec<_> = r.history.iter().filter(|e| within(&e.at)).collect();
    evs.sort_by(|a, b| a.at.cmp(&b.at));
    let first = evs.first()?;
    let start = first.step.clone().unwrap_or_else(|| r.stage.clone());
    let mut t = Timeline {
        created: first.at.clone(),
        visits: vec![Visit {
            step: start.clone(),
            enter: first.at.clone(),
            leave: None,
        }],
        stage: start,
        status: Status::Open,
        closed_at: None,
        follow_up: None,
        last_activity: first.at.clone(),
    };
    for e in evs.iter().skip(1) {
        if let Some(to) = e.to.as_ref().filter(|to| **to != t.stage) {
            close(&mut t, &e.at);
            t.visits.push(Visit {
                step: to.clone(),
                enter: e.at.clone(),
                leave: None,
            });
            t.stage = to.clone();
        }
        if let Some(st) = e.status {
            if st.is_closed() && !t.status.is_closed() {
                close(&mut t, &e.at);
                t.closed_at = Some(e.at.clone());
            }
            t.status = st;
        }
        match (e.event.as_str(), e.outcome) {
            (events::FOLLOW_UP, _) => t.follow_up = e.date.clone(),
            (events::DECIDED, Some(Outcome::Later)) => t.follow_up = e.revisit.clone(),
            (events::DECIDED, Some(Outcome::No | Outcome::Yes)) => t.follow_up = None,
            _ => {}
        }
    }
    let last_insight = r
        .insights
        .iter()
        .map(|i| i.at.as_str())
        .filter(|a| within(a))
        .max();
    let last_event = evs.last().map(|e| e.at.as_str()).unwrap_or("");
    t.last_activity = last_insight
        .filter(|i| *i > last_event)
        .unwrap_or(last_event)
        .to_string();
    Some(t)
}

fn close(t: &mut Timeline, at: &str) {
    if let Some(v) = t.visits.last_mut()
        && v.leave.is_none()
    {
        v.leave = Some(at.to_string());
    }
}
