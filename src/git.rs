//! The `git` command, shelled out to. No git on PATH, or no repository: every
//! call here is a quiet no-op, so salesproc works without git.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(dir).stdin(Stdio::null());
    c
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

/// `git config user.name` as seen from `dir`.
pub fn user_name(dir: &Path) -> Option<String> {
    stdout_of(git(dir).args(["config", "user.name"])).filter(|s| !s.is_empty())
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

/// Commits exactly `paths` (added first, so new files count), leaving anything
/// else that is staged as it was. Nothing to commit is not an error.
pub fn commit_paths(dir: &Path, paths: &[PathBuf], message: &str) -> Result<bool, String> {
    let paths: Vec<PathBuf> = paths
        .iter()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
        .collect();
    let paths = paths.as_slice();
    let mut add = git(dir);
    add.args(["add", "-A", "--"]).args(paths);
    checked(&mut add)?;
    let mut diff = git(dir);
    diff.args(["diff", "--cached", "--quiet", "--"]).args(paths);
    if run(&mut diff).is_some_and(|o| o.status.success()) {
        return Ok(false);
    }
    let mut c = git(dir);
    c.args(["commit", "-q", "-m", message, "--"]).args(paths);
    checked(&mut c).map(|_| true)
}

fn checked(cmd: &mut Command) -> Result<(), String> {
    match cmd.output() {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(String::from_utf8_lossy(&o.stderr).trim().to_string()),
        Err(e) => Err(format!("could not run git: {e}")),
    }
}
