//! `--format` is global, but not every command can print every format: a
//! value a command does not support is a usage error (exit 2), never a
//! silent fallback to the table.

use super::UsageError;
use crate::cli::{Command, Format};
use anyhow::Result;
use clap::ValueEnum;

const REPORT: &[Format] = &[
    Format::Table,
    Format::Json,
    Format::Yaml,
    Format::Csv,
    Format::Tsv,
];

/// Refuses a `--format` the command does not support.
pub fn check(cmd: &Command, format: Option<Format>) -> Result<()> {
    let Some(format) = format else {
        return Ok(());
    };
    let (name, allowed): (&str, &[Format]) = match cmd {
        // One row per step (or month, with --by): ids are the steps' or months'.
        Command::Pipeline { .. } => (
            "pipeline",
            &[
                Format::Table,
                Format::Json,
                Format::Yaml,
                Format::Csv,
                Format::Tsv,
                Format::Ids,
            ],
        ),
        Command::Personas => ("personas", REPORT),
        Command::Insights { .. } => (
            "insights",
            &[
                Format::Table,
                Format::Json,
                Format::Yaml,
                Format::Csv,
                Format::Tsv,
                Format::Markdown,
            ],
        ),
        Command::Schema { .. } => ("schema", &[Format::Json]),
        Command::Completions { .. } => ("completions", &[]),
        Command::Man { .. } => ("man", &[]),
        _ => return Ok(()),
    };
    if allowed.contains(&format) {
        return Ok(());
    }
    let names = |fs: &[Format]| -> Vec<String> {
        fs.iter()
            .filter_map(|f| f.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect()
    };
    let this = names(&[format]).join("");
    let hint = if allowed.is_empty() {
        format!("hint: {name} prints one fixed format; leave out --format")
    } else {
        format!("hint: {name} prints {}", names(allowed).join(", "))
    };
    Err(UsageError(format!("{name} has no {this} output\n{hint}")).into())
}
