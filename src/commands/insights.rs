//! `salesproc insights [--for TEAM] [--since DATE]`: the voice of the customer.

use super::{Ctx, Exit, scan_summaries};
use crate::cli::{Audience as AudienceArg, Format};
use crate::clock;
use crate::output::{self, Out, Tabular};
use crate::report::insights as voc;
use anyhow::Result;
use std::fmt::Write as _;

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
    if ctx.out.format_or(Format::Table) == Format::Json {
        // Streamed: at scale the document is larger than it need be in memory.
        output::print_json(&report)?;
        return Ok(exit);
    }
    let text = match ctx.out.format_or(Format::Table) {
        Format::Json | Format::Yaml => {
            output::render_doc(ctx.out.format_or(Format::Json), &report)?
        }
        Format::Markdown => voc::markdown(&report, &store.process, &name),
        Format::Table => insights_text(&ctx.out, &report, &name),
        _ => output::render_rows(&ctx.out, &report.insights, Format::Csv)?,
    };
    ctx.out.emit(Format::Table, &text)?;
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

fn insights_text(out: &Out, v: &voc::Voice, name: &dyn Fn(&str) -> String) -> String {
    let mut s = String::new();
    let mut t = out.table(&["date", "for", "prospect", "source", "what they said"]);
    for i in &v.insights {
        t.add_row(vec![
            clock::date_of(i.at).to_string(),
            i.audience.name().into(),
            name(&i.prospect),
            i.source.to_string(),
            i.text.to_string(),
        ]);
    }
    let _ = writeln!(s, "{}", out.bold("Voice of the customer"));
    s.push_str(&output::table_text(&t));
    if !v.reasons.is_empty() {
        let _ = writeln!(s, "\n{}", out.bold("Whys of no and later"));
        let mut t = out.table(&["date", "decision", "prospect", "step", "why"]);
        for r in &v.reasons {
            t.add_row(vec![
                clock::date_of(r.at).to_string(),
                r.outcome.name().into(),
                name(&r.prospect),
                r.step.to_string(),
                r.why.to_string(),
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
