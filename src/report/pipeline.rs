//! The funnel: per-step reach, conversion, days in step, and the totals, all
//! rebuilt from `history` as of a date.

use super::{median, ratio, round2};
use crate::clock;
use crate::history::{self, Replay};
use crate::process::Process;
use crate::prospect::Status;
use crate::summary::Summary;
use jiff::Timestamp;
use serde::Serialize;

/// One step's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepFigures {
    pub step: String,
    pub phase: String,
    /// Distinct records that were ever at the step.
    pub reached: usize,
    /// Records that reached the next step (for the last step: were won).
    pub advanced: usize,
    /// advanced / reached.
    pub conversion: Option<f64>,
    pub open: usize,
    pub nurturing: usize,
    /// Median days of the completed visits (entered, then moved on or closed).
    pub median_days: Option<f64>,
}

/// The whole report; its JSON shape is documented in the README.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pipeline {
    pub as_of: String,
    pub steps: Vec<StepFigures>,
    pub won: usize,
    pub lost: usize,
    pub win_rate: Option<f64>,
    pub median_cycle_days: Option<f64>,
    pub stale: usize,
    pub due: usize,
}

/// What the report is computed against.
pub struct AsOf<'a> {
    /// The date reported, `YYYY-MM-DD`.
    pub date: &'a str,
    /// Events after this instant are ignored (`None`: all).
    pub cutoff: Option<Timestamp>,
    /// The instant staleness is measured at.
    pub now: Timestamp,
}

/// One record as the funnel sees it: its replay and its follow-up date then.
pub struct Line {
    t: Replay,
    follow_up: Option<String>,
}

impl Line {
    /// A record's line as of the report's date; `None` when it did not exist
    /// yet or has no history.
    pub fn of(s: &Summary, p: &Process, at: &AsOf) -> Option<Line> {
        let t = s.replay(p, at.cutoff)?;
        // At a past date, the history's own next step; the record's
        // when no event set or settled one.
        let follow_up = match (at.cutoff, &t.follow_up) {
            (Some(_), Some(f)) => f.as_ref().and_then(|f| f.date.clone()),
            _ => s.row.follow_up_date.clone(),
        };
        Some(Line { t, follow_up })
    }
}

/// Computes the funnel from every record's line.
pub fn compute(lines: &[Line], p: &Process, at: &AsOf) -> Pipeline {
    let steps = p
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let next = p.steps.get(i + 1).map(|n| n.id.as_str());
            let reached: Vec<&Replay> = lines
                .iter()
                .map(|l| &l.t)
                .filter(|t| t.visited(&s.id))
                .collect();
            let advanced = reached
                .iter()
                .filter(|t| match next {
                    Some(n) => t.visited(n),
                    None => t.status == Status::Won,
                })
                .count();
            let here = |st: Status| {
                lines
                    .iter()
                    .filter(|l| l.t.stage == s.id && l.t.status == st)
                    .count()
            };
            let days: Vec<f64> = lines
                .iter()
                .flat_map(|l| l.t.visits.iter())
                .filter(|v| v.step == s.id)
                .filter_map(|v| Some(clock::days_between(v.enter, v.leave?)))
                .collect();
            StepFigures {
                step: s.id.clone(),
                phase: s.phase.clone(),
                reached: reached.len(),
                advanced,
                conversion: ratio(advanced, reached.len()).map(round2),
                open: here(Status::Open),
                nurturing: here(Status::Nurturing),
                median_days: median(days).map(round2),
            }
        })
        .collect();
    let count = |st: Status| lines.iter().filter(|l| l.t.status == st).count();
    let (won, lost) = (count(Status::Won), count(Status::Lost));
    let cycles: Vec<f64> = lines
        .iter()
        .filter(|l| l.t.status == Status::Won)
        .filter_map(|l| Some(clock::days_between(l.t.created, l.t.closed_at?)))
        .collect();
    let stale = lines
        .iter()
        .filter(|l| history::is_stale(l.t.status, &l.t.stage, l.t.last_activity, p, at.now))
        .count();
    let due = lines
        .iter()
        .filter(|l| history::is_due(l.t.status, l.follow_up.as_deref(), at.date))
        .count();
    Pipeline {
        as_of: at.date.to_string(),
        steps,
        won,
        lost,
        win_rate: ratio(won, won + lost).map(round2),
        median_cycle_days: median(cycles).map(round2),
        stale,
        due,
    }
}
