//! Reading every record as a summary: from the index where it is fresh, by
//! parsing (on every core) where it is not, in id order and a chunk at a
//! time, so memory stays bounded whatever the folder's size.

use super::{Store, show};
use crate::index::{self, Index, Key};
use crate::listing::Listed;
use crate::lookup::{self, Lookup};
use crate::report::insights::Fold;
use crate::summary::{Row, Summary, Want};
use crate::{config, parallel, slug};
use anyhow::{Result, anyhow};
use std::collections::{HashMap, HashSet};
use std::fs;
use std::ops::Range;
use std::path::Path;

mod listed;

/// The marker a listing leaves in `.salesproc/` when it saw a temp file of a
/// killed write in `prospects/`: the next write then sweeps the folder.
pub const TEMPS_SEEN: &str = "temps-seen";

/// Records are handled this many at a time.
const CHUNK: usize = 1024;
/// Records parsed (not read from the index) are handled this many at a
/// time, with this many finished chunks waiting per reader at most.
const HEAVY_CHUNK: usize = 128;
const HEAVY_AHEAD: usize = 4;
/// A progress bar is shown (on a terminal) when at least this many files must be parsed.
const PROGRESS_FROM: usize = 5000;

/// The record files of `prospects/`, and what is wrong with the other files there.
pub struct Listing {
    /// Ids of regular `*.yaml` files whose stem is a valid id, sorted.
    pub ids: Vec<String>,
    /// Files that look like records but are skipped (not a regular file,
    /// not a valid id, `.yml`), each with what to do.
    pub problems: Vec<anyhow::Error>,
    /// True when a temp file of a killed write was seen.
    pub temps: bool,
}

/// Lists `dir`; a missing folder is empty.
pub fn list(dir: &Path) -> Result<Listing> {
    use rustix::fs::{FileType, Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let handle = match rustix::fs::open(dir, flags, Mode::empty()) {
        Ok(h) => h,
        Err(rustix::io::Errno::NOENT) => {
            return Ok(Listing {
                ids: Vec::new(),
                problems: Vec::new(),
                temps: false,
            });
        }
        Err(e) => return Err(anyhow!("could not list {}: {e}", show(dir))),
    };
    let mut ids = Vec::new();
    let mut problems = Vec::new();
    let mut temps = false;
    // Read a megabyte of entries at a time (the C library's 32 KB makes the
    // kernel resume its walk of a 100,000-name folder 125 times).
    let mut buf = Vec::with_capacity(1 << 20);
    let mut entries = rustix::fs::RawDir::new(&handle, buf.spare_capacity_mut());
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(|e| anyhow!("could not list {}: {e}", show(dir)))?;
        let Ok(name) = entry.file_name().to_str() else {
            continue;
        };
        if name.starts_with('.') {
            temps |= name.starts_with(".salesproc-") && name.ends_with(".tmp");
            continue;
        }
        let (stem, ext) = match name.rsplit_once('.') {
            Some((s, e)) if e == "yaml" || e == "yml" => (s, e),
            _ => continue,
        };
        // A symlinked record may be read when it points at a regular file;
        // a file system that does not give types is asked per file.
        let regular = match entry.file_type() {
            FileType::RegularFile => true,
            FileType::Symlink | FileType::Unknown => {
                fs::metadata(dir.join(name)).is_ok_and(|m| m.is_file())
            }
            _ => false,
        };
        if regular && ext == "yaml" && slug::is_slug(stem) {
            ids.push(stem.to_string());
            continue;
        }
        let path = dir.join(name);
        if !regular {
            problems.push(not_regular(&path));
        } else {
            let to = format!("{}.yaml", slug::slugify(stem));
            problems.push(anyhow!(
                "{} is not read: record files are named ID.yaml with a lowercase id\nhint: rename it to prospects/{to}",
                show(&path)
            ));
        }
    }
    ids.sort_unstable();
    if temps
        && let Some(root) = dir.parent()
        && let Ok(marker) = crate::index::private_dir(root)
    {
        let _ = std::fs::write(marker.join(TEMPS_SEEN), "");
    }
    Ok(Listing {
        ids,
        problems,
        temps,
    })
}

/// Where record `i` is read from: `Some` fresh index entry, or `None` to
/// parse its file (`sources` is empty when there is no index).
fn entry_of(sources: &[Option<usize>], i: usize) -> Option<usize> {
    sources.get(i).copied().flatten()
}

/// Turns transparent huge pages off for the rest of the process, before
/// thousands of records are parsed or a new index is written: that
/// allocates and frees a great deal on every core, and with huge pages each
/// thread's scattered use is counted (and zeroed) two megabytes at a time.
/// Parsing, it costs a fifth of the peak memory and no time to give up; a
/// rewrite of the index after one record changed, at 100,000 records, is
/// faster without (530 → 462 ms) and peaks at 98 MiB, not 122. Best effort.
pub(super) fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// What is said of a file in `prospects/` that is not a regular file.
fn not_regular(path: &Path) -> anyhow::Error {
    anyhow!(
        "{} is not a regular file\nhint: move it out of prospects/; records are plain files",
        show(path)
    )
}

/// One record after reading: its summary and, for the index, its encoding.
struct Read {
    /// Boxed: a summary is 600 bytes, and it passes through several hands
    /// on its way from the reader to the caller.
    summary: Box<Summary>,
    bytes: Option<index::Raw>,
    /// The key of the file as it was parsed (none when read from the index).
    key: Option<Key>,
}

/// One record after reading, its summary made by the scan's `map` (on the
/// reader that read it) into what the caller keeps.
struct Mapped<T> {
    /// What `map` made of the summary (`None`: not wanted).
    out: Option<T>,
    /// The record's lowercased name, for a new lookup, when asked for.
    name: Option<String>,
    bytes: Option<index::Raw>,
    key: Option<Key>,
}

impl Read {
    /// Hands the summary to `map`, keeping the lowercased name first when `name`.
    fn map<T>(self, map: &(impl Fn(Box<Summary>) -> Option<T> + Sync), name: bool) -> Mapped<T> {
        let name = name.then(|| self.summary.row.name.as_str().to_lowercase());
        Mapped {
            out: map(self.summary),
            name,
            bytes: self.bytes,
            key: self.key,
        }
    }
}

/// Up to this many records to parse are parsed before the index is read,
/// so an index that would learn nothing new (only unreadable records
/// changed) is not written again.
const PARSE_FIRST: usize = 64;

impl Store {
    /// The fingerprint the index must carry: the process, the settings and
    /// this program's version.
    pub fn index_fingerprint(&self) -> u64 {
        let fp = self.process.fingerprint.to_le_bytes();
        index::fingerprint([
            fp.as_slice(),
            self.config_text.as_bytes(),
            env!("CARGO_PKG_VERSION").as_bytes(),
        ])
    }

    /// Calls `each` with the summary of every readable record, in id order.
    /// Returns an error for each record that could not be read, and for each
    /// file in `prospects/` that is skipped.
    pub fn scan(&self, want: Want, each: impl FnMut(Box<Summary>)) -> Result<Vec<anyhow::Error>> {
        self.scan_map(want, Some, |_| {}, each)
    }

    /// As [`Store::scan_map`], keeping in `out` what `keep` makes of each
    /// summary (on the thread that read it); room for one per record is made
    /// at once (room not used costs no memory), not by doubling as 100,000
    /// rows come in.
    pub fn scan_into<T: Send>(
        &self,
        want: Want,
        out: &mut Vec<T>,
        keep: impl Fn(Box<Summary>) -> Option<T> + Sync,
    ) -> Result<Vec<anyhow::Error>> {
        let out = std::cell::RefCell::new(out);
        self.scan_map(
            want,
            keep,
            |n| out.borrow_mut().reserve_exact(n),
            |t| out.borrow_mut().push(t),
        )
    }

    /// As [`Store::scan`], each summary first made by `map` into what is
    /// kept, on the thread that read it (so the cores share that work, and a
    /// summary not kept whole is never handed over); `each` is called, in id
    /// order, with what `map` gave. `sized` is told the number of records
    /// before the first one comes.
    pub fn scan_map<T: Send>(
        &self,
        want: Want,
        map: impl Fn(Box<Summary>) -> Option<T> + Sync,
        sized: impl FnOnce(usize),
        each: impl FnMut(T),
    ) -> Result<Vec<anyhow::Error>> {
        self.scan_folding(want, None, map, sized, each)
    }

    /// As [`Store::scan`] for a voice [`Tally`](crate::report::insights::Tally):
    /// where a run of records is read whole from the index, the readers
    /// group its voice (`fold`), and the run's first summary carries it
    /// (so every summary must reach [`Tally::add`](crate::report::insights::Tally::add),
    /// in order: the map here keeps each one).
    pub fn scan_voice(
        &self,
        want: Want,
        fold: Fold<'_>,
        each: impl FnMut(Box<Summary>),
    ) -> Result<Vec<anyhow::Error>> {
        self.scan_folding(want, Some(fold), Some, |_| {}, each)
    }

    fn scan_folding<T: Send>(
        &self,
        want: Want,
        fold: Option<Fold<'_>>,
        map: impl Fn(Box<Summary>) -> Option<T> + Sync,
        sized: impl FnOnce(usize),
        mut each: impl FnMut(T),
    ) -> Result<Vec<anyhow::Error>> {
        let dir = self.prospects_dir();
        let use_index = config::index_enabled();
        let fp = self.index_fingerprint();
        let started = index::now_nanos();
        // Phase times, for SALESPROC_DEBUG_INDEX.
        let clock = std::time::Instant::now();
        // The folder's key before it is listed: a file added meanwhile changes it after.
        let dir_before = index::dir_key(&dir);
        let idx = if use_index {
            Index::open(&self.root, fp)
        } else {
            None
        };
        // While the index lists the folder, each reader stats the files it reads.
        if let (Some(ix), Some(k)) = (&idx, dir_before)
            && ix.lists(&k)
        {
            return self.scan_listed(ix, fp, started, k, want, fold, &map, sized, each);
        }
        if idx.is_none() {
            // Every record will be parsed.
            no_huge_pages();
        }
        let l = list(&dir)?;
        let listed_at = clock.elapsed();
        let clean = l.problems.is_empty() && !l.temps;
        let (listed, mut problems) = (l.ids, l.problems);
        let ids: Vec<&str> = listed.iter().map(String::as_str).collect();
        // Without an index every record is parsed, and each one's key is
        // taken from the open file as it is read: no stat beforehand, and
        // no per-record vectors of nothing (at 100,000 records, fresh memory
        // costs more than the work on it).
        // `gone`: the index has entries of files that are gone.
        let (keys, sources, gone): (Vec<Option<Key>>, Vec<Option<usize>>, bool) = match &idx {
            Some(ix) => {
                // The position of each id's entry in the index.
                let mut at = 0;
                let pos: Vec<Option<usize>> = ids
                    .iter()
                    .map(|id| {
                        while at < ix.len() && ix.id(at) < *id {
                            at += 1;
                        }
                        (at < ix.len() && ix.id(at) == *id).then_some(at)
                    })
                    .collect();
                let keys = stat_all(&dir, &ids);
                // The entry to read for each id, where it is fresh.
                let mut bufs = index::Buffers::default();
                let sources = pos
                    .iter()
                    .zip(&keys)
                    .map(|(p, k)| match (p, k) {
                        (Some(p), Some(k)) => ix.fresh(*p, k, &mut bufs).then_some(*p),
                        _ => None,
                    })
                    .collect();
                let gone = ix.len() != pos.iter().flatten().count();
                (keys, sources, gone)
            }
            None => (Vec::new(), Vec::new(), true),
        };
        let source = |i: usize| entry_of(&sources, i);
        let fresh = sources.iter().filter(|s| s.is_some()).count();
        let to_parse = ids.len() - fresh;
        // Records are opened relative to the folder (one name for the
        // kernel to walk, not the whole path), or by path if it will not open.
        let folder = (to_parse > 0).then(|| fs::File::open(&dir).ok()).flatten();
        // A few records to parse are parsed first: if none of them can be
        // read and nothing else changed, the index stays as it is.
        let mut first: HashMap<usize, Result<Read>> = HashMap::new();
        if to_parse <= PARSE_FIRST {
            let which: Vec<usize> = (0..ids.len()).filter(|i| source(*i).is_none()).collect();
            first = which
                .iter()
                .copied()
                .zip(self.parse_many(folder.as_ref(), &ids, &which, use_index, want))
                .collect();
        }
        let learned = to_parse > PARSE_FIRST || first.values().any(|r| r.is_ok());
        let dir_now = dir_before.filter(|k| clean && k.settled(started));
        // The folder can be listed from the index only when every record
        // file in it has an entry (an unreadable one has none).
        let unreadable = first.values().any(|r| r.is_err());
        let new_dir =
            dir_now.is_some() && !unreadable && idx.as_ref().is_none_or(|ix| ix.dir() != dir_now);
        // The folder's record files are exactly the index's ids, and only a
        // few changed: their entries go in a delta beside the index (with
        // the folder's new key) instead of a new index.
        let delta = use_index
            && !gone
            && idx.as_ref().is_some_and(|ix| {
                ix.len() == ids.len()
                    && to_parse <= index::delta_most(ix.len()).saturating_sub(ix.delta_len())
            });
        let mut writer = if use_index && !delta && (learned || new_dir || gone) {
            index::Writer::create(&self.root, fp, started, ids.len()).ok()
        } else {
            None
        };
        // The lookup lists every record file, readable or not: it is written
        // when the folder was listed clean and settled.
        let lookup =
            use_index && dir_now.is_some() && (writer.is_some() || Lookup::wanted(&self.root, fp));
        let keep = writer.is_some();
        if keep {
            no_huge_pages();
        }
        // The keys are needed again only for a new index.
        let keys = if keep { keys } else { Vec::new() };
        sized(ids.len());
        let bar = progress(to_parse);
        let heavy = to_parse >= PROGRESS_FROM;
        if heavy {
            no_huge_pages();
        }
        let threads = parallel::threads();
        // Chunks small enough that every core has some, at most CHUNK.
        // Parsing, each record holds far more memory in flight than a summary
        // read from the index: small chunks then, several waiting per reader,
        // so a reader that is ahead goes on instead of waiting for this
        // thread to take its chunk (at 100,000 records: 5-8% less time, and
        // no more memory, than one 512-record chunk handed over at a time).
        let (chunk, ahead) = if heavy {
            (HEAVY_CHUNK, HEAVY_AHEAD)
        } else {
            (CHUNK, 1)
        };
        let chunks = parallel::chunks_of(ids.len(), threads, 64, chunk);
        let pre: HashSet<usize> = first.keys().copied().collect();
        // A name for the lookup is read from the row.
        let want = if lookup { want.with_row() } else { want };
        let work = |r: &Range<usize>, bufs: &mut index::Buffers| {
            self.read_range(
                idx.as_ref(),
                &ids,
                &sources,
                &pre,
                r.clone(),
                want,
                (keep, keep || delta),
                folder.as_ref(),
                bufs,
            )
            .into_iter()
            .map(|read| read.map(|r| r.map(|r| r.map(&map, lookup))))
            .collect::<Vec<_>>()
        };
        let mut added = 0usize;
        // Each readable record's lowercased name, for a new lookup.
        let mut names: Vec<(String, usize)> = Vec::new();
        // For a delta: the changed records' entries, those that would not
        // read, and whether one's name changed (the lookup would miss it).
        let mut pending: Vec<index::DeltaEntry> = Vec::new();
        let mut failed: Vec<usize> = Vec::new();
        let mut renamed = false;
        let mut main_bufs = index::Buffers::default();
        // Records read from fresh entries (one that would not read is
        // parsed, and counted there).
        let mut indexed = 0usize;
        let mut consume = |range: Range<usize>, reads: Vec<Option<Result<Mapped<T>>>>| {
            bar.inc(range.clone().filter(|i| source(*i).is_none()).count() as u64);
            for (i, read) in range.zip(reads) {
                let early = || first.remove(&i).map(|r| r.map(|r| r.map(&map, lookup)));
                let mut read = match read.or_else(early) {
                    Some(Ok(read)) => read,
                    Some(Err(e)) => {
                        problems.push(e);
                        failed.push(i);
                        continue;
                    }
                    None => continue,
                };
                if read.key.is_none() {
                    indexed += 1;
                }
                if let (true, Some(ix), Some(key)) = (delta, idx.as_ref(), read.key)
                    && let Some(raw) = read.bytes.take()
                {
                    // The folder's ids are the index's: `i` is the entry's position.
                    renamed |= !listed::same_name(ix, i, &raw, &mut main_bufs);
                    pending.push((i, key, raw));
                }
                let key = read.key.or_else(|| keys.get(i).copied().flatten());
                if let (Some(w), Some(bytes), Some(key)) = (writer.as_mut(), &read.bytes, key) {
                    if w.add(ids[i], key, bytes).is_err() {
                        writer = None;
                    } else {
                        added += 1;
                    }
                }
                if let Some(name) = read.name {
                    names.push((name, i));
                }
                if let Some(out) = read.out {
                    each(out);
                }
            }
        };
        // Readers hand chunks over in order while this thread folds the one
        // before; a reader that panicked panics here.
        parallel::in_order(&chunks, threads, ahead, work, |r, reads| match reads {
            Ok(reads) => consume(r.clone(), reads),
            Err(p) => std::panic::resume_unwind(p),
        });
        bar.finish_and_clear();
        let read_at = clock.elapsed();
        // What only the reading needed goes before the new index is finished
        // (at 100,000 records the keys and the sources are 8 MB).
        let whole = added == ids.len();
        drop((keys, sources, pre));
        // The lookup is written on a thread of its own while the index is
        // finished (at 100,000 records each takes a tenth of a second).
        let wrote = std::thread::scope(|s| {
            if let (true, Some(dir)) = (lookup, dir_now) {
                let ids = &ids;
                s.spawn(move || lookup::write(&self.root, fp, dir, started, ids, names));
            }
            match (writer, &idx) {
                // The index is a cache: failing to write it changes no result.
                (Some(w), _) => w.finish(dir_now.filter(|_| whole)).is_ok().then_some("yes"),
                (None, Some(ix)) if delta && (!pending.is_empty() || new_dir) => {
                    if renamed && !lookup {
                        // A name changed in place: the lookup, not written
                        // now, would not find it by its new name.
                        let _ = fs::remove_file(lookup::path(&self.root));
                    }
                    // The listing is the folder's while every record file
                    // has a fresh entry.
                    let whole = indexed + pending.len() == ids.len();
                    ix.write_delta(started, dir_now.filter(|_| whole), &pending, &failed)
                        .is_ok()
                        .then_some("delta")
                }
                _ => None,
            }
        });
        drop(ids);
        drop(listed);
        drop(idx);
        if config::debug_index() {
            crate::output::status(&format!(
                "index: {fresh} fresh, {to_parse} parsed, written: {}, listed: from the folder \
                 (ms: to list {}, to read {}, to write {})",
                wrote.unwrap_or("no"),
                listed_at.as_millis(),
                (read_at - listed_at).as_millis(),
                (clock.elapsed() - read_at).as_millis(),
            ));
        }
        Ok(problems)
    }

    /// Reads the records at positions `r` of `ids`: from the index where
    /// fresh (and whole), by parsing otherwise; `None` for those in `first`.
    #[allow(clippy::too_many_arguments)]
    fn read_range(
        &self,
        idx: Option<&Index>,
        ids: &[&str],
        sources: &[Option<usize>],
        first: &HashSet<usize>,
        r: Range<usize>,
        want: Want,
        (keep, encode): (bool, bool),
        folder: Option<&fs::File>,
        bufs: &mut index::Buffers,
    ) -> Vec<Option<Result<Read>>> {
        let source = |i: usize| entry_of(sources, i);
        let at: Vec<usize> = r.clone().filter_map(source).collect();
        let mut indexed = idx.map(|ix| ix.read_many(&at, want, keep, bufs));
        let mut indexed = std::iter::from_fn(|| indexed.as_mut()?.next());
        r.map(|i| {
            if source(i).is_some()
                && let Some(Ok((summary, bytes))) = indexed.next()
            {
                return Some(Ok(Read {
                    summary,
                    bytes,
                    key: None,
                }));
            }
            if first.contains(&i) {
                return None;
            }
            Some(self.parse_one(folder, ids[i], encode, want))
        })
        .collect()
    }

    /// Reads and summarizes one record, relative to `dir` (the open
    /// `prospects/` folder) when there is one.
    /// Only the parts in `want` are kept: the rest is freed here, on the
    /// thread that made it, not on the one that takes the results.
    fn parse_one(
        &self,
        dir: Option<&fs::File>,
        id: &str,
        encode: bool,
        want: Want,
    ) -> Result<Read> {
        let (mut summary, key) = match dir {
            Some(dir) => self.read_for_summary(dir, id)?,
            None => {
                let (loaded, key) = self.read_keyed(id)?;
                (
                    Box::new(Summary::of(id, &loaded.record, &self.process)),
                    key,
                )
            }
        };
        // `list`'s line, made once for the index and for a command that shows it.
        let listed = (encode || want.listed).then(|| Listed::of(&summary.row, &self.process));
        let bytes = match &listed {
            Some(l) if encode => Some(index::encode_with(&summary, l)?),
            _ => None,
        };
        summary.keep_only(want);
        if want.listed {
            summary.listed = listed;
        }
        Ok(Read {
            summary,
            bytes,
            key: Some(key),
        })
    }

    /// Reads and summarizes the records at `which` positions of `ids`, on every core.
    fn parse_many(
        &self,
        folder: Option<&fs::File>,
        ids: &[&str],
        which: &[usize],
        encode: bool,
        want: Want,
    ) -> Vec<Result<Read>> {
        let threads = parallel::threads();
        let one = |i: &usize| self.parse_one(folder, ids[*i], encode, want);
        if which.len() < 8 || threads == 1 {
            return which.iter().map(one).collect();
        }
        let per = which.len().div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = which
                .chunks(per)
                .map(|part| s.spawn(move || part.iter().map(one).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("a reader thread panicked"))
                .collect()
        })
    }

    /// Every readable record's row, in id order, and the problems.
    pub fn rows(&self) -> Result<(Vec<Row>, Vec<anyhow::Error>)> {
        let mut rows = Vec::new();
        let bad = self.scan_into(Want::ROWS, &mut rows, |s| Some(s.row))?;
        Ok((rows, bad))
    }
}

/// The key of every record file (on every core: a stat each, relative to an
/// open handle on the folder, so the kernel walks one name, not the path).
fn stat_all(dir: &Path, ids: &[&str]) -> Vec<Option<Key>> {
    let Ok(handle) = fs::File::open(dir) else {
        return vec![None; ids.len()];
    };
    let stat = |r: &Range<usize>, name: &mut Vec<u8>| -> Vec<Option<Key>> {
        ids[r.clone()]
            .iter()
            .map(|id| listed::stat(&handle, id, name))
            .collect()
    };
    let threads = if ids.len() < 4096 {
        1
    } else {
        parallel::threads()
    };
    // Chunks a thread takes as it is free: one slowed by something else
    // on the machine holds up a chunk, not half the folder.
    let chunks = parallel::chunks_of(ids.len(), threads, 1024, 4096);
    let mut keys = Vec::with_capacity(ids.len());
    parallel::in_order(&chunks, threads, 2, stat, |_, got| {
        keys.extend(got.unwrap_or_else(|p| std::panic::resume_unwind(p)));
    });
    keys
}

/// A progress bar on stderr for long work; hidden on a pipe and for short work.
pub fn progress(len: usize) -> indicatif::ProgressBar {
    if len < PROGRESS_FROM || !crate::output::stderr_is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("reading records");
    bar
}

#[cfg(test)]
mod tests {
    /// Every file's key, in the order of the ids, on every core as on one:
    /// past the size where the stats are shared, a missing file or one that
    /// is not a regular file has none, and each other one its own.
    #[test]
    fn stat_all_gives_each_id_its_own_key_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let n = 5000;
        let ids: Vec<String> = (0..n).map(|i| format!("p-{i:05}")).collect();
        for (i, id) in ids.iter().enumerate() {
            match i % 97 {
                // Missing.
                5 => {}
                // Not a regular file.
                6 => std::fs::create_dir(dir.path().join(format!("{id}.yaml"))).unwrap(),
                // Sizes differ, so a key in the wrong place shows.
                _ => std::fs::write(dir.path().join(format!("{id}.yaml")), "x".repeat(i % 300))
                    .unwrap(),
            }
        }
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let keys = super::stat_all(dir.path(), &refs);
        assert_eq!(keys.len(), n);
        let handle = std::fs::File::open(dir.path()).unwrap();
        let mut name = Vec::new();
        for (i, (id, key)) in refs.iter().zip(&keys).enumerate() {
            assert_eq!(*key, super::listed::stat(&handle, id, &mut name), "{id}");
            match i % 97 {
                5 | 6 => assert!(key.is_none(), "{id}"),
                _ => assert_eq!(key.map(|k| k.size), Some((i % 300) as u64), "{id}"),
            }
        }
        // The first ids alone (below the sharing size) read the same.
        assert_eq!(super::stat_all(dir.path(), &refs[..100]), keys[..100]);
    }
}
