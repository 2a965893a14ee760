use super::{By, DealForecast, Settings, amount, interval, period_of};

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
