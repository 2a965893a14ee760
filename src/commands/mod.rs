//! One file per subcommand; this one builds the context and holds the one
//! exhaustive `match`.

pub mod add;
pub mod answer;
pub mod assign;
pub mod checklist;
pub mod decide;
pub mod edit;
pub mod export;
pub mod fmt;
pub mod follow_up;
pub mod forecast;
pub mod generate;
pub mod import;
pub mod init;
pub mod insight;
pub mod insights;
pub mod list;
pub mod log;
pub mod merge_file;
pub mod next;
pub mod personas;
pub mod pipeline;
pub mod process;
pub mod report;
pub mod schema;
pub mod set;
pub mod show;
pub mod validate;
// The rep's day (issue 12).
pub mod done;
pub mod reopen;
pub mod search;
pub mod today;
pub mod undo;

use crate::cli::{Cli, Command};
use crate::flow::Actor;
use crate::output::{self, Out};
use crate::store::{self, Store, Want};
use crate::summary::{Row, Summary};
use crate::{clock, slug};
use anyhow::Result;

use std::path::PathBuf;

/// How the program ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0
    Success,
    /// 1: the operation failed or found problems.
    Failure,
}

/// An error that exits 2: bad usage, an unknown or ambiguous prospect.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// What every command gets.
pub struct Ctx {
    pub out: Out,
    pub dir: Option<PathBuf>,
    pub no_input: bool,
    pub no_commit: bool,
}

impl Ctx {
    /// Finds and opens the pipeline folder.
    pub fn store(&self) -> Result<Store> {
        let (root, _) = store::discover(self.dir.as_deref())?;
        Store::open_at(&root, self.no_commit)
    }

    /// The folder of files named on the command line: `--dir` or
    /// `$SALESPROC_DIR` when given, else the nearest folder holding the first
    /// file, else the usual discovery. A hook or an editor may run anywhere.
    pub fn folder_for(&self, files: &[PathBuf]) -> Result<PathBuf> {
        if self.dir.is_none()
            && let Some(file) = files.iter().find(|f| f.as_os_str() != "-")
            && let Ok(abs) = std::path::absolute(file)
            && let Some(root) = abs
                .ancestors()
                .skip(1)
                .find(|d| d.join(store::MARKER).is_file())
        {
            return Ok(root.to_path_buf());
        }
        Ok(store::discover(self.dir.as_deref())?.0)
    }
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<Exit> {
    let g = cli.global;
    let out = Out::new(cli.command.format(), g.color, g.quiet);
    if g.no_pager {
        output::disable_pager();
    }
    output::set_formula_guard(!g.no_formula_guard);
    let ctx = Ctx {
        out,
        dir: g.dir,
        no_input: g.no_input,
        no_commit: g.no_commit,
    };
    match cli.command {
        Command::Init {
            dir,
            no_git,
            process,
        } => init::run(&ctx, dir, no_git, process.pack()),
        Command::Add(args) => add::run(&ctx, args),
        Command::Next { prospect, .. } => match prospect {
            Some(p) => next::run(&ctx, &p),
            None => today::walk(&ctx),
        },
        Command::Show { prospect, .. } => show::run(&ctx, &prospect),
        Command::List(args) => list::run(&ctx, args),
        Command::Answer {
            prospect,
            item,
            value,
        } => answer::run(&ctx, &prospect, &item, value),
        Command::Decide {
            prospect,
            decision,
            why,
            revisit,
        } => decide::run(&ctx, &prospect, decision, why, revisit),
        Command::FollowUp {
            prospect,
            date,
            action,
        } => follow_up::run(&ctx, &prospect, &date, action),
        Command::Insight {
            prospect,
            audience,
            text,
        } => insight::run(&ctx, &prospect, audience, text),
        Command::Log { prospect, .. } => log::run(&ctx, &prospect),
        Command::Edit { prospect } => edit::run(&ctx, &prospect),
        Command::Pipeline { as_of, by, .. } => match by {
            Some(_) => pipeline::run_monthly(&ctx, as_of),
            None => pipeline::run(&ctx, as_of),
        },
        Command::Forecast(args) => forecast::run(&ctx, args),
        Command::Report { html } => report::run(&ctx, &html),
        Command::Process { action } => process::run(&ctx, action),
        Command::Personas { .. } => personas::run(&ctx),
        Command::Insights {
            audience, since, ..
        } => insights::run(&ctx, audience, since),
        Command::Checklist { step, .. } => checklist::run(&ctx, step),
        Command::Validate { files, .. } => validate::run(&ctx, &files),
        Command::Fmt { check, files } => fmt::run(&ctx, check, &files),
        Command::MergeFile { base, ours, theirs } => merge_file::run(&ctx, &base, &ours, &theirs),
        Command::Import(args) => import::run(&ctx, args),
        Command::Export { preset, .. } => export::run(&ctx, preset),
        Command::Set {
            prospect,
            field,
            value,
        } => set::run(&ctx, &prospect, field, &value),
        Command::Assign { prospect, owner } => assign::run(&ctx, &prospect, &owner),
        Command::Completions { shell } => generate::completions(shell),
        Command::Schema { kind, .. } => schema::run(&ctx, kind),
        Command::Man { out_dir } => generate::man(out_dir.as_deref()),
        Command::Today { week, .. } => today::run(&ctx, week),
        Command::Done {
            prospect,
            note,
            next,
        } => done::run(&ctx, &prospect, note, next),
        Command::Undo { prospect } => undo::run(&ctx, prospect),
        Command::Reopen { prospect, why } => reopen::run(&ctx, &prospect, &why),
        Command::Search { text, .. } => search::run(&ctx, &text.join(" ")),
        Command::Version => {
            // The same line as `--version`.
            output::print(&format!("salesproc {}\n", env!("CARGO_PKG_VERSION")))?;
            Ok(Exit::Success)
        }
    }
}

/// Who acts now.
pub fn actor(store: &Store) -> Actor {
    Actor {
        by: store.actor_name(),
        at: clock::now_stamp(),
    }
}

/// Resolves a prospect: an id, the slug of a name, a unique id prefix, or a
/// case-insensitive name. Unknown or ambiguous is a usage error naming
/// candidates. An exact id reads no listing.
pub fn resolve(store: &Store, spec: &str) -> Result<String> {
    resolve_with(store, spec, false)
}

/// As [`resolve`], for a command that only reads the record: a name may be
/// taken from the lookup file when each record it names there still has it
/// (a few reads, not every record). What that can miss is a record renamed
/// in place by an editor, since the last command that read every record,
/// to a name another record has: the lookup names only the other one. A
/// read shows that other one; a write must not act on it, so writes use
/// [`resolve`], which reads every record for a name.
pub fn resolve_to_read(store: &Store, spec: &str) -> Result<String> {
    resolve_with(store, spec, true)
}

fn resolve_with(store: &Store, spec: &str, named_by_lookup_ok: bool) -> Result<String> {
    let spec = spec.trim();
    if spec.is_empty() {
        // An unset shell variable must not pick the record with no name.
        return Err(UsageError(
            "no prospect given (the prospect is empty)\nhint: give an id, an id prefix or a name; `salesproc list` shows them"
                .into(),
        )
        .into());
    }
    if store.exists(spec) {
        return Ok(spec.to_string());
    }
    let slugged = slug::slugify(spec);
    if store.exists(&slugged) {
        return Ok(slugged);
    }
    let lower = spec.to_lowercase();
    // A prefix of an id: from the lookup file while it is current, else
    // from the folder.
    let prefixed: Vec<String> = match prefixed_by_lookup(store, spec, &lower) {
        Some(ids) => ids,
        None => store
            .ids()?
            .into_iter()
            .filter(|i| !lower.is_empty() && i.starts_with(&lower))
            .collect(),
    };
    if prefixed.len() == 1 {
        return Ok(prefixed[0].clone());
    }
    if prefixed.len() > 1 {
        return Err(ambiguous(spec, prefixed.iter().map(|s| s.as_str())));
    }
    // A name: from the lookup when every candidate there still has it in
    // its file; otherwise from the summaries, which check every file (a
    // name can change inside a file without the folder changing).
    if let Some(named) = named_by_lookup_ok
        .then(|| named_by_lookup(store, spec, &lower))
        .flatten()
    {
        return match named.len() {
            1 => Ok(named[0].clone()),
            _ => Err(ambiguous(spec, named.iter().map(|s| s.as_str()))),
        };
    }
    let (rows, _) = store.rows()?;
    let mut named: Vec<&str> = rows
        .iter()
        .filter(|r| r.name.to_lowercase() == lower)
        .map(|r| r.id.as_str())
        .collect();
    match named.len() {
        1 => Ok(named.remove(0).to_string()),
        0 => Err(unknown(spec, &rows)),
        _ => Err(ambiguous(spec, named.into_iter())),
    }
}

/// The ids starting with `lower`, from the lookup file when it is current
/// (it lists every record file, readable or not); `None` when it cannot be
/// used.
fn prefixed_by_lookup(store: &Store, spec: &str, lower: &str) -> Option<Vec<String>> {
    if lower.is_empty() || !crate::config::index_enabled() {
        return None;
    }
    let l = crate::lookup::Lookup::open(&store.root, store.index_fingerprint())?;
    if crate::config::debug_index() {
        output::status(&format!("lookup: \"{spec}\" from the lookup file"));
    }
    l.ids_with_prefix(lower)
}

/// The records named `lower` (lowercased), from the lookup file when it is
/// current, it names at least one, and each one's file still has that name
/// (read to check). `None` sends the caller to read every record.
fn named_by_lookup(store: &Store, spec: &str, lower: &str) -> Option<Vec<String>> {
    if lower.is_empty() || !crate::config::index_enabled() {
        return None;
    }
    let l = crate::lookup::Lookup::open(&store.root, store.index_fingerprint())?;
    let named = l.ids_named(lower)?;
    let still = |id: &String| {
        store
            .read(id)
            .is_ok_and(|r| r.record.name.to_lowercase() == lower)
    };
    if named.is_empty() || !named.iter().all(still) {
        return None;
    }
    if crate::config::debug_index() {
        output::status(&format!("lookup: \"{spec}\" by name from the lookup file"));
    }
    Some(named)
}

/// An ambiguous prospect (exit 2): the ids it matches, so a terminal can offer them.
#[derive(Debug)]
pub struct Ambiguous {
    pub spec: String,
    pub ids: Vec<String>,
}

/// How many candidates an ambiguity error names before "and N more".
const SHOWN_CANDIDATES: usize = 10;

impl std::fmt::Display for Ambiguous {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown: Vec<&str> = self
            .ids
            .iter()
            .take(SHOWN_CANDIDATES)
            .map(String::as_str)
            .collect();
        let more = self.ids.len().saturating_sub(SHOWN_CANDIDATES);
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        write!(
            f,
            "\"{}\" matches more than one prospect: {}{tail}\nhint: use a longer prefix or the full id",
            self.spec,
            shown.join(", ")
        )
    }
}

impl std::error::Error for Ambiguous {}

/// True for errors that exit 2.
pub fn is_usage(e: &anyhow::Error) -> bool {
    e.downcast_ref::<UsageError>().is_some() || e.downcast_ref::<Ambiguous>().is_some()
}

fn ambiguous<'a>(spec: &str, ids: impl Iterator<Item = &'a str>) -> anyhow::Error {
    Ambiguous {
        spec: spec.to_string(),
        ids: ids.map(str::to_string).collect(),
    }
    .into()
}

/// The ids whose id or name is close to `spec` by edit distance, closest first.
pub fn near(spec: &str, rows: &[Row]) -> Vec<String> {
    let want = spec.to_lowercase();
    let slugged = slug::slugify(spec);
    let mut scored: Vec<(f64, &str)> = rows
        .iter()
        .map(|r| {
            let by_id = strsim::normalized_damerau_levenshtein(&slugged, &r.id);
            let name = r.name.to_lowercase();
            let by_name = strsim::normalized_damerau_levenshtein(&want, &name);
            // A typo in the first word (`cnotoso` for contoso-retail): the
            // start of the id or name, as long as what was typed.
            let start = |s: &str| -> f64 {
                let n = slugged.chars().count();
                if n < 4 {
                    return 0.0;
                }
                let head: String = s.chars().take(n).collect();
                strsim::normalized_damerau_levenshtein(&slugged, &head)
            };
            let by_start = start(&r.id).max(start(&slug::slugify(&name)));
            (by_id.max(by_name).max(by_start), r.id.as_str())
        })
        .filter(|(score, _)| *score >= 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, id)| id.to_string())
        .collect()
}

fn unknown(spec: &str, rows: &[Row]) -> anyhow::Error {
    let close = near(spec, rows);
    let hint = if close.is_empty() {
        "hint: `salesproc list` shows every prospect; `salesproc add NAME` creates one".to_string()
    } else {
        format!("hint: did you mean {}?", close.join(", "))
    };
    UsageError(format!("no prospect matches \"{spec}\"\n{hint}")).into()
}

/// Runs `each` for one prospect, or for every id read from stdin when `spec`
/// is `-`. A batch goes on past failures, reports each, and fails at the end.
pub fn for_each(store: &Store, spec: &str, each: impl FnMut(&str) -> Result<()>) -> Result<Exit> {
    for_each_with(store, spec, resolve, each)
}

/// As [`for_each`], for a command that only reads (see [`resolve_to_read`]).
pub fn for_each_read(
    store: &Store,
    spec: &str,
    each: impl FnMut(&str) -> Result<()>,
) -> Result<Exit> {
    for_each_with(store, spec, resolve_to_read, each)
}

fn for_each_with(
    store: &Store,
    spec: &str,
    resolve: fn(&Store, &str) -> Result<String>,
    mut each: impl FnMut(&str) -> Result<()>,
) -> Result<Exit> {
    if spec != "-" {
        let id = resolve(store, spec)?;
        each(&id)?;
        return Ok(Exit::Success);
    }
    let mut failed = 0usize;
    for line in std::io::stdin().lines() {
        let line = line?;
        let spec = line.trim();
        if spec.is_empty() || spec.starts_with('#') {
            continue;
        }
        if let Err(e) = resolve(store, spec).and_then(|id| each(&id)) {
            crate::output::error(&format!("{spec}: {e:#}"));
            failed += 1;
        }
    }
    if failed > 0 {
        crate::output::status(&format!("{failed} failed"));
        return Ok(Exit::Failure);
    }
    Ok(Exit::Success)
}

/// Warns about each unreadable record; exit 1 when there was any.
pub fn report_unreadable(bad: Vec<anyhow::Error>) -> Result<Exit> {
    for e in &bad {
        output::warn(&format!("skipped {e:#}"));
    }
    Ok(if bad.is_empty() {
        Exit::Success
    } else {
        Exit::Failure
    })
}

/// Maps every readable record's summary (in id order) to what a report
/// needs, so the full summaries are never all in memory; warns about
/// unreadable records and ones without history (the exit is then 1).
pub fn scan_summaries<T>(
    store: &Store,
    want: Want,
    map: impl FnMut(Box<Summary>) -> Option<T>,
) -> Result<(Vec<T>, Exit)> {
    scan_voice_summaries(store, want, None, map)
}

/// As [`scan_summaries`], for a report with a voice tally that may take
/// runs of records' voices grouped by the readers (see [`Store::scan_voice`]).
pub fn scan_voice_summaries<T>(
    store: &Store,
    want: Want,
    fold: Option<crate::report::insights::Fold<'_>>,
    mut map: impl FnMut(Box<Summary>) -> Option<T>,
) -> Result<(Vec<T>, Exit)> {
    let mut out = Vec::new();
    let each = |s: Box<Summary>| {
        if !s.row.has_history {
            output::warn(&format!(
                "{} has no history; it is left out of the figures\nhint: `salesproc validate` explains",
                s.row.id
            ));
        }
        out.extend(map(s));
    };
    let bad = match fold {
        Some(fold) => store.scan_voice(want, fold, each)?,
        None => store.scan(want, each)?,
    };
    let exit = report_unreadable(bad)?;
    Ok((out, exit))
}
