//! The backtest: what a forecast said at a past date against what happened
//! since, per period, and the Brier score of its probabilities.

use super::forecast::{By, Forecast, period_of};
use super::round2;
use crate::clock;
use crate::prospect::Status;
use serde::Serialize;
use std::collections::BTreeMap;

/// One period: predicted against actual.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackPeriod {
    pub period: String,
    /// Σ P(win) of the deals expected to close in the period.
    pub predicted_wins: f64,
    /// Σ value × P(win) of those deals.
    pub predicted_value: f64,
    /// Deals open at the forecast date that were won in the period.
    pub actual_wins: usize,
    pub actual_value: f64,
}

/// The backtest; its JSON shape is documented in the README.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    pub as_of: String,
    pub by: By,
    pub values: bool,
    /// Deals open at the forecast date.
    pub deals: usize,
    /// Of those, the ones won or lost since.
    pub resolved: usize,
    pub won: usize,
    /// Mean of (P(win) − outcome)² over the resolved deals (0 is perfect;
    /// always saying 50% scores 0.25).
    pub brier: Option<f64>,
    pub periods: Vec<BackPeriod>,
}

/// Compares a forecast made at a past date (its deals carry their outcomes)
/// with what happened.
pub fn backtest(f: &Forecast) -> Backtest {
    let mut rows: BTreeMap<String, BackPeriod> = BTreeMap::new();
    let (mut resolved, mut won, mut sq) = (0usize, 0usize, 0.0f64);
    for d in &f.deals {
        let r = entry(&mut rows, &d.period);
        r.predicted_wins += d.p_win;
        r.predicted_value += d.p_win * d.value.unwrap_or(0.0);
        let Some(o) = d.outcome else { continue };
        let hit = match o.status {
            Status::Won => 1.0,
            Status::Lost => 0.0,
            _ => continue,
        };
        resolved += 1;
        sq += (d.p_win - hit) * (d.p_win - hit);
        if o.status == Status::Won {
            won += 1;
            let key = match (f.by, o.closed_at) {
                (By::Owner, _) => d.owner.clone().unwrap_or_else(|| "(none)".into()),
                (by, Some(t)) => period_of(by, clock::date_of(t), None),
                (_, None) => "(unknown)".into(),
            };
            let r = entry(&mut rows, &key);
            r.actual_wins += 1;
            r.actual_value += d.value.unwrap_or(0.0);
        }
    }
    Backtest {
        as_of: f.as_of.clone(),
        by: f.by,
        values: f.values,
        deals: f.deals.len(),
        resolved,
        won,
        brier: (resolved > 0).then(|| super::forecast::round4(sq / resolved as f64)),
        periods: rows
            .into_values()
            .map(|mut r| {
                r.predicted_wins = round2(r.predicted_wins);
                r.predicted_value = round2(r.predicted_value);
                r.actual_value = round2(r.actual_value);
                r
            })
            .collect(),
    }
}

fn entry<'a>(rows: &'a mut BTreeMap<String, BackPeriod>, key: &str) -> &'a mut BackPeriod {
    rows.entry(key.to_string()).or_insert_with(|| BackPeriod {
        period: key.to_string(),
        predicted_wins: 0.0,
        predicted_value: 0.0,
        actual_wins: 0,
        actual_value: 0.0,
    })
}
