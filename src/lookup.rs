//! `.salesproc/lookup`: every id and lower-cased name in sorted lines, so a
//! single-record command given an id prefix or a name finds it by binary
//! search (a few reads) instead of listing and reading the whole folder.
//!
//! Ids are file names, so the list of ids is current exactly when the
//! `prospects/` folder's modification time is the one recorded (adding,
//! removing or renaming a file changes it) and that time is older than the
//! file system's timestamp granularity when the lookup was written. A name
//! found here is checked against the record itself before it is used; any
//! doubt falls back to reading the folder.

use anyhow::Result;
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// The lookup file's name inside the index folder.
pub const FILE: &str = "lookup";
const RACY_NANOS: i128 = 2_000_000_000;

/// The path of the lookup file of a pipeline folder.
pub fn path(root: &Path) -> PathBuf {
    root.join(crate::index::DIR).join(FILE)
}

/// The modification time of `prospects/`, in nanoseconds.
pub fn dir_mtime(prospects: &Path) -> Option<i128> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(prospects).ok()?;
    Some(i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()))
}

/// True when a lookup written at `written` for a folder last changed at
/// `mtime` can be trusted.
fn settled(mtime: i128, written: i128) -> bool {
    // As for the index: a tenth of a second where the clock keeps
    // nanoseconds, two seconds where it keeps whole seconds.
    let window = if mtime % 1_000_000_000 != 0 {
        RACY_NANOS / 20
    } else {
        RACY_NANOS
    };
    mtime < written - window
}

/// Writes the lookup for `entries` (id, name), if the folder is settled
/// enough for it to be trusted later.
pub fn write<S: AsRef<str>>(root: &Path, fingerprint: u64, entries: Vec<(S, S)>) -> Result<()> {
    let written = crate::index::now_nanos();
    let Some(mtime) = dir_mtime(&root.join("prospects")) else {
        return Ok(());
    };
    if !settled(mtime, written) {
        // It could not be trusted; a later scan writes it.
        return Ok(());
    }
    // The file's lines in sorted order: every `i:` line before every `n:`
    // line; `i:ID\tID` lines sort as their ids do (a tab sorts before any
    // character of an id), so only the names need a sort.
    let mut ids: Vec<&str> = entries.iter().map(|(id, _)| id.as_ref()).collect();
    if !ids.is_sorted() {
        ids.sort_unstable();
    }
    let mut names: Vec<String> = entries
        .iter()
        .map(|(id, name)| {
            let name = clean(&name.as_ref().to_lowercase());
            format!("n:{name}\t{}", id.as_ref())
        })
        .collect();
    names.sort_unstable();
    let dir = root.join(crate::index::DIR);
    std::fs::create_dir_all(&dir)?;
    let tmp = tempfile::Builder::new()
        .prefix(".lookup-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    let mut out = std::io::BufWriter::new(tmp);
    writeln!(out, "salesproc-lookup 1 {fingerprint} {mtime} {written}")?;
    for id in &ids {
        writeln!(out, "i:{id}\t{id}")?;
    }
    for l in &names {
        writeln!(out, "{l}")?;
    }
    out.into_inner()
        .map_err(|e| e.into_error())?
        .persist(path(root))?;
    Ok(())
}

/// Tabs and newlines cannot be part of a line's key.
fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// An opened, trusted lookup.
pub struct Lookup {
    file: File,
    start: u64,
    len: u64,
}

impl Lookup {
    /// Opens the lookup if it is current for this folder and fingerprint.
    pub fn open(root: &Path, fingerprint: u64) -> Option<Lookup> {
        let file = File::open(path(root)).ok()?;
        let len = file.metadata().ok()?.len();
        let mut head = [0u8; 128];
        let n = file.read_at(&mut head, 0).ok()?;
        let line_end = head[..n].iter().position(|b| *b == b'\n')?;
        let line = std::str::from_utf8(&head[..line_end]).ok()?;
        let mut parts = line.split(' ');
        if parts.next()? != "salesproc-lookup" || parts.next()? != "1" {
            return None;
        }
        let fp: u64 = parts.next()?.parse().ok()?;
        let mtime: i128 = parts.next()?.parse().ok()?;
        let written: i128 = parts.next()?.parse().ok()?;
        let now = dir_mtime(&root.join("prospects"))?;
        (fp == fingerprint && now == mtime && settled(mtime, written)).then_some(Lookup {
            file,
            start: line_end as u64 + 1,
            len,
        })
    }

    /// True when the lookup should be written again: it is missing or stale,
    /// and the folder has been still long enough for a new one to be trusted.
    pub fn wanted(root: &Path, fingerprint: u64) -> bool {
        Lookup::open(root, fingerprint).is_none()
            && dir_mtime(&root.join("prospects"))
                .is_some_and(|m| settled(m, crate::index::now_nanos()))
    }

    /// The ids that start with `prefix`.
    pub fn ids_with_prefix(&self, prefix: &str) -> Vec<String> {
        self.scan(&format!("i:{prefix}"), |_| true)
    }

    /// The ids whose lower-cased name is `name`.
    pub fn ids_named(&self, name: &str) -> Vec<String> {
        let key = format!("n:{}\t", clean(&name.to_lowercase()));
        self.scan(&key, |_| true)
    }

    /// Every line that starts with `key`, as the id after its tab.
    fn scan(&self, key: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
        let mut at = self.first_at_or_after(key);
        let mut out = Vec::new();
        while let Some((line, next)) = self.line_at(at) {
            if !line.starts_with(key) {
                break;
            }
            if let Some((_, id)) = line.rsplit_once('\t')
                && keep(id)
            {
                out.push(id.to_string());
            }
            at = next;
        }
        out
    }

    /// The start of the first line whose text is >= `key`.
    fn first_at_or_after(&self, key: &str) -> u64 {
        let (mut lo, mut hi) = (self.start, self.len);
        // Invariant: every line starting before `lo` is < key; the answer is
        // the start of a line in [lo, hi].
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let start = self.line_start_from(mid);
            match self.line_at(start) {
                Some((line, next)) if start < hi => {
                    if line.as_str() < key {
                        lo = next;
                    } else {
                        hi = start;
                    }
                }
                _ => hi = mid,
            }
        }
        lo
    }

    /// The start of the first line at or after byte `pos` (a line starts
    /// after a newline).
    fn line_start_from(&self, pos: u64) -> u64 {
        if pos <= self.start {
            return self.start;
        }
        let mut at = pos - 1;
        let mut buf = [0u8; 256];
        loop {
            let n = self.file.read_at(&mut buf, at).unwrap_or(0);
            if n == 0 {
                return self.len;
            }
            if let Some(i) = buf[..n].iter().position(|b| *b == b'\n') {
                return at + i as u64 + 1;
            }
            at += n as u64;
        }
    }

    /// The line starting at `pos`, and where the next one starts.
    fn line_at(&self, pos: u64) -> Option<(String, u64)> {
        if pos >= self.len {
            return None;
        }
        let mut out = Vec::new();
        let mut at = pos;
        let mut buf = [0u8; 256];
        loop {
            let n = self.file.read_at(&mut buf, at).ok()?;
            if n == 0 {
                break;
            }
            if let Some(i) = buf[..n].iter().position(|b| *b == b'\n') {
                out.extend_from_slice(&buf[..i]);
                at += i as u64 + 1;
                return Some((String::from_utf8(out).ok()?, at));
            }
            out.extend_from_slice(&buf[..n]);
            at += n as u64;
        }
        Some((String::from_utf8(out).ok()?, at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_prefixes_and_names_by_binary_search() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("prospects")).unwrap();
        // Make the folder's time old enough to be trusted.
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        File::open(root.join("prospects"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        let mut entries: Vec<(String, String)> = (0..500)
            .map(|i| (format!("co-{i:04}"), format!("Company {i}")))
            .collect();
        entries.push(("acme-corp".into(), "Acme Corp".into()));
        entries.push(("acme-corporation".into(), "Acme Corporation".into()));
        entries.push(("acme-2".into(), "Acme Corp".into()));
        write(root, 7, entries).unwrap();
        let l = Lookup::open(root, 7).expect("trusted");
        assert!(Lookup::open(root, 8).is_none(), "another fingerprint");
        assert_eq!(
            l.ids_with_prefix("acme-corp"),
            ["acme-corp", "acme-corporation"]
        );
        assert_eq!(l.ids_with_prefix("co-0499"), ["co-0499"]);
        assert_eq!(
            l.ids_with_prefix("co-0"),
            (0..500).map(|i| format!("co-{i:04}")).collect::<Vec<_>>()
        );
        assert_eq!(l.ids_named("ACME CORP"), ["acme-2", "acme-corp"]);
        assert_eq!(l.ids_named("company 250"), ["co-0250"]);
        assert!(l.ids_named("company 5000").is_empty());
        assert_eq!(l.ids_named("company 2"), ["co-0002"]);
        assert!(l.ids_with_prefix("zzz").is_empty());
        assert!(l.ids_with_prefix("a").len() == 3);
        // A file added since: the folder's time moves, the lookup is not trusted.
        std::fs::write(root.join("prospects/new.yaml"), "x").unwrap();
        assert!(Lookup::open(root, 7).is_none());
    }
}
