//! The funnel over time: per calendar month (UTC), how many records came in,
//! how many steps were advanced, won, lost, the win rate and the cycle time.

use super::{median, ratio, round2};
use crate::clock;
use crate::process::Process;
use crate::prospect::Status;
use crate::summary::Summary;
use jiff::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

/// One month's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Records created in the month.
    pub reached: usize,
    /// Moves to a later step made in the month.
    pub advanced: usize,
    /// Records won in the month.
    pub won: usize,
    /// Records lost in the month.
    pub lost: usize,
    /// won / (won + lost) of the month.
    pub win_rate: Option<f64>,
    /// Median days from creation to the win, of the month's wins.
    pub median_cycle_days: Option<f64>,
}

#[derive(Default)]
struct Acc {
    reached: usize,
    advanced: usize,
    won: usize,
    lost: usize,
    cycles: Vec<f64>,
}

/// The months, built one record at a time.
pub struct Monthly<'a> {
    p: &'a Process,
    cutoff: Option<Timestamp>,
    months: BTreeMap<String, Acc>,
}

fn month_of(t: Timestamp) -> String {
    let d = clock::date_of(t);
    format!("{:04}-{:02}", d.year(), d.month())
}

impl<'a> Monthly<'a> {
    /// No months yet; events after `cutoff` are ignored.
    pub fn new(p: &'a Process, cutoff: Option<Timestamp>) -> Monthly<'a> {
        Monthly {
            p,
            cutoff,
            months: BTreeMap::new(),
        }
    }

    /// Adds a record as it stood at the cutoff.
    pub fn add(&mut self, s: &Summary) {
        let Some(t) = s.replay(self.p, self.cutoff) else {
            return;
        };
        self.months.entry(month_of(t.created)).or_default().reached += 1;
        for w in t.visits.windows(2) {
            if let (Some(a), Some(b)) = (self.p.index(&w[0].step), self.p.index(&w[1].step))
                && b > a
            {
                self.months
                    .entry(month_of(w[1].enter))
                    .or_default()
                    .advanced += 1;
            }
        }
        if let Some(c) = t.closed_at {
            let acc = self.months.entry(month_of(c)).or_default();
            match t.status {
                Status::Won => {
                    acc.won += 1;
                    acc.cycles.push(clock::days_between(t.created, c));
                }
                Status::Lost => acc.lost += 1,
                _ => {}
            }
        }
    }

    /// The months in order, with every month between the first and the last.
    pub fn finish(self) -> Vec<Month> {
        let mut out: Vec<Month> = Vec::new();
        let mut months = self.months.into_iter().peekable();
        while let Some((key, acc)) = months.next() {
            out.push(Month {
                month: key.clone(),
                reached: acc.reached,
                advanced: acc.advanced,
                won: acc.won,
                lost: acc.lost,
                win_rate: ratio(acc.won, acc.won + acc.lost).map(round2),
                median_cycle_days: median(acc.cycles).map(round2),
            });
            // Gaps are months too: a trend needs them.
            let mut next = following(&key);
            while let Some((k, _)) = months.peek()
                && *k > next
            {
                out.push(Month {
                    month: next.clone(),
                    reached: 0,
                    advanced: 0,
                    won: 0,
                    lost: 0,
                    win_rate: None,
                    median_cycle_days: None,
                });
                next = following(&next);
            }
        }
        out
    }
}

/// The month after `YYYY-MM`.
fn following(m: &str) -> String {
    let (y, mo) = m.split_once('-').unwrap_or(("0", "0"));
    let (y, mo): (i32, u32) = (y.parse().unwrap_or(0), mo.parse().unwrap_or(0));
    if mo >= 12 {
        format!("{:04}-01", y + 1)
    } else {
        format!("{y:04}-{:02}", mo + 1)
    }
}

/// A sparkline of some values (`None`: a gap).
pub fn sparkline(xs: &[Option<f64>]) -> String {
    let max = xs.iter().flatten().copied().fold(0.0f64, f64::max);
    xs.iter()
        .map(|x| match x {
            None => ' ',
            Some(_) if max <= 0.0 => '▁',
            Some(v) => ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'][((v / max) * 7.0).round() as usize],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{following, sparkline};

    #[test]
    fn months_follow() {
        assert_eq!(following("2026-11"), "2026-12");
        assert_eq!(following("2026-12"), "2027-01");
    }

    #[test]
    fn sparklines() {
        assert_eq!(sparkline(&[Some(0.0), Some(0.5), None, Some(1.0)]), "▁▅ █");
        assert_eq!(sparkline(&[Some(0.0)]), "▁");
    }
}
