//! `salesproc validate`: config, checklists and records, one line per problem.

use super::{Ctx, Exit};
use crate::cli::Format;
use crate::output::{self, Tabular};
use crate::process::Process;
use crate::store::{self, MARKER, Store, show};
use crate::{git, slug, validate};
use anyhow::Result;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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

/// Checks everything; exit 1 when anything is wrong.
pub fn run(ctx: &Ctx) -> Result<Exit> {
    let (root, _) = store::discover(ctx.dir.as_deref())?;
    let mut problems = Vec::new();
    let process = match Store::open_at(&root, true) {
        Ok(s) => s.process,
        Err(e) => {
            problems.push(from_error(&format!("{e:#}"), &root));
            Process::builtin()
        }
    };
    let mut files = 0usize;
    for path in record_files(&root.join("prospects"))? {
        files += 1;
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(FileProblem {
                    path: show(&path),
                    line: 0,
                    column: 0,
                    message: format!("could not read: {e}"),
                });
                continue;
            }
        };
        if let Some(p) = conflict_problem(&path, &text) {
            problems.push(p);
            continue;
        }
        let (_, found) = validate::check_text(&text, &process, true);
        problems.extend(found.into_iter().map(|p| FileProblem::new(&path, p)));
    }
    problems.extend(file_name_problems(&root.join("prospects"))?);
    warn_about_git(&root, ctx.no_commit);
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
    output::print(&text)?;
    if problems.is_empty() {
        output::status(&format!(
            "ok: settings, checklists and {files} records are valid"
        ));
        Ok(Exit::Success)
    } else {
        output::status(&format!("{} problem(s) in {}", problems.len(), show(&root)));
        Ok(Exit::Failure)
    }
}

/// Git conflict markers, as one problem rather than a YAML syntax error.
fn conflict_problem(path: &Path, text: &str) -> Option<FileProblem> {
    let blocks = crate::merge::conflict_blocks(text);
    let (first, _) = *blocks.first()?;
    let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or("ID");
    Some(FileProblem {
        path: show(path),
        line: first as u64,
        column: 1,
        message: format!(
            "unresolved merge conflict ({})\nhint: resolve it with `salesproc edit {id}`",
            crate::merge::describe_blocks(&blocks)
        ),
    })
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

fn record_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(e) => e
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml") && !is_temp(p))
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    Ok(v)
}

fn is_temp(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

fn file_name_problems(dir: &Path) -> Result<Vec<FileProblem>> {
    let mut out = Vec::new();
    let mut by_lower: HashMap<String, Vec<PathBuf>> = HashMap::new();
    for path in record_files(dir)? {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        if !slug::is_slug(&stem) {
            out.push(FileProblem {
                path: show(&path),
                line: 1,
                column: 1,
                message: format!(
                    "\"{stem}\" is not a valid id\nhint: rename the file to {}.yaml",
                    slug::slugify(&stem)
                ),
            });
        }
        by_lower.entry(stem.to_lowercase()).or_default().push(path);
    }
    let mut dups: Vec<_> = by_lower.into_iter().filter(|(_, v)| v.len() > 1).collect();
    dups.sort();
    for (id, paths) in dups {
        let names: Vec<String> = paths.iter().map(|p| show(p)).collect();
        for p in &paths {
            out.push(FileProblem {
                path: show(p),
                line: 1,
                column: 1,
                message: format!("duplicate id \"{id}\" by case: {}", names.join(", ")),
            });
        }
    }
    Ok(out)
}
