//! `.salesproc/index.delta`: the entries of the few records that changed
//! since the index was written, so that one changed record costs a small
//! file beside the index, not a rewrite of the whole of it (157 MB at
//! 100,000 records).
//!
//! A delta belongs to one index: it names that index's checksum and length,
//! and is ignored beside any other. It holds whole entries (the file's key
//! and every part, each part with its checksum, as the index keeps them)
//! for positions of the index's ids, and the folder's key when its listing
//! may be trusted: a delta is only written when the folder's record files
//! are exactly the index's ids. Its entries are fresh as the index's are,
//! against the delta's own write time. It is written to a temporary file
//! and renamed, read whole and checked whole (one checksum) when the index
//! is opened; anything wrong with it and it is ignored, which only makes
//! its records be parsed again. A new index removes it.
//!
//! Layout: magic, the index's checksum and length, the write time, the
//! folder's key, the count; then per entry its position, key and each
//! part's length; then the parts, entry by entry; then the checksum of all
//! that, and the magic again.

use super::{KEY_LEN, Key, NO_DIR, PARTS, Raw, u64_at};
use anyhow::{Result, bail};
use std::io::Write;
use std::path::Path;
use xxhash_rust::xxh3::xxh3_64;

/// The delta's file name beside the index.
pub const FILE: &str = "index.delta";
/// Bump the last byte whenever the layout changes.
const MAGIC: &[u8; 8] = b"SPDLT\x00\x00\x01";
const HEAD: usize = 8 + 8 + 8 + 16 + KEY_LEN + 4;
/// An entry's fixed part: its position, its key, and each part's length.
const ENTRY: usize = 4 + KEY_LEN + 4 * PARTS;
const TAIL: usize = 8 + 8;
/// A delta larger than this is neither written nor read (one is a few
/// kilobytes a changed record; this bounds what a command reads first).
const MOST_BYTES: u64 = 256 << 20;

/// The most entries a delta beside an index of `n` entries may hold; past
/// it the index is rewritten whole (the delta is read at every opening).
pub fn most(n: usize) -> usize {
    (n / 100).clamp(32, 4096)
}

/// Which index a delta belongs to: its table checksum and its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Base {
    pub sum: u64,
    pub len: u64,
}

/// A delta as read: its entries in increasing position.
pub(super) struct Delta {
    pub written: i128,
    pub dir: Option<Key>,
    pub pos: Vec<u32>,
    pub keys: Vec<Key>,
    /// Where each entry's parts are in `bytes`.
    pub parts: Vec<[(usize, usize); PARTS]>,
    pub bytes: Vec<u8>,
}

impl Delta {
    /// The delta at `path` if it is whole and belongs to `base`, an index of
    /// `n` entries; `None` otherwise (a missing one included).
    pub fn read(path: &Path, base: Base, n: usize) -> Option<Delta> {
        let mut file = crate::store::open_regular(path)?;
        if file.metadata().ok()?.len() > MOST_BYTES {
            return None;
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut bytes).ok()?;
        Delta::parse(bytes, base, n)
    }

    fn parse(bytes: Vec<u8>, base: Base, n: usize) -> Option<Delta> {
        if bytes.len() < HEAD + TAIL {
            return None;
        }
        let end = bytes.len() - TAIL;
        let (body, tail) = bytes.split_at(end);
        if &body[..8] != MAGIC || &tail[8..] != MAGIC || xxh3_64(body) != u64_at(tail, 0) {
            return None;
        }
        if (Base {
            sum: u64_at(body, 8),
            len: u64_at(body, 16),
        }) != base
        {
            return None;
        }
        let written = i128::from_le_bytes(body[24..40].try_into().ok()?);
        let dir = Key::get(&body[40..40 + KEY_LEN]);
        let dir = (dir.ino != 0).then_some(dir);
        let count = u32::from_le_bytes(body[40 + KEY_LEN..HEAD].try_into().ok()?) as usize;
        if count > most(n) {
            return None;
        }
        let mut at = HEAD.checked_add(count.checked_mul(ENTRY)?)?;
        if at > end {
            return None;
        }
        let (mut pos, mut keys, mut parts) = (
            Vec::with_capacity(count),
            Vec::with_capacity(count),
            Vec::with_capacity(count),
        );
        for e in body[HEAD..HEAD + count * ENTRY].chunks_exact(ENTRY) {
            let p = u32::from_le_bytes(e[..4].try_into().ok()?);
            if (p as usize) >= n || pos.last().is_some_and(|&q| q >= p) {
                return None;
            }
            pos.push(p);
            keys.push(Key::get(&e[4..4 + KEY_LEN]));
            let mut places = [(0, 0); PARTS];
            for (k, place) in places.iter_mut().enumerate() {
                let o = 4 + KEY_LEN + 4 * k;
                let len = u32::from_le_bytes(e[o..o + 4].try_into().ok()?) as usize;
                // Every part begins with its checksum.
                if len < 8 || at.checked_add(len)? > end {
                    return None;
                }
                *place = (at, at + len);
                at += len;
            }
            parts.push(places);
        }
        if at != end {
            return None;
        }
        Some(Delta {
            written,
            dir,
            pos,
            keys,
            parts,
            bytes,
        })
    }

    /// The place of position `i` among the entries, if it has one.
    pub fn find(&self, i: usize) -> Option<usize> {
        let i = u32::try_from(i).ok()?;
        self.pos.binary_search(&i).ok()
    }

    /// Entry `d`'s part `p`, as kept (its checksum first).
    pub fn part(&self, d: usize, p: usize) -> &[u8] {
        let (a, b) = self.parts[d][p];
        &self.bytes[a..b]
    }
}

/// Writes the delta of `base` at `path`: written at `written`, with the
/// folder's key `dir` (when its listing may be trusted), and `entries` (in
/// increasing position, each with its key and every part as kept).
pub(super) fn write(
    path: &Path,
    base: Base,
    written: i128,
    dir: Option<Key>,
    entries: &[(usize, Key, &[&[u8]; PARTS])],
) -> Result<()> {
    if entries.windows(2).any(|w| w[0].0 >= w[1].0) {
        bail!("delta entries out of order");
    }
    let body: usize = entries
        .iter()
        .map(|(_, _, parts)| parts.iter().map(|p| p.len()).sum::<usize>())
        .sum();
    let mut out = Vec::with_capacity(HEAD + entries.len() * ENTRY + body + TAIL);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&base.sum.to_le_bytes());
    out.extend_from_slice(&base.len.to_le_bytes());
    out.extend_from_slice(&written.to_le_bytes());
    dir.unwrap_or(NO_DIR).put(&mut out);
    out.extend_from_slice(&u32::try_from(entries.len())?.to_le_bytes());
    for (i, key, parts) in entries {
        out.extend_from_slice(&u32::try_from(*i)?.to_le_bytes());
        key.put(&mut out);
        for p in parts.iter() {
            if p.len() < 8 {
                bail!("a part without its checksum");
            }
            out.extend_from_slice(&u32::try_from(p.len())?.to_le_bytes());
        }
    }
    for (_, _, parts) in entries {
        for p in parts.iter() {
            out.extend_from_slice(p);
        }
    }
    if out.len() as u64 + TAIL as u64 > MOST_BYTES {
        bail!("a delta too large");
    }
    let sum = xxh3_64(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out.extend_from_slice(MAGIC);
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".index-delta-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    tmp.write_all(&out)?;
    tmp.persist(path)?;
    Ok(())
}

/// An entry to add to a delta: its position, key and bytes.
pub type New = (usize, Key, Raw);
