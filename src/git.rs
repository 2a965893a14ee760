//! The `git` command, shelled out to. No git on PATH, or no repository: every
//! call here is a quiet no-op, so salesproc works without git.

mod commit;

pub use commit::{CommitError, commit_paths};

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// What git's merge driver config must run: found on PATH, so a rebuild or a
/// moved binary does not break merges.
pub const MERGE_DRIVER: &str = "salesproc merge-file %O %A %B";

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(dir).stdin(Stdio::null());
    c
}

/// `git` for a command given file paths: they are taken as they are
/// (a folder named `[work]` is not a pattern).
fn git_paths(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("--literal-pathspecs")
        .arg("-C")
        .arg(dir)
        .stdin(Stdio::null());
    c
}

/// Room for paths on one command line: well within Linux's limit on a
/// program's arguments and environment (2 MiB with the default stack),
/// which 100,000 record paths exceed.
const ARG_ROOM: usize = 128 * 1024;

/// `paths` in runs that each fit on one command line.
fn runs(paths: &[PathBuf]) -> Vec<&[PathBuf]> {
    let mut runs = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, p) in paths.iter().enumerate() {
        let len = p.as_os_str().len() + 1;
        if i > start && bytes + len > ARG_ROOM {
            runs.push(&paths[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += len;
    }
    if start < paths.len() {
        runs.push(&paths[start..]);
    }
    runs
}

/// Runs `cmd` (`add` or `commit`) on `paths`: on its command line when they
/// fit, else written to its standard input (`--pathspec-from-file`).
fn with_paths(cmd: &mut Command, paths: &[PathBuf]) -> std::io::Result<Output> {
    if runs(paths).len() <= 1 {
        return cmd.arg("--").args(paths).output();
    }
    cmd.args(["--pathspec-from-file=-", "--pathspec-file-nul"]);
    fed(cmd, &nul_list(paths))
}

/// `paths`, each ended by a NUL, as git reads a list with `-z`.
fn nul_list(paths: &[PathBuf]) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    let mut list = Vec::new();
    for p in paths {
        list.extend_from_slice(p.as_os_str().as_bytes());
        list.push(0);
    }
    list
}

/// Runs `cmd` with `input` on its standard input.
fn fed(cmd: &mut Command, input: &[u8]) -> std::io::Result<Output> {
    use std::io::Write;
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    let stdin = child.stdin.take();
    // Written beside the wait, so git's output never blocks on a full pipe.
    std::thread::scope(|s| {
        s.spawn(move || stdin.map(|mut w| w.write_all(input)));
        child.wait_with_output()
    })
}

fn run(cmd: &mut Command) -> Option<Output> {
    cmd.output().ok()
}

fn stdout_of(cmd: &mut Command) -> Option<String> {
    let out = run(cmd)?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The top of the work tree `dir` is in, if it is in one.
pub fn toplevel(dir: &Path) -> Option<PathBuf> {
    stdout_of(git(dir).args(["rev-parse", "--show-toplevel"])).map(PathBuf::from)
}

/// The work tree a folder is in, and its git folder.
#[derive(Debug, Clone)]
pub struct Repo {
    pub top: PathBuf,
    pub git_dir: PathBuf,
}

/// The repository `dir` is in, if any (a folder that does not exist is in none).
pub fn repo(dir: &Path) -> Option<Repo> {
    if !dir.is_dir() {
        return None;
    }
    let out = stdout_of(git(dir).args(["rev-parse", "--show-toplevel", "--absolute-git-dir"]))?;
    let mut lines = out.lines();
    Some(Repo {
        top: PathBuf::from(lines.next()?),
        git_dir: PathBuf::from(lines.next()?),
    })
}

impl Repo {
    /// The git operation left unfinished (a conflicted merge, rebase,
    /// cherry-pick or revert), as (name, how to finish or abort it).
    pub fn unfinished(&self) -> Option<(&'static str, &'static str)> {
        let has = |name: &str| self.git_dir.join(name).exists();
        if has("MERGE_HEAD") {
            Some(("merge", "git merge --continue / --abort"))
        } else if has("rebase-merge") || has("rebase-apply") {
            Some(("rebase", "git rebase --continue / --abort"))
        } else if has("CHERRY_PICK_HEAD") {
            Some(("cherry-pick", "git cherry-pick --continue / --abort"))
        } else if has("REVERT_HEAD") {
            Some(("revert", "git revert --continue / --abort"))
        } else {
            None
        }
    }

    fn pending_file(&self) -> PathBuf {
        self.git_dir.join("salesproc-uncommitted")
    }

    /// Files salesproc saved but could not commit (absolute paths).
    pub fn pending(&self) -> Vec<PathBuf> {
        std::fs::read_to_string(self.pending_file())
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| self.top.join(l))
            .collect()
    }

    /// Replaces the list of files saved but not committed.
    pub fn set_pending(&self, paths: &[PathBuf]) -> std::io::Result<()> {
        let file = self.pending_file();
        if paths.is_empty() {
            return match std::fs::remove_file(&file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let mut text = String::new();
        for p in paths {
            let p = std::path::absolute(p).unwrap_or_else(|_| p.clone());
            let rel = p.strip_prefix(&self.top).unwrap_or(&p);
            text.push_str(&format!("{}\n", rel.display()));
        }
        std::fs::write(file, text)
    }

    /// Those of `paths` that differ from HEAD (new, changed or deleted).
    pub fn changed(&self, paths: &[PathBuf]) -> Vec<PathBuf> {
        if paths.is_empty() {
            return Vec::new();
        }
        let mut listed = String::new();
        for run_of in runs(paths) {
            let mut c = git_paths(&self.top);
            c.args(["status", "--porcelain", "-z", "--untracked-files=all", "--"])
                .args(run_of);
            let Some(out) = run(&mut c).filter(|o| o.status.success()) else {
                return Vec::new();
            };
            listed.push_str(&String::from_utf8_lossy(&out.stdout));
        }
        let mut listed: Vec<PathBuf> = listed
            .split('\0')
            .filter(|e| e.len() > 3)
            .map(|e| self.top.join(&e[3..]))
            .collect();
        // Sorted by component, a folder's files come right after it: one
        // search per path (100,000 paths against 100,000 changes).
        listed.sort_unstable();
        paths
            .iter()
            .filter(|p| {
                let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
                let at = listed.partition_point(|l| *l < p);
                listed.get(at).is_some_and(|l| l.starts_with(&p))
            })
            .cloned()
            .collect()
    }
}

/// `git config user.name` as seen from `dir`.
pub fn user_name(dir: &Path) -> Option<String> {
    stdout_of(git(dir).args(["config", "user.name"])).filter(|s| !s.is_empty())
}

/// `git config user.email` as seen from `dir`.
pub fn user_email(dir: &Path) -> Option<String> {
    stdout_of(git(dir).args(["config", "user.email"])).filter(|s| !s.is_empty())
}

/// True when git is on PATH.
pub fn available() -> bool {
    Command::new("git")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `git init` in `dir`.
pub fn init(dir: &Path) -> Result<(), String> {
    checked(git(dir).args(["init", "-q"]))
}

/// Sets a key in the repository's local config.
pub fn set_config(dir: &Path, key: &str, value: &str) -> Result<(), String> {
    checked(git(dir).args(["config", "--local", key, value]))
}

/// What is wrong with the salesproc merge driver of the clone the pipeline
/// `dir` is in: not set up, or set up to run a program that is not there.
/// Nothing, when the repository does not route records to it (a dotfiles
/// repository around the per-user folder).
pub fn merge_driver_problem(dir: &Path) -> Option<String> {
    let Some(driver) = stdout_of(git(dir).args(["config", "merge.salesproc.driver"])) else {
        let attr = stdout_of(git(dir).args(["check-attr", "merge", "--", "prospects/x.yaml"]))?;
        if !attr.ends_with(": merge: salesproc") {
            return None;
        }
        return Some(
            "the salesproc merge driver is not set up in this clone: run salesproc init".into(),
        );
    };
    let program = driver.split_whitespace().next().unwrap_or("");
    let program = program.trim_matches(|c| c == '\'' || c == '"');
    (!program_found(program)).then(|| {
        format!(
            "the salesproc merge driver of this clone runs `{program}`, which is not found: put salesproc on PATH and run salesproc init"
        )
    })
}

/// True when `program` is a path to a file, or a name found on PATH.
pub fn program_found(program: &str) -> bool {
    if program.is_empty() {
        return false;
    }
    if program.contains('/') {
        return Path::new(program).is_file();
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

/// Stages `paths` (marks a conflicted file resolved during a merge).
pub fn add(dir: &Path, paths: &[PathBuf]) -> Result<(), String> {
    let mut c = git_paths(dir);
    c.arg("add");
    checked_output(with_paths(&mut c, paths))
}

fn checked(cmd: &mut Command) -> Result<(), String> {
    checked_output(cmd.output())
}

fn checked_output(out: std::io::Result<Output>) -> Result<(), String> {
    match out {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(String::from_utf8_lossy(&o.stderr).trim().to_string()),
        Err(e) => Err(format!("could not run git: {e}")),
    }
}
