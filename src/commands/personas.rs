//! `salesproc personas`: market fit.

use super::{Ctx, Exit, scan_summaries};
use crate::cli::Format;
use crate::output::{self, Out, Tabular};
use crate::report::personas as fit;
use anyhow::Result;
use serde::Serialize;
use std::fmt::Write as _;

/// `salesproc personas`
pub fn run(ctx: &Ctx) -> Result<Exit> {
    let store = ctx.store()?;
    let mut acc = fit::Fit::new(&store.process);
    let want = crate::summary::Want {
        personas: true,
        lean: true,
        ..crate::summary::Want::ROWS
    };
    let (_, exit) = scan_summaries(&store, want, |s| {
        acc.add(s.row.status, &s.personas);
        None::<()>
    })?;
    let report = acc.finish();
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
    ctx.out.emit(Format::Table, &text)?;
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
                output::percent(a.win_rate),
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
