//! The pipeline folder: discovery, settings, ids ↔ paths, and loading and
//! saving records atomically under a lock, with an optional git commit.

use crate::process::Process;
use crate::prospect::Record;
use crate::{git, slug, yaml};
use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

mod scan;
pub use crate::summary::Want;
pub use scan::{Listing, progress};

/// The marker file of a pipeline folder.
pub const MARKER: &str = "salesproc.yaml";
/// What a new `salesproc.yaml` says.
pub const MARKER_TEXT: &str = "# salesproc pipeline folder. All settings are optional.\n# owner: sam        # default owner of new records\n# commit: false     # do not commit each change to git\n";
/// The lock file that serializes writers (ignored by git).
pub const LOCK: &str = ".salesproc.lock";

thread_local! {
    /// A reader's buffer for the C name of the record file it opens next.
    static NAME: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The text of the record being read for a summary.
    static TEXT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `salesproc.yaml`: all optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Default owner for new records, and who acts when git has no user.name.
    #[serde(default)]
    pub owner: Option<String>,
    /// Commit each write when the folder is in a git repository (default true).
    #[serde(default)]
    pub commit: Option<bool>,
    /// The currency of deal values (`EUR`, `USD`…); shown next to them.
    #[serde(default)]
    pub currency: Option<String>,
    /// Who you are: the owner of records you create (before git's user.email and `$USER`).
    #[serde(default)]
    pub me: Option<String>,
    /// The folder's own themes for `later` whys in `insights`.
    #[serde(default)]
    pub themes: Vec<crate::report::insights::ThemeRule>,
}

/// Where the folder was found, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Flag,
    Env,
    Ancestor,
    UserDefault,
}

/// Picks the pipeline folder: `--dir`, `$SALESPROC_DIR`, the nearest ancestor
/// holding `salesproc.yaml`, then the per-user data folder. An ancestor with
/// records but no `salesproc.yaml` (a clone whose setup was never committed)
/// is a usage error, not a reason to use the per-user folder.
///
/// A folder named by `--dir` or `$SALESPROC_DIR` must be a pipeline folder
/// already: only `init` makes one, so a typo never starts a new pipeline.
pub fn discover(flag: Option<&Path>) -> Result<(PathBuf, Found)> {
    if let Some(d) = flag {
        return named(d).map(|d| (d, Found::Flag));
    }
    if let Some(d) = std::env::var_os("SALESPROC_DIR").filter(|d| !d.is_empty()) {
        return named(Path::new(&d)).map(|d| (d, Found::Env));
    }
    let cwd = std::env::current_dir().context("could not read the working directory")?;
    for d in cwd.ancestors() {
        if d.join(MARKER).is_file() {
            return Ok((d.to_path_buf(), Found::Ancestor));
        }
        if holds_records(d) {
            return Err(not_set_up(d));
        }
    }
    use etcetera::BaseStrategy;
    let base = etcetera::choose_base_strategy()
        .map_err(|e| anyhow!("could not find a home folder for the default pipeline: {e}\nhint: pass --dir DIR or set SALESPROC_DIR"))?;
    Ok((base.data_dir().join("salesproc"), Found::UserDefault))
}

/// A folder the user named: it must hold `salesproc.yaml`.
fn named(dir: &Path) -> Result<PathBuf> {
    if dir.join(MARKER).is_file() {
        return Ok(dir.to_path_buf());
    }
    if holds_records(dir) {
        return Err(not_set_up(dir));
    }
    let shown = dir.display().to_string();
    let arg = if shown.contains(|c: char| c.is_whitespace() || "'\"$`\\".contains(c)) {
        format!("'{}'", shown.replace('\'', "'\\''"))
    } else {
        shown.clone()
    };
    Err(crate::commands::UsageError(format!(
        "no pipeline folder at {shown} (create one with salesproc init {arg})\nhint: check the spelling of --dir or SALESPROC_DIR"
    ))
    .into())
}

/// An opened pipeline folder with its settings and process.
pub struct Store {
    pub root: PathBuf,
    pub config: Config,
    pub process: Process,
    /// `--no-commit`, or `commit: false`.
    pub commit: bool,
    /// The text of `salesproc.yaml` (part of the index's fingerprint).
    pub config_text: String,
}

/// A record read from disk with its text.
pub struct Loaded {
    pub id: String,
    pub path: PathBuf,
    pub text: String,
    pub record: Record,
}

impl Store {
    /// Opens the folder at `root` (which may not exist yet: the per-user default
    /// is created on first write). This is the test seam.
    pub fn open_at(root: &Path, no_commit: bool) -> Result<Store> {
        let marker = root.join(MARKER);
        let mut config_text = String::new();
        let config: Config = if marker.is_file() {
            let text = fs::read_to_string(&marker)
                .with_context(|| format!("could not read {}", show(&marker)))?;
            config_text.clone_from(&text);
            if text.trim().is_empty() {
                Config::default()
            } else {
                yaml::from_str(&text).map_err(|e| {
                    anyhow!("{}:{}:{}: {}\nhint: salesproc.yaml takes `owner: NAME` and `commit: true|false`, `me: NAME` and `currency: EUR`", show(&marker), e.line, e.column, e.message)
                })?
            }
        } else {
            Config::default()
        };
        let dir = root.join("checklists");
        let process = Process::load(dir.is_dir().then_some(dir.as_path()))?;
        let commit = !no_commit && config.commit.unwrap_or(true);
        Ok(Store {
            root: root.to_path_buf(),
            config,
            process,
            commit,
            config_text,
        })
    }

    /// `root/prospects`.
    pub fn prospects_dir(&self) -> PathBuf {
        self.root.join("prospects")
    }

    /// The file of a record; ids are slugs, so this never leaves `prospects/`.
    pub fn path_of(&self, id: &str) -> Result<PathBuf> {
        if !slug::is_slug(id) {
            bail!(
                "\"{id}\" is not a valid id\nhint: ids are lowercase letters, digits and dashes, e.g. acme-corp"
            );
        }
        Ok(self.prospects_dir().join(format!("{id}.yaml")))
    }

    /// Every record id (regular `*.yaml` files whose stem is an id), sorted.
    pub fn ids(&self) -> Result<Vec<String>> {
        Ok(scan::list(&self.prospects_dir())?.ids)
    }

    /// The record files, and the files in `prospects/` that are skipped.
    pub fn listing(&self) -> Result<Listing> {
        scan::list(&self.prospects_dir())
    }

    /// True when a record with this id exists (one stat, no listing).
    pub fn exists(&self, id: &str) -> bool {
        slug::is_slug(id)
            && fs::metadata(self.prospects_dir().join(format!("{id}.yaml")))
                .is_ok_and(|m| m.is_file())
    }

    /// Reads and parses one record; a parse error names file, line and column.
    pub fn read(&self, id: &str) -> Result<Loaded> {
        self.read_keyed(id).map(|(loaded, _)| loaded)
    }

    /// As [`Store::read`], with the key of the file as it was read.
    pub fn read_keyed(&self, id: &str) -> Result<(Loaded, crate::index::Key)> {
        let path = self.path_of(id)?;
        // Never blocks on a FIFO; invalid UTF-8 is named by byte and place.
        let (bytes, key) = safety::read_regular_keyed(&path)?;
        let text = decode(bytes, &path)?;
        let record = parse_record(&text, &path, id)?;
        Ok((
            Loaded {
                id: id.to_string(),
                path,
                text,
                record,
            },
            key,
        ))
    }

    /// As [`Store::read_keyed`] for a listed id (a valid one), opened
    /// relative to `dir`, the open `prospects/` folder, for a summary: its
    /// summary, made without building the record's history or answers.
    pub fn read_for_summary(
        &self,
        dir: &File,
        id: &str,
    ) -> Result<(Box<crate::summary::Summary>, crate::index::Key)> {
        use crate::summary::Summary;
        // The path is made only for a message: 100,000 reads make none.
        let path = || self.prospects_dir().join(format!("{id}.yaml"));
        // The file's bytes go into this thread's buffer, used again for the
        // next record: the record parsed from them owns its text.
        TEXT.with_borrow_mut(|bytes| {
            let key = NAME.with_borrow_mut(|name| {
                let name = safety::record_name(name, id)
                    .ok_or_else(|| anyhow!("\"{id}\" is not a valid id"))?;
                safety::read_regular_into(dir, name, path, bytes)
            })?;
            let text = match std::str::from_utf8(bytes) {
                Ok(text) => text,
                // Not UTF-8: the message says where.
                Err(_) => {
                    return Err(decode(std::mem::take(bytes), &path()).err().unwrap_or_else(
                        || anyhow!("could not read {}: not UTF-8 text", show(&path())),
                    ));
                }
            };
            // Summarized here: the answers may be read in place, in this buffer.
            if let Some((record, facts, lean)) = crate::fastyaml::parse_for_summary(text) {
                let summary = Summary::of_facts(id, &record, facts, Some(&lean), &self.process);
                return Ok((Box::new(summary), key));
            }
            let record = parse_record(text, &path(), id)?;
            Ok((Box::new(Summary::of(id, &record, &self.process)), key))
        })
    }

    /// Creates the folder (and its marker) if this is its first write, after
    /// checking that a write may happen now (no unfinished git merge).
    /// Only the per-user default folder gets here without a marker:
    /// `discover` refuses a named folder that is not set up.
    pub fn ensure_exists(&self) -> Result<()> {
        before_write(&self.root)?;
        let dir = self.prospects_dir();
        safety::refuse_outside(&self.root, &dir)?;
        fs::create_dir_all(&dir).with_context(|| format!("could not create {}", show(&dir)))?;
        let marker = self.root.join(MARKER);
        if !marker.exists() {
            write_atomic(&marker, MARKER_TEXT)?;
            crate::output::status(&format!(
                "created pipeline folder {}\nhint: this is your own default folder; `salesproc init DIR` makes one to share, --dir or SALESPROC_DIR picks it",
                show(&self.root)
            ));
        }
        Ok(())
    }

    /// Takes the folder's write lock until the guard drops, waiting at most
    /// `SALESPROC_LOCK_TIMEOUT` seconds, then clears temp files that killed
    /// writes left behind.
    pub fn lock(&self) -> Result<File> {
        self.ensure_exists()?;
        let path = self.root.join(LOCK);
        safety::refuse_outside(&self.root, &path)?;
        let f = safety::acquire(&path)?;
        // `prospects/` can hold 100,000 files: it is swept only after a
        // listing saw a temp file there (see `scan::list`).
        let seen = self.root.join(crate::index::DIR).join(scan::TEMPS_SEEN);
        let mut dirs = vec![self.root.clone()];
        if seen.exists() {
            dirs.push(self.prospects_dir());
            let _ = fs::remove_file(&seen);
        }
        safety::remove_stale_temps(&dirs);
        Ok(f)
    }

    /// Checks that saving `text` at `path` is safe: the path stays inside the
    /// folder (no symlink leads out) and the text is within the read limits.
    pub fn check_write(&self, path: &Path, text: &str) -> Result<()> {
        safety::refuse_outside(&self.root, path)?;
        safety::refuse_read_only(path)?;
        safety::refuse_unreadable(path, text)
    }

    /// Serializes a record canonically.
    pub fn render(&self, record: &mut Record) -> Result<String> {
        record.canonicalize(&self.process);
        yaml::to_string(record)
    }

    /// Serializes a record read from `original`: canonical, except that the
    /// user's own top-level keys keep their exact text while their value is
    /// unchanged (`crm_id: 00123` stays `00123`, a tag stays a tag).
    pub fn render_over(&self, record: &mut Record, original: &str) -> Result<String> {
        let canonical = self.render(record)?;
        Ok(yaml::keep_unknown(&canonical, original, &record.extra))
    }

    /// Writes a new record under a fresh id made from `base` (slug, then -2, -3…).
    /// Commits it as `add ID` while still holding the lock.
    pub fn create(
        &self,
        id: &str,
        mut record: Record,
        taken: impl FnOnce() -> anyhow::Error,
    ) -> Result<String> {
        let _lock = self.lock()?;
        let path = self.path_of(id)?;
        // Looked at under the lock: of two writers adding one name at once,
        // the second is refused, not given `-2`.
        if fs::symlink_metadata(&path).is_ok() {
            return Err(taken());
        }
        let id = id.to_string();
        let text = self.render(&mut record)?;
        self.check_write(&path, &text)?;
        crate::journal::note(&self.root, &id, None);
        write_atomic(&path, &text)?;
        self.commit(&[path], &format!("add {id}"))?;
        crate::hooks::after_create(&self.root, &id, &record);
        Ok(id)
    }

    /// Re-reads a record under the lock, applies `change`, and writes it if it
    /// changed. `change` returns the commit subject, or `None` for no change.
    pub fn update<T>(
        &self,
        id: &str,
        change: impl FnOnce(&mut Record) -> Result<(Option<String>, T)>,
    ) -> Result<T> {
        let _lock = self.lock()?;
        let loaded = self.read(id)?;
        let mut record = loaded.record;
        // A text answer a YAML 1.1 tool left unquoted (`0o17`, read as 15)
        // gets its written text back before anything else is saved.
        crate::fixes::answer_types(&mut record, &loaded.text, &self.process);
        let (message, out) = change(&mut record)?;
        if let Some(message) = message {
            let text = self.render_over(&mut record, &loaded.text)?;
            if text != loaded.text {
                self.check_write(&loaded.path, &text)?;
                crate::journal::note(&self.root, id, Some(&loaded.text));
                write_atomic(&loaded.path, &text)?;
                self.commit(&[loaded.path], &message)?;
                crate::hooks::after_update(&self.root, id, &loaded.text, &record);
            }
        }
        Ok(out)
    }

    /// Commits `paths` when the folder is in a git repository and committing
    /// is on, with any files an earlier write saved but could not commit. A
    /// failed commit is an error that says the files are saved.
    pub fn commit(&self, paths: &[PathBuf], message: &str) -> Result<()> {
        if !self.commit {
            return Ok(());
        }
        match git::repo(&self.root) {
            Some(repo) => commit_with_pending(&repo, &self.root, paths, message),
            None => Ok(()),
        }
    }

    /// Who is acting: `$SALESPROC_USER`, git's user.name, the folder's owner, `$USER`.
    pub fn actor_name(&self) -> String {
        std::env::var("SALESPROC_USER")
            .ok()
            .filter(|s| !s.is_empty())
            .or_else(|| {
                self.root
                    .ancestors()
                    .find(|d| d.is_dir())
                    .and_then(git::user_name)
            })
            .or_else(|| self.config.owner.clone())
            .or_else(|| std::env::var("USER").ok().filter(|s| !s.is_empty()))
            .unwrap_or_else(|| "unknown".into())
    }
}

/// Decodes a record file's bytes; an error names the file, line and column.
fn decode(bytes: Vec<u8>, path: &Path) -> Result<String> {
    yaml::decode(bytes).map_err(|e| {
        anyhow!(
            "could not parse {}:{}:{}: {}",
            show(path),
            e.line,
            e.column,
            e.message
        )
    })
}

/// Parses record text; the error names the file, line and column.
pub fn parse_record(text: &str, path: &Path, id: &str) -> Result<Record> {
    // Conflict markers never parse, so they are looked for only on failure.
    yaml::record_from_str(text).map_err(|e| {
        if let Some(c) = conflict_error(text, path, id) {
            return c;
        }
        anyhow!(
            "could not parse {}:{}:{}: {}\nhint: fix it with `salesproc edit {id}`; `salesproc validate` lists every problem",
            show(path), e.line, e.column, e.message
        )
    })
}

/// A path as the user would type it: relative to the working directory when inside it.
pub fn show(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = cwd
        .as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .filter(|r| !r.as_os_str().is_empty());
    let shown = rel.unwrap_or(path).display().to_string();
    match shown.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => shown,
    }
}

/// Writes `text` to `path` via a synced temp file and a rename, then syncs the
/// folder: a crash leaves the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("could not create {}", show(dir)))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".salesproc-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("could not create a temp file in {}", show(dir)))?;
    // The temp file is private (0600); the result keeps the file's mode, or
    // follows the umask when new, so colleagues on a shared folder can read it.
    tmp.as_file()
        .set_permissions(permissions_for(path))
        .with_context(|| format!("could not set the mode of {}", show(path)))?;
    tmp.write_all(text.as_bytes())
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("could not write {}", show(path)))?;
    tmp.persist(path)
        .map_err(|e| anyhow!("could not replace {}: {}", show(path), e.error))?;
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

// What sharing the folder through git or a network drive needs; kept apart
// from the record reading above.
mod safety;
pub use safety::{open_regular, read_regular, read_regular_into};
mod sharing;
pub use sharing::{before_write, summarize};
use sharing::{commit_with_pending, conflict_error, holds_records, not_set_up, permissions_for};

impl Store {
    /// The owner of a record created now: `owner` in `salesproc.yaml` (the
    /// folder's default), else who you are: `me`, else the local part of git's
    /// `user.email`, else `$USER`.
    pub fn default_owner(&self) -> Option<String> {
        let nonempty = |s: &String| !s.trim().is_empty();
        self.config
            .owner
            .clone()
            .filter(nonempty)
            .or_else(|| self.config.me.clone().filter(nonempty))
            .or_else(|| {
                let dir = self.root.ancestors().find(|d| d.is_dir())?;
                let email = git::user_email(dir)?;
                let local = email.split('@').next()?.trim().to_string();
                (!local.is_empty()).then_some(local)
            })
            .or_else(|| std::env::var("USER").ok().filter(nonempty))
    }
}

/// What [`Store::write_many`] did.
#[derive(Debug, Default)]
pub struct Written {
    /// The ids whose files were written (new or changed), in order.
    pub ids: Vec<String>,
}

impl Store {
    /// Writes many records under one lock and commits them once. `plan` runs
    /// under the lock (so it sees every record as it is now) and returns the
    /// records to save with the commit subject; each is written only if its
    /// bytes differ from the file's. Every record is rendered and checked
    /// before the first file is written, so a record that cannot be saved
    /// stops the batch with nothing written.
    pub fn write_many<T>(
        &self,
        plan: impl FnOnce(&Store) -> Result<(Vec<(String, Record)>, T)>,
        subject: impl FnOnce(&T, usize) -> String,
    ) -> Result<(T, Written)> {
        let _lock = self.lock()?;
        let (records, out) = plan(self)?;
        let mut pending = Vec::new();
        for (id, mut record) in records {
            let path = self.path_of(&id)?;
            let text = self.render(&mut record)?;
            if fs::read_to_string(&path).is_ok_and(|old| old == text) {
                continue;
            }
            self.check_write(&path, &text)?;
            pending.push((id, path, text));
        }
        let paths = write_batch(&self.prospects_dir(), &pending)?;
        let ids = pending.into_iter().map(|(id, _, _)| id).collect();
        if !paths.is_empty() {
            self.commit(&paths, &subject(&out, paths.len()))?;
        }
        Ok((out, Written { ids }))
    }
}

/// Writes many files in one folder as [`write_atomic`] does, with two
/// syncs in all instead of two per file: every temp file is written, the
/// filesystem synced once, then each renamed over its file and the folder
/// synced. A crash leaves each file old or new, never a mix; a failure
/// before the renames leaves every file as it was.
fn write_batch(dir: &Path, files: &[(String, PathBuf, String)]) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).with_context(|| format!("could not create {}", show(dir)))?;
    let bar = progress(files.len() * 2);
    bar.set_message("writing records");
    let mut temps = Vec::with_capacity(files.len());
    // The mode of a new file, worked out once (it reads the umask).
    let fresh = permissions_for(&dir.join(".salesproc-new-file"));
    for (_, path, text) in files {
        let mode = if path.exists() {
            permissions_for(path)
        } else {
            fresh.clone()
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(".salesproc-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .with_context(|| format!("could not create a temp file in {}", show(dir)))?;
        tmp.as_file()
            .set_permissions(mode)
            .with_context(|| format!("could not set the mode of {}", show(path)))?;
        tmp.write_all(text.as_bytes())
            .with_context(|| format!("could not write {}", show(path)))?;
        // Closed now (100,000 open files would pass the process's limit);
        // the path is still removed if anything fails before the renames.
        temps.push(tmp.into_temp_path());
        bar.inc(1);
    }
    let d = File::open(dir).with_context(|| format!("could not open {}", show(dir)))?;
    rustix::fs::syncfs(&d).with_context(|| format!("could not sync {}", show(dir)))?;
    let mut paths = Vec::with_capacity(files.len());
    for (tmp, (_, path, _)) in temps.into_iter().zip(files) {
        tmp.persist(path)
            .map_err(|e| anyhow!("could not replace {}: {}", show(path), e.error))?;
        paths.push(path.clone());
        bar.inc(1);
    }
    let _ = d.sync_all();
    bar.finish_and_clear();
    Ok(paths)
}
