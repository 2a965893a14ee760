//! `salesproc show PROSPECT`: one record, every step with progress, answers,
//! decisions with their whys, follow-up and insights.

use super::{Ctx, Exit, for_each_read};
use crate::cli::Format;
use crate::output::{self, Out};
use crate::prospect::{Contact, Outcome};
use crate::report::record::{View, view};
use crate::value::display_value;
use anyhow::Result;
use serde::Serialize;
use std::fmt::Write as _;

/// Shows one record (or each id read from stdin with `-`).
pub fn run(ctx: &Ctx, spec: &str) -> Result<Exit> {
    let store = ctx.store()?;
    let mut views = Vec::new();
    let exit = for_each_read(&store, spec, |id| {
        let r = store.read(id)?.record;
        let mut v = view(id, &r, &store.process);
        v.currency = v.value.as_ref().and(store.config.currency.clone());
        views.push(v);
        Ok(())
    })?;
    let format = ctx.out.format_or(Format::Table);
    let text = match format {
        Format::Json | Format::Yaml if spec == "-" => output::render_doc(format, &views)?,
        Format::Json | Format::Yaml => match views.first() {
            Some(v) => output::render_doc(format, v)?,
            None => String::new(),
        },
        Format::Ids => views.iter().map(|v| format!("{}\n", v.id)).collect(),
        Format::Csv | Format::Tsv => answers_rows(&ctx.out, &views)?,
        Format::Markdown => views.iter().map(markdown).collect::<Vec<_>>().join("\n"),
        Format::Table => views
            .iter()
            .map(|v| text(&ctx.out, v))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    ctx.out.emit_paged(Format::Table, &text)?;
    Ok(exit)
}

/// One row per item, for spreadsheets.
#[derive(Debug, Serialize)]
struct AnswerRow {
    prospect: String,
    step: String,
    item: String,
    answer: String,
}

impl output::Tabular for AnswerRow {
    fn headers() -> Vec<&'static str> {
        vec!["prospect", "step", "item", "answer"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.prospect.clone(),
            self.step.clone(),
            self.item.clone(),
            self.answer.clone(),
        ]
    }
    fn id(&self) -> String {
        self.prospect.clone()
    }
}

fn answers_rows(out: &Out, views: &[View]) -> Result<String> {
    let rows: Vec<AnswerRow> = views
        .iter()
        .flat_map(|v| {
            v.steps.iter().flat_map(move |s| {
                s.items.iter().map(move |i| AnswerRow {
                    prospect: v.id.clone(),
                    step: s.step.clone(),
                    item: i.item.clone(),
                    answer: i.answer.as_ref().map(display_value).unwrap_or_default(),
                })
            })
        })
        .collect();
    output::render_rows(out, &rows, Format::Csv)
}

fn contact_line(c: &Contact) -> Option<String> {
    let mut parts: Vec<String> = [c.name.clone(), c.title.clone()]
        .into_iter()
        .flatten()
        .collect();
    if let Some(e) = &c.email {
        parts.push(format!("<{e}>"));
    }
    if let Some(ph) = &c.phone {
        parts.push(ph.clone());
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn text(out: &Out, v: &View) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} ({}) — {}, {}",
        out.bold(&v.name),
        v.id,
        v.kind,
        v.status.name()
    );
    if let Some(c) = contact_line(&v.contact) {
        let _ = writeln!(s, "contact    {c}");
    }
    if let Some(o) = &v.owner {
        let _ = writeln!(s, "owner      {o}");
    }
    if let Some(x) = &v.value {
        let cur = v
            .currency
            .as_deref()
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        let _ = writeln!(s, "value      {x}{cur}");
    }
    if let Some(d) = &v.close_date {
        let _ = writeln!(s, "closes     {d}");
    }
    if let Some(f) = &v.follow_up {
        let _ = writeln!(
            s,
            "next step  {} {}",
            f.date.as_deref().unwrap_or("(no date)"),
            f.action.as_deref().unwrap_or("")
        );
    }
    let mut phase = String::new();
    for (n, st) in v.steps.iter().enumerate() {
        if st.phase != phase {
            phase = st.phase.clone();
            let _ = writeln!(s, "\n{}", out.bold(&st.phase_title));
        }
        let mark = match st.state {
            "done" => out.good("✓"),
            "current" => "▶".to_string(),
            _ => out.dim("·"),
        };
        let _ = writeln!(
            s,
            "{mark} {}. {:<10} {}/{}",
            n + 1,
            st.title,
            st.answered,
            st.total
        );
        for i in st
            .items
            .iter()
            .filter(|i| i.answer.is_some() || st.state == "current")
        {
            match &i.answer {
                Some(a) => {
                    let a = display_value(a);
                    let a = if a.contains('\n') {
                        a.trim_end().replace('\n', "\n      ")
                    } else {
                        a
                    };
                    let _ = writeln!(s, "    {}: {a}", i.item);
                }
                None => {
                    let req = if i.required { " (required)" } else { "" };
                    let _ = writeln!(s, "    {} {}{req}", out.dim("○"), out.dim(&i.ask));
                }
            }
        }
        for d in &st.decisions {
            let why = d
                .why
                .as_deref()
                .map(|w| format!(": {w}"))
                .unwrap_or_default();
            let revisit = d
                .revisit
                .as_deref()
                .map(|r| format!(" (revisit {r})"))
                .unwrap_or_default();
            let o = match d.outcome {
                Outcome::Yes => out.good("yes"),
                Outcome::No => out.bad("no"),
                Outcome::Later => "later".to_string(),
            };
            let _ = writeln!(
                s,
                "    → {o} on {}{why}{revisit}",
                &d.at[..d.at.len().min(10)]
            );
        }
    }
    if !v.insights.is_empty() {
        let _ = writeln!(s, "\n{}", out.bold("Insights"));
        for i in &v.insights {
            let _ = writeln!(
                s,
                "  {} {:<9} {}",
                &i.at[..i.at.len().min(10)],
                i.audience.name(),
                i.text
            );
        }
    }
    s
}

fn markdown(v: &View) -> String {
    let mut s = format!("# {} ({})\n\n", v.name, v.id);
    let _ = writeln!(s, "- **Status:** {} ({})", v.status.name(), v.kind);
    let _ = writeln!(s, "- **Step:** {}", v.stage);
    if let Some(c) = contact_line(&v.contact) {
        let _ = writeln!(s, "- **Contact:** {c}");
    }
    if let Some(f) = &v.follow_up {
        let _ = writeln!(
            s,
            "- **Next step:** {} {}",
            f.date.as_deref().unwrap_or(""),
            f.action.as_deref().unwrap_or("")
        );
    }
    for st in &v.steps {
        let _ = writeln!(s, "\n## {} ({}/{})\n", st.title, st.answered, st.total);
        for i in &st.items {
            let check = if i.answer.is_some() { "x" } else { " " };
            let a = i
                .answer
                .as_ref()
                .map(|a| format!(": {}", display_value(a).replace('\n', " ")))
                .unwrap_or_default();
            let _ = writeln!(s, "- [{check}] {}{a}", i.ask);
        }
        for d in &st.decisions {
            let _ = writeln!(
                s,
                "- **Decision {}** on {}{}",
                d.outcome.name(),
                &d.at[..d.at.len().min(10)],
                d.why
                    .as_deref()
                    .map(|w| format!(": {w}"))
                    .unwrap_or_default()
            );
        }
    }
    if !v.insights.is_empty() {
        let _ = writeln!(s, "\n## Insights\n");
        for i in &v.insights {
            let _ = writeln!(
                s,
                "- {} ({}): {}",
                &i.at[..i.at.len().min(10)],
                i.audience.name(),
                i.text
            );
        }
    }
    s
}
