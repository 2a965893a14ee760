//! `salesproc validate`: config, checklists and records, one line per problem.

use super::{Ctx, Exit};
use crate::cli::Format;
use crate::output::{self, Tabular};
use crate::process::Process;
use crate::store::{self, MARKER, Store, show};
use crate::{git, validate};
use anyhow::Result;
use serde::Serialize;
use std::path::{Path, PathBuf};

mod records;

/// A problem in a file, as `path:line:col: message`.
#[derive(Debug, Serialize)]
pub struct FileProblem {
    pub path: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl Tabular for FileProblem {
    fn headers() -> Vec<&'static str> {
        vec!["path", "line", "column", "message"]
    }
    fn row(&self) -> Vec<String> {
        vec![
            self.path.clone(),
            self.line.to_string(),
            self.column.to_string(),
            self.message.clone(),
        ]
    }
    fn id(&self) -> String {
        self.path.clone()
    }
}

impl FileProblem {
    fn new(path: &Path, p: validate::Problem) -> FileProblem {
        FileProblem {
            path: show(path),
            line: p.line,
            column: p.column,
            message: p.message,
        }
    }
}

/// Checks everything (or the files named, with the folder's settings and
/// checklists); exit 1 when anything is wrong.
pub fn run(ctx: &Ctx, files: &[PathBuf]) -> Result<Exit> {
    let root = ctx.folder_for(files)?;
    let mut problems = Vec::new();
    let process = match Store::open_at(&root, true) {
        Ok(s) => s.process,
        Err(e) => {
            problems.push(from_error(&format!("{e:#}"), &root));
            Process::builtin()
        }
    };
    let named = !files.is_empty();
    let files = if named {
        records::check_named(files, &process, &mut problems)?
    } else {
        let n = records::check_all(&root.join("prospects"), &process, &mut problems)?;
        warn_about_git(&root, ctx.no_commit);
        n
    };
    let text = match ctx.out.format_or(Format::Table) {
        Format::Table | Format::Markdown => problems
            .iter()
            .map(|p| {
                format!(
                    "{}:{}:{}: {}\n",
                    p.path,
                    p.line,
                    p.column,
                    p.message.replace('\n', "\n  ")
                )
            })
            .collect(),
        _ => output::render_rows(&ctx.out, &problems, Format::Table)?,
    };
    ctx.out.emit(Format::Table, &text)?;
    if problems.is_empty() && named {
        output::status(&format!("ok: {files} file(s) valid"));
        Ok(Exit::Success)
    } else if problems.is_empty() {
        output::status(&format!(
            "ok: settings, checklists and {files} records are valid"
        ));
        Ok(Exit::Success)
    } else {
        output::status(&format!("{} problem(s) in {}", problems.len(), show(&root)));
        Ok(Exit::Failure)
    }
}

/// Warnings, not problems (a fresh CI clone has no merge driver, and a
/// pre-commit hook runs while files are staged): a clone that cannot merge
/// records, and files salesproc saved but could not commit.
fn warn_about_git(root: &Path, no_commit: bool) {
    let Some(repo) = git::repo(root) else {
        return;
    };
    if let Some(problem) = git::merge_driver_problem(root) {
        output::warn(&problem);
    }
    let Ok(store) = Store::open_at(root, no_commit) else {
        return;
    };
    if !store.commit {
        return;
    }
    let mut files = repo.pending();
    // `init` run before this version kept no list: its files matter most.
    for setup in [MARKER, ".gitattributes", "checklists"] {
        let p = root.join(setup);
        if p.exists() && !files.contains(&p) {
            files.push(p);
        }
    }
    let left = repo.changed(&files);
    if !left.is_empty() {
        output::warn(&format!(
            "saved but not committed: {}\nhint: the next salesproc write commits them, or `git add` and `git commit` them",
            store::summarize(&left)
        ));
    }
}

/// Turns a `path:line:col: message` error (from loading) into a problem.
fn from_error(msg: &str, root: &Path) -> FileProblem {
    let first = msg.lines().next().unwrap_or(msg);
    let mut parts = first.splitn(4, ':');
    let (a, b, c, d) = (parts.next(), parts.next(), parts.next(), parts.next());
    if let (Some(path), Some(l), Some(col), Some(m)) = (a, b, c, d)
        && let (Ok(line), Ok(column)) = (l.trim().parse(), col.trim().parse())
    {
        return FileProblem {
            path: path.to_string(),
            line,
            column,
            message: m.trim().to_string(),
        };
    }
    FileProblem {
        path: show(&root.join(MARKER)),
        line: 0,
        column: 0,
        message: first.to_string(),
    }
}
