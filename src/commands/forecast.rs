//! `salesproc forecast [--as-of DATE] [--by month|quarter|owner] [--backtest]`

use super::{Ctx, Exit, scan_summaries};
use crate::cli::{ForecastArgs, ForecastBy, Format};
use crate::clock;
use crate::output::{self, Out, Tabular};
use crate::report::backtest::{self, BackPeriod, Backtest};
use crate::report::forecast::{By, Forecast, Learner, Period, Settings, amount};
use crate::store::Store;
use crate::summary::Want;
use anyhow::Result;
use std::fmt::Write as _;

/// The hint printed when no open deal has a value.
pub const NO_VALUES: &str = "no open deal has a value: the figures are counts only\nhint: set a top-level `value:` on a record, or answer propose/offer-value";

/// Learns the forecast from every record, as of `as_of` (`None`: now).
pub fn learn(store: &Store, as_of: Option<&str>, by: By) -> Result<(Forecast, Exit)> {
    let date = match as_of {
        Some(d) => clock::parse_user_date(d)?,
        None => clock::today(),
    };
    let cutoff = as_of.and_then(|_| clock::end_of_day(date));
    let want = Want {
        funnel: true,
        events: cutoff.is_some(),
        ..Want::ROWS
    };
    let mut learner = Learner::new(&store.process, cutoff);
    let (_, exit) = scan_summaries(store, want, |s| {
        learner.add(&s);
        None::<()>
    })?;
    Ok((learner.finish(date, by, &Settings::default()), exit))
}

/// `salesproc forecast`
pub fn run(ctx: &Ctx, args: ForecastArgs) -> Result<Exit> {
    let store = ctx.store()?;
    let by = match args.by {
        ForecastBy::Month => By::Month,
        ForecastBy::Quarter => By::Quarter,
        ForecastBy::Owner => By::Owner,
    };
    let (f, exit) = learn(&store, args.as_of.as_deref(), by)?;
    if !f.values && !f.deals.is_empty() {
        output::warn(NO_VALUES);
    }
    let format = ctx.out.format_or(Format::Table);
    let text = if args.backtest {
        let b = backtest::backtest(&f);
        match format {
            Format::Json | Format::Yaml => output::render_doc(format, &b)?,
            Format::Table | Format::Markdown => backtest_text(&ctx.out, &b),
            _ => output::render_rows(&ctx.out, &b.periods, Format::Csv)?,
        }
    } else {
        match format {
            Format::Json | Format::Yaml => output::render_doc(format, &f)?,
            Format::Table | Format::Markdown => forecast_text(&ctx.out, &f),
            Format::Ids => f.deals.iter().map(|d| format!("{}\n", d.id)).collect(),
            _ => output::render_rows(&ctx.out, &f.periods, Format::Csv)?,
        }
    };
    ctx.out.emit(Format::Table, &text)?;
    Ok(exit)
}

impl Tabular for Period {
    fn headers() -> Vec<&'static str> {
        vec![
            "period",
            "deals",
            "valued",
            "open_value",
            "weighted_value",
            "expected_wins",
            "won_low",
            "won_high",
        ]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.period.clone(),
            self.deals.to_string(),
            self.valued.to_string(),
            self.open_value.to_string(),
            self.weighted_value.to_string(),
            self.expected_wins.to_string(),
            self.won_low.to_string(),
            self.won_high.to_string(),
        ]
    }
    fn id(&self) -> String {
        self.period.clone()
    }
}

impl Tabular for BackPeriod {
    fn headers() -> Vec<&'static str> {
        vec![
            "period",
            "predicted_wins",
            "actual_wins",
            "predicted_value",
            "actual_value",
        ]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.period.clone(),
            self.predicted_wins.to_string(),
            self.actual_wins.to_string(),
            self.predicted_value.to_string(),
            self.actual_value.to_string(),
        ]
    }
    fn id(&self) -> String {
        self.period.clone()
    }
}

fn forecast_text(out: &Out, f: &Forecast) -> String {
    let mut s = format!("{} as of {}\n\n", out.bold("Forecast"), f.as_of);
    let mut t = out.table(&[
        "step",
        "left",
        "advanced",
        "conversion",
        "median days",
        "P(win)",
    ]);
    for r in &f.steps {
        t.add_row(vec![
            r.step.clone(),
            r.left.to_string(),
            r.advanced.to_string(),
            output::percent(Some(r.conversion)),
            output::days(r.median_days),
            output::percent(Some(r.p_win)),
        ]);
    }
    s.push_str(&output::table_text(&t));
    s.push('\n');
    let (what, interval) = if f.values {
        ("open value", "80% won value")
    } else {
        ("", "80% won deals")
    };
    let mut heads = vec!["period", "deals", "expected wins", interval];
    if f.values {
        heads.splice(2..2, [what, "weighted"]);
    }
    let mut t = out.table(&heads);
    for p in f.periods.iter().chain([&f.total]) {
        let mut row = vec![
            p.period.clone(),
            p.deals.to_string(),
            format!("{:.1}", p.expected_wins),
            format!("{} – {}", amount(p.won_low), amount(p.won_high)),
        ];
        if f.values {
            row.splice(2..2, [amount(p.open_value), amount(p.weighted_value)]);
        }
        t.add_row(row);
    }
    s.push_str(&output::table_text(&t));
    if !f.values {
        s.push_str("\ncounts only: no open deal has a value\n");
    } else if f.total.valued < f.total.deals {
        let _ = writeln!(
            s,
            "\n{} of {} open deals have no value; they count in deals and wins only",
            f.total.deals - f.total.valued,
            f.total.deals
        );
    }
    s
}

fn backtest_text(out: &Out, b: &Backtest) -> String {
    let mut s = format!(
        "{} of the forecast made on {}\n\n",
        out.bold("Backtest"),
        b.as_of
    );
    let mut heads = vec!["period", "predicted wins", "actual wins"];
    if b.values {
        heads.extend(["predicted value", "actual value"]);
    }
    let mut t = out.table(&heads);
    for p in &b.periods {
        let mut row = vec![
            p.period.clone(),
            format!("{:.1}", p.predicted_wins),
            p.actual_wins.to_string(),
        ];
        if b.values {
            row.extend([amount(p.predicted_value), amount(p.actual_value)]);
        }
        t.add_row(row);
    }
    s.push_str(&output::table_text(&t));
    let brier = b.brier.map_or("-".into(), |x| format!("{x:.3}"));
    let _ = writeln!(
        s,
        "\n{} deals open then: {} won, {} lost, {} still undecided\nBrier score {brier} over the {} decided (0 is perfect, always saying 50% scores 0.250)",
        b.deals,
        b.won,
        b.resolved - b.won,
        b.deals - b.resolved,
        b.resolved
    );
    s
}
