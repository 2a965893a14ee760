//! The demo's backtest, computed a second way: straight from the record
//! files, with its own walk of the events, compared with `forecast
//! --backtest`.

use crate::Env;
use jiff::Timestamp;
use jiff::civil::Date;
use salesproc::prospect::{Outcome, Record, Status};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const STEPS: [&str; 8] = [
    "research",
    "introduce",
    "qualify",
    "learn",
    "present",
    "propose",
    "resolve",
    "agree",
];

/// Where one record stood: its stays (step, enter, leave) and status.
struct Walk {
    stays: Vec<(usize, Timestamp, Option<Timestamp>)>,
    status: Status,
    closed: Option<Timestamp>,
}

fn pos(step: &str) -> usize {
    STEPS.iter().position(|s| *s == step).unwrap()
}

fn walk(r: &Record, until: Option<Timestamp>) -> Walk {
    let mut w = Walk {
        stays: Vec::new(),
        status: Status::Open,
        closed: None,
    };
    for e in &r.history {
        let at: Timestamp = e.at.parse().unwrap();
        if until.is_some_and(|u| at > u) {
            break;
        }
        let here = w.stays.last().map(|s| s.0);
        if e.event == "created" {
            w.stays.push((pos(e.step.as_deref().unwrap()), at, None));
            continue;
        }
        let (to, status) = match (e.event.as_str(), e.outcome) {
            ("decided", Some(o)) => {
                let from = pos(e.step.as_deref().unwrap());
                match o {
                    Outcome::Yes if from == 7 => (from, Status::Won),
                    Outcome::Yes => (from + 1, Status::Open),
                    Outcome::No => (from, Status::Lost),
                    // `later` returns to learn, or stays on a step before it.
                    Outcome::Later => (from.min(3), Status::Nurturing),
                }
            }
            ("reopened", _) => (here.unwrap(), e.status.unwrap_or(Status::Open)),
            _ => continue,
        };
        let closing = matches!(status, Status::Won | Status::Lost);
        let was_closed = matches!(w.status, Status::Won | Status::Lost);
        let last = w.stays.last_mut().unwrap();
        if Some(to) != here || (closing && !was_closed) {
            last.2.get_or_insert(at);
        }
        if Some(to) != here || (was_closed && !closing) {
            w.stays.push((to, at, None));
        }
        if closing && !was_closed {
            w.closed = Some(at);
        }
        w.status = status;
    }
    w
}

fn month(t: Timestamp) -> String {
    t.strftime("%Y-%m").to_string()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[test]
fn the_demo_backtest_agrees_with_a_second_computation() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
    let cutoff: Timestamp = "2026-06-30T23:59:59Z".parse().unwrap();
    let as_of: Date = "2026-06-30".parse().unwrap();
    let mut records = Vec::new();
    let env = Env::new();
    for f in std::fs::read_dir(demo.join("prospects")).unwrap() {
        let path = f.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        env.file(&format!("pipe/prospects/{name}"), &text);
        records.push(salesproc::yaml::record_from_str(&text).unwrap());
    }
    let (mut left, mut adv, mut days) = ([0f64; 8], [0f64; 8], vec![Vec::new(); 8]);
    let past: Vec<Walk> = records.iter().map(|r| walk(r, Some(cutoff))).collect();
    for w in past.iter().filter(|w| !w.stays.is_empty()) {
        let seen = |i: usize| w.stays.iter().any(|s| s.0 == i);
        let sitting = matches!(w.status, Status::Open | Status::Nurturing);
        for i in (0..8).filter(|i| seen(*i)) {
            if sitting && w.stays.last().unwrap().0 == i {
                continue;
            }
            left[i] += 1.0;
            if (i < 7 && seen(i + 1)) || (i == 7 && w.status == Status::Won) {
                adv[i] += 1.0;
            }
        }
        for (i, enter, leave) in &w.stays {
            if let Some(l) = leave {
                days[*i].push((l.as_second() - enter.as_second()) as f64 / 86400.0);
            }
        }
    }
    let conv: Vec<f64> = (0..8).map(|i| (adv[i] + 3.0) / (left[i] + 4.0)).collect();
    let med: Vec<f64> = days
        .into_iter()
        .map(|d| if d.is_empty() { 14.0 } else { median(d) })
        .collect();

    let (mut predicted, mut actual) = (
        BTreeMap::<String, f64>::new(),
        BTreeMap::<String, usize>::new(),
    );
    let (mut brier, mut resolved, mut open) = (0.0, 0, 0);
    for (r, w) in records.iter().zip(&past) {
        if w.stays.is_empty() || w.status != Status::Open {
            continue;
        }
        open += 1;
        let (step, enter, _) = *w.stays.last().unwrap();
        let p: f64 = conv[step..].iter().product();
        let spent = (as_of
            - enter
                .strftime("%Y-%m-%d")
                .to_string()
                .parse::<Date>()
                .unwrap())
        .get_days() as f64;
        let rest = (med[step] - spent).max(0.0) + med[step + 1..].iter().sum::<f64>();
        let close = as_of + jiff::Span::new().days(rest.ceil() as i64);
        *predicted
            .entry(close.strftime("%Y-%m").to_string())
            .or_default() += p;
        let now = walk(r, None);
        let hit = match now.status {
            Status::Won => 1.0,
            Status::Lost => 0.0,
            _ => continue,
        };
        resolved += 1;
        brier += (p - hit) * (p - hit);
        if hit == 1.0 {
            *actual.entry(month(now.closed.unwrap())).or_default() += 1;
        }
    }
    let brier = brier / resolved as f64;

    let env = Env::new();
    let dir = demo.to_str().unwrap();
    let r = env
        .run(&[
            "--dir",
            dir,
            "forecast",
            "--as-of",
            "2026-06-30",
            "--backtest",
            "-f",
            "json",
        ])
        .ok();
    let b: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(b["deals"], open);
    assert_eq!(b["resolved"], resolved);
    assert!(
        (b["brier"].as_f64().unwrap() - brier).abs() < 0.001,
        "{} vs {brier}",
        b["brier"]
    );
    for row in b["periods"].as_array().unwrap() {
        let key = row["period"].as_str().unwrap();
        let want = predicted.get(key).copied().unwrap_or(0.0);
        assert!(
            (row["predicted_wins"].as_f64().unwrap() - want).abs() < 0.01,
            "{key}: {row} vs {want}"
        );
        assert_eq!(
            row["actual_wins"].as_u64().unwrap() as usize,
            actual.get(key).copied().unwrap_or(0),
            "{key}"
        );
    }
    let keys: Vec<&str> = b["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    let mut all: Vec<&str> = predicted
        .keys()
        .chain(actual.keys())
        .map(String::as_str)
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(keys, all);
}
