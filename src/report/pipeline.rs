//! The funnel: per-step reach, conversion, days in step, and the totals, all
//! rebuilt from `history` as of a date.

use super::{median, ratio, round2};
use crate::clock;
use crate::history;
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
    /// The summed `value` of the open records at the step (their value now,
    /// also with `--as-of`).
    pub open_value: f64,
    /// `open_value` × the step's chance of a win, as `forecast` learns it
    /// from the folder's own history.
    pub weighted_value: f64,
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

/// One step's running figures.
struct StepAcc {
    reached: usize,
    advanced: usize,
    open: usize,
    nurturing: usize,
    days: Vec<f64>,
    open_value: f64,
}

/// The funnel, built one record at a time: each record adds its replay to
/// the counts, so the records never need to be in memory together.
pub struct Funnel<'a> {
    p: &'a Process,
    at: &'a AsOf<'a>,
    steps: Vec<StepAcc>,
    won: usize,
    lost: usize,
    cycles: Vec<f64>,
    stale: usize,
    due: usize,
    /// The steps the record being added visited (one per step, reused).
    seen: Vec<bool>,
}

impl<'a> Funnel<'a> {
    /// An empty funnel over the process's steps.
    pub fn new(p: &'a Process, at: &'a AsOf<'a>) -> Funnel<'a> {
        Funnel {
            p,
            at,
            steps: p
                .steps
                .iter()
                .map(|_| StepAcc {
                    reached: 0,
                    advanced: 0,
                    open: 0,
                    nurturing: 0,
                    days: Vec::new(),
                    open_value: 0.0,
                })
                .collect(),
            won: 0,
            lost: 0,
            cycles: Vec::new(),
            stale: 0,
            due: 0,
            seen: vec![false; p.steps.len()],
        }
    }

    /// Adds a record as it stood at the report's date. Records without
    /// history, or created after the date, add nothing.
    pub fn add(&mut self, s: &Summary) {
        let (p, at) = (self.p, self.at);
        let past;
        let t = match at.cutoff {
            None => s.funnel.as_ref(),
            Some(_) => {
                past = s.replay(p, at.cutoff);
                past.as_ref()
            }
        };
        let Some(t) = t else {
            return;
        };
        // At a past date, the history's own next step; the record's when no
        // event set or settled one.
        let follow_up = match (at.cutoff, &t.follow_up) {
            (Some(_), Some(f)) => f.as_ref().and_then(|f| f.date.as_deref()),
            _ => s.row.follow_up_date.as_deref(),
        };
        // Each visit's step found once (step ids are distinct), not each
        // step looked for among the visits twice.
        let seen = &mut self.seen;
        seen.fill(false);
        for v in &t.visits {
            if let Some(i) = p.index(&v.step) {
                seen[i] = true;
                if let Some(leave) = v.leave {
                    self.steps[i].days.push(clock::days_between(v.enter, leave));
                }
            }
        }
        let stage = p.index(&t.stage);
        for (i, acc) in self.steps.iter_mut().enumerate() {
            if seen[i] {
                acc.reached += 1;
                let advanced = match seen.get(i + 1) {
                    Some(&n) => n,
                    None => t.status == Status::Won,
                };
                acc.advanced += usize::from(advanced);
            }
            if stage == Some(i) {
                match t.status {
                    Status::Open => {
                        acc.open += 1;
                        acc.open_value += s.row.value.unwrap_or(0.0);
                    }
                    Status::Nurturing => acc.nurturing += 1,
                    _ => {}
                }
            }
        }
        match t.status {
            Status::Won => {
                self.won += 1;
                if let Some(c) = t.closed_at {
                    self.cycles.push(clock::days_between(t.created, c));
                }
            }
            Status::Lost => self.lost += 1,
            _ => {}
        }
        self.stale += usize::from(history::is_stale(
            t.status,
            &t.stage,
            t.last_activity,
            p,
            at.now,
        ));
        self.due += usize::from(history::is_due(t.status, follow_up, at.date));
    }

    /// The report; `p_win` is each step's chance of a win (in step order),
    /// which weights its open value.
    pub fn finish_weighted(self, p_win: &[f64]) -> Pipeline {
        let mut r = self.finish();
        for (f, w) in r.steps.iter_mut().zip(p_win) {
            f.weighted_value = round2(f.open_value * w);
        }
        r
    }

    /// The report.
    pub fn finish(self) -> Pipeline {
        let steps = self
            .p
            .steps
            .iter()
            .zip(self.steps)
            .map(|(s, acc)| StepFigures {
                step: s.id.clone(),
                phase: s.phase.clone(),
                reached: acc.reached,
                advanced: acc.advanced,
                conversion: ratio(acc.advanced, acc.reached).map(round2),
                open: acc.open,
                nurturing: acc.nurturing,
                median_days: median(acc.days).map(round2),
                open_value: round2(acc.open_value),
                weighted_value: 0.0,
            })
            .collect();
        Pipeline {
            as_of: self.at.date.to_string(),
            steps,
            won: self.won,
            lost: self.lost,
            win_rate: ratio(self.won, self.won + self.lost).map(round2),
            median_cycle_days: median(self.cycles).map(round2),
            stale: self.stale,
            due: self.due,
        }
    }
}
