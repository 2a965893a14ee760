//! Reading every record as a summary: from the index where it is fresh, by
//! parsing (on every core) where it is not, in id order and a chunk at a
//! time, so memory stays bounded whatever the folder's size.

use super::{Store, show};
use crate::index::{self, Index, Key};
use crate::lookup::{self, Lookup};
use crate::summary::{Row, Summary, Want};
use crate::{config, slug};
use anyhow::{Result, anyhow};
use std::fs;
use std::path::Path;

/// The marker a listing leaves in `.salesproc/` when it saw a temp file of a
/// killed write in `prospects/`: the next write then sweeps the folder.
pub const TEMPS_SEEN: &str = "temps-seen";

/// Records are handled this many at a time.
const CHUNK: usize = 2048;
/// A progress bar is shown (on a terminal) when at least this many files must be parsed.
const PROGRESS_FROM: usize = 5000;

/// The record files of `prospects/`, and what is wrong with the other files there.
pub struct Listing {
    /// Ids of regular `*.yaml` files whose stem is a valid id, sorted.
    pub ids: Vec<String>,
    /// Files that look like records but are skipped (not a regular file,
    /// not a valid id, `.yml`), each with what to do.
    pub problems: Vec<anyhow::Error>,
}

/// Lists `dir`; a missing folder is empty.
pub fn list(dir: &Path) -> Result<Listing> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Listing {
                ids: Vec::new(),
                problems: Vec::new(),
            });
        }
        Err(e) => return Err(anyhow!("could not list {}: {e}", show(dir))),
    };
    let mut ids = Vec::new();
    let mut problems = Vec::new();
    let mut temps = false;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
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
        let path = entry.path();
        let regular = match entry.file_type() {
            Ok(t) if t.is_file() => true,
            // A symlinked record may be read when it points at a regular file.
            Ok(t) if t.is_symlink() => fs::metadata(&path).is_ok_and(|m| m.is_file()),
            _ => false,
        };
        if !regular {
            problems.push(anyhow!(
                "{} is not a regular file\nhint: move it out of prospects/; records are plain files",
                show(&path)
            ));
        } else if ext == "yml" || !slug::is_slug(stem) {
            let to = format!("{}.yaml", slug::slugify(stem));
            problems.push(anyhow!(
                "{} is not read: record files are named ID.yaml with a lowercase id\nhint: rename it to prospects/{to}",
                show(&path)
            ));
        } else {
            ids.push(stem.to_string());
        }
    }
    ids.sort_unstable();
    if temps && let Some(root) = dir.parent() {
        let marker = root.join(crate::index::DIR);
        if std::fs::create_dir_all(&marker).is_ok() {
            let _ = std::fs::write(marker.join(TEMPS_SEEN), "");
        }
    }
    Ok(Listing { ids, problems })
}

enum Source {
    /// The position of a fresh entry in the index.
    Indexed(usize),
    Parse,
}

/// One record after reading: its summary and, for the index, its encoding.
struct Read {
    summary: Summary,
    bytes: Option<index::Raw>,
}

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
    pub fn scan(&self, want: Want, mut each: impl FnMut(Summary)) -> Result<Vec<anyhow::Error>> {
        let listing = list(&self.prospects_dir())?;
        let mut problems = listing.problems;
        let ids = listing.ids;
        let use_index = config::index_enabled();
        let fp = self.index_fingerprint();
        let started = index::now_nanos();
        let mut idx = if use_index {
            Index::open(&self.root, fp)
        } else {
            None
        };
        let keys = stat_all(&self.prospects_dir(), &ids);
        let sources: Vec<Source> = match idx.as_ref() {
            Some(ix) => ix
                .fresh(&ids, &keys)
                .into_iter()
                .map(|f| f.map_or(Source::Parse, Source::Indexed))
                .collect(),
            None => ids.iter().map(|_| Source::Parse).collect(),
        };
        let to_parse = sources
            .iter()
            .filter(|s| matches!(s, Source::Parse))
            .count();
        let fresh = ids.len() - to_parse;
        let mut writer =
            if use_index && (idx.as_ref().is_none_or(|ix| ix.len() != fresh) || to_parse > 0) {
                index::Writer::create(&self.root, fp, started).ok()
            } else {
                None
            };
        let mut names: Option<Vec<(String, String)>> = (use_index
            && (writer.is_some() || Lookup::wanted(&self.root, fp)))
        .then(|| Vec::with_capacity(ids.len()));
        let bar = progress(to_parse);
        for ((ids, keys), sources) in ids
            .chunks(CHUNK)
            .zip(keys.chunks(CHUNK))
            .zip(sources.chunks(CHUNK))
        {
            let mut out: Vec<Option<Read>> = Vec::with_capacity(ids.len());
            let mut parse: Vec<usize> = Vec::new();
            for (i, src) in sources.iter().enumerate() {
                let got = match (src, idx.as_mut()) {
                    (Source::Indexed(pos), Some(ix)) => {
                        let mut raw = writer.is_some().then(index::Raw::default);
                        ix.read(*pos, want, raw.as_mut()).ok().map(|summary| Read {
                            summary,
                            bytes: raw,
                        })
                    }
                    _ => None,
                };
                if got.is_none() {
                    parse.push(i);
                }
                out.push(got);
            }
            let parsed = self.parse_many(ids, &parse, writer.is_some());
            bar.inc(parse.len() as u64);
            for (i, r) in parse.into_iter().zip(parsed) {
                match r {
                    Ok(read) => out[i] = Some(read),
                    Err(e) => problems.push(e),
                }
            }
            for ((id, key), read) in ids.iter().zip(keys).zip(out) {
                let Some(read) = read else { continue };
                if let (Some(w), Some(bytes), Some(key)) = (writer.as_mut(), &read.bytes, key)
                    && w.add(id, *key, bytes).is_err()
                {
                    writer = None;
                }
                if let Some(n) = names.as_mut() {
                    n.push((id.clone(), read.summary.row.name.clone()));
                }
                each(read.summary);
            }
        }
        bar.finish_and_clear();
        drop(idx);
        let wrote = match writer {
            // The index is a cache: failing to write it changes no result.
            Some(w) => w.finish().is_ok(),
            None => false,
        };
        if let Some(n) = names {
            let _ = lookup::write(&self.root, fp, n);
        }
        if config::debug_index() {
            crate::output::status(&format!(
                "index: {fresh} fresh, {to_parse} parsed, written: {}",
                if wrote { "yes" } else { "no" }
            ));
        }
        Ok(problems)
    }

    /// Reads and summarizes the records at `which` positions of `ids`, on every core.
    fn parse_many(&self, ids: &[String], which: &[usize], encode: bool) -> Vec<Result<Read>> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        let one = |i: &usize| -> Result<Read> {
            let loaded = self.read(&ids[*i])?;
            let summary = Summary::of(&loaded.id, &loaded.record, &self.process);
            let bytes = if encode {
                Some(index::encode(&summary)?)
            } else {
                None
            };
            Ok(Read { summary, bytes })
        };
        if which.len() < 64 || threads == 1 {
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
        let bad = self.scan(Want::ROWS, |s| rows.push(s.row))?;
        Ok((rows, bad))
    }
}

/// The key of every record file (on every core: a stat each, relative to an
/// open handle on the folder, so the kernel walks one name, not the path).
fn stat_all(dir: &Path, ids: &[String]) -> Vec<Option<Key>> {
    let Ok(handle) = fs::File::open(dir) else {
        return vec![None; ids.len()];
    };
    let one = |id: &String| {
        rustix::fs::statat(
            &handle,
            format!("{id}.yaml").as_str(),
            rustix::fs::AtFlags::empty(),
        )
        .ok()
        .map(|st| Key::from_stat(&st))
    };
    if ids.len() < 4096 {
        return ids.iter().map(one).collect();
    }
    let per = ids.len().div_ceil(2);
    std::thread::scope(|s| {
        let handles: Vec<_> = ids
            .chunks(per)
            .map(|part| s.spawn(move || part.iter().map(one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a stat thread panicked"))
            .collect()
    })
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
