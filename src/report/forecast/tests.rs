use super::{By, DealForecast, Settings, amount, interval, period_of, simulated};

fn deal(p_win: f64, value: Option<f64>) -> DealForecast {
    DealForecast {
        id: "x".into(),
        name: "X".into(),
        owner: None,
        stage: "propose".into(),
        value,
        p_win,
        expected_close: "2026-04-15".into(),
        period: "2026-04".into(),
        outcome: None,
    }
}

#[test]
fn periods() {
    let d = jiff::civil::date(2026, 11, 30);
    assert_eq!(period_of(By::Month, d, None), "2026-11");
    assert_eq!(period_of(By::Quarter, d, None), "2026-Q4");
    assert_eq!(
        period_of(By::Quarter, jiff::civil::date(2026, 3, 31), None),
        "2026-Q1"
    );
    assert_eq!(period_of(By::Owner, d, Some("kim")), "kim");
    assert_eq!(period_of(By::Owner, d, None), "(none)");
}

#[test]
fn amounts() {
    assert_eq!(amount(0.0), "0");
    assert_eq!(amount(999.4), "999");
    assert_eq!(amount(24000.0), "24,000");
    assert_eq!(amount(1234567.0), "1,234,567");
    assert_eq!(amount(-1500.0), "-1,500");
}

#[test]
fn sure_deals_have_no_spread() {
    let set = Settings::default();
    let deals = [deal(1.0, Some(100.0)), deal(0.0, Some(50.0))];
    assert_eq!(interval(&deals, |d| d.value.unwrap(), &set), (100.0, 100.0));
}

#[test]
fn the_interval_brackets_the_mean_and_repeats() {
    let set = Settings::default();
    // 100 deals at 30%: won count is Binomial(100, 0.3), mean 30, sd 4.58;
    // the 10th and 90th percentiles are about 30 ∓ 1.28·4.58 = 24 and 36.
    let deals: Vec<DealForecast> = (0..100).map(|_| deal(0.3, None)).collect();
    let (lo, hi) = interval(&deals, |_| 1.0, &set);
    assert!((23.0..=26.0).contains(&lo), "{lo}");
    assert!((34.0..=37.0).contains(&hi), "{hi}");
    assert_eq!(interval(&deals, |_| 1.0, &set), (lo, hi), "a fixed seed");
}

/// From a thousand deals on the interval is the normal approximation: it
/// agrees with the simulation to within a percent of the mean.
#[test]
fn many_deals_take_the_normal_interval_which_agrees_with_the_simulation() {
    let mut seed = 7u64;
    let mut next = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let deals: Vec<DealForecast> = (0..3000)
        .map(|_| {
            deal(
                0.05 + 0.9 * next(),
                Some((1000.0 + 50_000.0 * next()).round()),
            )
        })
        .collect();
    let set = Settings::default();
    let worth = |d: &DealForecast| d.value.unwrap();
    let (lo, hi) = interval(&deals, worth, &set);
    let (slo, shi) = simulated(&deals, worth, &set);
    let mean: f64 = deals.iter().map(|d| d.value.unwrap() * d.p_win).sum();
    assert!(lo < mean && mean < hi);
    assert!((lo - slo).abs() < mean * 0.01, "{lo} vs {slo}");
    assert!((hi - shi).abs() < mean * 0.01, "{hi} vs {shi}");
    // One deal holding most of the spread: simulated, as before.
    let mut skewed = deals.clone();
    skewed.push(deal(0.5, Some(1e9)));
    assert_eq!(
        interval(&skewed, worth, &set),
        simulated(&skewed, worth, &set)
    );
}
