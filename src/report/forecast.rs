//! The forecast: each open deal's chance of winning and expected close date,
//! learned from the folder's own history, summed per period with an 80%
//! interval for the won value.
//!
//! Per step `i`, `n` deals have left it (reached it and are no longer sitting
//! there open or nurturing) and `a` of them advanced (for the last step: were
//! won). The step's conversion is the mean of a Beta prior worth
//! [`Settings::prior_deals`] deals at the process default
//! [`Settings::default_conversion`], updated by those deals:
//! `c = (a + k·d) / (n + k)`. A deal open at step `s` wins with
//! `P = c_s · c_{s+1} · … · c_last`. It closes after what is left of the
//! median days of its step, plus the median days of each later step.

use super::{median, round2};
use crate::clock;
use crate::history::Replay;
use crate::process::Process;
use crate::prospect::Status;
use crate::summary::Summary;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;

/// How deals are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    Month,
    Quarter,
    Owner,
}

/// The knobs of the model; [`Settings::default`] is what the README documents.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// `k`: how many deals the prior is worth.
    pub prior_deals: f64,
    /// `d`: a step's conversion before any deal has left it.
    pub default_conversion: f64,
    /// Simulated outcomes for the interval.
    pub draws: usize,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            prior_deals: 4.0,
            default_conversion: 0.75,
            draws: 2000,
            seed: 14,
        }
    }
}

/// One step's learned figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepRate {
    pub step: String,
    /// Deals that have left the step.
    pub left: usize,
    /// Of those, the ones that advanced (last step: won).
    pub advanced: usize,
    /// The smoothed conversion `c`.
    pub conversion: f64,
    /// Median days of a completed stay; `None` when there was none.
    pub median_days: Option<f64>,
    /// The chance a deal open here is won.
    pub p_win: f64,
}

/// One open deal, forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DealForecast {
    pub id: String,
    pub name: String,
    pub owner: Option<String>,
    pub stage: String,
    pub value: Option<f64>,
    pub p_win: f64,
    pub expected_close: String,
    pub period: String,
    /// For backtests: how the deal ended after the forecast date.
    #[serde(skip)]
    pub outcome: Option<Outcome>,
}

/// How a forecast deal ended later: status and when it closed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    pub status: Status,
    pub closed_at: Option<Timestamp>,
}

/// One period's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub period: String,
    pub deals: usize,
    /// Deals that have a value.
    pub valued: usize,
    pub open_value: f64,
    /// Σ value × P(win).
    pub weighted_value: f64,
    /// Σ P(win): the expected number of wins.
    pub expected_wins: f64,
    /// The 80% interval (10th and 90th percentile) of the won value, or of
    /// the won deals when no deal has a value.
    pub won_low: f64,
    pub won_high: f64,
}

/// The whole forecast; its JSON shape is documented in the README.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    pub as_of: String,
    pub by: By,
    /// False when no open deal has a value: the figures are counts only.
    pub values: bool,
    pub steps: Vec<StepRate>,
    pub periods: Vec<Period>,
    pub total: Period,
    pub deals: Vec<DealForecast>,
}

struct StepAcc {
    left: usize,
    advanced: usize,
    days: Vec<f64>,
}

struct Open {
    id: String,
    name: String,
    owner: Option<String>,
    stage: String,
    entered: Timestamp,
    value: Option<f64>,
    outcome: Option<Outcome>,
}

/// The forecast, learned one record at a time (only open deals are kept).
pub struct Learner<'a> {
    p: &'a Process,
    cutoff: Option<Timestamp>,
    steps: Vec<StepAcc>,
    open: Vec<Open>,
    /// False when only the step rates are wanted (`pipeline`): open deals
    /// and days in step are then not kept (`median_days` is `None`).
    keep_open: bool,
    /// The steps the replay being learned visited (one per step, reused).
    seen: Vec<bool>,
}

impl<'a> Learner<'a> {
    /// An empty learner; `cutoff` is the forecast instant (`None`: now).
    pub fn new(p: &'a Process, cutoff: Option<Timestamp>) -> Learner<'a> {
        let steps = p
            .steps
            .iter()
            .map(|_| StepAcc {
                left: 0,
                advanced: 0,
                days: Vec::new(),
            })
            .collect();
        Learner {
            p,
            cutoff,
            steps,
            open: Vec::new(),
            keep_open: true,
            seen: vec![false; p.steps.len()],
        }
    }

    /// A learner of the step rates alone (no deal is kept, nothing simulated).
    pub fn rates_only(p: &'a Process, cutoff: Option<Timestamp>) -> Learner<'a> {
        Learner {
            keep_open: false,
            ..Learner::new(p, cutoff)
        }
    }

    /// Each step's learned conversion and chance of a win, in step order.
    /// Rounded as `forecast` prints them, so the two reports agree.
    pub fn step_rates(self, set: &Settings) -> Vec<StepRate> {
        let mut out = rates(self.p, self.steps, set);
        for r in &mut out {
            r.conversion = round4(r.conversion);
            r.p_win = round4(r.p_win);
        }
        out
    }

    /// Adds a record as it stood at the cutoff; with a cutoff and the
    /// summary's current replay, also how it ended (for backtests).
    pub fn add(&mut self, s: &Summary) {
        let past;
        let t = match self.cutoff {
            None => s.funnel.as_ref(),
            Some(_) => {
                past = s.replay(self.p, self.cutoff);
                past.as_ref()
            }
        };
        let Some(t) = t else { return };
        self.learn(t);
        if self.keep_open
            && t.status == Status::Open
            && let Some(v) = t.visits.last()
        {
            let outcome = match (self.cutoff, &s.funnel) {
                (Some(_), Some(now)) => Some(Outcome {
                    status: now.status,
                    closed_at: now.closed_at,
                }),
                _ => None,
            };
            self.open.push(Open {
                id: s.row.id.to_string(),
                name: s.row.name.to_string(),
                owner: s.row.owner.as_deref().map(String::from),
                stage: t.stage.to_string(),
                entered: v.enter,
                value: s.row.value,
                outcome,
            });
        }
    }

    fn learn(&mut self, t: &Replay) {
        let p = self.p;
        let sitting = !t.status.is_closed();
        // Each visit's step found once (step ids are distinct), not each
        // step looked for among the visits twice.
        let seen = &mut self.seen;
        seen.fill(false);
        for v in &t.visits {
            if let Some(i) = p.index(&v.step) {
                seen[i] = true;
                // The days in each step make the forecast's close dates;
                // `pipeline` (rates only) needs none of them.
                if let (true, Some(leave)) = (self.keep_open, v.leave) {
                    self.steps[i].days.push(clock::days_between(v.enter, leave));
                }
            }
        }
        let stage = p.index(&t.stage);
        for i in 0..p.steps.len() {
            if !seen[i] || (sitting && stage == Some(i)) {
                continue;
            }
            let advanced = match seen.get(i + 1) {
                Some(&n) => n,
                None => t.status == Status::Won,
            };
            self.steps[i].left += 1;
            self.steps[i].advanced += usize::from(advanced);
        }
    }

    /// The forecast as of `as_of` (the date of the cutoff, or today).
    pub fn finish(self, as_of: Date, by: By, set: &Settings) -> Forecast {
        let rates = rates(self.p, self.steps, set);
        let mut deals: Vec<DealForecast> = self
            .open
            .into_iter()
            .filter_map(|o| {
                let i = self.p.index(&o.stage)?;
                let close = expected_close(self.p, &rates, i, o.entered, as_of);
                let period = period_of(by, close, o.owner.as_deref());
                Some(DealForecast {
                    id: o.id,
                    name: o.name,
                    owner: o.owner,
                    stage: o.stage,
                    value: o.value,
                    p_win: rates[i].p_win,
                    expected_close: close.to_string(),
                    period,
                    outcome: o.outcome,
                })
            })
            .collect();
        deals.sort_by(|a, b| {
            (&a.period, &a.expected_close, &a.id).cmp(&(&b.period, &b.expected_close, &b.id))
        });
        let values = deals.iter().any(|d| d.value.is_some());
        let mut periods: Vec<Period> = Vec::new();
        let mut start = 0;
        while start < deals.len() {
            let key = &deals[start].period;
            let end = start
                + deals[start..]
                    .iter()
                    .take_while(|d| &d.period == key)
                    .count();
            periods.push(sum(key, &deals[start..end], values, set));
            start = end;
        }
        let total = sum("total", &deals, values, set);
        for d in &mut deals {
            d.p_win = round4(d.p_win);
        }
        let mut rates = rates;
        for r in &mut rates {
            r.conversion = round4(r.conversion);
            r.p_win = round4(r.p_win);
        }
        Forecast {
            as_of: as_of.to_string(),
            by,
            values,
            steps: rates,
            periods,
            total,
            deals,
        }
    }
}

fn rates(p: &Process, steps: Vec<StepAcc>, set: &Settings) -> Vec<StepRate> {
    let (k, d) = (set.prior_deals, set.default_conversion);
    let mut out: Vec<StepRate> = p
        .steps
        .iter()
        .zip(steps)
        .map(|(s, acc)| StepRate {
            step: s.id.clone(),
            left: acc.left,
            advanced: acc.advanced,
            conversion: (acc.advanced as f64 + k * d) / (acc.left as f64 + k),
            median_days: median(acc.days).map(round2),
            p_win: 0.0,
        })
        .collect();
    let mut p_win = 1.0;
    for r in out.iter_mut().rev() {
        p_win *= r.conversion;
        r.p_win = p_win;
    }
    out
}

/// Days a step is expected to take: its median, else its stale limit.
fn step_days(p: &Process, r: &StepRate) -> f64 {
    r.median_days
        .unwrap_or_else(|| f64::from(p.stale_days(&r.step)))
}

/// What is left of step `i` (whole days since the deal entered it count as
/// spent), then every later step.
fn expected_close(
    p: &Process,
    rates: &[StepRate],
    i: usize,
    entered: Timestamp,
    as_of: Date,
) -> Date {
    let spent = clock::date_of(entered)
        .until(as_of)
        .map_or(0, |s| s.get_days()) as f64;
    let here = (step_days(p, &rates[i]) - spent).max(0.0);
    let rest: f64 = rates[i + 1..].iter().map(|r| step_days(p, r)).sum();
    let days = (here + rest).ceil() as i64;
    as_of.checked_add(days.days()).unwrap_or(as_of)
}

/// The period a date (or owner) falls in.
pub fn period_of(by: By, d: Date, owner: Option<&str>) -> String {
    match by {
        By::Month => format!("{:04}-{:02}", d.year(), d.month()),
        By::Quarter => format!("{:04}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
        By::Owner => owner.unwrap_or("(none)").to_string(),
    }
}

fn sum(key: &str, deals: &[DealForecast], values: bool, set: &Settings) -> Period {
    let worth = |d: &DealForecast| if values { d.value.unwrap_or(0.0) } else { 1.0 };
    let (low, high) = interval(deals, worth, set);
    Period {
        period: key.to_string(),
        deals: deals.len(),
        valued: deals.iter().filter(|d| d.value.is_some()).count(),
        open_value: money(deals.iter().filter_map(|d| d.value).sum()),
        weighted_value: money(deals.iter().map(|d| d.value.unwrap_or(0.0) * d.p_win).sum()),
        expected_wins: money(deals.iter().map(|d| d.p_win).sum()),
        won_low: money(low),
        won_high: money(high),
    }
}

/// Rounds to cents; an empty sum (-0.0) is 0.
fn money(x: f64) -> f64 {
    round2(x) + 0.0
}

/// From this many deals on, the interval is the normal approximation of
/// the sum (see [`interval`]), not a simulation of draws × deals.
const NORMAL_FROM: usize = 1000;

/// The 10th and 90th percentile of Σ worth × win, over simulated outcomes
/// with a fixed seed (the same input always gives the same interval).
/// From [`NORMAL_FROM`] deals on, where no one deal holds more than 1% of
/// the spread, the sum of so many independent outcomes is normal to well
/// within a percent: its mean ± 1.2816 standard deviations is used (at
/// 100,000 records the simulation took a second).
fn interval(
    deals: &[DealForecast],
    worth: impl Fn(&DealForecast) -> f64,
    set: &Settings,
) -> (f64, f64) {
    if deals.is_empty() || set.draws == 0 {
        return (0.0, 0.0);
    }
    if deals.len() >= NORMAL_FROM
        && let Some(i) = normal_interval(deals, &worth)
    {
        return i;
    }
    simulated(deals, worth, set)
}

/// The 80% interval of the normal approximation, when no deal dominates.
fn normal_interval(
    deals: &[DealForecast],
    worth: &impl Fn(&DealForecast) -> f64,
) -> Option<(f64, f64)> {
    let (mut mean, mut var, mut most, mut all) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for d in deals {
        let (w, p) = (worth(d), d.p_win.clamp(0.0, 1.0));
        mean += w * p;
        let v = w * w * p * (1.0 - p);
        var += v;
        most = most.max(v);
        all += w.max(0.0);
    }
    if var <= 0.0 || most > var * 0.01 {
        return None;
    }
    let z = 1.281_551_565_5 * var.sqrt();
    Some(((mean - z).max(0.0), (mean + z).min(all)))
}

/// The interval from `set.draws` simulated outcomes.
fn simulated(
    deals: &[DealForecast],
    worth: impl Fn(&DealForecast) -> f64,
    set: &Settings,
) -> (f64, f64) {
    let mut rng = SplitMix(set.seed);
    let mut sums: Vec<f64> = (0..set.draws)
        .map(|_| {
            deals
                .iter()
                .filter(|d| rng.unit() < d.p_win)
                .map(&worth)
                .sum()
        })
        .collect();
    sums.sort_by(f64::total_cmp);
    let at = |q: f64| sums[((q * set.draws as f64).ceil() as usize).clamp(1, set.draws) - 1];
    (at(0.1), at(0.9))
}

/// SplitMix64: a small, fixed, well-mixed generator; no crate needed.
struct SplitMix(u64);

impl SplitMix {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Rounds to four decimals, for probabilities.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A value for people: whole units with thousands separators (`24,000`).
pub fn amount(x: f64) -> String {
    let n = x.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests;
