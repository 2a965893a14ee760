//! The summary index, `.salesproc/index`: one summary per record, keyed on
//! the record file's size, modification and change times (nanoseconds) and
//! inode, so a warm command reads summaries instead of parsing every file.
//!
//! It is a cache and never the truth: an entry is used only when its key
//! equals the file's current key and the file was last changed well before
//! the entry was written (a "racy" entry, changed within the file system's
//! timestamp granularity of the write, is re-read, as git does). A corrupt,
//! truncated or foreign index is ignored and rebuilt. It is written to a
//! temporary file and renamed, so readers never see half of one.
//!
//! It also records the key of `prospects/` itself when its listing was
//! clean (only record files) and settled: adding, removing or renaming a
//! file changes that key, so while it is unchanged the index's ids are the
//! folder's and the folder need not be listed. Edits in place do not change
//! it; they are caught by each file's own key, which is always checked.
//!
//! Layout: a header (magic, fingerprint, write time, the folder's key), then
//! blocks of entries in id order, each block holding its entries' bytes part
//! by part (the rows, the replays, the events, the persona answers, the
//! voice, `list`'s lines; each checksummed), then the table, then a trailer
//! (where the table is, the length of its head and the checksum of the
//! header and the head, the magic). The table's head is the count, where each id starts, the ids,
//! and a checksum per group of [`GROUP`] records; then come the records
//! (fixed-size: the file's key, and where each part is). A command opens
//! the index by reading the head only; each reader reads, and checks, the
//! group of records it needs into a buffer it keeps ([`Buffers`]), so while
//! the index lists the folder the records of 100,000 entries (12 MB) are
//! never read on one thread before the work begins, nor held in memory all
//! at once. The header is in the head's checksum. A
//! command reads only the parts it wants, each block's piece of a part in
//! one read; the index is written front to back in one pass, a block at a
//! time.

use crate::history::Events;
use crate::listing::Listed;
use crate::process::Process;
use crate::summary::{Personas, Row, Summary, VoiceOf, Want};
use anyhow::{Context, Result, bail};
use std::fs::{File, Metadata};
use std::io::{BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::xxh3_64;

mod delta;
mod wire;

pub use delta::{New as DeltaEntry, most as delta_most};

/// The folder of the index, inside the pipeline folder (ignored by git).
pub const DIR: &str = ".salesproc";
/// The index file's name inside [`DIR`].
pub const FILE: &str = "index";
/// Bump the last byte whenever the layout, `summary::Row` or a part changes
/// shape, and whenever `list`'s line is made differently (`listing::fill`,
/// its columns, `table::Frozen`'s form): the index keeps lines as made, and
/// its fingerprint names only the process, the settings and the version.
/// (A width found differently, by a newer `unicode-width`, is caught as an
/// entry is read: `Frozen::from_text` refuses it.)
const MAGIC: &[u8; 8] = b"SPIDX\x00\x00\x10";
/// A file changed less than this before an entry was written may change
/// again without its key changing: two seconds on a file system that keeps
/// whole seconds (FAT keeps two), a tenth of one where it keeps nanoseconds
/// (its clock still ticks in milliseconds).
const RACY_NANOS: i128 = 2_000_000_000;
const RACY_FINE_NANOS: i128 = 100_000_000;
/// The parts of an entry: the row, then the details, then `list`'s line.
pub const PARTS: usize = 6;
const HEADER: usize = 8 + 8 + 16 + KEY_LEN;
const KEY_LEN: usize = 8 + 16 + 16 + 8;
/// A table record: the key, where each part starts and how long it is.
const RECORD: usize = KEY_LEN + 12 * PARTS;
/// Records are checked, and read, this many at a time.
const GROUP: usize = 1024;
const TRAILER: usize = 8 * 3 + 8;
/// Entries wanted of one part are read in one piece while the bytes between
/// them (entries not wanted, or other parts) are at most this many.
const GAP: u64 = 1 << 16;
/// A block is written when its entries' bytes reach this many.
const BLOCK: usize = 1 << 20;

/// What identifies one version of a record file (or of `prospects/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub size: u64,
    pub mtime: i128,
    pub ctime: i128,
    pub ino: u64,
}

impl Key {
    /// The key of a file from its metadata.
    pub fn of(m: &Metadata) -> Key {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Key {
            size: m.len(),
            mtime: ns(m.mtime(), m.mtime_nsec()),
            ctime: ns(m.ctime(), m.ctime_nsec()),
            ino: m.ino(),
        }
    }

    /// The key of a file from a `stat` result.
    pub fn from_stat(st: &rustix::fs::Stat) -> Key {
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Key {
            size: st.st_size as u64,
            mtime: ns(st.st_mtime, st.st_mtime_nsec as i64),
            ctime: ns(st.st_ctime, st.st_ctime_nsec as i64),
            ino: st.st_ino,
        }
    }

    /// The later of the two change times.
    fn changed(&self) -> i128 {
        self.mtime.max(self.ctime)
    }

    /// True when an entry with this key, written at `written`, can be
    /// trusted: the file last changed a clock tick or more before.
    pub fn settled(&self, written: i128) -> bool {
        let fine = self.ctime % 1_000_000_000 != 0 || self.mtime % 1_000_000_000 != 0;
        let window = if fine { RACY_FINE_NANOS } else { RACY_NANOS };
        self.changed() < written - window
    }

    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.size.to_le_bytes());
        out.extend_from_slice(&self.mtime.to_le_bytes());
        out.extend_from_slice(&self.ctime.to_le_bytes());
        out.extend_from_slice(&self.ino.to_le_bytes());
    }

    fn get(b: &[u8]) -> Key {
        Key {
            size: u64_at(b, 0),
            mtime: i128::from_le_bytes(b[8..24].try_into().unwrap_or_default()),
            ctime: i128::from_le_bytes(b[24..40].try_into().unwrap_or_default()),
            ino: u64_at(b, 40),
        }
    }
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or_default())
}

/// Where part `p` is, from a table record: its start and length.
fn part_of(record: &[u8], p: usize) -> (u64, u64) {
    let r = &record[KEY_LEN + 12 * p..];
    let len = u32::from_le_bytes(r[8..12].try_into().unwrap_or_default());
    (u64_at(r, 0), u64::from(len))
}

/// The key of `prospects/`, for a listing that can be trusted later.
pub fn dir_key(dir: &Path) -> Option<Key> {
    std::fs::metadata(dir).ok().map(|m| Key::of(&m))
}

/// The folder key of an index whose ids may not be trusted as the listing.
const NO_DIR: Key = Key {
    size: 0,
    mtime: 0,
    ctime: 0,
    ino: 0,
};

/// An entry's bytes as stored (checksum first), one buffer per part, for
/// copying into a new index.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    pub parts: [Vec<u8>; PARTS],
}

/// An opened index: its ids in memory (one buffer, no allocation per
/// entry); the records, a group at a time, and the entries' parts are
/// read on demand into the caller's [`Buffers`].
pub struct Index {
    file: File,
    /// Where each id starts in `ids` (one more than there are entries).
    starts: Vec<u32>,
    /// The ids, one after another.
    ids: String,
    len: usize,
    written: i128,
    dir: Option<Key>,
    /// Where the table (and so the records' region) begins in the file:
    /// every part lies before it.
    table_at: u64,
    /// Where the records begin in the file.
    records_at: u64,
    /// Each group of records' checksum.
    sums: Vec<u64>,
    /// Which opening of an index this is: a [`Buffers`]' group of records
    /// read from another is read again.
    serial: u64,
    /// What a delta of this index names it by.
    base: delta::Base,
    /// Entries newer than this index's, for records changed since (see
    /// [`delta`]): where a position has one, it is that record's entry.
    delta: Option<delta::Delta>,
    /// Where the delta is (or goes).
    delta_path: PathBuf,
}

/// Counts the indexes opened by this process.
static OPENED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// What `.salesproc/.gitignore` says: everything here is per clone (the
/// index, the lookup, the journal, markers), except `hooks/`, which a team
/// may commit.
pub const IGNORE: &str = "# per clone: never committed, except hooks/\n/*\n!/hooks/\n";

/// Earlier forms of it, replaced when seen: the index's, which missed the
/// journal, and the journal's, which hid `hooks/` too.
const IGNORE_BEFORE: [&str; 2] = [
    "/.gitignore\n/index\n/lookup\n/.index-*\n/.lookup-*\n",
    "*\n",
];

/// Creates `.salesproc/` in the pipeline folder `root` if need be, kept out
/// of git by its own `.gitignore` (see [`IGNORE`]), and returns its path.
pub fn private_dir(root: &Path) -> std::io::Result<PathBuf> {
    let folder = root.join(DIR);
    std::fs::create_dir_all(&folder)?;
    let ignore = folder.join(".gitignore");
    let now = std::fs::read_to_string(&ignore).ok();
    if now.as_deref().is_none_or(|t| IGNORE_BEFORE.contains(&t)) {
        // Best effort: a folder that cannot hold it still works.
        let _ = std::fs::write(&ignore, IGNORE);
    }
    Ok(folder)
}

/// The path of the index of a pipeline folder.
pub fn path(root: &Path) -> PathBuf {
    root.join(DIR).join(FILE)
}

/// Nanoseconds since the epoch, now.
pub fn now_nanos() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

fn read_exact_at(f: &File, len: usize, at: u64) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; len];
    f.read_exact_at(&mut buf, at)?;
    Ok(buf)
}

impl Index {
    /// Opens the index if it exists, is whole, and was made for this
    /// `fingerprint` (process, settings and program version); `None` otherwise.
    pub fn open(root: &Path, fingerprint: u64) -> Option<Index> {
        Index::try_open(&path(root), fingerprint).ok().flatten()
    }

    fn try_open(path: &Path, fingerprint: u64) -> Result<Option<Index>> {
        let Some(file) = crate::store::open_regular(path) else {
            return Ok(None);
        };
        let size = file.metadata()?.len();
        if size < (HEADER + TRAILER) as u64 {
            return Ok(None);
        }
        let head = read_exact_at(&file, HEADER, 0)?;
        if &head[..8] != MAGIC || u64_at(&head, 8) != fingerprint {
            return Ok(None);
        }
        let written = i128::from_le_bytes(head[16..32].try_into()?);
        let dir = Key::get(&head[32..32 + KEY_LEN]);
        let dir = (dir.ino != 0).then_some(dir);
        let end = size - TRAILER as u64;
        let tail = read_exact_at(&file, TRAILER, end)?;
        if &tail[TRAILER - 8..] != MAGIC {
            return Ok(None);
        }
        let at = u64_at(&tail, 0);
        let head_len = u64_at(&tail, 8);
        let sum = u64_at(&tail, 16);
        if at < HEADER as u64 || at.checked_add(head_len).is_none_or(|e| e > end) || head_len < 8 {
            return Ok(None);
        }
        // The count, where the ids start, the ids and the groups' checksums,
        // each read into a buffer of its own (not copied apart).
        let count = read_exact_at(&file, 8, at)?;
        let n = usize::try_from(u64_at(&count, 0))?;
        let groups = n.div_ceil(GROUP);
        let starts_len = n
            .checked_add(1)
            .and_then(|k| k.checked_mul(4))
            .context("bad count")?;
        let sums_len = groups * 8;
        let Some(ids_len) = usize::try_from(head_len)?
            .checked_sub(8)
            .and_then(|l| l.checked_sub(starts_len))
            .and_then(|l| l.checked_sub(sums_len))
        else {
            return Ok(None);
        };
        let records_at = at + head_len;
        if n.checked_mul(RECORD).and_then(|l| u64::try_from(l).ok()) != Some(end - records_at) {
            return Ok(None);
        }
        let starts_bytes = read_exact_at(&file, starts_len, at + 8)?;
        let ids = read_exact_at(&file, ids_len, at + 8 + starts_len as u64)?;
        let sums_bytes = read_exact_at(&file, sums_len, at + 8 + (starts_len + ids_len) as u64)?;
        // The header is in the checksum too: a flipped bit in the write
        // time would otherwise loosen what counts as settled.
        let mut hash = xxhash_rust::xxh3::Xxh3Default::new();
        for piece in [&head, &count, &starts_bytes, &ids, &sums_bytes] {
            hash.update(piece);
        }
        if hash.digest() != sum {
            return Ok(None);
        }
        // The ids, checked as text once: an id is then a slice of it.
        let Ok(ids) = String::from_utf8(ids) else {
            return Ok(None);
        };
        let starts: Vec<u32> = starts_bytes
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes(b.try_into().unwrap_or_default()))
            .collect();
        let sums = sums_bytes.chunks_exact(8).map(|b| u64_at(b, 0)).collect();
        // Every id within the text, whole characters, and in strictly
        // increasing order.
        if starts.first() != Some(&0) || starts.last().map(|&e| e as usize) != Some(ids.len()) {
            return Ok(None);
        }
        let mut prev: Option<&str> = None;
        for w in starts.windows(2) {
            let Some(id) = ids.get(w[0] as usize..w[1] as usize) else {
                return Ok(None);
            };
            if prev.is_some_and(|p| p >= id) {
                return Ok(None);
            }
            prev = Some(id);
        }
        let base = delta::Base { sum, len: size };
        let delta_path = path.with_file_name(delta::FILE);
        let delta = delta::Delta::read(&delta_path, base, n);
        Ok(Some(Index {
            file,
            starts,
            ids,
            len: n,
            written,
            dir,
            table_at: at,
            records_at,
            sums,
            serial: OPENED.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            base,
            delta,
            delta_path,
        }))
    }

    /// Reads group `g` of records into `recs` (its buffer reused), and
    /// checks it: its checksum, and every part between the header and the
    /// table. A group that fails is kept as failed: its entries are never fresh.
    fn load(&self, g: usize, recs: &mut Group) {
        recs.id = Some((self.serial, g));
        recs.ok = false;
        let first = g * GROUP;
        let count = GROUP.min(self.len - first);
        let at = self.records_at + (first * RECORD) as u64;
        recs.bytes.resize(count * RECORD, 0);
        if self.file.read_exact_at(&mut recs.bytes, at).is_err()
            || xxh3_64(&recs.bytes) != self.sums[g]
        {
            return;
        }
        recs.ok = recs.bytes.chunks_exact(RECORD).all(|r| {
            (0..PARTS).all(|p| {
                let (start, len) = part_of(r, p);
                start >= HEADER as u64 && start.checked_add(len).is_some_and(|e| e <= self.table_at)
            })
        });
    }

    /// The record of entry `i`, its group read into `recs` if need be;
    /// `None` when the group is corrupt.
    fn record<'b>(&self, i: usize, recs: &'b mut Records) -> Option<&'b [u8]> {
        if i >= self.len {
            return None;
        }
        let id = Some((self.serial, i / GROUP));
        let slot = match recs.slots.iter().position(|s| s.id == id) {
            Some(slot) => slot,
            None => {
                let slot = recs.next;
                recs.next ^= 1;
                self.load(i / GROUP, &mut recs.slots[slot]);
                slot
            }
        };
        let group = &recs.slots[slot];
        if !group.ok {
            return None;
        }
        group
            .bytes
            .get((i % GROUP) * RECORD..(i % GROUP + 1) * RECORD)
    }

    /// The id of entry `i` (checked valid when the index was opened).
    pub fn id(&self, i: usize) -> &str {
        let (a, b) = (self.starts[i] as usize, self.starts[i + 1] as usize);
        self.ids.get(a..b).unwrap_or("")
    }

    /// The key of the file entry `i` was made from; `None` when its group
    /// of records is corrupt.
    pub fn key(&self, i: usize, bufs: &mut Buffers) -> Option<Key> {
        if let Some((d, at)) = self.in_delta(i) {
            return Some(d.keys[at]);
        }
        self.record(i, &mut bufs.records)
            .map(|r| Key::get(&r[..KEY_LEN]))
    }

    /// The delta and the place in it of entry `i`, when the delta has it.
    fn in_delta(&self, i: usize) -> Option<(&delta::Delta, usize)> {
        let d = self.delta.as_ref()?;
        d.find(i).map(|at| (d, at))
    }

    /// True when the delta beside the index has any of entries `at`.
    pub fn any_in_delta(&self, at: &[usize]) -> bool {
        at.iter().any(|&i| self.in_delta(i).is_some())
    }

    /// How many entries the delta beside the index holds.
    pub fn delta_len(&self) -> usize {
        self.delta.as_ref().map_or(0, |d| d.pos.len())
    }

    /// The folder's key as last recorded, and when: the delta's when it has
    /// one, else the index's.
    fn dir_written(&self) -> (Option<Key>, i128) {
        match &self.delta {
            Some(d) => (d.dir, d.written),
            None => (self.dir, self.written),
        }
    }

    /// Writes a new delta beside this index: the entries `new` (in
    /// increasing position; each replaces any the delta had), the delta's
    /// other entries except those at `dropped` (increasing), the folder's
    /// key `dir` and the write time `written`. Fails, writing nothing, when
    /// that would be more than [`delta_most`] entries.
    pub fn write_delta(
        &self,
        written: i128,
        dir: Option<Key>,
        new: &[delta::New],
        dropped: &[usize],
    ) -> Result<()> {
        let mut entries: Vec<(usize, Key, [&[u8]; PARTS])> = Vec::new();
        if let Some(d) = &self.delta {
            for (at, &p) in d.pos.iter().enumerate() {
                let p = p as usize;
                let replaced = new.binary_search_by_key(&p, |e| e.0).is_ok();
                if !replaced && dropped.binary_search(&p).is_err() {
                    entries.push((p, d.keys[at], std::array::from_fn(|k| d.part(at, k))));
                }
            }
        }
        for (p, key, raw) in new {
            entries.push((*p, *key, std::array::from_fn(|k| raw.parts[k].as_slice())));
        }
        entries.sort_unstable_by_key(|e| e.0);
        if entries.len() > delta_most(self.len) {
            bail!("too many changed entries for a delta");
        }
        let refs: Vec<(usize, Key, &[&[u8]; PARTS])> = entries
            .iter()
            .map(|(p, k, parts)| (*p, *k, parts))
            .collect();
        delta::write(&self.delta_path, self.base, written, dir, &refs)
    }

    /// Where part `p` of entry `i` is in the file: its start and length.
    #[cfg(test)]
    fn span(&self, p: usize, i: usize) -> Option<(u64, u64)> {
        self.record(i, &mut Records::default())
            .map(|r| part_of(r, p))
    }

    /// How many entries the index holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the index holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The position of the first entry whose id is not less than `id`.
    pub fn seek(&self, id: &str) -> usize {
        let (mut lo, mut hi) = (0, self.len);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.id(mid) < id {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// True when entry `i` can be used for a file whose key is now `key`
    /// (the delta's entry judged by the delta's write time).
    pub fn fresh(&self, i: usize, key: &Key, bufs: &mut Buffers) -> bool {
        if let Some((d, at)) = self.in_delta(i) {
            return d.keys[at] == *key && key.settled(d.written);
        }
        self.key(i, bufs) == Some(*key) && key.settled(self.written)
    }

    /// True when the ids here are exactly the record files of `prospects/`,
    /// whose key is now `now`: it is the one recorded, and was settled.
    pub fn lists(&self, now: &Key) -> bool {
        let (dir, written) = self.dir_written();
        dir.is_some_and(|d| d == *now && d.settled(written))
    }

    /// The key of `prospects/` the index (or its delta) recorded, if any.
    pub fn dir(&self) -> Option<Key> {
        self.dir_written().0
    }

    /// Reads the entries at `at` (increasing positions): the rows (unless
    /// `want` takes `list`'s lines instead), the wanted parts, and (with `keep`) every part's bytes for a new index. An entry
    /// that fails its checksum is an error of its own.
    /// The entries come one at a time, as they are decoded (a chunk's
    /// summaries are never all made before the first is taken).
    pub fn read_many<'a>(
        &'a self,
        at: &'a [usize],
        want: Want,
        keep: bool,
        bufs: &'a mut Buffers,
    ) -> impl Iterator<Item = Result<(Box<Summary>, Option<Raw>)>> + 'a {
        let wanted = [
            want.reads_row(),
            want.funnel,
            want.events,
            want.personas,
            want.voice,
            want.listed,
        ];
        let Buffers {
            spans,
            used,
            places,
            records,
            wheres,
            deltas,
        } = bufs;
        let mut fail: Option<String> = None;
        // Which entries the delta has (read from memory, not the file).
        deltas.clear();
        deltas.extend(at.iter().map(|&i| self.in_delta(i).map(|(_, d)| d)));
        // Where each other entry's parts are, from its record (`None`: its
        // group of records is corrupt, and that entry alone fails).
        wheres.clear();
        wheres.extend(at.iter().zip(deltas.iter()).map(|(&i, d)| {
            if d.is_some() {
                return None;
            }
            self.record(i, records)
                .map(|r| std::array::from_fn(|p| part_of(r, p)))
        }));
        for p in 0..PARTS {
            used[p] = 0;
            places[p].clear();
            if !(wanted[p] || keep) {
                continue;
            }
            let (buf, used) = (&mut spans[p], &mut used[p]);
            if let Err(e) = read_part(&self.file, p, wheres, buf, used, &mut places[p]) {
                fail = Some(e.to_string());
            }
        }
        let (wheres, deltas) = (&*wheres, &*deltas);
        (0..at.len()).map(move |k| {
            if let Some(e) = &fail {
                bail!("the index could not be read: {e}");
            }
            let delta = deltas[k].and_then(|d| Some((self.delta.as_ref()?, d)));
            if wheres[k].is_none() && delta.is_none() {
                bail!("a corrupt index table");
            }
            let mut parts: [&[u8]; PARTS] = [&[]; PARTS];
            for (p, part) in parts.iter_mut().enumerate() {
                if !(wanted[p] || keep) {
                    continue;
                }
                let bytes = match delta {
                    Some((d, at)) => d.part(at, p),
                    None => {
                        let (from, to) = places[p][k];
                        spans[p].get(from..to).context("short index")?
                    }
                };
                if bytes.len() < 8 || xxh3_64(&bytes[8..]) != u64_at(bytes, 0) {
                    bail!("a corrupt index entry");
                }
                *part = bytes;
            }
            let s = decode(&parts, want)?;
            let raw = keep.then(|| Raw {
                parts: parts.map(<[u8]>::to_vec),
            });
            Ok((s, raw))
        })
    }
}

impl Index {
    /// Walks the voice part of entries `at` into `v`, in order, calling
    /// `start` with each entry's place in `at` before its voice: for a
    /// report that groups what was said and needs no record's texts of its
    /// own. An error (a part that will not read, or is corrupt) ends the
    /// walk; the caller then drops what `v` made and reads the entries
    /// with [`Index::read_many`], which sorts the good from the bad.
    pub fn walk_voice<V: crate::summary::VoiceVisit>(
        &self,
        at: &[usize],
        bufs: &mut Buffers,
        v: &mut V,
        mut start: impl FnMut(&mut V, usize),
    ) -> Result<()> {
        const VOICE: usize = 4;
        let Buffers {
            spans,
            used,
            places,
            records,
            wheres,
            ..
        } = bufs;
        wheres.clear();
        for &i in at {
            // An entry in the delta is read the usual way.
            if self.in_delta(i).is_some() {
                bail!("an entry in the delta");
            }
            let r = self.record(i, records).context("a corrupt index table")?;
            wheres.push(Some(std::array::from_fn(|p| part_of(r, p))));
        }
        used[VOICE] = 0;
        places[VOICE].clear();
        read_part(
            &self.file,
            VOICE,
            wheres,
            &mut spans[VOICE],
            &mut used[VOICE],
            &mut places[VOICE],
        )?;
        if places[VOICE].len() != at.len() {
            bail!("short index");
        }
        for (k, &(from, to)) in places[VOICE].iter().enumerate() {
            let bytes = spans[VOICE].get(from..to).context("short index")?;
            if bytes.len() < 8 || xxh3_64(&bytes[8..]) != u64_at(bytes, 0) {
                bail!("a corrupt index entry");
            }
            start(v, k);
            wire::In::new(&bytes[8..]).walk_voice(v)?;
        }
        Ok(())
    }
}

/// Reads part `p` of the entries whose parts are at `wheres` into `buf`
/// from `*used` on, each run of entries that lie close together in one
/// read, and where each one is in `buf` into `places` (an empty place for
/// an entry whose parts are not known). The buffer is never cleared, only
/// grown: what lies past `*used` is left from an earlier chunk and is
/// overwritten, not zeroed first (zeroing it cost 3% of a warm report).
fn read_part(
    file: &File,
    p: usize,
    wheres: &[Option<[(u64, u64); PARTS]>],
    buf: &mut Vec<u8>,
    used: &mut usize,
    places: &mut Vec<(usize, usize)>,
) -> Result<()> {
    let mut k = 0;
    while k < wheres.len() {
        let Some(w) = &wheres[k] else {
            places.push((0, 0));
            k += 1;
            continue;
        };
        let (first, len) = w[p];
        let mut end = first + len;
        let mut j = k + 1;
        while let Some(Some(w)) = wheres.get(j) {
            let (start, len) = w[p];
            if start < end || start - end > GAP {
                break;
            }
            end = start + len;
            j += 1;
        }
        let base = *used;
        let need = base + usize::try_from(end - first)?;
        if buf.len() < need {
            buf.resize(need, 0);
        }
        file.read_exact_at(&mut buf[base..need], first)?;
        *used = need;
        for w in wheres[k..j].iter().flatten() {
            let (start, len) = w[p];
            let from = base + usize::try_from(start - first)?;
            places.push((from, from + usize::try_from(len)?));
        }
        k = j;
    }
    Ok(())
}

/// Buffers a reader keeps from one chunk to the next, so reading 100,000
/// entries does not ask the system for fresh memory again and again.
#[derive(Default)]
pub struct Buffers {
    /// Each part's bytes as read (up to `used`; stale bytes after).
    spans: [Vec<u8>; PARTS],
    /// How much of each span this chunk's reads filled.
    used: [usize; PARTS],
    /// Where each entry's part is in them.
    places: [Vec<(usize, usize)>; PARTS],
    /// The group of records last read.
    records: Records,
    /// Where each entry's parts are in the file.
    wheres: Vec<Option<[(u64, u64); PARTS]>>,
    /// Each entry's place in the delta, if it is there.
    deltas: Vec<Option<usize>>,
}

/// The two groups of table records last read (a run of entries that
/// crosses from one group to the next, read twice over, reads each once).
#[derive(Default)]
struct Records {
    slots: [Group; 2],
    /// The slot the next group read goes into.
    next: usize,
}

/// One group of table records as read, and whether it checked out.
#[derive(Default)]
struct Group {
    /// The index's serial and the group's number.
    id: Option<(u64, usize)>,
    ok: bool,
    bytes: Vec<u8>,
}

/// Decodes the wanted parts into a summary made on the heap, where each
/// part goes once: it is handed on from there as a pointer.
fn decode(parts: &[&[u8]; PARTS], want: Want) -> Result<Box<Summary>> {
    let mut s = Box::new(Summary {
        row: Row::blank(),
        funnel: None,
        events: Events::default(),
        personas: Personas::default(),
        voice: VoiceOf::default(),
        listed: None,
    });
    if want.reads_row() {
        let mut row = wire::In::new(&parts[0][8..]);
        s.row = if want.lean {
            row.lean_row()?
        } else {
            row.row()?
        };
    }
    if want.listed {
        s.listed = Some(Listed::get(&parts[5][8..])?);
    }
    if want.funnel {
        s.funnel = wire::In::new(&parts[1][8..]).funnel()?;
    }
    if want.events {
        s.events = postcard::from_bytes(&parts[2][8..])?;
    }
    if want.personas {
        s.personas = wire::In::new(&parts[3][8..]).personas()?;
    }
    if want.voice {
        s.voice = wire::In::new(&parts[4][8..]).voice()?;
    }
    Ok(s)
}

/// The record's name in an entry's bytes, if its row reads.
pub fn name_in(raw: &Raw) -> Option<String> {
    let part = raw.parts[0].as_slice();
    if part.len() < 8 || xxh3_64(&part[8..]) != u64_at(part, 0) {
        return None;
    }
    wire::In::new(&part[8..])
        .row()
        .ok()
        .map(|r| r.name.to_string())
}

/// One part's bytes: the hash of its encoding, then the encoding, written
/// into one buffer sized for a typical record's part (no doubling, no copy).
#[cfg(test)]
fn checked<T: serde::Serialize>(part: &T, room: usize) -> Result<Vec<u8>> {
    let body = postcard::to_allocvec(part)?;
    Ok(checked_with(room, |o| o.0.extend_from_slice(&body)))
}

/// Encodes a summary as an entry's bytes: each part written straight in
/// postcard's format ([`wire`]), which is how it is read back.
/// The last part is `list`'s line of the record, made against the process `p`.
pub fn encode(s: &Summary, p: &Process) -> Result<Raw> {
    encode_with(s, &Listed::of(&s.row, p))
}

/// As [`encode`], with `list`'s line of the record made already (a
/// command that shows it keeps it: it is not made twice).
pub fn encode_with(s: &Summary, listed: &Listed) -> Result<Raw> {
    Ok(Raw {
        parts: [
            checked_with(192, |o| o.row(&s.row)),
            checked_with(256, |o| o.funnel(s.funnel.as_ref())),
            checked_with(1024, |o| o.events(&s.events)),
            checked_with(256, |o| o.personas(&s.personas)),
            checked_with(512, |o| o.voice(&s.voice)),
            checked_with(192, |o| listed.put(o.0)),
        ],
    })
}

/// `list`'s line of a summary's record, as the index keeps it.
#[cfg(test)]
fn listed_part(s: &Summary, p: &Process) -> Vec<u8> {
    checked_with(192, |o| Listed::of(&s.row, p).put(o.0))
}

/// As [`encode`], through serde and postcard (what [`wire`] must equal).
#[cfg(test)]
fn encode_serde(s: &Summary, p: &Process) -> Result<Raw> {
    Ok(Raw {
        parts: [
            checked(&s.row, 192)?,
            checked(&s.funnel, 256)?,
            checked(&s.events, 1024)?,
            checked(&s.personas, 256)?,
            checked(&s.voice, 512)?,
            listed_part(s, p),
        ],
    })
}

/// One part's bytes as [`checked`] makes them, the encoding written by `put`.
fn checked_with(room: usize, put: impl FnOnce(&mut wire::Out)) -> Vec<u8> {
    let mut out = Vec::with_capacity(room);
    out.extend_from_slice(&[0; 8]);
    put(&mut wire::Out(&mut out));
    let sum = xxh3_64(&out[8..]).to_le_bytes();
    out[..8].copy_from_slice(&sum);
    out
}

/// Writes a new index beside the old one, then renames it into place.
pub struct Writer {
    out: BufWriter<tempfile::NamedTempFile>,
    /// Where the next block goes in the file.
    at: u64,
    /// The entries' bytes of the block being made, part by part.
    block: [Vec<u8>; PARTS],
    /// The first entry of that block.
    block_from: usize,
    table: Vec<u8>,
    /// Where each id starts in `ids`.
    starts: Vec<u8>,
    ids: Vec<u8>,
    len: u64,
    dest: PathBuf,
    /// The header as written (the folder's key is set when finished).
    head: Vec<u8>,
}

impl Writer {
    /// Starts a new index for the folder at `root`, for about `entries`
    /// entries (its table is sized once, not doubled as it grows).
    pub fn create(root: &Path, fingerprint: u64, written: i128, entries: usize) -> Result<Writer> {
        let folder = private_dir(root)?;
        let temp = tempfile::Builder::new()
            .prefix(".index-")
            .suffix(".tmp")
            .tempfile_in(&folder)?;
        let mut out = BufWriter::with_capacity(1 << 16, temp);
        let mut head = Vec::with_capacity(HEADER);
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&fingerprint.to_le_bytes());
        head.extend_from_slice(&written.to_le_bytes());
        NO_DIR.put(&mut head);
        out.write_all(&head)?;
        Ok(Writer {
            out,
            at: HEADER as u64,
            block: Default::default(),
            block_from: 0,
            table: Vec::with_capacity(entries * RECORD),
            starts: Vec::with_capacity((entries + 1) * 4),
            ids: Vec::with_capacity(entries * 24),
            len: 0,
            dest: path(root),
            head,
        })
    }

    /// Adds an entry (ids must come in increasing order).
    pub fn add(&mut self, id: &str, key: Key, raw: &Raw) -> Result<()> {
        // Refused before anything is added: a failed add leaves no trace.
        let start = u32::try_from(self.ids.len()).context("too many ids for an index")?;
        for part in &raw.parts {
            u32::try_from(part.len()).context("an index entry too large")?;
        }
        self.starts.extend_from_slice(&start.to_le_bytes());
        self.ids.extend_from_slice(id.as_bytes());
        key.put(&mut self.table);
        // Each part's place within its piece of the block, for now.
        for (block, part) in self.block.iter_mut().zip(&raw.parts) {
            let len = u32::try_from(part.len()).context("an index entry too large")?;
            self.table
                .extend_from_slice(&(block.len() as u64).to_le_bytes());
            self.table.extend_from_slice(&len.to_le_bytes());
            block.extend_from_slice(part);
        }
        self.len += 1;
        if self.block.iter().map(Vec::len).sum::<usize>() >= BLOCK {
            self.write_block()?;
        }
        Ok(())
    }

    /// Writes the block's pieces one after another, and makes its entries'
    /// places in the table places in the file.
    fn write_block(&mut self) -> Result<()> {
        let mut starts = [0u64; PARTS];
        for (start, block) in starts.iter_mut().zip(&mut self.block) {
            *start = self.at;
            self.out.write_all(block)?;
            self.at += block.len() as u64;
            block.clear();
        }
        let entries = self.block_from..self.len as usize;
        for r in self.table[entries.start * RECORD..entries.end * RECORD].chunks_mut(RECORD) {
            for (p, start) in starts.iter().enumerate() {
                let at = &mut r[KEY_LEN + 12 * p..KEY_LEN + 12 * p + 8];
                let within = u64::from_le_bytes((&*at).try_into()?);
                at.copy_from_slice(&(start + within).to_le_bytes());
            }
        }
        self.block_from = entries.end;
        Ok(())
    }

    /// Writes the last block, the table and trailer, and renames the file
    /// into place. `dir` is the key of `prospects/` when its listing may be
    /// trusted later: every record file in it has an entry.
    pub fn finish(mut self, dir: Option<Key>) -> Result<()> {
        self.write_block()?;
        // The head is written and hashed in its pieces, never joined (at
        // 100,000 records the ids are 3 MB), then the records (12 MB).
        let end = u32::try_from(self.ids.len()).context("too many ids for an index")?;
        self.starts.extend_from_slice(&end.to_le_bytes());
        let sums: Vec<u8> = self
            .table
            .chunks(GROUP * RECORD)
            .flat_map(|g| xxh3_64(g).to_le_bytes())
            .collect();
        let mut hash = xxhash_rust::xxh3::Xxh3::new();
        let mut key = Vec::with_capacity(KEY_LEN);
        dir.unwrap_or(NO_DIR).put(&mut key);
        self.head[32..].copy_from_slice(&key);
        hash.update(&self.head);
        let count = self.len.to_le_bytes();
        for piece in [&count[..], &self.starts, &self.ids, &sums] {
            hash.update(piece);
            write_in_pieces(&mut self.out, piece)?;
        }
        let head_len = (count.len() + self.starts.len() + self.ids.len() + sums.len()) as u64;
        write_in_pieces(&mut self.out, &self.table)?;
        self.out.write_all(&self.at.to_le_bytes())?;
        self.out.write_all(&head_len.to_le_bytes())?;
        self.out.write_all(&hash.digest().to_le_bytes())?;
        self.out.write_all(MAGIC)?;
        let tmp = self.out.into_inner().map_err(|e| e.into_error())?;
        if dir.is_some() {
            tmp.as_file().write_all_at(&key, 32)?;
        }
        tmp.persist(&self.dest)?;
        // A delta belongs to the index it was written beside (and would be
        // ignored beside this one).
        let _ = std::fs::remove_file(self.dest.with_file_name(delta::FILE));
        Ok(())
    }
}

/// Writes `bytes` a megabyte at a time: on this project's benchmark machine
/// one write of the index's 12 MB table took 30-100 ms (the same bytes a
/// megabyte a time, 4-7 ms), all of it on the path of the command that
/// builds the index.
fn write_in_pieces(out: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    bytes
        .chunks(1 << 20)
        .try_for_each(|piece| out.write_all(piece))
}

/// A stable 64-bit hash (FNV-1a) of some byte strings, for fingerprints.
pub fn fingerprint<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.iter().chain(&[0xff]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prospect::Status;

    /// The demo records' summaries (replays, moves, personas, voice) and
    /// summaries with every variant, extreme times and numbers, long text
    /// (lengths of two and three varint bytes) and every field missing.
    fn corpus() -> Vec<Summary> {
        use crate::history::{Kind, Move, NextStep, Replay, Visit};
        use crate::prospect::Outcome;
        let p = crate::process::Process::builtin();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/demo/prospects");
        let mut all: Vec<Summary> = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_none_or(|x| x != "yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let r: crate::prospect::Record = crate::yaml::from_str(&text).unwrap();
            all.push(Summary::of("demo", &r, &p));
        }
        assert!(
            all.iter()
                .any(|s| s.funnel.is_some() && !s.personas.is_empty())
        );
        let times = [
            jiff::Timestamp::MIN,
            jiff::Timestamp::MAX,
            jiff::Timestamp::UNIX_EPOCH,
            "2026-05-24T16:43:09.123456789Z".parse().unwrap(),
            "1969-12-31T23:59:59.5Z".parse().unwrap(),
        ];
        let texts = ["", "é日", &"a".repeat(200), &"b".repeat(20_000)];
        let statuses = [Status::Open, Status::Nurturing, Status::Won, Status::Lost];
        let kinds = [
            Kind::Created,
            Kind::Imported,
            Kind::Decided,
            Kind::Reopened,
            Kind::FollowUp,
            Kind::Edited,
            Kind::Done,
            Kind::Other,
        ];
        let outcomes = [Outcome::Yes, Outcome::No, Outcome::Later];
        let audiences = [
            crate::process::Audience::Product,
            crate::process::Audience::Marketing,
            crate::process::Audience::Sales,
        ];
        for i in 0..40usize {
            let t = |k: usize| times[(i + k) % times.len()];
            let x = |k: usize| crate::summary::Text::from(texts[(i + k) % texts.len()]);
            let some = |k: usize| !(i + k).is_multiple_of(3);
            let mut s = summary(i);
            s.row = Row {
                owner: some(1).then(|| x(1)),
                contact: some(2).then(|| x(2)),
                stage: x(3),
                status: statuses[i % 4],
                follow_up_date: some(4).then(|| x(4)),
                follow_up_action: some(5).then(|| x(5)),
                value: [None, Some(0.0), Some(-1.5), Some(f64::MAX), Some(1e-300)][i % 5],
                close_date: some(6).then(|| x(6)),
                answered: [0, 127, 128, u32::MAX][i % 4],
                total: [16_384, 0, 300, 1][i % 4],
                created: some(7).then(|| t(7)),
                last_activity: some(8).then(|| t(8)),
                has_history: some(9),
                ..s.row
            };
            s.funnel = some(10).then(|| Replay {
                created: t(1),
                visits: (0..i % 4)
                    .map(|k| Visit {
                        step: x(k),
                        enter: t(k),
                        leave: some(k).then(|| t(k + 1)),
                    })
                    .collect(),
                stage: x(2),
                status: statuses[(i + 1) % 4],
                closed_at: some(11).then(|| t(3)),
                follow_up: [
                    None,
                    Some(None),
                    Some(Some(NextStep {
                        date: some(12).then(|| x(4)),
                        action: some(13).then(|| x(5)),
                    })),
                ][i % 3]
                    .clone(),
                last_activity: t(4),
            });
            s.events = Events {
                moves: (0..i % 9)
                    .map(|k| Move {
                        at: t(k),
                        kind: kinds[(i + k) % kinds.len()],
                        step: some(k).then(|| x(k)),
                        outcome: some(k + 1).then(|| outcomes[(i + k) % 3]),
                        to: some(k + 2).then(|| x(k + 1)),
                        status: some(k + 3).then(|| statuses[k % 4]),
                        date: some(k + 4).then(|| x(k + 2)),
                        action: some(k + 5).then(|| x(k + 3)),
                        why: some(k + 6).then(|| x(k + 4)),
                    })
                    .collect(),
                activity: (0..i % 6).map(t).collect(),
            };
            s.personas = Default::default();
            for k in 0..i % 3 {
                // Item places up to the largest a varint of five bytes holds.
                let item = [0, 1, 127, 128, u32::MAX][(i + k) % 5];
                s.personas.push(item, (0..k + i % 2).map(x));
            }
            s.voice = Default::default();
            for k in 0..i % 3 {
                s.voice
                    .push_voice(t(k), audiences[(i + k) % 3], &x(k), &x(k + 1));
            }
            for k in 0..i % 4 {
                s.voice
                    .push_why(t(k), &x(k), outcomes[(i + k) % 3], &x(k + 2));
            }
            all.push(s);
        }
        all
    }

    /// The wire writer makes the very bytes serde and postcard make, and
    /// the hand reader reads them back as postcard does, for every summary
    /// of [`corpus`].
    #[test]
    fn parts_written_straight_are_postcards_bytes() {
        let all = corpus();
        let process = Process::builtin();
        for s in &all {
            let (fast, serde) = (
                encode(s, &process).unwrap(),
                encode_serde(s, &process).unwrap(),
            );
            for p in 0..PARTS {
                assert_eq!(fast.parts[p], serde.parts[p], "part {p} of {s:?}");
            }
            // And it reads back: every part, or `list`'s line in place of
            // the row, or both.
            let parts = fast.parts.each_ref().map(Vec::as_slice);
            assert_eq!(&*decode(&parts, Want::ALL).unwrap(), s);
            let line = Some(Listed::of(&s.row, &process));
            let listed = Want {
                listed: true,
                row: false,
                ..Want::ROWS
            };
            let got = decode(&parts, listed).unwrap();
            assert_eq!((&got.row, &got.listed), (&Row::blank(), &line));
            let got = decode(&parts, listed.with_row()).unwrap();
            assert_eq!((&got.row, &got.listed), (&s.row, &line));
            // The hand reader reads what postcard reads, from the row, the
            // funnel, the personas and the voice, and from each cut short at
            // every one of its first 64 bytes and at 40 places beyond (a cut
            // one fails in both).
            for p in [0, 1, 3, 4] {
                let body = &parts[p][8..];
                let far = (64..body.len()).step_by(body.len() / 40 + 1);
                for cut in (0..body.len().min(64)).chain(far) {
                    agree(p, &body[..cut]);
                }
                agree(p, body);
            }
        }
    }

    /// The hand reader (`wire::In`) and postcard agree on `bytes` as part
    /// `p` (the row, the funnel, the personas or the voice): both refuse
    /// them, or both read the same (compared as values: no summary here
    /// holds a NaN).
    fn agree(p: usize, bytes: &[u8]) {
        let mut hand = wire::In::new(bytes);
        match p {
            0 => {
                let want: Option<Row> = postcard::from_bytes(bytes).ok();
                assert_eq!(hand.row().ok(), want, "row {bytes:?}");
                // The lean row reads the same id, name, owner, stage,
                // status, follow-up date, value, last activity and history
                // wherever the whole row reads (it may read more: it does
                // not check the strings it passes over).
                if let Some(r) = want {
                    let lean = Row {
                        id: r.id,
                        name: r.name,
                        owner: r.owner,
                        stage: r.stage,
                        status: r.status,
                        follow_up_date: r.follow_up_date,
                        value: r.value,
                        last_activity: r.last_activity,
                        has_history: r.has_history,
                        ..Row::blank()
                    };
                    let got = wire::In::new(bytes).lean_row().ok();
                    assert_eq!(got, Some(lean), "lean row {bytes:?}");
                }
            }
            1 => {
                let want: Option<Option<crate::history::Replay>> = postcard::from_bytes(bytes).ok();
                assert_eq!(hand.funnel().ok(), want, "funnel {bytes:?}");
            }
            3 => {
                let want: Option<crate::summary::Personas> = postcard::from_bytes(bytes).ok();
                assert_eq!(hand.personas().ok(), want, "personas {bytes:?}");
            }
            _ => {
                let want: Option<VoiceOf> = postcard::from_bytes(bytes).ok();
                assert_eq!(hand.voice().ok(), want, "voice {bytes:?}");
                // The walk hands over exactly what the voice reads, or
                // refuses where it refuses.
                let mut walked = VoiceOf::default();
                let ok = wire::In::new(bytes).walk_voice(&mut walked).is_ok();
                assert_eq!(ok.then_some(walked), want, "walked voice {bytes:?}");
            }
        }
    }

    /// On arbitrary bytes, and on the parts of every [`corpus`] summary
    /// with bytes flipped, the hand reader agrees with postcard: the same
    /// value, or both refuse.
    #[test]
    fn the_hand_reader_agrees_with_postcard_on_any_bytes() {
        use proptest::prelude::*;
        let process = Process::builtin();
        let bodies: Vec<[Vec<u8>; PARTS]> = corpus()
            .iter()
            .map(|s| encode(s, &process).unwrap().parts.map(|b| b[8..].to_vec()))
            .collect();
        let config = ProptestConfig::with_cases(4000);
        let count = bodies.len();
        proptest!(config, |(junk in proptest::collection::vec(any::<u8>(), 0..80),
                            which in 0..count,
                            flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..4),
                            p in prop_oneof![Just(0usize), Just(1usize), Just(3usize), Just(4usize)])| {
            agree(p, &junk);
            let mut b = bodies[which][p].clone();
            if b.is_empty() {
                return Ok(());
            }
            for (at, x) in &flips {
                let n = b.len();
                b[at % n] ^= x;
            }
            agree(p, &b);
        });
    }

    /// A voice of one thing said, `text`.
    fn voice(i: usize, text: &str) -> VoiceOf {
        let mut v = VoiceOf::default();
        let at = jiff::Timestamp::from_second(1_700_000_000 + i as i64).unwrap();
        v.push_voice(at, crate::process::Audience::Product, text, "captured");
        v
    }

    fn summary(i: usize) -> Summary {
        Summary {
            row: Row {
                id: format!("p-{i:05}").into(),
                name: format!("Prospect {i}").into(),
                owner: i.is_multiple_of(3).then(|| "kim".into()),
                contact: None,
                stage: "qualify".into(),
                status: Status::Open,
                follow_up_date: None,
                follow_up_action: None,
                value: Some(i as f64),
                close_date: None,
                answered: 1,
                total: 4,
                created: None,
                last_activity: None,
                has_history: false,
            },
            funnel: None,
            events: Events::default(),
            personas: Personas::default(),
            // Large enough that 400 entries take several blocks, and
            // that every fiftieth lie far apart.
            voice: voice(i, &"x".repeat(5000 + i % 7)),
            listed: None,
        }
    }

    fn key(i: usize) -> Key {
        Key {
            size: i as u64,
            mtime: 1,
            ctime: 1,
            ino: i as u64 + 1,
        }
    }

    #[test]
    fn entries_read_back_whole_across_blocks_together_or_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let n = 400;
        let mut w = Writer::create(dir.path(), 7, 1_000_000_000_000, n).unwrap();
        for i in 0..n {
            let s = summary(i);
            w.add(&s.row.id, key(i), &encode(&s, &Process::builtin()).unwrap())
                .unwrap();
        }
        w.finish(None).unwrap();
        let ix = Index::open(dir.path(), 7).expect("the index opens");
        assert_eq!(ix.len(), n);
        assert!(
            ix.span(0, n - 1).unwrap().0 > ix.span(4, 0).unwrap().0,
            "the last row is in a later block than the first voice"
        );
        assert!(Index::open(dir.path(), 8).is_none(), "another fingerprint");
        let want = Want {
            voice: true,
            ..Want::ROWS
        };
        let mut bufs = Buffers::default();
        // Every entry: each block's piece of a part read in one piece.
        let all: Vec<usize> = (0..n).collect();
        for (i, got) in ix.read_many(&all, want, false, &mut bufs).enumerate() {
            let (s, raw) = got.unwrap();
            assert_eq!(*s, summary(i));
            assert!(raw.is_none());
        }
        // Every fiftieth: far apart, so each is read alone; with `keep`,
        // every part's bytes come back as written.
        let sparse: Vec<usize> = (0..n).step_by(50).collect();
        for (&i, got) in sparse
            .iter()
            .zip(ix.read_many(&sparse, want, true, &mut bufs))
        {
            let (s, raw) = got.unwrap();
            assert_eq!(*s, summary(i));
            assert_eq!(
                raw.unwrap().parts,
                encode(&summary(i), &Process::builtin()).unwrap().parts
            );
        }
        assert_eq!(ix.seek("p-00123"), 123);
        assert_eq!(ix.id(123), "p-00123");
        assert!(ix.fresh(5, &key(5), &mut bufs) && !ix.fresh(5, &key(6), &mut bufs));
    }

    /// A delta stands in for the index's entries it has (keys, freshness,
    /// the folder's key, every part as written, read among the others); a
    /// later one keeps what it does not replace or drop; a flipped byte, a
    /// cut or another index makes it ignored; it holds at most
    /// [`delta_most`] entries; a new index removes it.
    #[test]
    fn a_delta_stands_in_for_the_entries_it_has() {
        let dir = tempfile::tempdir().unwrap();
        let n = GROUP + 50;
        let p = Process::builtin();
        let write = |written: i128| {
            let mut w = Writer::create(dir.path(), 7, written, n).unwrap();
            for i in 0..n {
                let s = summary(i);
                w.add(&s.row.id, key(i), &encode(&s, &p).unwrap()).unwrap();
            }
            w.finish(None).unwrap();
        };
        write(1_000_000_000_000);
        let ix = Index::open(dir.path(), 7).unwrap();
        assert_eq!(ix.delta_len(), 0);
        let changed = |i: usize| {
            let mut s = summary(i);
            s.row.owner = Some("zed".into());
            s.voice = voice(i, &format!("changed {i}"));
            s
        };
        let new_key = |i: usize| Key {
            size: 9,
            mtime: 2,
            ctime: 2,
            ino: i as u64 + 1,
        };
        let entry = |i: usize| (i, new_key(i), encode(&changed(i), &p).unwrap());
        let folder = Key {
            size: 1,
            mtime: 5,
            ctime: 5,
            ino: 99,
        };
        let moved = [3, GROUP + 7];
        ix.write_delta(2_000_000_000_000, Some(folder), &moved.map(entry), &[])
            .unwrap();
        let ix = Index::open(dir.path(), 7).unwrap();
        assert_eq!(ix.delta_len(), 2);
        assert_eq!(ix.dir(), Some(folder));
        assert!(ix.lists(&folder));
        let mut bufs = Buffers::default();
        for i in moved {
            assert_eq!(ix.key(i, &mut bufs), Some(new_key(i)));
            assert!(ix.fresh(i, &new_key(i), &mut bufs) && !ix.fresh(i, &key(i), &mut bufs));
        }
        assert!(ix.fresh(4, &key(4), &mut bufs));
        let want = Want {
            voice: true,
            ..Want::ROWS
        };
        let all: Vec<usize> = (0..n).collect();
        for picked in [
            all.clone(),
            vec![2, 3, 4],
            vec![GROUP + 7],
            all.iter().copied().step_by(5).collect(),
        ] {
            for (&i, got) in picked
                .iter()
                .zip(ix.read_many(&picked, want, true, &mut bufs))
            {
                let (s, raw) = got.unwrap();
                let made = if moved.contains(&i) {
                    changed(i)
                } else {
                    summary(i)
                };
                assert_eq!(*s, made, "{i}");
                assert_eq!(raw.unwrap().parts, encode(&made, &p).unwrap().parts, "{i}");
            }
        }
        // A later delta: 5 added, 3 dropped (its file would not read), the
        // other kept; no folder key.
        ix.write_delta(3_000_000_000_000, None, &[entry(5)], &[3])
            .unwrap();
        let ix = Index::open(dir.path(), 7).unwrap();
        assert_eq!(ix.delta_len(), 2);
        assert!(ix.fresh(3, &key(3), &mut bufs) && !ix.fresh(3, &new_key(3), &mut bufs));
        assert!(ix.fresh(5, &new_key(5), &mut bufs));
        assert!(ix.fresh(GROUP + 7, &new_key(GROUP + 7), &mut bufs));
        assert_eq!(ix.dir(), None);
        // An entry whose file changed within the racy window before the
        // delta was written is not trusted (the same key may hide an edit).
        ix.write_delta(2 + 50_000_000, None, &[entry(7)], &[])
            .unwrap();
        let racy = Index::open(dir.path(), 7).unwrap();
        assert_eq!(racy.delta_len(), 3);
        assert!(!racy.fresh(7, &new_key(7), &mut bufs) && !racy.fresh(7, &key(7), &mut bufs));
        ix.write_delta(3_000_000_000_000, None, &[entry(5)], &[3])
            .unwrap();
        // Too many entries for a delta: refused, nothing written.
        let path = dir.path().join(DIR).join(delta::FILE);
        let bytes = std::fs::read(&path).unwrap();
        let many: Vec<_> = (0..=delta_most(n)).map(entry).collect();
        assert!(ix.write_delta(4_000_000_000_000, None, &many, &[]).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        // Any flipped byte, or a cut: ignored, the index's entries stand.
        let ignored = |b: &[u8], what: &str| {
            std::fs::write(&path, b).unwrap();
            let ix = Index::open(dir.path(), 7).expect("the index still opens");
            assert_eq!(ix.delta_len(), 0, "{what}");
            assert!(ix.fresh(5, &key(5), &mut Buffers::default()), "{what}");
        };
        for at in (0..bytes.len()).filter(|at| at < &256 || at % 61 == 0 || bytes.len() - at <= 16)
        {
            let mut b = bytes.clone();
            b[at] ^= 0x10;
            ignored(&b, &format!("byte {at} flipped"));
        }
        ignored(&bytes[..bytes.len() - 1], "cut");
        ignored(b"", "empty");
        // Beside another index (the same entries, written later): ignored.
        write(5_000_000_000_000);
        assert!(!path.exists(), "a new index removes the delta");
        ignored(&bytes, "another index's delta");
    }

    /// A flipped byte in a group's records makes that group's entries
    /// never fresh (their files are parsed), and leaves the others be; a
    /// flipped byte in the ids, or a cut, makes the index unopenable.
    #[test]
    fn a_flipped_byte_in_the_records_fails_that_group_only() {
        let dir = tempfile::tempdir().unwrap();
        let n = GROUP * 2 + 5;
        let mut w = Writer::create(dir.path(), 7, 1_000_000_000_000, n).unwrap();
        let p = Process::builtin();
        let raw = encode(&summary(0), &p).unwrap();
        let id = |i: usize| format!("p-{i:05}");
        for i in 0..n {
            w.add(&id(i), key(i), &raw).unwrap();
        }
        w.finish(None).unwrap();
        let file = path(dir.path());
        let whole = std::fs::read(&file).unwrap();
        let ix = Index::open(dir.path(), 7).unwrap();
        let mut bufs = Buffers::default();
        assert!((0..n).all(|i| ix.fresh(i, &key(i), &mut bufs) && ix.id(i) == id(i)));
        assert_eq!(ix.seek(&id(GROUP + 3)), GROUP + 3);
        let records_at = ix.records_at as usize;
        let ids_at = ix.table_at as usize + 8 + (n + 1) * 4;
        drop(ix);
        // A byte of the second group's records.
        let mut bytes = whole.clone();
        bytes[records_at + (GROUP + 10) * RECORD + 3] ^= 0x04;
        std::fs::write(&file, &bytes).unwrap();
        let ix = Index::open(dir.path(), 7).unwrap();
        // Asked in an order that reads the groups again and again.
        for i in [
            0,
            GROUP,
            GROUP - 1,
            GROUP + 10,
            GROUP * 2,
            GROUP * 2 - 1,
            n - 1,
        ] {
            let other = !(GROUP..GROUP * 2).contains(&i);
            assert_eq!(ix.fresh(i, &key(i), &mut bufs), other, "entry {i}");
            assert_eq!(ix.key(i, &mut bufs).is_some(), other, "entry {i}");
        }
        // Read together, the entries in the corrupt group fail alone, and
        // the others read as written.
        let got: Vec<Option<Raw>> = ix
            .read_many(
                &[0, GROUP, GROUP + 1, GROUP * 2],
                Want::ROWS,
                true,
                &mut bufs,
            )
            .map(|g| g.ok().and_then(|(_, raw)| raw))
            .collect();
        let parts = |r: &Option<Raw>| r.as_ref().map(|r| r.parts.clone());
        assert_eq!(parts(&got[0]), Some(raw.parts.clone()));
        assert_eq!(parts(&got[3]), Some(raw.parts.clone()));
        assert!(got[1].is_none() && got[2].is_none());
        drop(ix);
        // A byte of an id, of the header's write time or folder key, or the
        // file cut short: not opened at all.
        for at in [ids_at + 2, 20, 40] {
            let mut bytes = whole.clone();
            bytes[at] ^= 0x01;
            std::fs::write(&file, &bytes).unwrap();
            assert!(Index::open(dir.path(), 7).is_none(), "byte {at}");
        }
        std::fs::write(&file, &whole[..whole.len() - 100]).unwrap();
        assert!(Index::open(dir.path(), 7).is_none());
        std::fs::write(&file, &whole).unwrap();
        assert!(Index::open(dir.path(), 7).is_some());
    }

    #[test]
    fn a_flipped_byte_in_an_entry_fails_that_entry_only() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = Writer::create(dir.path(), 7, 1_000_000_000_000, 3).unwrap();
        for i in 0..3 {
            let s = summary(i);
            w.add(&s.row.id, key(i), &encode(&s, &Process::builtin()).unwrap())
                .unwrap();
        }
        w.finish(None).unwrap();
        let file = path(dir.path());
        let mut bytes = std::fs::read(&file).unwrap();
        // The second row, just past its checksum.
        let ix = Index::open(dir.path(), 7).unwrap();
        let (at, _) = ix.span(0, 1).unwrap();
        drop(ix);
        bytes[at as usize + 9] ^= 0x20;
        std::fs::write(&file, &bytes).unwrap();
        let ix = Index::open(dir.path(), 7).unwrap();
        let mut bufs = Buffers::default();
        let got: Vec<_> = ix
            .read_many(&[0, 1, 2], Want::ROWS, false, &mut bufs)
            .collect();
        assert!(got[0].is_ok() && got[1].is_err() && got[2].is_ok());
        // A flipped byte in the third entry's `list` line fails it only
        // for a read that wants the line (the row alone still reads).
        let (at, len) = ix.span(5, 2).unwrap();
        drop(ix);
        let mut bytes = std::fs::read(&file).unwrap();
        bytes[(at + len) as usize - 1] ^= 0x01;
        std::fs::write(&file, &bytes).unwrap();
        let ix = Index::open(dir.path(), 7).unwrap();
        let listed = Want {
            listed: true,
            row: false,
            ..Want::ROWS
        };
        let got: Vec<_> = ix.read_many(&[0, 2], listed, false, &mut bufs).collect();
        assert!(got[0].as_ref().is_ok_and(|(s, _)| s.listed.is_some()));
        assert!(got[1].is_err());
        assert!(
            ix.read_many(&[2], Want::ROWS, false, &mut bufs)
                .all(|g| g.is_ok())
        );
    }
}
