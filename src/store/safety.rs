//! What keeps a write safe: a lock wait that speaks and gives up, never
//! writing outside the folder, never saving a file the reader would refuse,
//! and clearing the temp files of writes that were killed.

use super::show;
use crate::{config, yaml};
use anyhow::{Context, Result, anyhow, bail};
use std::fs::{self, File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Refuses to replace a record file its owner may not write (`chmod a-w`):
/// a file made read-only is left as it is, as an editor would, though the
/// folder would let a new file be renamed over it.
pub(super) fn refuse_read_only(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.permissions().mode() & 0o200 == 0 => bail!(
            "{} is read-only, so salesproc leaves it as it is\nhint: `chmod u+w {}` lets salesproc change it",
            show(path),
            show(path)
        ),
        _ => Ok(()),
    }
}

/// Temp files older than this were left by a killed write.
const STALE_AFTER: Duration = Duration::from_secs(60);
/// A wait on the lock is announced after this long.
const ANNOUNCE_AFTER: Duration = Duration::from_secs(1);

/// Takes the lock on `path`, polling: after a second it says who holds it,
/// and it gives up after `SALESPROC_LOCK_TIMEOUT` seconds (default 30).
pub(super) fn acquire(path: &Path) -> Result<File> {
    let mut f = File::options()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(path)
        .with_context(|| format!("could not open the lock file {}", show(path)))?;
    let limit = Duration::from_secs_f64(config::lock_timeout_secs().min(1e9));
    let start = Instant::now();
    let mut announced = false;
    let mut pause = Duration::from_millis(2);
    loop {
        match f.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("could not lock {}", show(path)));
            }
        }
        let waited = start.elapsed();
        if waited >= limit {
            bail!(
                "gave up after {:.0} s waiting for another salesproc to finish ({}); nothing was changed\nhint: let the other salesproc finish, or stop it; SALESPROC_LOCK_TIMEOUT sets the wait in seconds",
                limit.as_secs_f64(),
                holder(&mut f, path)
            );
        }
        if !announced && waited >= ANNOUNCE_AFTER {
            announced = true;
            crate::output::status(&format!(
                "waiting for another salesproc to finish ({})",
                holder(&mut f, path)
            ));
        }
        std::thread::sleep(pause.min(limit.saturating_sub(waited)));
        pause = (pause * 2).min(Duration::from_millis(50));
    }
    // Who holds the lock, for the next waiter's message.
    let _ = f
        .set_len(0)
        .and_then(|_| f.rewind())
        .and_then(|_| writeln!(f, "{}", std::process::id()));
    Ok(f)
}

/// `lock held on PATH by process N`.
fn holder(f: &mut File, path: &Path) -> String {
    let mut pid = String::new();
    let _ = f.rewind().and_then(|_| f.read_to_string(&mut pid));
    match pid.trim().parse::<u32>() {
        Ok(n) => format!("lock held on {} by process {n}", show(path)),
        Err(_) => format!("lock held on {}", show(path)),
    }
}

/// Refuses a write to `path` when it (or, for a path that does not exist
/// yet, its folder) resolves outside `root`, through a symlinked
/// `prospects/` or record file.
pub(super) fn refuse_outside(root: &Path, path: &Path) -> Result<()> {
    let Ok(top) = fs::canonicalize(root) else {
        // No folder yet: it is created here, so nothing can lead outside it.
        return Ok(());
    };
    let resolved = resolve(path, 0);
    if resolved.starts_with(&top) {
        return Ok(());
    }
    bail!(
        "refusing to write {}: it resolves to {}, outside the pipeline folder {}; nothing was changed\nhint: prospects/ and the record files must be real folders and files inside the pipeline folder (replace the symlink with a copy)",
        show(path),
        resolved.display(),
        show(root)
    )
}

/// Where `path` leads, following every symlink, also for paths that do not
/// exist (yet) and for dangling links.
fn resolve(path: &Path, depth: usize) -> PathBuf {
    if let Ok(p) = fs::canonicalize(path) {
        return p;
    }
    if depth < 40
        && let Ok(target) = fs::read_link(path)
    {
        let parent = path.parent().unwrap_or(Path::new("."));
        return resolve(&parent.join(target), depth + 1);
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if depth < 40 && !parent.as_os_str().is_empty() => {
            resolve(parent, depth + 1).join(name)
        }
        _ => std::env::current_dir().unwrap_or_default().join(path),
    }
}

/// Refuses to save text the reader would refuse (too large, too many values).
pub(super) fn refuse_unreadable(path: &Path, text: &str) -> Result<()> {
    yaml::check_limits(text).map_err(|e| {
        anyhow!(
            "not saved: the new text of {} would be {}, so salesproc could not read it back; nothing was changed\nhint: move old history or long answers out of this record (e.g. to a file next to it)",
            show(path),
            e.message
        )
    })
}

/// Removes `.salesproc-*.tmp` files older than a minute from `dirs`: only a
/// write killed midway leaves one, and writes happen under the lock.
pub(super) fn remove_stale_temps(dirs: &[PathBuf]) {
    for dir in dirs {
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if !(name.starts_with(".salesproc-") && name.ends_with(".tmp")) {
                continue;
            }
            let stale = e.metadata().is_ok_and(|m| {
                m.is_file()
                    && m.modified()
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age >= STALE_AFTER)
            });
            if stale {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// Reads a file only when it is a regular file (checked on the open file, so
/// a FIFO swapped in after the listing cannot block).
pub fn read_regular(path: &Path) -> Result<Vec<u8>> {
    read_regular_keyed(path).map(|(bytes, _)| bytes)
}

/// As [`read_regular`], with the file's key (for the summary index) taken
/// from the open file, so it is the key of exactly what was read.
pub fn read_regular_keyed(path: &Path) -> Result<(Vec<u8>, crate::index::Key)> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::File::options()
        .read(true)
        .custom_flags(libc_nonblock())
        .open(path)
        .map_err(|e| anyhow!("could not read {}: {e}", show(path)))?;
    let meta = f
        .metadata()
        .map_err(|e| anyhow!("could not read {}: {e}", show(path)))?;
    readable(meta.is_file(), meta.len(), path)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.read_to_end(&mut bytes)
        .map_err(|e| anyhow!("could not read {}: {e}", show(path)))?;
    Ok((bytes, crate::index::Key::of(&meta)))
}

/// A record file may be read only when it is a regular file within the size limit.
fn readable(regular: bool, len: u64, path: &Path) -> Result<()> {
    if !regular {
        bail!(
            "{} is not a regular file\nhint: move it out of prospects/; records are plain files",
            show(path)
        );
    }
    if len > crate::yaml::MAX_BYTES as u64 {
        bail!(
            "could not read {}: too large ({len} bytes; the limit is {} MiB)",
            show(path),
            crate::yaml::MAX_BYTES / (1024 * 1024)
        );
    }
    Ok(())
}

/// The C name of record `id`'s file (`ID.yaml`), made in `buf` (kept by the
/// caller, so 100,000 names make no allocation); `None` for an id holding a NUL.
pub fn record_name<'a>(buf: &'a mut Vec<u8>, id: &str) -> Option<&'a std::ffi::CStr> {
    buf.clear();
    buf.extend_from_slice(id.as_bytes());
    buf.extend_from_slice(b".yaml\0");
    std::ffi::CStr::from_bytes_with_nul(buf).ok()
}

/// As [`read_regular_keyed`], for the file `name` in the folder open as
/// `dir`, into `bytes` (emptied first): the kernel walks one name, not the
/// whole path; the file is read to the size its `fstat` gave (the bytes the
/// key describes), with no probe for the end; and a buffer used again from
/// one record to the next is neither zeroed nor allocated anew. `path`
/// makes its path for a message.
pub fn read_regular_into(
    dir: &File,
    name: &std::ffi::CStr,
    path: impl Fn() -> std::path::PathBuf,
    bytes: &mut Vec<u8>,
) -> Result<crate::index::Key> {
    use rustix::fs::{FileType, Mode, OFlags};
    let failed = |e: &dyn std::fmt::Display| anyhow!("could not read {}: {e}", show(&path()));
    let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = rustix::fs::openat(dir, name, flags, Mode::empty()).map_err(|e| failed(&e))?;
    let st = rustix::fs::fstat(&fd).map_err(|e| failed(&e))?;
    let len = st.st_size as u64;
    let regular = FileType::from_raw_mode(st.st_mode) == FileType::RegularFile;
    if !regular || len > crate::yaml::MAX_BYTES as u64 {
        readable(regular, len, &path())?;
    }
    let f = File::from(fd);
    bytes.clear();
    // Room for the whole file and a probe's worth more, so the read goes
    // straight in; `take` stops at the size without another call.
    bytes.reserve(len as usize + 64);
    if len > 0 {
        (&f).take(len).read_to_end(bytes).map_err(|e| failed(&e))?;
    } else {
        // A file whose size the folder does not report: read to the end.
        (&f).read_to_end(bytes).map_err(|e| failed(&e))?;
    }
    Ok(crate::index::Key::from_stat(&st))
}

/// Opens a cache file (`.salesproc/index`, `.salesproc/lookup`) only when
/// it is a regular file: a FIFO put in its place cannot block.
pub fn open_regular(path: &Path) -> Option<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let f = std::fs::File::options()
        .read(true)
        .custom_flags(libc_nonblock())
        .open(path)
        .ok()?;
    f.metadata().ok()?.is_file().then_some(f)
}

/// `O_NONBLOCK` (Linux): opening a FIFO for reading then returns at once.
const fn libc_nonblock() -> i32 {
    if cfg!(any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "aarch64",
        target_arch = "arm",
        target_arch = "riscv64"
    )) {
        0o4000
    } else {
        0
    }
}
