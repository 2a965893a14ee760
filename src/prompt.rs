//! Prompts by item type (drawn in `prompt/widgets.rs`, the only place that
//! reads keys). It refuses to prompt without a terminal on both stdin and
//! stderr: reading keys would otherwise fail at once, or read the keyboard
//! while a pipe feeds stdin and hang.

mod widgets;

use crate::clock::{self, Expect};
use crate::process::{Item, ItemType};
use anyhow::{Result, bail};
use serde_json::Value;
use std::io::IsTerminal;
pub use widgets::Got;

/// True when prompting is possible and allowed.
pub fn can_prompt(no_input: bool) -> bool {
    !no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

type Hook = Box<dyn Fn() + Send>;

/// What to do before exiting on a Ctrl-C that arrives between prompts.
static ON_INTERRUPT: std::sync::Mutex<Option<Hook>> = std::sync::Mutex::new(None);

/// Runs `hook` (once) when Ctrl-C arrives outside a prompt; `None` clears it.
pub fn on_interrupt(hook: Option<Hook>) {
    if let Ok(mut h) = ON_INTERRUPT.lock() {
        *h = hook;
    }
}

/// Makes Ctrl-C restore the cursor, run the `on_interrupt` hook and exit
/// 130. What was saved stays saved: every answer is written before the next
/// prompt. (At a prompt, Ctrl-C is a key: the prompt returns `Interrupted`.)
pub fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        let _ = console::Term::stderr().show_cursor();
        eprintln!();
        if let Ok(mut h) = ON_INTERRUPT.lock()
            && let Some(hook) = h.take()
        {
            hook();
        }
        std::process::exit(130);
    });
}

/// The rep pressed Ctrl-C at a prompt: exit 130, the cursor already restored.
#[derive(Debug)]
pub struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted")
    }
}

impl std::error::Error for Interrupted {}

/// A pick from a list; returns the index. Esc asks again.
pub fn select(prompt: &str, items: &[&str], default: usize) -> Result<usize> {
    loop {
        if let Got::Value(i) = widgets::select(prompt, items, default, false)? {
            return Ok(i);
        }
    }
}

/// A pick from a list where Esc skips and ← goes back (when `back`).
pub fn select_or_skip(
    prompt: &str,
    items: &[&str],
    default: usize,
    back: bool,
) -> Result<Got<usize>> {
    widgets::select(prompt, items, default, back)
}

/// A line of text; empty (or Esc) gives "".
pub fn text(prompt: &str, default: &str) -> Result<String> {
    Ok(match widgets::line(prompt, default, false, &|_| Ok(()))? {
        Got::Value(s) => s,
        _ => String::new(),
    })
}

/// A date in any form `clock::parse_user_date` takes, or empty. The prompt
/// says what it takes; a date out of the expected range is warned about.
pub fn date(prompt: &str, default: &str, expect: Expect) -> Result<Option<String>> {
    let full = format!("{prompt} ({})", clock::DATE_HINT);
    match widgets::line(&full, default, false, &|s| {
        clock::parse_user_date(s)
            .map(|_| ())
            .map_err(|e| first_line(&e.to_string()))
    })? {
        Got::Value(s) => {
            let d = clock::parse_user_date(&s)?;
            if let Some(w) = clock::sanity(d, expect) {
                crate::output::warn(&w);
            }
            Ok(Some(d.to_string()))
        }
        _ => Ok(None),
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

/// Asks one checklist item by its type, the earlier answer as default.
/// Esc or an empty answer skips it; ← goes back when `back`.
pub fn ask_item(item: &Item, earlier: Option<&Value>, back: bool) -> Result<Got<Value>> {
    let mut prompt = item.ask.clone();
    let hint = match item.kind {
        ItemType::List => Some("comma-separated"),
        ItemType::Date => Some(clock::DATE_HINT),
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
                _ => 0,
            };
            Ok(
                match select_or_skip(&prompt, &["yes", "no", "skip"], default, back)? {
                    Got::Value(0) => Got::Value(Value::Bool(true)),
                    Got::Value(1) => Got::Value(Value::Bool(false)),
                    Got::Back => Got::Back,
                    _ => Got::Skip,
                },
            )
        }
        ItemType::Choice => {
            let mut opts: Vec<&str> = item.options.iter().map(String::as_str).collect();
            opts.push("skip");
            let default = earlier
                .and_then(Value::as_str)
                .and_then(|e| opts.iter().position(|o| *o == e))
                .unwrap_or(0);
            Ok(match select_or_skip(&prompt, &opts, default, back)? {
                Got::Value(i) if i < item.options.len() => {
                    Got::Value(Value::String(item.options[i].clone()))
                }
                Got::Back => Got::Back,
                _ => Got::Skip,
            })
        }
        _ => {
            let default = earlier.map(crate::value::display_value).unwrap_or_default();
            let got = widgets::line(&prompt, &default, back, &|s| {
                crate::value::parse_value(item, &[s.to_string()])
                    .map(|_| ())
                    .map_err(|e| first_line(&e.to_string()))
            })?;
            Ok(match got {
                Got::Value(s) => {
                    let v = crate::value::parse_value(item, &[s])?;
                    if let Some(w) = crate::value::date_warning(item, &v) {
                        crate::output::warn(&w);
                    }
                    Got::Value(v)
                }
                Got::Skip => Got::Skip,
                Got::Back => Got::Back,
            })
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
    widgets::confirm(prompt, default)
}
