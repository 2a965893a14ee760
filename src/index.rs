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
//! Layout: header (magic, fingerprint, write time), then entries (checksum,
//! row length, detail length, row, detail), then the table (id, key, offset
//! of each entry, in id order), then a trailer (table offset, length,
//! checksum, magic).

use crate::history::Events;
use crate::summary::{Row, Summary, VoiceOf, Want};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::fs::{File, Metadata};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::xxh3_64;

/// The folder of the index, inside the pipeline folder (ignored by git).
pub const DIR: &str = ".salesproc";
/// The index file's name inside [`DIR`].
pub const FILE: &str = "index";
/// Bump the last byte whenever `summary::Row` or a detail part changes shape.
const MAGIC: &[u8; 8] = b"SPIDX\x00\x00\x06";
/// A file changed less than this before an entry was written may change
/// again without its key changing: two seconds on a file system that keeps
/// whole seconds (FAT keeps two), a tenth of one where it keeps nanoseconds
/// (its clock still ticks in milliseconds).
const RACY_NANOS: i128 = 2_000_000_000;
const RACY_FINE_NANOS: i128 = 100_000_000;

/// What identifies one version of a record file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// One entry of the table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    id: String,
    key: Key,
    row_at: u64,
    row_len: u32,
    detail_at: u64,
    detail_len: u32,
}

/// An entry's bytes as stored (checksum first), for copying into a new index.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    pub row: Vec<u8>,
    pub detail: Vec<u8>,
}

/// An opened index: its table in memory, entries read on demand, rows and
/// details each from their own region, so `list` never reads the details.
pub struct Index {
    table: Vec<Entry>,
    written: i128,
    rows: Region,
    details: Region,
    scratch: Raw,
}

/// A buffered reader over one region of the index, with its own file
/// description (so the two regions never move each other's offset) and its
/// position tracked here (no seek call to learn it).
struct Region {
    r: BufReader<File>,
    pos: u64,
}

impl Region {
    fn open(path: &Path) -> Result<Region> {
        Ok(Region {
            r: BufReader::with_capacity(1 << 16, File::open(path)?),
            pos: 0,
        })
    }
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

impl Index {
    /// Opens the index if it exists, is whole, and was made for this
    /// `fingerprint` (process, settings and program version); `None` otherwise.
    pub fn open(root: &Path, fingerprint: u64) -> Option<Index> {
        Index::try_open(&path(root), fingerprint).ok().flatten()
    }

    fn try_open(path: &Path, fingerprint: u64) -> Result<Option<Index>> {
        let mut f = match File::open(path) {
            Ok(f) => f,
            Err(_) => return Ok(None),
        };
        let mut head = [0u8; 32];
        f.read_exact(&mut head)?;
        if &head[..8] != MAGIC || u64::from_le_bytes(head[8..16].try_into()?) != fingerprint {
            return Ok(None);
        }
        let written = i128::from_le_bytes(head[16..32].try_into()?);
        let end = f.seek(SeekFrom::End(-32))?;
        let mut tail = [0u8; 32];
        f.read_exact(&mut tail)?;
        if &tail[24..] != MAGIC {
            return Ok(None);
        }
        let at = u64::from_le_bytes(tail[..8].try_into()?);
        let len = u64::from_le_bytes(tail[8..16].try_into()?);
        let sum = u64::from_le_bytes(tail[16..24].try_into()?);
        if at.checked_add(len) != Some(end) {
            return Ok(None);
        }
        f.seek(SeekFrom::Start(at))?;
        let mut bytes = vec![0u8; usize::try_from(len)?];
        f.read_exact(&mut bytes)?;
        if xxh3_64(&bytes) != sum {
            return Ok(None);
        }
        let table: Vec<Entry> = postcard::from_bytes(&bytes)?;
        if !table.windows(2).all(|w| w[0].id < w[1].id) {
            return Ok(None);
        }
        Ok(Some(Index {
            table,
            written,
            rows: Region::open(path)?,
            details: Region::open(path)?,
            scratch: Raw::default(),
        }))
    }

    /// For each of `ids` (sorted) with its current key, the position of its
    /// entry when that entry can be trusted: one merge of two sorted lists.
    pub fn fresh(&self, ids: &[String], keys: &[Option<Key>]) -> Vec<Option<usize>> {
        let mut at = 0usize;
        ids.iter()
            .zip(keys)
            .map(|(id, key)| {
                while at < self.table.len() && self.table[at].id.as_str() < id.as_str() {
                    at += 1;
                }
                let e = self.table.get(at).filter(|e| e.id == *id)?;
                let key = key.as_ref()?;
                (e.key == *key && key.settled(self.written)).then_some(at)
            })
            .collect()
    }

    /// How many entries the index holds.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// True when the index holds no entry.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Reads an entry: the row, the wanted parts, and (with `raw`) its bytes
    /// for a new index.
    pub fn read(&mut self, pos: usize, want: Want, raw: Option<&mut Raw>) -> Result<Summary> {
        // The offsets only: cloning the entry would copy its id for every record.
        let e = self.table.get(pos).context("no such index entry")?;
        let (row_at, row_len, detail_at, detail_len) =
            (e.row_at, e.row_len, e.detail_at, e.detail_len);
        // Without `raw`, one scratch buffer serves every read.
        let mut scratch = std::mem::take(&mut self.scratch);
        let keep = raw.is_some();
        let buf = raw.unwrap_or(&mut scratch);
        let s = self.read_into(buf, want, keep, (row_at, row_len, detail_at, detail_len));
        self.scratch = scratch;
        s
    }

    fn read_into(
        &mut self,
        buf: &mut Raw,
        want: Want,
        keep: bool,
        (row_at, row_len, detail_at, detail_len): (u64, u32, u64, u32),
    ) -> Result<Summary> {
        read_checked(&mut self.rows, row_at, row_len, &mut buf.row)?;
        let row: Row = postcard::from_bytes(&buf.row[8..])?;
        let mut s = Summary {
            row,
            funnel: None,
            events: Events::default(),
            personas: Vec::new(),
            voice: VoiceOf::default(),
        };
        if want.detail() || keep {
            read_checked(&mut self.details, detail_at, detail_len, &mut buf.detail)?;
            decode_detail(&buf.detail, want, &mut s)?;
        }
        Ok(s)
    }
}

fn read_checked(r: &mut Region, at: u64, len: u32, buf: &mut Vec<u8>) -> Result<()> {
    if r.pos != at {
        r.r.seek_relative(at as i64 - r.pos as i64)?;
        r.pos = at;
    }
    buf.resize(len as usize, 0);
    r.r.read_exact(buf)?;
    r.pos += u64::from(len);
    if buf.len() < 8 || xxh3_64(&buf[8..]) != u64::from_le_bytes(buf[..8].try_into()?) {
        bail!("a corrupt index entry");
    }
    Ok(())
}

const PARTS: usize = 4;

fn decode_detail(buf: &[u8], want: Want, s: &mut Summary) -> Result<()> {
    let mut lens = [0usize; PARTS];
    for (i, l) in lens.iter_mut().enumerate() {
        let at = 8 + 4 * i;
        *l = u32::from_le_bytes(buf.get(at..at + 4).context("short entry")?.try_into()?) as usize;
    }
    let mut at = 8 + 4 * PARTS;
    let mut part = |i: usize| -> Result<&[u8]> {
        let b = buf.get(at..at + lens[i]).context("short entry")?;
        at += lens[i];
        Ok(b)
    };
    let (funnel, events, personas, voice) = (part(0)?, part(1)?, part(2)?, part(3)?);
    if want.funnel {
        s.funnel = postcard::from_bytes(funnel)?;
    }
    if want.events {
        s.events = postcard::from_bytes(events)?;
    }
    if want.personas {
        s.personas = postcard::from_bytes(personas)?;
    }
    if want.voice {
        s.voice = postcard::from_bytes(voice)?;
    }
    Ok(())
}

/// Encodes a summary as an entry's bytes.
pub fn encode(s: &Summary) -> Result<Raw> {
    let mut row = vec![0u8; 8];
    row.extend_from_slice(&postcard::to_stdvec(&s.row)?);
    let sum = xxh3_64(&row[8..]);
    row[..8].copy_from_slice(&sum.to_le_bytes());
    let parts = [
        postcard::to_stdvec(&s.funnel)?,
        postcard::to_stdvec(&s.events)?,
        postcard::to_stdvec(&s.personas)?,
        postcard::to_stdvec(&s.voice)?,
    ];
    let mut detail = vec![0u8; 8];
    for p in &parts {
        detail.extend_from_slice(&(p.len() as u32).to_le_bytes());
    }
    for p in &parts {
        detail.extend_from_slice(p);
    }
    let sum = xxh3_64(&detail[8..]);
    detail[..8].copy_from_slice(&sum.to_le_bytes());
    Ok(Raw { row, detail })
}

/// Writes a new index beside the old one, then renames it into place.
pub struct Writer {
    out: BufWriter<tempfile::NamedTempFile>,
    details: BufWriter<tempfile::NamedTempFile>,
    table: Vec<Entry>,
    row_at: u64,
    detail_at: u64,
    dest: PathBuf,
}

impl Writer {
    /// Starts a new index for the folder at `root`.
    pub fn create(root: &Path, fingerprint: u64, written: i128) -> Result<Writer> {
        let dir = root.join(DIR);
        std::fs::create_dir_all(&dir)?;
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            // The index is per clone: git never sees it (hooks/ may be committed).
            let _ = std::fs::write(
                &ignore,
                "/.gitignore\n/index\n/lookup\n/.index-*\n/.lookup-*\n",
            );
        }
        let temp = || {
            tempfile::Builder::new()
                .prefix(".index-")
                .suffix(".tmp")
                .tempfile_in(&dir)
        };
        let mut out = BufWriter::with_capacity(1 << 16, temp()?);
        out.write_all(MAGIC)?;
        out.write_all(&fingerprint.to_le_bytes())?;
        out.write_all(&written.to_le_bytes())?;
        Ok(Writer {
            out,
            details: BufWriter::with_capacity(1 << 16, temp()?),
            table: Vec::new(),
            row_at: 32,
            detail_at: 0,
            dest: path(root),
        })
    }

    /// Adds an entry (ids must come in increasing order).
    pub fn add(&mut self, id: &str, key: Key, raw: &Raw) -> Result<()> {
        self.out.write_all(&raw.row)?;
        self.details.write_all(&raw.detail)?;
        self.table.push(Entry {
            id: id.to_string(),
            key,
            row_at: self.row_at,
            row_len: raw.row.len() as u32,
            detail_at: self.detail_at,
            detail_len: raw.detail.len() as u32,
        });
        self.row_at += raw.row.len() as u64;
        self.detail_at += raw.detail.len() as u64;
        Ok(())
    }

    /// Appends the details, writes the table and trailer, and renames the
    /// file into place.
    pub fn finish(mut self) -> Result<()> {
        let base = self.row_at;
        let mut details = self.details.into_inner().map_err(|e| e.into_error())?;
        details.as_file_mut().seek(SeekFrom::Start(0))?;
        std::io::copy(details.as_file_mut(), &mut self.out)?;
        for e in &mut self.table {
            e.detail_at += base;
        }
        let table = postcard::to_stdvec(&self.table)?;
        let at = base + self.detail_at;
        self.out.write_all(&table)?;
        self.out.write_all(&at.to_le_bytes())?;
        self.out.write_all(&(table.len() as u64).to_le_bytes())?;
        self.out.write_all(&xxh3_64(&table).to_le_bytes())?;
        self.out.write_all(MAGIC)?;
        let tmp = self.out.into_inner().map_err(|e| e.into_error())?;
        tmp.persist(&self.dest)?;
        Ok(())
    }
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
