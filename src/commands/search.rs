//! `salesproc search TEXT`: find prospects by name, contact, answers,
//! insights, notes and whys, showing where each matched. Reads every record
//! fully: search is rare and must see everything the rep wrote.

use super::{Ctx, Exit, report_unreadable};
use crate::cli::Format;
use crate::output::{self, Tabular};
use crate::prospect::Record;
use crate::table::{self, Table};
use crate::value::display_value;
use anyhow::Result;
use serde::Serialize;

/// One place a prospect matched.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub name: String,
    /// Where: `name`, `contact.email`, `answers.research/industry`, `insight`, `why`, `note`.
    pub field: String,
    pub text: String,
}

impl Tabular for Hit {
    fn headers() -> Vec<&'static str> {
        vec!["id", "name", "field", "text"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.field.clone(),
            self.text.clone(),
        ]
    }
    fn id(&self) -> String {
        self.id.clone()
    }
}

/// The searchable fields of a record, with where each is.
pub fn fields(r: &Record) -> Vec<(String, String)> {
    let mut f = vec![("name".to_string(), r.name.clone())];
    let c = &r.contact;
    for (k, v) in [
        ("contact.name", &c.name),
        ("contact.title", &c.title),
        ("contact.email", &c.email),
        ("contact.phone", &c.phone),
    ] {
        if let Some(v) = v {
            f.push((k.to_string(), v.clone()));
        }
    }
    if let Some(a) = r.follow_up.as_ref().and_then(|f| f.action.clone()) {
        f.push(("follow_up".into(), a));
    }
    for (step, items) in &r.answers {
        for (item, v) in items {
            f.push((format!("answers.{step}/{item}"), display_value(v)));
        }
    }
    for i in &r.insights {
        f.push(("insight".into(), i.text.clone()));
    }
    for e in &r.history {
        if let Some(w) = &e.why {
            f.push((format!("why ({})", e.event), w.to_string()));
        }
        if let Some(n) = e.extra.get("note").and_then(|n| n.as_str()) {
            f.push(("note".into(), n.to_string()));
        }
    }
    f
}

/// Where `words` (all of them, case-insensitive) appear in the record.
pub fn matches(id: &str, r: &Record, words: &[String]) -> Vec<Hit> {
    let fields = fields(r);
    let all = fields
        .iter()
        .map(|(_, t)| t.to_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
    if !words.iter().all(|w| all.contains(w.as_str())) {
        return Vec::new();
    }
    fields
        .into_iter()
        .filter(|(_, t)| {
            let t = t.to_lowercase();
            words.iter().any(|w| t.contains(w.as_str()))
        })
        .map(|(field, text)| Hit {
            id: id.to_string(),
            name: r.name.clone(),
            field,
            text: text.replace('\n', " "),
        })
        .collect()
}

/// Searches every record.
pub fn run(ctx: &Ctx, text: &str) -> Result<Exit> {
    let store = ctx.store()?;
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let listing = store.listing()?;
    let mut bad = listing.problems;
    let mut hits = Vec::new();
    // Every record is read, on every core, a chunk at a time, in id order.
    let ids = &listing.ids;
    let threads = crate::parallel::threads();
    let chunks = crate::parallel::chunks(ids.len(), threads);
    let work = |r: &std::ops::Range<usize>, _: &mut ()| {
        r.clone()
            .map(|i| {
                store
                    .read(&ids[i])
                    .map(|l| matches(&ids[i], &l.record, &words))
            })
            .collect::<Vec<_>>()
    };
    crate::parallel::in_order(&chunks, threads, 1, work, |_, got| {
        let got = match got {
            Ok(g) => g,
            Err(p) => std::panic::resume_unwind(p),
        };
        for r in got {
            match r {
                Ok(h) => hits.extend(h),
                Err(e) => bad.push(e),
            }
        }
    });
    let out = match ctx.out.format_or(Format::Table) {
        Format::Table => render(&hits, ctx.out.color),
        Format::Ids => {
            let mut ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
            ids.dedup();
            ids.iter().map(|i| format!("{i}\n")).collect()
        }
        _ => output::render_rows(&ctx.out, &hits, Format::Table)?,
    };
    ctx.out.emit(Format::Table, &out)?;
    if hits.is_empty() && ctx.out.format_or(Format::Table) == Format::Table {
        output::status(&format!("nothing matches \"{text}\""));
    }
    report_unreadable(bad)
}

fn render(hits: &[Hit], color: bool) -> String {
    if hits.is_empty() {
        return String::new();
    }
    let mut t = Table::new(
        &["id", "name", "where", "text"],
        color,
        table::terminal_width(),
    )
    .flexible(1)
    .flexible(3);
    for h in hits {
        t.row(vec![
            h.id.as_str().into(),
            h.name.as_str().into(),
            h.field.as_str().into(),
            h.text.as_str().into(),
        ]);
    }
    t.render()
}
