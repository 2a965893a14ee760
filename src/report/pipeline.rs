//! The funnel: per-step reach, conversion, days in step, and the totals, all
//! rebuilt from `history` as of a date.

use super::timeline::{self, Timeline};
use super::{median, ratio, round2};
use crate::clock;
use crate::process::Process;
use crate::prospect::{Record, Status};
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
    /// Events after this timestamp are ignored (`None`: all).
    pub cutoff: Option<&'a str>,
    /// The instant staleness is measured at.
    pub now: jiff::Timestamp,
}

/// Computes the funnel. Records without history are skipped (the caller warns).
pub fn compute(records: &[(String, Record)], p: &Process, at: &AsOf) -> Pipeline {
    let lines: Vec<(&Record, Timeline)> = records
        .iter()
        .filter_map(|(_, r)| timeline::build(r, at.cutoff).map(|t| (r, t)))
        .collect();
    let steps = p
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let next = p.steps.get(i + 1).map(|n| n.id.as_str());
            let visited = |t: &Timeline, step: &str| t.visits.iter().any(|v| v.step == step);
            let reached: Vec<&Timeline> = lines
                .iter()
                .map(|(_, t)| t)
                .filter(|t| visited(t, &s.id))
                .collect();
            let advanced = reached
                .iter()
                .filter(|t| match next {
                    Some(n) => visited(t, n),
                    None => t.status == Status::Won,
                })
                .count();
            let here = |st: Status| {
                lines
                    .iter()
                    .filter(|(_, t)| t.stage == s.id && t.status == st)
                    .count()
            };
            let days: Vec<f64> = lines
                .iter()
                .flat_map(|(_, t)| t.visits.iter())
                .filter(|v| v.step == s.id)
                .filter_map(|v| {
                    Some(clock::days_between(
                        clock::parse_at(&v.enter)?,
                        clock::parse_at(v.leave.as_deref()?)?,
                    ))
                })
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
    let count = |st: Status| lines.iter().filter(|(_, t)| t.status == st).count();
    let (won, lost) = (count(Status::Won), count(Status::Lost));
    let cycles: Vec<f64> = lines
        .iter()
        .filter(|(_, t)| t.status == Status::Won)
        .filter_map(|(_, t)| {
            Some(clock::days_between(
                clock::parse_at(&t.created)?,
                clock::parse_at(t.closed_at.as_deref()?)?,
            ))
        })
        .collect();
    let stale = lines
        .iter()
        .filter(|(_, t)| t.status == Status::Open)
        .filter(|(_, t)| {
            clock::parse_at(&t.last_activity).is_some_and(|last| {
                clock::days_between(last, at.now) > f64::from(p.stale_days(&t.stage))
            })
        })
        .count();
    let due = lines
        .iter()
        .filter(|(_, t)| !t.status.is_closed())
        .filter(|(r, t)| {
            let date = if at.cutoff.is_none() {
                r.follow_up_date().map(str::to_string)
            } else {
                t.follow_up.clone()
            };
            date.is_some_and(|d| d.as_str() <= at.date)
        })
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
