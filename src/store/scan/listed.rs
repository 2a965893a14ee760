//! A scan while the index's ids are the folder's listing (`prospects/` has
//! the key the index recorded): each reader stats the record files of its
//! chunk and reads their entries, so the stats and the reading share the
//! cores instead of one waiting for the other. A file whose key changed is
//! parsed by the reader that found it. The index is rewritten only when
//! something was learned, from the first such file on: the entries handed
//! out before it are copied from the old index then.

use super::{CHUNK, Mapped, PROGRESS_FROM, not_regular, progress};
use crate::index::{self, Index, Key};
use crate::lookup::{self, Lookup};
use crate::report::insights::Fold;
use crate::store::Store;
use crate::summary::{Summary, Want};
use crate::{config, parallel};
use std::fs;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// What a reader found for one record.
enum Got<T> {
    /// Its entry, fresh (with its bytes once a new index is being written).
    Fresh(Mapped<T>),
    /// Its file changed (or its entry would not read): parsed, with bytes.
    Parsed(anyhow::Result<Mapped<T>>),
    /// It is a symlink that leads nowhere, or not to a regular file: named
    /// as a listing names it.
    Gone(anyhow::Error),
}

/// What a reader's stat found of one record file.
enum Found {
    /// Its entry is fresh.
    Fresh,
    /// It changed, or could not be stat'ed (the read names why).
    Changed,
    /// A symlink that leads nowhere, or not to a regular file.
    Gone(std::path::PathBuf),
}

/// The index being rewritten, and what the lookup needs.
struct Rewrite {
    writer: Option<index::Writer>,
    /// Entries added to it.
    added: usize,
    /// The entries of records that changed, for a delta beside the index,
    /// while a few changed and none was renamed (see [`index::delta_most`]).
    pending: Vec<index::DeltaEntry>,
    /// A new index was begun (it may have failed since): no delta then, as
    /// the changed records' entries went to it and are not in `pending`.
    begun: bool,
}

impl Store {
    /// [`Store::scan`] while `ix` lists the folder, whose key is `dir_key`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn scan_listed<T: Send>(
        &self,
        ix: &Index,
        fp: u64,
        started: i128,
        dir_key: Key,
        want: Want,
        fold: Option<Fold<'_>>,
        map: &(impl Fn(Box<Summary>) -> Option<T> + Sync),
        sized: impl FnOnce(usize),
        mut each: impl FnMut(T),
    ) -> anyhow::Result<Vec<anyhow::Error>> {
        let dir = self.prospects_dir();
        let n = ix.len();
        let folder = fs::File::open(&dir).ok();
        sized(n);
        // Set once a new index is being written: readers then keep each
        // fresh entry's bytes for it.
        let writing = AtomicBool::new(false);
        // Runs whose voice the readers grouped (for SALESPROC_DEBUG_INDEX).
        let grouped = AtomicUsize::new(0);
        let lookup_wanted = Lookup::wanted(&self.root, fp);
        // A chunk's vector goes back to the readers once taken.
        let spare = parallel::Spare::<Vec<Got<T>>>::default();
        let work = |r: &Range<usize>, bufs: &mut index::Buffers| -> Vec<Got<T>> {
            let mut out = spare.take();
            out.reserve(r.len());
            let keep = writing.load(Ordering::Relaxed);
            // Each name is kept for the lookup when one is wanted or being
            // written; one handed out without it is read again if need be.
            let names = lookup_wanted || keep;
            // A name is read from the row.
            let want = if names { want.with_row() } else { want };
            let parse = |i: usize| {
                self.parse_one(folder.as_ref(), ix.id(i), true, want)
                    .map(|r| r.map(map, true))
            };
            let mut name = Vec::with_capacity(64);
            let mut fresh = Vec::with_capacity(r.len());
            let found: Vec<Found> = r
                .clone()
                .map(
                    |i| match folder.as_ref().and_then(|f| stat(f, ix.id(i), &mut name)) {
                        Some(key) if ix.fresh(i, &key, bufs) => {
                            fresh.push(i);
                            Found::Fresh
                        }
                        Some(_) => Found::Changed,
                        None => {
                            let path = dir.join(format!("{}.yaml", ix.id(i)));
                            match fs::symlink_metadata(&path) {
                                Ok(m) if m.is_symlink() => Found::Gone(path),
                                _ => Found::Changed,
                            }
                        }
                    },
                )
                .collect();
            // A run read whole from the index, for a voice tally: the
            // readers group its voice from the entries' bytes, and its
            // first record carries the group (the records' own voices are
            // left empty). Anything else (an entry in the delta, a corrupt
            // one, a record that changed) and each record's voice is read.
            let mut part = None;
            // (An entry in the delta is found first: the rows are not read twice.)
            let fold = fold.filter(|_| {
                want.voice && !keep && fresh.len() == r.len() && !ix.any_in_delta(&fresh)
            });
            let mut indexed = match fold {
                Some(fold) => {
                    let lean = Want {
                        voice: false,
                        ..want.with_row()
                    };
                    let rows: Vec<_> = ix.read_many(&fresh, lean, keep, bufs).collect();
                    let mut folding = fold.begin();
                    let named = |k: usize| rows[k].as_ref().map(|(s, _)| s.row.name.as_str());
                    if rows.iter().all(Result::is_ok)
                        && ix
                            .walk_voice(&fresh, bufs, &mut folding, |f, k| {
                                f.record(named(k).unwrap_or_default())
                            })
                            .is_ok()
                    {
                        part = Some(folding.finish());
                        grouped.fetch_add(1, Ordering::Relaxed);
                        rows
                    } else {
                        ix.read_many(&fresh, want, keep, bufs).collect()
                    }
                }
                None => ix.read_many(&fresh, want, keep, bufs).collect(),
            }
            .into_iter();
            let got = |(i, found): (usize, Found)| match found {
                Found::Fresh => match indexed.next() {
                    Some(Ok((mut summary, bytes))) => {
                        if let Some(p) = part.take() {
                            summary.voice.set_part(p);
                        }
                        Got::Fresh(
                            super::Read {
                                summary,
                                bytes,
                                key: None,
                            }
                            .map(map, names),
                        )
                    }
                    // An entry that will not read: the file is parsed.
                    _ => Got::Parsed(parse(i)),
                },
                Found::Changed => Got::Parsed(parse(i)),
                Found::Gone(path) => Got::Gone(not_regular(&path)),
            };
            out.extend(r.clone().zip(found).map(got));
            out
        };
        let mut names: Vec<(String, usize)> = Vec::new();
        let mut collect_names = lookup_wanted;
        let mut rewrite = Rewrite {
            writer: None,
            added: 0,
            pending: Vec::new(),
            begun: false,
        };
        let room = index::delta_most(n).saturating_sub(ix.delta_len());
        let mut problems = Vec::new();
        let mut gone = Vec::new();
        // Positions not handed out fresh before a new index was begun: their
        // old entries are not copied into it.
        let mut not_fresh: Vec<usize> = Vec::new();
        let (mut fresh, mut parsed, mut done) = (0usize, 0usize, 0usize);
        let mut bar: Option<indicatif::ProgressBar> = None;
        let mut bufs = index::Buffers::default();
        // An entry that will not read whole (a corrupt part this command
        // did not need) is made again from its file for the new index:
        // its lowercased name, key and bytes.
        let reparse = |i: usize| -> Option<Copied> {
            let r = self
                .parse_one(folder.as_ref(), ix.id(i), true, Want::ROWS)
                .ok()?;
            Some((r.summary.row.name.as_str().to_lowercase(), r.key?, r.bytes?))
        };
        let threads = parallel::threads();
        let chunks = parallel::chunks_of(n, threads, 64, CHUNK);
        let mut consume = |range: Range<usize>, mut gots: Vec<Got<T>>| {
            done += range.len();
            for (i, got) in range.zip(gots.drain(..)) {
                let read = match got {
                    Got::Fresh(read) => {
                        fresh += 1;
                        read
                    }
                    Got::Parsed(Ok(read)) => {
                        parsed += 1;
                        read
                    }
                    Got::Parsed(Err(e)) => {
                        parsed += 1;
                        problems.push(e);
                        not_fresh.push(i);
                        continue;
                    }
                    Got::Gone(e) => {
                        gone.push(e);
                        not_fresh.push(i);
                        continue;
                    }
                };
                // Something learned: a few changed records' entries go in a
                // delta beside the index; more, or a new name (the lookup
                // would miss it), and a new index is written, with what
                // came before.
                let mut read = read;
                if !rewrite.begun
                    && let Some(key) = read.key
                {
                    let delta = match read.bytes.take() {
                        Some(raw)
                            if rewrite.pending.len() < room
                                && same_name(ix, i, &raw, &mut bufs) =>
                        {
                            rewrite.pending.push((i, key, raw));
                            None
                        }
                        raw => Some(raw),
                    };
                    if let Some(raw) = delta {
                        read.bytes = raw;
                        // Every entry's bytes now pass through memory once.
                        super::no_huge_pages();
                        rewrite.begun = true;
                        rewrite.writer = index::Writer::create(&self.root, fp, started, n).ok();
                        writing.store(true, Ordering::Relaxed);
                        let catch_up = !collect_names;
                        collect_names = true;
                        let names = catch_up.then_some(&mut names);
                        let before: Vec<usize> = (0..i)
                            .filter(|p| not_fresh.binary_search(p).is_err())
                            .collect();
                        copy_entries(ix, &before, &mut rewrite, names, &mut bufs, &reparse);
                    }
                }
                // A fresh entry read before the new index was begun comes
                // without its bytes (and maybe its name): they are read again.
                let mut again = match (&read.bytes, &read.name) {
                    (None, _) if rewrite.writer.is_some() => Some(true),
                    (_, None) if collect_names => Some(false),
                    _ => None,
                }
                .and_then(|keep| ix.read_many(&[i], Want::ROWS, keep, &mut bufs).next())
                .and_then(|r| r.ok());
                let name = read.name.or_else(|| {
                    let again = again.as_ref()?;
                    Some(again.0.row.name.as_str().to_lowercase())
                });
                if rewrite.writer.is_some() {
                    let (copied, made) = match read.bytes {
                        None => match again.take().and_then(|(_, raw)| raw) {
                            Some(raw) => (Some(raw), None),
                            None => (None, reparse(i)),
                        },
                        Some(_) => (None, None),
                    };
                    let (key, copied) = match made {
                        Some((_, key, raw)) => (Some(key), Some(raw)),
                        None => (read.key.or_else(|| ix.key(i, &mut bufs)), copied),
                    };
                    let added = match (read.bytes.as_ref().or(copied.as_ref()), key) {
                        (Some(bytes), Some(key)) => rewrite
                            .writer
                            .as_mut()
                            .is_some_and(|w| w.add(ix.id(i), key, bytes).is_ok()),
                        _ => false,
                    };
                    if added {
                        rewrite.added += 1;
                    } else {
                        // The index is a cache: it is not written, that is all.
                        rewrite.writer = None;
                    }
                }
                if collect_names && let Some(name) = name {
                    names.push((name, i));
                }
                if let Some(out) = read.out {
                    each(out);
                }
            }
            if bar.is_none() && parsed >= PROGRESS_FROM {
                // Thousands of files changed in place: a long read after all.
                super::no_huge_pages();
                bar = Some(progress(n));
            }
            if let Some(b) = &bar {
                b.set_position(done as u64);
            }
            spare.give(gots);
        };
        parallel::in_order(&chunks, threads, 1, work, |r, got| {
            consume(
                r.clone(),
                got.unwrap_or_else(|p| std::panic::resume_unwind(p)),
            );
        });
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        // A file that could not be stat'ed is not listed: the folder's key
        // is not recorded, so the next scan lists it and warns again.
        let clean = gone.is_empty();
        let whole = rewrite.added == n;
        let dir_now = Some(dir_key).filter(|k| clean && k.settled(started));
        let wrote = std::thread::scope(|s| {
            if let (Some(dir), true) = (dir_now, rewrite.writer.is_some() || lookup_wanted) {
                s.spawn(move || {
                    let ids: Vec<&str> = (0..n).map(|i| ix.id(i)).collect();
                    lookup::write(&self.root, fp, dir, started, &ids, names)
                });
            }
            match rewrite.writer {
                Some(w) => w.finish(dir_now.filter(|_| whole)).is_ok().then_some("yes"),
                // Only a few records changed, and kept their names: their
                // entries go beside the index. Its listing is still the
                // folder's while every record file has a fresh entry.
                None if !rewrite.begun && !rewrite.pending.is_empty() => ix
                    .write_delta(
                        started,
                        dir_now.filter(|_| not_fresh.is_empty()),
                        &rewrite.pending,
                        &not_fresh,
                    )
                    .is_ok()
                    .then_some("delta"),
                None => None,
            }
        });
        if config::debug_index() {
            let grouped = match fold {
                Some(_) => format!(", voices grouped: {} runs", grouped.load(Ordering::Relaxed)),
                None => String::new(),
            };
            crate::output::status(&format!(
                "index: {fresh} fresh, {parsed} parsed, written: {}, listed: from the index{grouped}",
                wrote.unwrap_or("no"),
            ));
        }
        gone.extend(problems);
        Ok(gone)
    }
}

/// True when entry `i` of the index has the name the changed record's
/// entry `raw` has (so the lookup, which a delta leaves as it is, still
/// finds it by name).
pub(super) fn same_name(ix: &Index, i: usize, raw: &index::Raw, bufs: &mut index::Buffers) -> bool {
    let old = ix.read_many(&[i], Want::ROWS, false, bufs).next();
    match (old, index::name_in(raw)) {
        (Some(Ok((s, _))), Some(new)) => s.row.name.as_str() == new,
        _ => false,
    }
}

/// An entry for a new index: the record's lowercased name, key and bytes.
type Copied = (String, Key, index::Raw);

/// Adds the entries at positions `at` to the new index: those of records
/// that changed from the delta pending (which is emptied), the others
/// copied from the old index (or, when one will not read, made again from
/// its file by `reparse`); and (with `names`) each one's lowercased name.
fn copy_entries(
    ix: &Index,
    at: &[usize],
    rewrite: &mut Rewrite,
    mut names: Option<&mut Vec<(String, usize)>>,
    bufs: &mut index::Buffers,
    reparse: &dyn Fn(usize) -> Option<Copied>,
) {
    let changed: Vec<usize> = rewrite.pending.iter().map(|p| p.0).collect();
    let mut pending = std::mem::take(&mut rewrite.pending).into_iter().peekable();
    for at in at.chunks(CHUNK) {
        let copied: Vec<usize> = at
            .iter()
            .copied()
            .filter(|i| changed.binary_search(i).is_err())
            .collect();
        let keys: Vec<Option<Key>> = copied.iter().map(|&i| ix.key(i, bufs)).collect();
        let mut reads =
            ix.read_many(&copied, Want::ROWS, true, bufs)
                .zip(keys)
                .map(|(got, key)| match got {
                    Ok((summary, Some(raw))) => {
                        Some((summary.row.name.as_str().to_lowercase(), key, raw))
                    }
                    _ => None,
                });
        for &i in at {
            while pending.next_if(|p| p.0 < i).is_some() {}
            let got = match pending.next_if(|p| p.0 == i) {
                Some((_, key, raw)) => {
                    index::name_in(&raw).map(|n| (n.to_lowercase(), Some(key), raw))
                }
                // One that will not read is made again from its file.
                None => reads
                    .next()
                    .flatten()
                    .filter(|got| got.1.is_some())
                    .or_else(|| reparse(i).map(|(name, key, raw)| (name, Some(key), raw))),
            };
            let Some(w) = rewrite.writer.as_mut() else {
                return;
            };
            let added = match got {
                Some((name, Some(key), raw)) => {
                    if let Some(names) = names.as_deref_mut() {
                        names.push((name, i));
                    }
                    w.add(ix.id(i), key, &raw).is_ok()
                }
                _ => false,
            };
            if !added {
                rewrite.writer = None;
                return;
            }
            rewrite.added += 1;
        }
    }
}

/// The key of the record file `id` in the open folder, if it can be stat'ed
/// and is (or links to) a regular file.
pub(super) fn stat(folder: &fs::File, id: &str, name: &mut Vec<u8>) -> Option<Key> {
    let c = crate::store::safety::record_name(name, id)?;
    let st = rustix::fs::statat(folder, c, rustix::fs::AtFlags::empty()).ok()?;
    let regular =
        rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::RegularFile;
    regular.then(|| Key::from_stat(&st))
}
