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

use crate::summary::{Detail, Row, Summary};
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
const MAGIC: &[u8; 8] = b"SPIDX\x00\x00\x03";
/// A file changed less than this before an entry was written may change
/// again without its key changing (coarse file system clocks).
const RACY_NANOS: i128 = 2_000_000_000;

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

    /// The later of the two change times.
    fn changed(&self) -> i128 {
        self.mtime.max(self.ctime)
    }
}

/// One entry of the table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub key: Key,
    pub offset: u64,
    pub len: u32,
}

/// An opened index: its table in memory, entries read on demand.
pub struct Index {
    table: Vec<Entry>,
    written: i128,
    reader: BufReader<File>,
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
        let mut head = [0u8; 8 + 8 + 16];
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
        f.seek(SeekFrom::Start(0))?;
        Ok(Some(Index {
            table,
            written,
            reader: BufReader::with_capacity(1 << 16, f),
        }))
    }

    /// The entry for `id` when its key is `key` and it can be trusted.
    pub fn fresh(&self, id: &str, key: &Key) -> Option<&Entry> {
        let e = self
            .table
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.table[i])?;
        (e.key == *key && key.changed() < self.written - RACY_NANOS).then_some(e)
    }

    /// How many entries the index holds.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// True when the index holds no entry.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Reads an entry's bytes (checked) into `buf`.
    pub fn read_raw(&mut self, e: &Entry, buf: &mut Vec<u8>) -> Result<()> {
        let pos = self.reader.stream_position()?;
        if pos != e.offset {
            self.reader.seek_relative(e.offset as i64 - pos as i64)?;
        }
        buf.resize(e.len as usize, 0);
        self.reader.read_exact(buf)?;
        if buf.len() < 16 || xxh3_64(&buf[8..]) != u64::from_le_bytes(buf[..8].try_into()?) {
            bail!("a corrupt index entry for {}", e.id);
        }
        Ok(())
    }
}

/// Decodes an entry's bytes: the row, and the detail when asked for.
pub fn decode(buf: &[u8], detail: bool) -> Result<(Row, Option<Detail>)> {
    let head = u32::from_le_bytes(buf[8..12].try_into()?) as usize;
    let body = buf.get(16..16 + head).context("short index entry")?;
    let row: Row = postcard::from_bytes(body)?;
    let detail = if detail {
        Some(postcard::from_bytes(&buf[16 + head..])?)
    } else {
        None
    };
    Ok((row, detail))
}

/// Encodes a summary as an entry's bytes.
pub fn encode(s: &Summary) -> Result<Vec<u8>> {
    let row = postcard::to_stdvec(&s.row)?;
    let detail = postcard::to_stdvec(&s.detail)?;
    let mut buf = Vec::with_capacity(16 + row.len() + detail.len());
    buf.extend_from_slice(&[0u8; 8]);
    buf.extend_from_slice(&(row.len() as u32).to_le_bytes());
    buf.extend_from_slice(&(detail.len() as u32).to_le_bytes());
    buf.extend_from_slice(&row);
    buf.extend_from_slice(&detail);
    let sum = xxh3_64(&buf[8..]);
    buf[..8].copy_from_slice(&sum.to_le_bytes());
    Ok(buf)
}

/// Writes a new index beside the old one, then renames it into place.
pub struct Writer {
    out: BufWriter<tempfile::NamedTempFile>,
    table: Vec<Entry>,
    offset: u64,
    dest: PathBuf,
}

impl Writer {
    /// Starts a new index for the folder at `root`.
    pub fn create(root: &Path, fingerprint: u64, written: i128) -> Result<Writer> {
        let dir = root.join(DIR);
        std::fs::create_dir_all(&dir)?;
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            // The index is per clone: git never sees it.
            let _ = std::fs::write(&ignore, "*\n");
        }
        let tmp = tempfile::Builder::new()
            .prefix(".index-")
            .suffix(".tmp")
            .tempfile_in(&dir)?;
        let mut out = BufWriter::with_capacity(1 << 16, tmp);
        out.write_all(MAGIC)?;
        out.write_all(&fingerprint.to_le_bytes())?;
        out.write_all(&written.to_le_bytes())?;
        Ok(Writer {
            out,
            table: Vec::new(),
            offset: 32,
            dest: path(root),
        })
    }

    /// Adds an entry (ids must come in increasing order).
    pub fn add(&mut self, id: &str, key: Key, bytes: &[u8]) -> Result<()> {
        self.out.write_all(bytes)?;
        self.table.push(Entry {
            id: id.to_string(),
            key,
            offset: self.offset,
            len: bytes.len() as u32,
        });
        self.offset += bytes.len() as u64;
        Ok(())
    }

    /// Writes the table and trailer and renames the file into place.
    pub fn finish(mut self) -> Result<()> {
        let table = postcard::to_stdvec(&self.table)?;
        self.out.write_all(&table)?;
        self.out.write_all(&self.offset.to_le_bytes())?;
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
