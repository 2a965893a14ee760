//! Committing exactly some files: retried while another git process holds a
//! lock, and on failure git's own reason with a hint that matches it.

use super::{checked_output, fed, git, git_paths, nul_list, run, runs, with_paths};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// How long a busy lock is waited for before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(5);

/// Why git could not commit: its own words, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitError {
    /// What git said.
    pub reason: String,
    /// What to do about it.
    pub hint: String,
}

/// What kind of failure git's message shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cause {
    /// A lock that came and went while we waited: another git process.
    Busy(PathBuf),
    /// A lock that never changed while we waited: maybe left by a killed process.
    Stale(PathBuf),
    Identity,
    DiskFull,
    Hook(Vec<String>),
    Other,
}

/// Commits exactly `paths` (added first, so new files count), leaving anything
/// else that is staged as it was. Nothing to commit is not an error. A lock
/// held by another git process is waited for a few seconds.
pub fn commit_paths(dir: &Path, paths: &[PathBuf], message: &str) -> Result<bool, CommitError> {
    let paths: Vec<PathBuf> = paths
        .iter()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
        .collect();
    let start = Instant::now();
    let mut first_seen: Option<Option<LockId>> = None;
    let mut changed = false;
    let mut pause = Duration::from_millis(10);
    loop {
        let stderr = match try_commit(dir, &paths, message) {
            Ok(done) => return Ok(done),
            Err(e) => e,
        };
        let Some(lock) = locked_file(&stderr) else {
            return Err(explain(&stderr, classify(&stderr, &hooks(dir))));
        };
        let seen = LockId::of(&lock);
        match &first_seen {
            None => first_seen = Some(seen.clone()),
            Some(first) if *first != seen => changed = true,
            _ => {}
        }
        // A lock already older than the wait will not go away by waiting.
        let old = seen.as_ref().is_some_and(|s| s.age() > LOCK_WAIT);
        if (old && !changed) || start.elapsed() >= LOCK_WAIT {
            let cause = if changed {
                Cause::Busy(lock)
            } else {
                Cause::Stale(lock)
            };
            return Err(explain(&stderr, cause));
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(100));
    }
}

fn try_commit(dir: &Path, paths: &[PathBuf], message: &str) -> Result<bool, String> {
    if runs(paths).len() > 1 && !paths.iter().any(|p| p.is_dir()) {
        return try_commit_many(dir, paths, message);
    }
    let mut add = git_paths(dir);
    add.args(["add", "-A"]);
    checked_output(with_paths(&mut add, paths))?;
    let mut diff = git_paths(dir);
    diff.args(["diff", "--cached", "--quiet", "--"]).args(paths);
    if run(&mut diff).is_some_and(|o| o.status.success()) {
        return Ok(false);
    }
    let mut c = git_paths(dir);
    c.args(["commit", "-q", "-m", message]);
    checked_output(with_paths(&mut c, paths)).map(|_| true)
}

/// As [`try_commit`], for more files than one command line holds (an
/// import, `fmt` of a big folder). Git matches every path it is given
/// against every file it tracks, so 100,000 given paths would take many
/// minutes: the files are staged by name instead (`update-index`), and
/// when nothing else is staged the commit takes the whole index. Only when
/// something else is staged are the paths given to `commit` as a list.
fn try_commit_many(dir: &Path, paths: &[PathBuf], message: &str) -> Result<bool, String> {
    let mut stage = git(dir);
    stage.args(["update-index", "--add", "--remove", "-z", "--stdin"]);
    checked_output(fed(&mut stage, &nul_list(paths)))?;
    let staged = |relative: bool| -> Result<Vec<String>, String> {
        let mut c = git(dir);
        c.args(["diff", "--cached", "--name-only", "-z", "--no-renames"]);
        if relative {
            c.arg("--relative");
        }
        let out = c.output().map_err(|e| format!("could not run git: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect())
    };
    // Ours as git names them from `dir`: relative, with `/`.
    let at = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let ours: HashSet<String> = paths
        .iter()
        .filter_map(|p| p.strip_prefix(&at).ok())
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let mine = staged(true)?.iter().filter(|p| ours.contains(*p)).count();
    if mine == 0 {
        return Ok(false);
    }
    let mut c = git_paths(dir);
    c.args(["commit", "-q", "-m", message]);
    if staged(false)?.len() == mine {
        return checked_output(c.output()).map(|_| true);
    }
    checked_output(with_paths(&mut c, paths)).map(|_| true)
}

/// A lock file as seen at one moment: which file, and when it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LockId {
    ino: u64,
    modified: SystemTime,
}

impl LockId {
    fn of(path: &Path) -> Option<LockId> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        Some(LockId {
            ino: m.ino(),
            modified: m.modified().ok()?,
        })
    }

    fn age(&self) -> Duration {
        self.modified.elapsed().unwrap_or_default()
    }
}

/// The lock file in git's `Unable to create '….lock': File exists.`
fn locked_file(stderr: &str) -> Option<PathBuf> {
    let (_, rest) = stderr.split_once("Unable to create '")?;
    let (path, rest) = rest.split_once('\'')?;
    (path.ends_with(".lock") && rest.contains("File exists")).then(|| PathBuf::from(path))
}

/// The executable commit hooks of the repository.
fn hooks(dir: &Path) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    ["pre-commit", "commit-msg", "prepare-commit-msg"]
        .into_iter()
        .filter(|h| {
            let mut c = git(dir);
            c.args(["rev-parse", "--git-path", &format!("hooks/{h}")]);
            super::stdout_of(&mut c).is_some_and(|p| {
                let p = dir.join(p);
                std::fs::metadata(p)
                    .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            })
        })
        .map(String::from)
        .collect()
}

fn classify(stderr: &str, hooks: &[String]) -> Cause {
    let has = |s: &str| stderr.contains(s);
    if has("No space left on device") || has("Disk quota exceeded") {
        Cause::DiskFull
    } else if has("Please tell me who you are")
        || has("unable to auto-detect email address")
        || has("empty ident name")
        || has("no email was given")
        || has("no name was given")
    {
        Cause::Identity
    } else if !hooks.is_empty() {
        Cause::Hook(hooks.to_vec())
    } else {
        Cause::Other
    }
}

const NEXT: &str = "the next salesproc write commits what was saved";

fn explain(stderr: &str, cause: Cause) -> CommitError {
    // git's own lines; the advice around them is replaced by the hint.
    let own: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("fatal:") || l.starts_with("error:"))
        .collect();
    let own = if own.is_empty() {
        stderr.trim().to_string()
    } else {
        own.join("\n")
    };
    let (reason, hint) = match cause {
        Cause::Busy(lock) => (
            own,
            format!(
                "another git process (an editor's git integration, a `git` command) kept {} busy; {NEXT}, or run `git commit` yourself",
                lock.display()
            ),
        ),
        Cause::Stale(lock) => (
            own,
            format!(
                "{} was probably left by a git process that was killed: if no git process is running, remove it (`rm {}`); {NEXT}",
                lock.display(),
                lock.display()
            ),
        ),
        Cause::Identity => (
            own,
            format!(
                "git does not know who you are: run `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.com`; {NEXT}"
            ),
        ),
        Cause::DiskFull => (own, format!("the disk is full: free some space; {NEXT}")),
        Cause::Hook(hooks) => (
            stderr.trim().to_string(),
            format!(
                "the {} hook refused the commit (its output is above): fix what it reports; {NEXT}, or pass --no-commit",
                hooks.join(" or ")
            ),
        ),
        Cause::Other => (
            stderr.trim().to_string(),
            format!("{NEXT}; --no-commit skips committing"),
        ),
    };
    CommitError { reason, hint }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_are_told_apart_by_gits_words() {
        let lock =
            "fatal: Unable to create '/r/.git/index.lock': File exists.\n\nAnother git process";
        assert_eq!(locked_file(lock), Some(PathBuf::from("/r/.git/index.lock")));
        assert_eq!(
            locked_file("fatal: Unable to create '/r/x': Permission denied"),
            None
        );
        let hooks = vec!["pre-commit".to_string()];
        let ident = "*** Please tell me who you are.\n\nfatal: unable to auto-detect email address (got 'root@x.(none)')";
        assert_eq!(classify(ident, &hooks), Cause::Identity);
        let full = "error: unable to write file: No space left on device";
        assert_eq!(classify(full, &hooks), Cause::DiskFull);
        assert_eq!(classify("tests failed", &hooks), Cause::Hook(hooks.clone()));
        assert_eq!(classify("tests failed", &[]), Cause::Other);
    }

    #[test]
    fn the_reason_is_gits_own_line_and_the_hint_matches() {
        let e = explain(
            "Author identity unknown\n\n*** Please tell me who you are.\n\nfatal: no email was given and auto-detection is disabled",
            Cause::Identity,
        );
        assert_eq!(
            e.reason,
            "fatal: no email was given and auto-detection is disabled"
        );
        assert!(e.hint.contains("user.email"));
        let e = explain("boom", Cause::Stale("/r/.git/index.lock".into()));
        assert!(e.hint.contains("rm /r/.git/index.lock"), "{}", e.hint);
    }
}
