//! `salesproc checklist [STEP]`: the process as a printable checklist.

use super::{Ctx, Exit, UsageError};
use crate::cli::Format;
use crate::output::{self, Tabular};
use anyhow::Result;
use serde::Serialize;

/// One item row of the checklist, for table, CSV and JSON.
#[derive(Debug, Serialize)]
pub struct ItemRow {
    pub phase: String,
    pub step: String,
    pub title: String,
    pub purpose: String,
    pub item: String,
    pub ask: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub required: bool,
    pub options: Vec<String>,
    pub persona: Option<String>,
    pub insight: Option<String>,
    pub help: Option<String>,
}

impl Tabular for ItemRow {
    fn headers() -> Vec<&'static str> {
        vec!["phase", "step", "item", "type", "required", "ask", "help"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.phase.clone(),
            self.step.clone(),
            self.item.clone(),
            self.kind.clone(),
            output::yes_no(self.required),
            self.ask.clone(),
            self.help.clone().unwrap_or_default(),
        ]
    }
    fn id(&self) -> String {
        format!("{}/{}", self.step, self.item)
    }
}

/// Prints the process (or one step) as a checklist.
pub fn run(ctx: &Ctx, step: Option<String>) -> Result<Exit> {
    let store = ctx.store()?;
    let p = &store.process;
    if let Some(s) = &step
        && p.step(s).is_none()
    {
        let ids: Vec<&str> = p.steps.iter().map(|s| s.id.as_str()).collect();
        return Err(UsageError(format!(
            "unknown step \"{s}\"\nhint: steps are {}",
            ids.join(", ")
        ))
        .into());
    }
    let format = ctx.out.format_or(Format::Markdown);
    if format == Format::Markdown {
        ctx.out.emit(
            Format::Markdown,
            &crate::report::checklist::to_markdown(p, step.as_deref()),
        )?;
        return Ok(Exit::Success);
    }
    let rows: Vec<ItemRow> = p
        .steps
        .iter()
        .filter(|s| step.as_ref().is_none_or(|o| o == &s.id))
        .flat_map(|s| {
            s.checklist.items.iter().map(move |i| ItemRow {
                phase: s.phase.clone(),
                step: s.id.clone(),
                title: s.checklist.title.clone(),
                purpose: s.checklist.purpose.clone(),
                item: i.id.clone(),
                ask: i.ask.clone(),
                kind: i.kind.name().to_string(),
                required: i.required,
                options: i.options.clone(),
                persona: i.persona.clone(),
                insight: i.insight.map(|a| a.name().to_string()),
                help: i.help.clone(),
            })
        })
        .collect();
    ctx.out.emit(
        Format::Table,
        &output::render_rows(&ctx.out, &rows, Format::Table)?,
    )?;
    Ok(Exit::Success)
}
