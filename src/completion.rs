//! Dynamic shell completion: the values `<TAB>` offers, read from the
//! pipeline folder at the moment of completing (clap_complete's `CompleteEnv`
//! protocol, `COMPLETE=bash salesproc -- WORDS…`).
//!
//! A completer only sees the word under the cursor; the words before it (the
//! prospect of `answer ID ITEM <TAB>`, a `--dir`) come from the command line
//! the shell passed after `--`. Every failure completes nothing: a shell
//! must never print an error in the middle of a line.

use crate::cli::Cli;
use crate::process::ItemType;
use crate::store::{self, Store, Want};
use clap::CommandFactory;
use clap_complete::engine::CompletionCandidate;
use std::ffi::OsStr;
use std::path::PathBuf;

/// The words the shell passed, up to (not including) the one being completed.
fn words_before() -> Vec<String> {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let Some(dash) = args.iter().position(|a| a == "--") else {
        return Vec::new();
    };
    let mut words = args[dash + 1..].to_vec();
    // bash, zsh and elvish say where the cursor is; fish passes the words up
    // to the cursor, the current one last.
    let index = std::env::var("_CLAP_COMPLETE_INDEX")
        .ok()
        .and_then(|i| i.parse::<usize>().ok())
        .unwrap_or(words.len().saturating_sub(1));
    words.truncate(index);
    words
}

/// What the words before the cursor say: the subcommand, its positional
/// arguments so far, and a `--dir`.
#[derive(Debug, Default, PartialEq)]
pub struct Line {
    pub dir: Option<PathBuf>,
    pub subcommand: Option<String>,
    pub positionals: Vec<String>,
}

/// Reads `words` (the program name first) as clap would, far enough to know
/// the positional arguments: flags that take a value skip that value.
pub fn parse_line(words: &[String]) -> Line {
    let root = Cli::command();
    let mut line = Line::default();
    let mut it = words.iter().skip(1);
    while let Some(w) = it.next() {
        if w == "--" {
            line.positionals.extend(it.by_ref().cloned());
            break;
        }
        if let Some(flag) = w.strip_prefix('-').filter(|f| !f.is_empty()) {
            let (name, inline) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (flag, None),
            };
            let sub = line
                .subcommand
                .as_deref()
                .and_then(|s| root.find_subcommand(s));
            let takes = takes_value(&root, name) || sub.is_some_and(|s| takes_value(s, name));
            let value = if takes && inline.is_none() {
                it.next().cloned()
            } else {
                inline
            };
            if name == "-dir" {
                line.dir = value.map(PathBuf::from);
            }
            continue;
        }
        if line.subcommand.is_none() {
            line.subcommand = Some(w.clone());
        } else {
            line.positionals.push(w.clone());
        }
    }
    line
}

/// True when `name` (`-dir` for `--dir`, `f` for `-f`) is a flag of `cmd`
/// that takes a value.
fn takes_value(cmd: &clap::Command, name: &str) -> bool {
    cmd.get_arguments().any(|a| {
        let matches = match name.strip_prefix('-') {
            Some(long) => a.get_long() == Some(long),
            None => name.chars().count() == 1 && a.get_short() == name.chars().next(),
        };
        matches && a.get_action().takes_values()
    })
}

/// The pipeline folder the command line points at, opened without commits.
fn store_for(line: &Line) -> Option<Store> {
    let (root, _) = store::discover(line.dir.as_deref()).ok()?;
    Store::open_at(&root, true).ok()
}

fn open() -> Option<(Line, Store)> {
    crate::output::completing();
    let line = parse_line(&words_before());
    let store = store_for(&line)?;
    Some((line, store))
}

fn text(current: &OsStr) -> String {
    current.to_string_lossy().into_owned()
}

/// Candidates from `(value, help)` pairs whose value starts with `current`.
fn offer<'a>(
    current: &str,
    pairs: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Vec<CompletionCandidate> {
    pairs
        .into_iter()
        .filter(|(v, _)| v.starts_with(current))
        .map(|(v, help)| CompletionCandidate::new(v).help(help.map(|h| h.to_string().into())))
        .collect()
}

/// `PROSPECT`: the ids that start with the word; when none does, the ids
/// whose name (or a word of it) starts with it, case-insensitively, so typing
/// a name completes to its id. The name is shown as help. (Ids first: a shell
/// that does not filter would otherwise shorten the word to what an id and a
/// name have in common.)
pub fn prospects(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some((_, store)) = open() else {
        return Vec::new();
    };
    let want = text(current).to_lowercase();
    let (mut by_id, mut by_name) = (Vec::new(), Vec::new());
    let _ = store.scan(Want::ROWS, |s| {
        let row = s.row;
        let name = row.name.to_lowercase();
        let candidate =
            || CompletionCandidate::new(&row.id).help(Some(row.name.to_string().into()));
        if row.id.starts_with(&want) {
            by_id.push(candidate());
        } else if name.starts_with(&want) || name.split_whitespace().any(|w| w.starts_with(&want)) {
            by_name.push(candidate());
        }
    });
    if by_id.is_empty() { by_name } else { by_id }
}

/// `--owner`: every owner of a record, once.
pub fn owners(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some((_, store)) = open() else {
        return Vec::new();
    };
    let mut owners = std::collections::BTreeSet::new();
    let _ = store.scan(Want::ROWS, |s| {
        owners.extend(s.row.owner);
    });
    offer(&text(current), owners.iter().map(|o| (o.as_str(), None)))
}

/// `--stage` and `checklist STEP`: the steps of the folder's process, in order.
pub fn steps(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some((_, store)) = open() else {
        return Vec::new();
    };
    offer(
        &text(current),
        store
            .process
            .steps
            .iter()
            .map(|s| (s.id.as_str(), Some(s.checklist.title.as_str()))),
    )
}

/// `--phase`: the phases of the folder's process.
pub fn phases(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some((_, store)) = open() else {
        return Vec::new();
    };
    offer(
        &text(current),
        store
            .process
            .phases
            .iter()
            .map(|p| (p.id.as_str(), Some(p.title.as_str()))),
    )
}

/// The current step of the prospect named on the command line (the first
/// positional argument after the subcommand).
fn current_step(line: &Line, store: &Store) -> Option<String> {
    let spec = line.positionals.first()?;
    let id = crate::commands::resolve_to_read(store, spec).ok()?;
    Some(store.read(&id).ok()?.record.stage)
}

/// `answer ID <TAB>`: the items of the prospect's current step; after a
/// `STEP/`, the items of that step.
pub fn items(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some((line, store)) = open() else {
        return Vec::new();
    };
    let current = text(current);
    if let Some((step, _)) = current.split_once('/') {
        let Some(step) = store.process.step(step) else {
            return Vec::new();
        };
        let full: Vec<(String, &str)> = step
            .checklist
            .items
            .iter()
            .map(|i| (format!("{}/{}", step.id, i.id), i.ask.as_str()))
            .collect();
        return offer(&current, full.iter().map(|(v, h)| (v.as_str(), Some(*h))));
    }
    let Some(stage) = current_step(&line, &store) else {
        return Vec::new();
    };
    let Some(step) = store.process.step(&stage) else {
        return Vec::new();
    };
    offer(
        &current,
        step.checklist
            .items
            .iter()
            .map(|i| (i.id.as_str(), Some(i.ask.as_str()))),
    )
}

/// `answer ID ITEM <TAB>`: a choice or list item's options; yes and no for a
/// check item.
pub fn values(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some((line, store)) = open() else {
        return Vec::new();
    };
    let (Some(stage), Some(spec)) = (current_step(&line, &store), line.positionals.get(1)) else {
        return Vec::new();
    };
    let Ok((_, item)) = store.process.item(&stage, spec) else {
        return Vec::new();
    };
    let options: Vec<&str> = match item.kind {
        ItemType::Check => vec!["yes", "no"],
        ItemType::Choice | ItemType::List => item.options.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    offer(&text(current), options.into_iter().map(|o| (o, None)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(words: &str) -> Line {
        let w: Vec<String> = words.split(' ').map(String::from).collect();
        parse_line(&w)
    }

    #[test]
    fn positionals_skip_flag_values() {
        let l = line("salesproc --dir /p --color never answer acme --color=never industry");
        assert_eq!(l.dir, Some(PathBuf::from("/p")));
        assert_eq!(l.subcommand.as_deref(), Some("answer"));
        assert_eq!(l.positionals, ["acme", "industry"]);
        // `--format` is a command's own flag (issue 12 #20), and takes a value.
        let l = line("salesproc show -f json acme");
        assert_eq!(l.positionals, ["acme"]);
        let l = line("salesproc decide --why because acme");
        assert_eq!(l.positionals, ["acme"]);
        let l = line("salesproc list --dir=/q --stale");
        assert_eq!(l.dir, Some(PathBuf::from("/q")));
        assert!(l.positionals.is_empty());
    }
}
