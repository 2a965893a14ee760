//! The one integration test binary: a hermetic harness and one file per area.

mod add;
mod commits;
mod completion;
mod conflicts;
mod day;
mod edit;
mod examples;
mod files;
mod forecast;
mod formats;
mod generate;
mod git;
mod help;
mod hooks;
mod hostile;
mod import;
mod index;
mod init;
mod integrity;
mod interop;
mod locations;
mod man;
mod merges;
mod next;
mod packs;
mod paging;
mod proofs;
mod pty;
mod report;
mod reports;
mod schema;
mod scripting;
mod shared;
mod show;
mod validate;
mod values;
mod walk;
mod yaml11;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
pub use validate::copy_fixture as validate_copy;

/// A fixed "now" for every test run, so output is stable.
pub const NOW: &str = "2026-11-27T10:00:00Z";

/// A temp folder with a home, a pipeline folder and a clean environment.
pub struct Env {
    pub tmp: tempfile::TempDir,
    now: std::cell::RefCell<String>,
}

/// What a run produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code and returns self.
    #[track_caller]
    pub fn code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts success.
    #[track_caller]
    pub fn ok(self) -> Run {
        self.code(0)
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_salesproc"))
}

impl Default for Env {
    fn default() -> Env {
        Env::new()
    }
}

impl Env {
    pub fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("home")).unwrap();
        // salesproc on PATH, as a team installs it: git runs the merge driver by name.
        std::fs::create_dir_all(tmp.path().join("bin")).unwrap();
        std::os::unix::fs::symlink(bin(), tmp.path().join("bin/salesproc")).unwrap();
        // `$SALESPROC_DIR` must name a pipeline folder (only `init` makes one).
        std::fs::create_dir_all(tmp.path().join("pipe")).unwrap();
        std::fs::write(tmp.path().join("pipe/salesproc.yaml"), "").unwrap();
        Env {
            tmp,
            now: std::cell::RefCell::new(NOW.into()),
        }
    }

    /// The folder tests run in.
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// The pipeline folder (`$SALESPROC_DIR`).
    pub fn pipe(&self) -> PathBuf {
        self.path().join("pipe")
    }

    /// Sets the clock for later runs.
    pub fn at(&self, now: &str) -> &Env {
        *self.now.borrow_mut() = now.into();
        self
    }

    /// `$PATH` with the folder holding `salesproc` first.
    pub fn path_with_salesproc(&self) -> String {
        format!(
            "{}:{}",
            self.path().join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    /// A command with a hermetic environment.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(bin());
        self.hermetic(&mut c);
        c
    }

    pub fn hermetic(&self, c: &mut Command) {
        c.env_clear()
            .current_dir(self.path())
            .env("PATH", self.path_with_salesproc())
            .env("HOME", self.path().join("home"))
            .env("XDG_DATA_HOME", self.path().join("home/.local/share"))
            .env("SALESPROC_DIR", self.pipe())
            .env("SALESPROC_NOW", self.now.borrow().as_str())
            .env("SALESPROC_USER", "sam")
            .env("COLUMNS", "100")
            .env("GIT_AUTHOR_NAME", "Sam Rep")
            .env("GIT_AUTHOR_EMAIL", "sam@example.com")
            .env("GIT_COMMITTER_NAME", "Sam Rep")
            .env("GIT_COMMITTER_EMAIL", "sam@example.com")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("LANG", "C.UTF-8");
    }

    /// Runs salesproc with the command adjusted by `f` (env, args).
    pub fn cmd_with(&self, f: impl FnOnce(&mut Command)) -> Run {
        let mut c = self.cmd();
        f(&mut c);
        output(c, "")
    }

    /// Runs salesproc with no stdin.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, "")
    }

    /// Runs salesproc with `input` on stdin.
    pub fn run_with(&self, args: &[&str], input: &str) -> Run {
        let mut c = self.cmd();
        c.args(args);
        output(c, input)
    }

    /// Writes a file under the test folder.
    pub fn file(&self, rel: &str, text: &str) -> &Env {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Reads a file under the test folder.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Adds a prospect and answers items: `[("research/industry", "Retail")]`.
    pub fn prospect(&self, name: &str, answers: &[(&str, &str)]) -> String {
        let id = self.run(&["add", name]).ok().stdout.trim().to_string();
        for (item, value) in answers {
            self.run(&["answer", &id, item, value]).ok();
        }
        id
    }
}

/// Runs a command, feeding `input`, and collects the result.
pub fn output(mut c: Command, input: &str) -> Run {
    use std::io::Write;
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs git in `dir` and returns stdout.
pub fn git(env: &Env, dir: &Path, args: &[&str]) -> String {
    let mut c = Command::new("git");
    env.hermetic(&mut c);
    c.current_dir(dir).args(args);
    let r = output(c, "");
    assert_eq!(r.code, 0, "git {args:?}: {}", r.stderr);
    r.stdout
}
