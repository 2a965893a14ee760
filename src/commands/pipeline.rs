//! `salesproc pipeline [--as-of DATE]`: the funnel.

use super::{Ctx, Exit, scan_summaries};
use crate::cli::Format;
use crate::clock;
use crate::output::{self, Out, Tabular};
use crate::report::monthly;
use crate::report::pipeline as funnel;
use crate::store::Store;
use anyhow::Result;
use std::fmt::Write as _;

/// `salesproc pipeline [--as-of DATE]`
pub fn run(ctx: &Ctx, as_of: Option<String>) -> Result<Exit> {
    let store = ctx.store()?;
    let date = match &as_of {
        Some(d) => clock::parse_user_date(d)?,
        None => clock::today(),
    };
    let day = date.to_string();
    let cutoff = as_of.as_ref().and_then(|_| clock::end_of_day(date));
    let now = cutoff.unwrap_or_else(clock::now);
    let at = funnel::AsOf {
        date: &day,
        cutoff,
        now,
    };
    let p = &store.process;
    // Of the row, the funnel needs the follow-up date and the value, a
    // replay at a past date the stage (and the warnings the id and whether
    // there is history): the lean row.
    let want = crate::summary::Want {
        funnel: cutoff.is_none(),
        events: cutoff.is_some(),
        lean: true,
        ..crate::summary::Want::ROWS
    };
    let mut acc = funnel::Funnel::new(p, &at);
    // The forecast's chance of a win per step weights each step's open value.
    let mut learner = crate::report::forecast::Learner::rates_only(p, cutoff);
    let (_, exit) = scan_summaries(&store, want, |s| {
        acc.add(&s);
        learner.add(&s);
        None::<()>
    })?;
    let rates = learner.step_rates(&crate::report::forecast::Settings::default());
    let p_win: Vec<f64> = rates.iter().map(|r| r.p_win).collect();
    let report = acc.finish_weighted(&p_win);
    let text = match ctx.out.format_or(Format::Table) {
        Format::Json | Format::Yaml => {
            output::render_doc(ctx.out.format_or(Format::Json), &report)?
        }
        Format::Table | Format::Markdown => pipeline_text(&ctx.out, &store, &report),
        _ => output::render_rows(&ctx.out, &report.steps, Format::Csv)?,
    };
    ctx.out.emit(Format::Table, &text)?;
    Ok(exit)
}

impl Tabular for funnel::StepFigures {
    fn headers() -> Vec<&'static str> {
        vec![
            "step",
            "phase",
            "reached",
            "advanced",
            "conversion",
            "open",
            "nurturing",
            "median_days",
            "open_value",
            "weighted_value",
        ]
    }
    fn row(&self) -> Vec<String> {
        let o = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        vec![
            self.step.clone(),
            self.phase.clone(),
            self.reached.to_string(),
            self.advanced.to_string(),
            o(self.conversion),
            self.open.to_string(),
            self.nurturing.to_string(),
            o(self.median_days),
            self.open_value.to_string(),
            self.weighted_value.to_string(),
        ]
    }
    fn id(&self) -> String {
        self.step.clone()
    }
}

/// A bar of `n` out of `max`, `width` cells wide, in eighths of a block.
pub fn bar(n: usize, max: usize, width: usize) -> String {
    if max == 0 || n == 0 {
        return String::new();
    }
    let eighths = (n * width * 8).div_ceil(max);
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8 - 1]);
    }
    s
}

fn pipeline_text(out: &Out, store: &Store, r: &funnel::Pipeline) -> String {
    let max = r.steps.iter().map(|s| s.reached).max().unwrap_or(0);
    let mut s = format!("{} as of {}\n\n", out.bold("Pipeline"), r.as_of);
    // One table for both phases, so the columns and bars line up; each phase
    // starts with its title row.
    let mut t = out.table(&[
        "step",
        "reached",
        "",
        "advanced",
        "conv.",
        "open",
        "nurturing",
        "median days",
    ]);
    for phase in &store.process.phases {
        let mut title_row = vec![String::new(); 8];
        title_row[0] = out.bold(&phase.title);
        t.add_row(title_row);
        for f in r.steps.iter().filter(|f| f.phase == phase.id) {
            let title = store
                .process
                .step(&f.step)
                .map(|x| x.checklist.title.clone())
                .unwrap_or_default();
            t.add_row(vec![
                format!("  {title}"),
                f.reached.to_string(),
                bar(f.reached, max, 24),
                f.advanced.to_string(),
                output::percent(f.conversion),
                f.open.to_string(),
                f.nurturing.to_string(),
                output::days(f.median_days),
            ]);
        }
    }
    s.push_str(&output::table_text(&t));
    let _ = writeln!(
        s,
        "\nwon {}  lost {}  win rate {}  median cycle {} days",
        r.won,
        r.lost,
        output::percent(r.win_rate),
        output::days(r.median_cycle_days)
    );
    let _ = writeln!(s, "stale {}  due {}", r.stale, r.due);
    let open_value: f64 = r.steps.iter().map(|f| f.open_value).sum();
    if open_value != 0.0 {
        let cur = store
            .config
            .currency
            .as_deref()
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        let per: Vec<String> = r
            .steps
            .iter()
            .filter(|f| f.open_value != 0.0)
            .map(|f| format!("{} {}", f.step, f.open_value))
            .collect();
        let _ = writeln!(s, "open value {open_value}{cur} ({})", per.join(", "));
        let weighted: f64 = r.steps.iter().map(|f| f.weighted_value).sum();
        let _ = writeln!(
            s,
            "weighted by each step's chance of a win (see forecast): {}{cur}",
            crate::report::round2(weighted)
        );
    }
    s
}

impl Tabular for monthly::Month {
    fn headers() -> Vec<&'static str> {
        vec![
            "month",
            "reached",
            "advanced",
            "won",
            "lost",
            "win_rate",
            "median_cycle_days",
        ]
    }
    fn row(&self) -> Vec<String> {
        let o = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        vec![
            self.month.clone(),
            self.reached.to_string(),
            self.advanced.to_string(),
            self.won.to_string(),
            self.lost.to_string(),
            o(self.win_rate),
            o(self.median_cycle_days),
        ]
    }
    fn id(&self) -> String {
        self.month.clone()
    }
}

/// `salesproc pipeline --by month [--as-of DATE]`
pub fn run_monthly(ctx: &Ctx, as_of: Option<String>) -> Result<Exit> {
    let store = ctx.store()?;
    let cutoff = match &as_of {
        Some(d) => clock::end_of_day(clock::parse_user_date(d)?),
        None => None,
    };
    let want = crate::summary::Want {
        funnel: cutoff.is_none(),
        events: cutoff.is_some(),
        ..crate::summary::Want::ROWS
    };
    let mut acc = monthly::Monthly::new(&store.process, cutoff);
    let (_, exit) = scan_summaries(&store, want, |s| {
        acc.add(&s);
        None::<()>
    })?;
    let months = acc.finish();
    let text = match ctx.out.format_or(Format::Table) {
        Format::Table => monthly_text(&ctx.out, &months),
        f => output::render_rows(&ctx.out, &months, f)?,
    };
    ctx.out.emit(Format::Table, &text)?;
    Ok(exit)
}

fn monthly_text(out: &Out, months: &[monthly::Month]) -> String {
    let max = months.iter().map(|m| m.reached).max().unwrap_or(0);
    let mut t = out.table(&[
        "month",
        "reached",
        "",
        "advanced",
        "won",
        "lost",
        "win rate",
        "cycle days",
    ]);
    for m in months {
        t.add_row(vec![
            m.month.clone(),
            m.reached.to_string(),
            bar(m.reached, max, 16),
            m.advanced.to_string(),
            m.won.to_string(),
            m.lost.to_string(),
            output::percent(m.win_rate),
            output::days(m.median_cycle_days),
        ]);
    }
    let mut s = format!("{} by month\n\n", out.bold("Pipeline"));
    s.push_str(&output::table_text(&t));
    let rates: Vec<Option<f64>> = months.iter().map(|m| m.win_rate).collect();
    let won: Vec<Option<f64>> = months.iter().map(|m| Some(m.won as f64)).collect();
    let _ = writeln!(s, "\nwin rate  {}", monthly::sparkline(&rates));
    let _ = writeln!(s, "won       {}", monthly::sparkline(&won));
    s
}
