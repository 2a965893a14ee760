//! `pipeline`, `personas` and `insights`: load every record, compute, render.

use super::{Ctx, Exit, show::report_unreadable};
use crate::cli::{Audience as AudienceArg, Format};
use crate::clock;
use crate::output::{self, Out, Tabular};
use crate::prospect::Record;
use crate::report::{insights as voc, personas as fit, pipeline as funnel};
use crate::store::Store;
use anyhow::Result;
use serde::Serialize;
use std::fmt::Write as _;

fn load(store: &Store) -> Result<(Vec<(String, Record)>, Exit)> {
    let (loaded, bad) = store.load_all()?;
    let exit = report_unreadable(bad)?;
    let records: Vec<(String, Record)> = loaded.into_iter().map(|l| (l.id, l.record)).collect();
    for (id, r) in &records {
        if r.history.is_empty() {
            output::warn(&format!(
                "{id} has no history; it is left out of the figures\nhint: `salesproc validate` explains"
            ));
        }
    }
    Ok((records, exit))
}

/// `salesproc pipeline [--as-of DATE]`
pub fn pipeline(ctx: &Ctx, as_of: Option<String>) -> Result<Exit> {
    let store = ctx.store()?;
    let (records, exit) = load(&store)?;
    let date = match &as_of {
        Some(d) => clock::parse_user_date(d)?,
        None => clock::today(),
    };
    let day = date.to_string();
    let cutoff = as_of.as_ref().map(|_| clock::end_of_day(date));
    let now = match &cutoff {
        Some(c) => clock::parse_at(c).unwrap_or_else(clock::now),
        None => clock::now(),
    };
    let report = funnel::compute(
        &records,
        &store.process,
        &funnel::AsOf {
            date: &day,
            cutoff: cutoff.as_deref(),
            now,
        },
    );
    let text = match ctx.out.format_or(Format::Table) {
        Format::Json | Format::Yaml => {
            output::render_doc(ctx.out.format_or(Format::Json), &report)?
        }
        Format::Table | Format::Markdown => pipeline_text(&ctx.out, &store, &report),
        _ => output::render_rows(&ctx.out, &report.steps, Format::Csv)?,
    };
    output::print(&text)?;
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
        ]
    }
    fn id(&self) -> String {
        self.step.clone()
    }
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.0}%", v * 100.0))
        .unwrap_or_else(|| "–".into())
}

fn days(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.1}")).unwrap_or_else(|| "–".into())
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
    let mut s = format!("{} as of {}\n", out.bold("Pipeline"), r.as_of);
    for phase in &store.process.phases {
        let _ = writeln!(s, "\n{}", out.bold(&phase.title));
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
        for f in r.steps.iter().filter(|f| f.phase == phase.id) {
            let title = store
                .process
                .step(&f.step)
                .map(|x| x.checklist.title.clone())
                .unwrap_or_default();
            t.add_row(vec![
                title,
                f.reached.to_string(),
                bar(f.reached, max, 24),
                f.advanced.to_string(),
                pct(f.conversion),
                f.open.to_string(),
                f.nurturing.to_string(),
                days(f.median_days),
            ]);
        }
        s.push_str(&output::table_text(&t));
    }
    let _ = writeln!(
        s,
        "\nwon {}  lost {}  win rate {}  median cycle {} days",
        r.won,
        r.lost,
        pct(r.win_rate),
        days(r.median_cycle_days)
    );
    let _ = writeln!(s, "stale {}  due {}", r.stale, r.due);
    s
}

/// `salesproc personas`
pub fn personas(ctx: &Ctx) -> Result<Exit> {
    let store = ctx.store()?;
    let (records, exit) = load(&store)?;
    let report = fit::compute(&records, &store.process);
    let text = match ctx.out.format_or(Format::Table) {
        Format::Json | Format::Yaml => {
            output::render_doc(ctx.out.format_or(Format::Json), &report)?
        }
        Format::Table | Format::Markdown => personas_text(&ctx.out, &report),
        _ => {
            let rows: Vec<PersonaRow> = report
                .iter()
                .flat_map(|i| {
                    i.answers.iter().map(move |a| PersonaRow {
                        step: i.step.clone(),
                        item: i.item.clone(),
                        persona: i.persona.clone(),
                        answer: a.clone(),
                    })
                })
                .collect();
            output::render_rows(&ctx.out, &rows, Format::Csv)?
        }
    };
    output::print(&text)?;
    Ok(exit)
}

#[derive(Serialize)]
struct PersonaRow {
    step: String,
    item: String,
    persona: String,
    #[serde(flatten)]
    answer: fit::AnswerFigures,
}

impl Tabular for PersonaRow {
    fn headers() -> Vec<&'static str> {
        vec![
            "step",
            "item",
            "persona",
            "value",
            "won",
            "lost",
            "open",
            "nurturing",
            "win_rate",
        ]
    }
    fn row(&self) -> Vec<String> {
        let a = &self.answer;
        vec![
            self.step.clone(),
            self.item.clone(),
            self.persona.clone(),
            a.value.clone(),
            a.won.to_string(),
            a.lost.to_string(),
            a.open.to_string(),
            a.nurturing.to_string(),
            a.win_rate.map(|w| w.to_string()).unwrap_or_default(),
        ]
    }
    fn id(&self) -> String {
        format!("{}/{}", self.step, self.item)
    }
}

fn personas_text(out: &Out, report: &[fit::PersonaItem]) -> String {
    let mut s = String::new();
    for item in report {
        let _ = writeln!(
            s,
            "{} ({}/{})",
            out.bold(&item.persona),
            item.step,
            item.item
        );
        if item.answers.is_empty() {
            let _ = writeln!(s, "  no answers yet\n");
            continue;
        }
        let marks = fit::best_and_worst(item);
        let mut t = out.table(&["answer", "won", "lost", "open", "nurturing", "win rate", ""]);
        for a in &item.answers {
            let mark = match &marks {
                Some((b, _)) if *b == a.value => out.good("▲ best"),
                Some((_, w)) if *w == a.value => out.bad("▼ worst"),
                _ => String::new(),
            };
            t.add_row(vec![
                a.value.clone(),
                a.won.to_string(),
                a.lost.to_string(),
                a.open.to_string(),
                a.nurturing.to_string(),
                pct(a.win_rate),
                mark,
            ]);
        }
        s.push_str(&output::table_text(&t));
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "{}",
        out.dim(&format!(
            "best and worst are marked among answers with at least {} won or lost records",
            fit::MIN_CLOSED
        ))
    );
    s
}

/// `salesproc insights [--for TEAM] [--since DATE]`
pub fn insights(ctx: &Ctx, audience: Option<AudienceArg>, since: Option<String>) -> Result<Exit> {
    let store = ctx.store()?;
    let (records, exit) = load(&store)?;
    let since = since
        .map(|s| clock::parse_user_date(&s).map(|d| d.to_string()))
        .transpose()?;
    let filter = voc::Filter {
        audience: audience.map(super::insight::to_audience),
        since: since.as_deref(),
    };
    let report = voc::compute(&records, &store.process, &filter);
    let name = |id: &str| {
        records
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, r)| r.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let text = match ctx.out.format_or(Format::Table) {
        Format::Json | Format::Yaml => {
            output::render_doc(ctx.out.format_or(Format::Json), &report)?
        }
        Format::Markdown => voc::markdown(&report, &store.process, &name),
        Format::Table => insights_text(&ctx.out, &report, &name),
        _ => output::render_rows(&ctx.out, &report.insights, Format::Csv)?,
    };
    output::print(&text)?;
    Ok(exit)
}

impl Tabular for voc::Said {
    fn headers() -> Vec<&'static str> {
        vec!["prospect", "at", "for", "source", "text"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.prospect.clone(),
            self.at.clone(),
            self.audience.name().into(),
            self.source.clone(),
            self.text.clone(),
        ]
    }
    fn id(&self) -> String {
        self.prospect.clone()
    }
}

fn insights_text(out: &Out, v: &voc::Voice, name: &dyn Fn(&str) -> String) -> String {
    let mut s = String::new();
    let mut t = out.table(&["date", "for", "prospect", "source", "what they said"]);
    for i in &v.insights {
        t.add_row(vec![
            i.at[..i.at.len().min(10)].to_string(),
            i.audience.name().into(),
            name(&i.prospect),
            i.source.clone(),
            i.text.clone(),
        ]);
    }
    let _ = writeln!(s, "{}", out.bold("Voice of the customer"));
    s.push_str(&output::table_text(&t));
    if !v.reasons.is_empty() {
        let _ = writeln!(s, "\n{}", out.bold("Whys of no and later"));
        let mut t = out.table(&["date", "decision", "prospect", "step", "why"]);
        for r in &v.reasons {
            t.add_row(vec![
                r.at[..r.at.len().min(10)].to_string(),
                r.outcome.name().into(),
                name(&r.prospect),
                r.step.clone(),
                r.why.clone(),
            ]);
        }
        s.push_str(&output::table_text(&t));
    }
    if !v.later_themes.is_empty() {
        let _ = writeln!(s, "\n{}", out.bold("What would turn a later into a yes"));
        for th in &v.later_themes {
            let _ = writeln!(s, "  {:>3}  {}", th.count, th.theme);
        }
    }
    s
}
