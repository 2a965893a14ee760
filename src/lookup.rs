//! `.salesproc/lookup`: every record file's id, and every readable record's
//! name (lowercased), in sorted lines, so a single-record command given an
//! id prefix or a name finds it by binary search (a few reads) instead of
//! reading the whole folder.
//!
//! Ids are file names, so the list is current exactly while `prospects/`
//! has the key (modification and change times, inode) it had when it was
//! listed for the lookup: adding, removing or renaming a file changes it,
//! and a change time cannot be put back. That key must be older than the
//! file system's timestamp granularity when the folder was listed.
//!
//! A name can change inside a file without the folder changing (an editor
//! that rewrites in place), so a name here is only a candidate: the caller
//! reads each candidate's file and checks its name, and reads every record
//! when one does not match or none is found. Anything in doubt falls back
//! to listing the folder.

use crate::index::Key;
use anyhow::Result;
use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// The lookup file's name inside the index folder.
pub const FILE: &str = "lookup";

/// The path of the lookup file of a pipeline folder.
pub fn path(root: &Path) -> PathBuf {
    root.join(crate::index::DIR).join(FILE)
}

/// Writes the lookup for `ids`, every record file of `prospects/` (sorted),
/// listed when the folder's key was `dir`, at `listed` (nanoseconds), and
/// `names`: each readable record's name and its position in `ids`. It is
/// written only when that key was settled then.
pub fn write(
    root: &Path,
    fingerprint: u64,
    dir: Key,
    listed: i128,
    ids: &[&str],
    mut names: Vec<(String, usize)>,
) -> Result<()> {
    if !dir.settled(listed) {
        // It could not be trusted; a later scan writes it.
        return Ok(());
    }
    if ids.windows(2).any(|w| w[0] >= w[1]) {
        anyhow::bail!("ids out of order");
    }
    // Names are trusted only when every record file has one here: a record
    // that could not be read may have any name once it is mended in place.
    let whole = names.len() == ids.len();
    // A name with a line break or tab in it is left out: looking it up
    // reads every record, as for any name not found here.
    names.retain(|(n, _)| !n.contains(['\t', '\n', '\r']));
    names.sort_unstable_by(|a, b| (a.0.as_str(), ids[a.1]).cmp(&(b.0.as_str(), ids[b.1])));
    // The body's length is known before it is written, so it goes straight
    // to the file a buffer at a time, never whole in memory (at 100,000
    // records, 13 MB of fresh memory costs more than writing it). Lines are
    // put together byte by byte (formatting them cost more than sorting).
    // `i:ID<tab>ID<nl>`, then `n:NAME<tab>ID<tab>HASH<nl>` with 8 hex digits.
    let id_lines: usize = ids.iter().map(|id| 2 * id.len() + 4).sum();
    let name_lines: usize = names
        .iter()
        .map(|(n, i)| n.len() + ids[*i].len() + 13)
        .sum();
    let body = id_lines + name_lines;
    let folder = crate::index::private_dir(root)?;
    let tmp = tempfile::Builder::new()
        .prefix(".lookup-")
        .suffix(".tmp")
        .tempfile_in(&folder)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, tmp);
    writeln!(
        out,
        "salesproc-lookup 4 {fingerprint} {} {} {} {listed} {body} {}",
        dir.mtime,
        dir.ctime,
        dir.ino,
        if whole { "names" } else { "no-names" }
    )?;
    let mut line: Vec<u8> = Vec::with_capacity(256);
    let mut written = 0;
    for id in ids {
        line.clear();
        for part in [b"i:", id.as_bytes(), b"\t", id.as_bytes(), b"\n"] {
            line.extend_from_slice(part);
        }
        out.write_all(&line)?;
        written += line.len();
    }
    for (name, i) in &names {
        let id = ids[*i];
        line.clear();
        line.extend_from_slice(b"n:");
        for part in [name.as_bytes(), b"\t", id.as_bytes()] {
            line.extend_from_slice(part);
        }
        // The check is the hash of `NAME\tID`, the bytes just put after `n:`.
        let hash = xxhash_rust::xxh3::xxh3_64(&line[2..]) as u32;
        line.push(b'\t');
        line.extend_from_slice(&hex8(hash));
        line.push(b'\n');
        out.write_all(&line)?;
        written += line.len();
    }
    if written != body {
        anyhow::bail!("the lookup's lines came to {written} bytes, not {body}");
    }
    out.into_inner()
        .map_err(|e| e.into_error())?
        .persist(path(root))?;
    Ok(())
}

/// Eight lowercase hex digits, as `{:08x}`.
fn hex8(n: u32) -> [u8; 8] {
    let mut out = [0; 8];
    for (i, b) in out.iter_mut().enumerate() {
        *b = b"0123456789abcdef"[(n >> (28 - 4 * i) & 0xf) as usize];
    }
    out
}

/// A name line's check: a damaged line (say, a candidate's name changed
/// so that it sorts elsewhere) is found, not taken as fewer candidates.
fn name_hash(name: &str, id: &str) -> u32 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(name.as_bytes());
    h.update(b"\t");
    h.update(id.as_bytes());
    h.digest() as u32
}

/// A name line read back: its name and id when it is whole.
fn name_line(line: &str) -> Option<(&str, &str)> {
    let mut parts = line.strip_prefix("n:")?.split('\t');
    let (name, id, hash) = (parts.next()?, parts.next()?, parts.next()?);
    let whole = parts.next().is_none()
        && u32::from_str_radix(hash, 16).ok() == Some(name_hash(name, id))
        && crate::slug::is_slug(id);
    whole.then_some((name, id))
}

/// An opened, trusted lookup.
pub struct Lookup {
    file: File,
    start: u64,
    len: u64,
    /// Every record file has its name here.
    names: bool,
}

impl Lookup {
    /// Opens the lookup if it is whole and current for this folder and
    /// fingerprint.
    pub fn open(root: &Path, fingerprint: u64) -> Option<Lookup> {
        let file = crate::store::open_regular(&path(root))?;
        let len = file.metadata().ok()?.len();
        let mut head = [0u8; 192];
        let n = file.read_at(&mut head, 0).ok()?;
        let line_end = head[..n].iter().position(|b| *b == b'\n')?;
        let line = std::str::from_utf8(&head[..line_end]).ok()?;
        let mut parts = line.split(' ');
        if parts.next()? != "salesproc-lookup" || parts.next()? != "4" {
            return None;
        }
        let fp: u64 = parts.next()?.parse().ok()?;
        let mtime: i128 = parts.next()?.parse().ok()?;
        let ctime: i128 = parts.next()?.parse().ok()?;
        let ino: u64 = parts.next()?.parse().ok()?;
        let listed: i128 = parts.next()?.parse().ok()?;
        let body: u64 = parts.next()?.parse().ok()?;
        let names = match parts.next()? {
            "names" => true,
            "no-names" => false,
            _ => return None,
        };
        let start = line_end as u64 + 1;
        let now = crate::index::dir_key(&root.join("prospects"))?;
        let whole = start.checked_add(body) == Some(len);
        (fp == fingerprint
            && whole
            && (now.mtime, now.ctime, now.ino) == (mtime, ctime, ino)
            && now.settled(listed))
        .then_some(Lookup {
            file,
            start,
            len,
            names,
        })
    }

    /// True when the lookup should be written again: it is missing or stale,
    /// and the folder has been still long enough for a new one to be trusted.
    pub fn wanted(root: &Path, fingerprint: u64) -> bool {
        Lookup::open(root, fingerprint).is_none()
            && crate::index::dir_key(&root.join("prospects"))
                .is_some_and(|k| k.settled(crate::index::now_nanos()))
    }

    /// The ids that start with `prefix`.
    /// `None` when a line read is not `i:ID<tab>ID` with a valid id twice
    /// (the file was damaged): the folder is listed instead.
    pub fn ids_with_prefix(&self, prefix: &str) -> Option<Vec<String>> {
        let key = format!("i:{prefix}");
        let mut at = self.first_at_or_after(&key);
        let mut out = Vec::new();
        while let Some((line, next)) = self.line_at(at) {
            if !line.starts_with(&key) {
                break;
            }
            let (a, b) = line.strip_prefix("i:")?.split_once('\t')?;
            if a != b || !crate::slug::is_slug(a) {
                return None;
            }
            out.push(a.to_string());
            at = next;
        }
        Some(out)
    }

    /// The ids of the records whose lowercased name was `lower` when the
    /// lookup was written: candidates only, each to be checked against its
    /// file. `None` when a line read is damaged.
    /// `None` too when some record had no name when it was written (it
    /// could not be read).
    pub fn ids_named(&self, lower: &str) -> Option<Vec<String>> {
        if !self.names {
            return None;
        }
        let key = format!("n:{lower}\t");
        let mut at = self.first_at_or_after(&key);
        // The lines around the candidates must be whole too: a candidate's
        // line damaged would sort elsewhere and be missed.
        if let Some(line) = self.line_before(at)
            && line.starts_with("n:")
            && name_line(&line).is_none()
        {
            return None;
        }
        let mut out = Vec::new();
        while let Some((line, next)) = self.line_at(at) {
            if !line.starts_with("n:") {
                break;
            }
            let (name, id) = name_line(&line)?;
            if name != lower {
                break;
            }
            out.push(id.to_string());
            at = next;
        }
        Some(out)
    }

    /// The line that ends just before `pos` (the start of a line).
    fn line_before(&self, pos: u64) -> Option<String> {
        if pos <= self.start {
            return None;
        }
        // Back from the newline that ends it to the one before, or the start.
        let end = pos - 1;
        let mut from = end;
        let mut buf = [0u8; 256];
        while from > self.start {
            let a = from.saturating_sub(buf.len() as u64).max(self.start);
            let n = usize::try_from(from - a).ok()?;
            self.file.read_exact_at(&mut buf[..n], a).ok()?;
            match buf[..n].iter().rposition(|b| *b == b'\n') {
                Some(i) => {
                    from = a + i as u64 + 1;
                    break;
                }
                None => from = a,
            }
        }
        self.line_at(from).map(|(line, _)| line)
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

    /// The writer's one-shot check over `NAME\tID` is the reader's.
    #[test]
    fn a_name_line_is_written_as_it_is_checked() {
        for (name, id) in [("acme corp", "acme-corp"), ("", "x"), ("ünï 日本", "u-1")] {
            let line = format!("{name}\t{id}");
            let hash = xxhash_rust::xxh3::xxh3_64(line.as_bytes()) as u32;
            assert_eq!(hash, name_hash(name, id));
            assert_eq!(hex8(hash), *format!("{hash:08x}").as_bytes());
        }
        assert_eq!(hex8(0xdead_00f1), *b"dead00f1");
    }

    #[test]
    fn finds_prefixes_by_binary_search_while_the_folder_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("prospects")).unwrap();
        let mut ids: Vec<String> = (0..500).map(|i| format!("co-{i:04}")).collect();
        ids.extend(["acme-corp", "acme-corporation", "acme-2"].map(String::from));
        ids.sort();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let key = crate::index::dir_key(&root.join("prospects")).unwrap();
        // Listed just now: the folder may still change within its clock tick.
        // Names: every record has one; two share one; one has a tab (left out).
        let names = || {
            let mut names: Vec<(String, usize)> = ids
                .iter()
                .enumerate()
                .map(|(i, id)| (format!("company {id}"), i))
                .collect();
            let at = |id: &str| ids.iter().position(|i| *i == id).unwrap();
            names[at("acme-corp")].0 = "acme corp".into();
            names[at("acme-2")].0 = "acme corp".into();
            names[at("acme-corporation")].0 = "acme corporation".into();
            names[at("co-0001")].0 = "tab\there".into();
            names
        };
        write(root, 7, key, crate::index::now_nanos(), &ids, names()).unwrap();
        assert!(Lookup::open(root, 7).is_none(), "not settled");
        // Listed a minute after the folder last changed.
        let later = key.mtime.max(key.ctime) + 60_000_000_000;
        write(root, 7, key, later, &ids, names()).unwrap();
        let l = Lookup::open(root, 7).expect("trusted");
        let named = |n: &str| l.ids_named(n).expect("whole");
        assert_eq!(named("acme corp"), ["acme-2", "acme-corp"]);
        assert_eq!(named("acme corporation"), ["acme-corporation"]);
        assert!(named("acme").is_empty(), "a name is matched whole");
        assert!(named("tab\there").is_empty());
        assert!(!std::fs::read_to_string(path(root)).unwrap().contains("tab"));
        assert_eq!(named("company co-0042"), ["co-0042"]);
        // A candidate's line damaged so that it sorts elsewhere (same
        // length): found, not taken as one candidate fewer.
        let file = path(root);
        let good = std::fs::read_to_string(&file).unwrap();
        for (from, to) in [
            ("n:acme corp\tacme-corp\t", "n:acme corq\tacme-corp\t"),
            ("n:acme corp\tacme-2\t", "n:acme cora\tacme-2\t"),
        ] {
            assert!(good.contains(from));
            std::fs::write(&file, good.replacen(from, to, 1)).unwrap();
            let l = Lookup::open(root, 7).expect("the same length");
            assert_eq!(l.ids_named("acme corp"), None, "{to}");
        }
        std::fs::write(&file, &good).unwrap();
        // A record with no name (it could not be read): names are not trusted.
        let mut some = names();
        some.pop();
        write(root, 7, key, later, &ids, some).unwrap();
        let l = Lookup::open(root, 7).expect("trusted");
        assert_eq!(l.ids_named("acme corp"), None);
        assert_eq!(
            l.ids_with_prefix("acme-corp"),
            Some(vec![
                "acme-corp".to_string(),
                "acme-corporation".to_string()
            ])
        );
        write(root, 7, key, later, &ids, names()).unwrap();
        assert!(Lookup::open(root, 8).is_none(), "another fingerprint");
        let ids_with = |p: &str| l.ids_with_prefix(p).expect("whole");
        assert_eq!(ids_with("acme-corp"), ["acme-corp", "acme-corporation"]);
        assert_eq!(ids_with("co-0499"), ["co-0499"]);
        assert_eq!(
            ids_with("co-0"),
            (0..500).map(|i| format!("co-{i:04}")).collect::<Vec<_>>()
        );
        assert!(ids_with("zzz").is_empty());
        assert!(ids_with("a").len() == 3);
        // Cut short: not whole, not trusted.
        let file = path(root);
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 10]).unwrap();
        assert!(Lookup::open(root, 7).is_none(), "truncated");
        // One id changed (same length): the line no longer agrees with itself.
        let text = String::from_utf8(bytes.clone()).unwrap();
        let damaged = text.replacen("i:co-0042\tco-0042", "i:co-0042\tco-0043", 1);
        std::fs::write(&file, damaged).unwrap();
        let l = Lookup::open(root, 7).expect("the same length");
        assert_eq!(l.ids_with_prefix("co-004"), None);
        std::fs::write(&file, &bytes).unwrap();
        assert!(Lookup::open(root, 7).is_some());
        // A file added since: the folder's key moves, the lookup is not trusted.
        std::fs::write(root.join("prospects/new.yaml"), "x").unwrap();
        assert!(Lookup::open(root, 7).is_none());
    }

    #[test]
    fn a_fifo_in_place_of_the_lookup_is_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".salesproc")).unwrap();
        std::fs::create_dir_all(root.join("prospects")).unwrap();
        let fifo = path(root);
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        assert!(Lookup::open(root, 7).is_none());
        assert!(crate::index::Index::open(root, 7).is_none());
    }
}
