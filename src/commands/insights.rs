//! `salesproc insights [--for TEAM] [--since DATE]`: the voice of the customer.

use super::{Ctx, Exit, scan_summaries, scan_voice_summaries};
use crate::cli::{Audience as AudienceArg, Format};
use crate::clock;
use crate::output::{self, Out, Tabular};
use crate::report::insights as voc;
use crate::table;
use anyhow::Result;

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
    let want = crate::summary::Want {
        voice: true,
        lean: true,
        ..crate::summary::Want::ROWS
    };
    let format = ctx.out.format_or(Format::Table);
    if matches!(format, Format::Table | Format::Markdown) {
        // The table and the document group what was said: each distinct
        // text once.
        let mut tally = voc::Tally::new(&filter, &store.config.themes);
        let fold = Some(tally.fold());
        let (_, exit) = scan_voice_summaries(&store, want, fold, |s| {
            tally.add(&s);
            None::<()>
        })?;
        let tallied = tally.finish();
        if format == Format::Markdown {
            let text = voc::markdown_grouped(&tallied, &store.process);
            ctx.out.emit_paged(Format::Table, &text)?;
        } else {
            ctx.out
                .emit_paged_with(Format::Table, |w| grouped_text(w, &ctx.out, &tallied))?;
        }
        return Ok(exit);
    }
    let mut gather = voc::Gather::new(&filter).with_themes(&store.config.themes);
    let (_, exit) = scan_summaries(&store, want, |s| {
        gather.add(*s);
        None::<()>
    })?;
    let report = gather.finish();
    // Streamed: at scale the output is larger than it need be in memory.
    if ctx.out.format_or(Format::Table) == Format::Json {
        output::print_json(&report)?;
        return Ok(exit);
    }
    if let f @ (Format::Csv | Format::Tsv) = ctx.out.format_or(Format::Table) {
        // Streamed row by row: at scale the text is larger than it need be in memory.
        let headers: Vec<String> = <voc::Said as Tabular>::headers()
            .into_iter()
            .map(String::from)
            .collect();
        let sep = if f == Format::Csv { b',' } else { b'\t' };
        output::print_with(|w| {
            output::csv_write(w, &headers, report.insights.iter().map(Tabular::row), sep)
                .map_err(output::as_io)
        })?;
        return Ok(exit);
    }
    output::print_with(|w| crate::yaml::to_writer(w, &report))?;
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

/// Who said it: the last one, and how many others.
fn who(g: &voc::Group) -> String {
    match g.prospects {
        0 | 1 => g.who.to_string(),
        n => format!("{} +{}", g.who, n - 1),
    }
}

/// The grouped table: what was said, per team, most said first; the whys
/// of `later` and `no`, most given first; the themes of the `later` whys.
fn grouped_text(w: &mut dyn std::io::Write, out: &Out, v: &voc::Tallied) -> std::io::Result<()> {
    let width = table::terminal_width();
    writeln!(w, "{}", out.bold("Voice of the customer"))?;
    table::stream(
        w,
        &[
            "for",
            "times",
            "last said",
            "who",
            "source",
            "what they said",
        ],
        out.color,
        width,
        &[3, 5],
        || {
            v.said.iter().map(|(team, source, g)| {
                vec![
                    team.name().into(),
                    g.times.to_string().into(),
                    clock::date_of(g.last).to_string().into(),
                    who(g).into(),
                    (&**source).into(),
                    (&*g.text).into(),
                ]
            })
        },
    )?;
    if !v.whys.is_empty() {
        writeln!(w, "\n{}", out.bold("Whys of no and later"))?;
        table::stream(
            w,
            &["decision", "step", "times", "last given", "who", "why"],
            out.color,
            width,
            &[4, 5],
            || {
                v.whys.iter().map(|(outcome, step, g)| {
                    vec![
                        outcome.name().into(),
                        (&**step).into(),
                        g.times.to_string().into(),
                        clock::date_of(g.last).to_string().into(),
                        who(g).into(),
                        (&*g.text).into(),
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
