//! The only file that calls dialoguer. It refuses to prompt without a terminal
//! on both stdin and stderr: dialoguer would otherwise fail at once, or read the
//! keyboard while a pipe feeds stdin and hang.

use crate::process::{Item, ItemType};
use anyhow::{Result, bail};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Input, Select};
use serde_json::Value;
use std::io::IsTerminal;

/// True when prompting is possible and allowed.
pub fn can_prompt(no_input: bool) -> bool {
    !no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Makes Ctrl-C restore the cursor and exit 130. What was saved stays saved:
/// every answer is written before the next prompt.
pub fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        let _ = console::Term::stderr().show_cursor();
        eprintln!();
        std::process::exit(130);
    });
}

fn theme() -> Box<dyn Theme> {
    if crate::output::stderr_color() {
        Box::new(ColorfulTheme::default())
    } else {
        Box::new(SimpleTheme)
    }
}

fn io(e: dialoguer::Error) -> anyhow::Error {
    let dialoguer::Error::IO(e) = e;
    if e.kind() == std::io::ErrorKind::Interrupted {
        std::process::exit(130);
    }
    anyhow::anyhow!(
        "could not prompt: {e}\nhint: use --no-input, or the commands answer and decide"
    )
}

/// A pick from a list; returns the index.
pub fn select(prompt: &str, items: &[&str], default: usize) -> Result<usize> {
    let t = theme();
    Select::with_theme(t.as_ref())
        .with_prompt(prompt)
        .items(items.iter())
        .default(default)
        .interact()
        .map_err(io)
}

/// A line of text; empty allowed when `default` is empty.
pub fn text(prompt: &str, default: &str) -> Result<String> {
    checked_line(prompt, default, |_| Ok(()))
}

/// A line that `check` accepts (empty always passes: it means skip).
fn checked_line(prompt: &str, default: &str, check: impl Fn(&str) -> Result<()>) -> Result<String> {
    let t = theme();
    let mut i = Input::<String>::with_theme(t.as_ref())
        .with_prompt(prompt)
        .allow_empty(true)
        .validate_with(|s: &String| -> Result<(), String> {
            if s.trim().is_empty() {
                return Ok(());
            }
            check(s).map_err(|e| first_line(&e.to_string()))
        });
    if !default.is_empty() {
        i = i.default(default.to_string());
    }
    i.interact_text().map_err(io)
}

/// A date (YYYY-MM-DD, today, tomorrow, +3d), or empty.
pub fn date(prompt: &str, default: &str) -> Result<Option<String>> {
    let s = checked_line(prompt, default, |s| {
        crate::clock::parse_user_date(s).map(|_| ())
    })?;
    if s.trim().is_empty() {
        Ok(None)
    } else {
        Ok(Some(crate::clock::parse_user_date(&s)?.to_string()))
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

/// Asks one checklist item by its type, the earlier answer as default.
/// Returns `None` when the rep skips it.
pub fn ask_item(item: &Item, earlier: Option<&Value>) -> Result<Option<Value>> {
    let mut prompt = item.ask.clone();
    let hint = match item.kind {
        ItemType::List => Some("comma-separated"),
        ItemType::Date => Some("YYYY-MM-DD"),
        _ => None,
    };
    let notes: Vec<&str> = hint
        .into_iter()
        .chain(item.required.then_some("required"))
        .collect();
    if !notes.is_empty() {
        prompt.push_str(&format!(" ({})", notes.join(", ")));
    }
    if let Some(help) = &item.help {
        crate::output::status(&format!("  {help}"));
    }
    match item.kind {
        ItemType::Check => {
            let default = match earlier.and_then(crate::value::as_bool) {
                Some(false) => 1,
                Some(true) => 0,
                None => 0,
            };
            Ok(match select(&prompt, &["yes", "no", "skip"], default)? {
                0 => Some(Value::Bool(true)),
                1 => Some(Value::Bool(false)),
                _ => None,
            })
        }
        ItemType::Choice => {
            let mut opts: Vec<&str> = item.options.iter().map(String::as_str).collect();
            opts.push("skip");
            let default = earlier
                .and_then(Value::as_str)
                .and_then(|e| opts.iter().position(|o| *o == e))
                .unwrap_or(0);
            let i = select(&prompt, &opts, default)?;
            Ok((i < item.options.len()).then(|| Value::String(item.options[i].clone())))
        }
        ItemType::Date => {
            Ok(date(&prompt, earlier.and_then(Value::as_str).unwrap_or(""))?.map(Value::String))
        }
        ItemType::Text | ItemType::Number | ItemType::List => {
            let default = earlier.map(crate::value::display_value).unwrap_or_default();
            let s = checked_line(&prompt, &default, |s| {
                crate::value::parse_value(item, &[s.to_string()]).map(|_| ())
            })?;
            if s.trim().is_empty() {
                return Ok(None);
            }
            crate::value::parse_value(item, &[s]).map(Some)
        }
    }
}

/// Refuses politely when there is no terminal.
pub fn require(no_input: bool, what: &str) -> Result<()> {
    if !can_prompt(no_input) {
        bail!("{what} needs a terminal to prompt\nhint: pass the value on the command line");
    }
    Ok(())
}

/// A yes/no question; a single `y` or `n` answers it.
pub fn confirm(prompt: &str, default: bool) -> Result<bool> {
    let t = theme();
    dialoguer::Confirm::with_theme(t.as_ref())
        .with_prompt(prompt)
        .default(default)
        .interact()
        .map_err(io)
}
