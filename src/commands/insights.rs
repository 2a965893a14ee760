//! `salesproc insights [--for TEAM] [--since DATE]`: the voice of the customer.

use super::{Ctx, Exit, scan_summaries};
use crate::cli::{Audience as AudienceArg, Format};
use crate::clock;
use crate::output::{self, Out, Tabular};
use crate::report::insights as voc;
use crate::table;
use anyhow::Result;
use std::rc::Rc;

/// `salesproc insights [--for TEAM] [--since DATE]`
pub fn run(ctx: &Ctx, audience: Option<AudienceArg>, since: Option<String>) -> Result<Exit> {
    let store = ctx.store()?;
    let since = since
        .map(|s| clock::parse_user_date(&s).map(|d| d.to_string()))
        .transpose()?;
    let filter = voc::Filter {
        audience: audience.map(super::insight::to_audience),
        since: since.as_deref(),
    };
    let mut gather = voc::Gather::new(&filter).with_themes(&store.config.themes);
    let want = crate::summary::Want {
        voice: true,
        ..crate::summary::Want::ROWS
    };
    let (_, exit) = scan_summaries(&store, want, |s| {
        gather.add(s);
        None::<()>
    })?;
    let (report, names) = gather.finish();
    let name = |id: &str| {
        names
            .get(id)
            .map_or_else(|| id.to_string(), |n| n.to_string())
    };
    // Streamed: at scale the output is larger than it need be in memory.
    match ctx.out.format_or(Format::Table) {
        Format::Json => {
            output::print_json(&report)?;
            return Ok(exit);
        }
        Format::Table => {
            ctx.out.emit_paged_with(Format::Table, |w| {
                insights_text(w, &ctx.out, &report, &names)
            })?;
            return Ok(exit);
        }
        _ => {}
    }
    let text = match ctx.out.format_or(Format::Table) {
        Format::Json | Format::Yaml => {
            output::render_doc(ctx.out.format_or(Format::Json), &report)?
        }
        Format::Markdown => voc::markdown(&report, &store.process, &name),
        _ => output::render_rows(&ctx.out, &report.insights, Format::Csv)?,
    };
    ctx.out.emit_paged(Format::Table, &text)?;
    Ok(exit)
}

impl Tabular for voc::Said {
    fn headers() -> Vec<&'static str> {
        vec!["prospect", "at", "for", "source", "text"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.prospect.to_string(),
            clock::stamp(self.at),
            self.audience.name().into(),
            self.source.to_string(),
            self.text.to_string(),
        ]
    }
    fn id(&self) -> String {
        self.prospect.to_string()
    }
}

/// A prospect's name, borrowed (its id when it has none).
fn shown<'a>(names: &'a std::collections::HashMap<Rc<str>, Rc<str>>, id: &'a Rc<str>) -> &'a str {
    names.get(id).unwrap_or(id)
}

fn insights_text(
    w: &mut dyn std::io::Write,
    out: &Out,
    v: &voc::Voice,
    names: &std::collections::HashMap<Rc<str>, Rc<str>>,
) -> std::io::Result<()> {
    let width = table::terminal_width();
    // Rows come in time order: a day's date is formatted once.
    let day = std::cell::RefCell::new((jiff::civil::Date::default(), String::new()));
    let date = |at: jiff::Timestamp| -> String {
        let d = clock::date_of(at);
        let mut day = day.borrow_mut();
        if day.1.is_empty() || day.0 != d {
            *day = (d, d.to_string());
        }
        day.1.clone()
    };
    writeln!(w, "{}", out.bold("Voice of the customer"))?;
    table::stream(
        w,
        &["date", "for", "prospect", "source", "what they said"],
        out.color,
        width,
        &[2, 4],
        || {
            v.insights.iter().map(|i| {
                vec![
                    date(i.at).into(),
                    i.audience.name().into(),
                    shown(names, &i.prospect).into(),
                    (&*i.source).into(),
                    (&*i.text).into(),
                ]
            })
        },
    )?;
    if !v.reasons.is_empty() {
        writeln!(w, "\n{}", out.bold("Whys of no and later"))?;
        table::stream(
            w,
            &["date", "decision", "prospect", "step", "why"],
            out.color,
            width,
            &[2, 4],
            || {
                v.reasons.iter().map(|r| {
                    vec![
                        date(r.at).into(),
                        r.outcome.name().into(),
                        shown(names, &r.prospect).into(),
                        (&*r.step).into(),
                        (&*r.why).into(),
                    ]
                })
            },
        )?;
    }
    if !v.later_themes.is_empty() {
        writeln!(w, "\n{}", out.bold("What would turn a later into a yes"))?;
        for th in &v.later_themes {
            writeln!(w, "  {:>3}  {}", th.count, th.theme)?;
        }
    }
    Ok(())
}
