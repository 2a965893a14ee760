//! Work over chunks on every core, with the results taken in chunk order on
//! the calling thread while later chunks are still being worked on.

use std::panic::AssertUnwindSafe;

/// How many threads to use: the cores this process may run on, at most 8.
pub fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
}

/// Buffers a chunk's work fills and the thread that takes it gives back,
/// for a later chunk: at 100,000 records, a fresh buffer for every chunk is
/// many megabytes of memory never used before, which costs more than the
/// work done in it.
#[derive(Default)]
pub struct Spare<T>(std::sync::Mutex<Vec<T>>);

impl<T: Default> Spare<T> {
    /// A buffer given back, or a new one.
    pub fn take(&self) -> T {
        self.0
            .lock()
            .ok()
            .and_then(|mut s| s.pop())
            .unwrap_or_default()
    }

    /// Gives a buffer back (emptied by the caller).
    pub fn give(&self, buf: T) {
        if let Ok(mut s) = self.0.lock() {
            s.push(buf);
        }
    }
}

/// Chunks of `0..n` for `in_order` when each item is a whole record to
/// read: small enough that every core has several, at most 256.
pub fn chunks(n: usize, threads: usize) -> Vec<std::ops::Range<usize>> {
    chunks_of(n, threads, 16, 256)
}

/// Chunks of `0..n`: four per thread, each between `least` and `most` long.
pub fn chunks_of(
    n: usize,
    threads: usize,
    least: usize,
    most: usize,
) -> Vec<std::ops::Range<usize>> {
    let size = n.div_ceil(threads * 4).clamp(least, most);
    (0..n).step_by(size).map(|a| a..(a + size).min(n)).collect()
}

/// Runs `work` on each of `chunks` on `threads` threads (each takes every
/// n-th chunk and keeps its own `S` from one chunk to the next) and calls
/// `take` with each chunk's result in chunk order on this thread. At most
/// `ahead` finished chunks wait per thread, so memory stays bounded. Work
/// that panicked is taken as `Err`, and its thread goes on with the next
/// chunk. With one thread or one chunk, everything runs on this thread.
pub fn in_order<C, S, R>(
    chunks: &[C],
    threads: usize,
    ahead: usize,
    work: impl Fn(&C, &mut S) -> R + Sync,
    mut take: impl FnMut(&C, std::thread::Result<R>),
) where
    C: Sync,
    S: Default,
    R: Send,
{
    if threads <= 1 || chunks.len() < 2 {
        let mut state = S::default();
        for c in chunks {
            take(c, Ok(work(c, &mut state)));
        }
        return;
    }
    std::thread::scope(|s| {
        let mut from = Vec::with_capacity(threads);
        for w in 0..threads {
            let (tx, rx) = std::sync::mpsc::sync_channel(ahead);
            from.push(rx);
            let work = &work;
            s.spawn(move || {
                let mut state = S::default();
                for c in chunks.iter().skip(w).step_by(threads) {
                    let done = std::panic::catch_unwind(AssertUnwindSafe(|| work(c, &mut state)));
                    if tx.send(done).is_err() {
                        break;
                    }
                }
            });
        }
        for (i, c) in chunks.iter().enumerate() {
            let done = from[i % threads]
                .recv()
                .unwrap_or_else(|_| Err(Box::new("a worker thread ended early")));
            take(c, done);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_chunk_order_and_a_panic_is_an_err() {
        let chunks: Vec<usize> = (0..50).collect();
        for threads in [1, 2, 3] {
            let mut seen = Vec::new();
            in_order(
                &chunks,
                threads,
                1,
                |c: &usize, calls: &mut usize| {
                    *calls += 1;
                    assert!(*c != 7 || threads == 1, "chunk 7");
                    c * 10
                },
                |c, r| seen.push((*c, r.ok())),
            );
            let want: Vec<(usize, Option<usize>)> = chunks
                .iter()
                .map(|c| (*c, (*c != 7 || threads == 1).then_some(c * 10)))
                .collect();
            assert_eq!(seen, want, "{threads} threads");
        }
    }
}
