//! `forecast`: a hand-worked fixture, and the demo's backtest against a
//! second, independent computation.

use crate::{Env, validate_copy};
use serde_json::Value;

/// `tests/fixtures/forecast`: steps pitch → propose → sign; as of 2026-03-31
/// (prior k = 4 deals at d = 0.75):
///
/// | deal | path | value |
/// |---|---|---|
/// | a | pitch 01-01 (10 d) → propose 01-11 (20 d) → sign 01-31 (10 d) → won 02-10 | 1000 |
/// | b | pitch 01-01 (20 d) → propose 01-21 (30 d) → lost 02-20 | - |
/// | c | pitch 01-01 (5 d) → lost 01-06 | - |
/// | d | pitch 03-01 (10 d) → propose since 03-11, open | 2000 |
/// | e | pitch since 03-21, open | - |
///
/// Left / advanced: pitch 4 / 3 (a, b, d advanced; c lost; e still there),
/// propose 2 / 1 (a advanced, b lost; d still there), sign 1 / 1 (a won).
/// Conversions: pitch (3 + 3) / (4 + 4) = 0.75, propose (1 + 3) / (2 + 4)
/// = 0.6667, sign (1 + 3) / (1 + 4) = 0.8. P(win): sign 0.8, propose
/// 0.6667 × 0.8 = 0.5333, pitch 0.75 × 0.5333 = 0.4.
/// Median days: pitch [5, 10, 10, 20] → 10, propose [20, 30] → 25, sign 10.
/// d: 20 days spent of propose's 25 → 5 left, + sign 10 = 15 → 2026-04-15.
/// e: 10 days spent of pitch's 10 → 0 left, + 25 + 10 = 35 → 2026-05-05.
/// April: 1 deal, open 2000, weighted 2000 × 0.5333 = 1066.67, wins 0.53,
/// won value 0 or 2000 (P 0.53) → 80% interval 0 – 2000. May: 1 deal, no
/// value, wins 0.4. Total: wins 0.93.
#[test]
fn the_hand_worked_forecast() {
    let env = Env::new();
    validate_copy(&env, "forecast");
    let r = env
        .run(&["forecast", "--as-of", "2026-03-31", "-f", "json"])
        .ok();
    let f: Value = serde_json::from_str(&r.stdout).unwrap();
    let steps: Vec<(String, u64, u64, f64, f64, f64)> = f["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["step"].as_str().unwrap().to_string(),
                s["left"].as_u64().unwrap(),
                s["advanced"].as_u64().unwrap(),
                s["conversion"].as_f64().unwrap(),
                s["median_days"].as_f64().unwrap(),
                s["p_win"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("pitch".into(), 4, 3, 0.75, 10.0, 0.4),
            ("propose".into(), 2, 1, 0.6667, 25.0, 0.5333),
            ("sign".into(), 1, 1, 0.8, 10.0, 0.8),
        ]
    );
    let deals = f["deals"].as_array().unwrap();
    let d: Vec<(&str, f64, &str)> = deals
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap(),
                d["p_win"].as_f64().unwrap(),
                d["expected_close"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        d,
        [
            ("d-open-in-propose", 0.5333, "2026-04-15"),
            ("e-open-in-pitch", 0.4, "2026-05-05"),
        ]
    );
    let april = &f["periods"][0];
    assert_eq!(april["period"], "2026-04");
    assert_eq!(april["deals"], 1);
    assert_eq!(april["open_value"], 2000.0);
    assert_eq!(april["weighted_value"], 1066.67);
    assert_eq!(april["expected_wins"], 0.53);
    assert_eq!(
        (april["won_low"].as_f64(), april["won_high"].as_f64()),
        (Some(0.0), Some(2000.0))
    );
    let may = &f["periods"][1];
    assert_eq!(
        (
            may["period"].as_str(),
            may["deals"].as_u64(),
            may["valued"].as_u64()
        ),
        (Some("2026-05"), Some(1), Some(0))
    );
    assert_eq!(may["expected_wins"], 0.4);
    assert_eq!(f["total"]["expected_wins"], 0.93);
    assert_eq!(f["values"], true);

    let q = env
        .run(&[
            "forecast",
            "--as-of",
            "2026-03-31",
            "--by",
            "quarter",
            "-f",
            "json",
        ])
        .ok();
    let q: Value = serde_json::from_str(&q.stdout).unwrap();
    assert_eq!(q["periods"][0]["period"], "2026-Q2");
    assert_eq!(q["periods"][0]["deals"], 2);

    let t = env.run(&["forecast", "--as-of", "2026-03-31"]).ok();
    assert!(
        t.stdout
            .contains(" 2026-04  1      2,000       1,067     0.5            0 – 2,000"),
        "{}",
        t.stdout
    );
    assert!(
        t.stdout.contains("1 of 2 open deals have no value"),
        "{}",
        t.stdout
    );
}

#[test]
fn without_values_it_counts_and_says_so() {
    let env = Env::new();
    validate_copy(&env, "forecast");
    for f in ["a-won", "d-open-in-propose"] {
        let path = format!("pipe/prospects/{f}.yaml");
        let text = env.read(&path).replace("value: ", "old-value: ");
        env.file(&path, &text);
    }
    let r = env.run(&["forecast", "--as-of", "2026-03-31"]).ok();
    assert!(r.stdout.contains("80% WON DEALS"), "{}", r.stdout);
    assert!(
        r.stdout.contains("counts only: no open deal has a value"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("no open deal has a value"),
        "{}",
        r.stderr
    );
    let j = env
        .run(&["forecast", "--as-of", "2026-03-31", "-f", "json"])
        .ok();
    let j: Value = serde_json::from_str(&j.stdout).unwrap();
    assert_eq!(j["values"], false);
    // Two deals, 0.5333 and 0.4: the won count's 80% interval is 0 – 2.
    assert_eq!(
        (
            j["total"]["won_low"].as_f64(),
            j["total"]["won_high"].as_f64()
        ),
        (Some(0.0), Some(2.0))
    );
}

#[test]
fn backtest_needs_as_of() {
    let env = Env::new();
    env.run(&["forecast", "--backtest"]).code(2);
}

mod independent;

/// The fixture by month: January brings a, b, c (3), advances a twice and b
/// once, loses c; February wins a (40 days after 01-01) and loses b (50%);
/// March brings d and e and advances d.
#[test]
fn pipeline_by_month() {
    let env = Env::new();
    validate_copy(&env, "forecast");
    let r = env.run(&["pipeline", "--by", "month", "-f", "csv"]).ok();
    assert_eq!(
        r.stdout,
        "month,reached,advanced,won,lost,win_rate,median_cycle_days\n\
         2026-01,3,3,0,1,0,\n\
         2026-02,0,0,1,1,0.5,40\n\
         2026-03,2,1,0,0,,\n"
    );
    let t = env.run(&["pipeline", "--by", "month"]).ok();
    assert!(t.stdout.contains("win rate  ▁█ \n"), "{}", t.stdout);
    // As of the end of January, February has not happened.
    let j = env
        .run(&[
            "pipeline",
            "--by",
            "month",
            "--as-of",
            "2026-01-31",
            "-f",
            "ids",
        ])
        .ok();
    assert_eq!(j.stdout, "2026-01\n");
}
