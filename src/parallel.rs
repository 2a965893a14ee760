//! Work over chunks on every core, with the results taken in chunk order on
//! the calling thread while later chunks are still being worked on.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

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

/// Runs `work` on each of `chunks` on `threads` threads and calls `take`
/// with each chunk's result in chunk order on this thread. A thread takes
/// the next chunk nobody has taken (keeping its own `S` from one chunk to
/// the next), so a thread slowed by anything else on the machine holds up
/// only its own chunk, not every n-th one. Besides the chunk being taken,
/// at most `threads × (ahead + 1)` chunks (`ahead` at least 1) are worked
/// on or wait at once, so memory stays bounded. Work that panicked is
/// taken as `Err`, and its thread goes on with the next chunk; a chunk left
/// without a thread (they all ended) is an `Err` too. With one thread or one
/// chunk, everything runs on this thread.
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
    // Chunks handed out may run this far past the first one not yet taken.
    let window = threads * (ahead.max(1) + 1);
    let shared = Shared {
        window: Mutex::new(Window {
            next: 0,
            taken: 0,
            stopped: false,
            alive: 0,
            done: VecDeque::new(),
        }),
        ready: Condvar::new(),
        room: Condvar::new(),
    };
    std::thread::scope(|s| {
        // Ends the workers if this thread stops early: `take` panicked, or a
        // thread could not be made (they would wait for room forever).
        let _stop = Stop(&shared);
        for _ in 0..threads {
            let (work, shared) = (&work, &shared);
            shared.lock().alive += 1;
            s.spawn(move || {
                // However the thread ends, the taking thread hears of it.
                let _leave = Leave(shared);
                let mut state = S::default();
                loop {
                    let k = {
                        let mut w = shared.lock();
                        loop {
                            if w.stopped || w.next >= chunks.len() {
                                return;
                            }
                            if w.next < w.taken + window {
                                break;
                            }
                            w = shared.room.wait(w).unwrap_or_else(PoisonError::into_inner);
                        }
                        w.next += 1;
                        w.next - 1
                    };
                    let done =
                        std::panic::catch_unwind(AssertUnwindSafe(|| work(&chunks[k], &mut state)));
                    let mut w = shared.lock();
                    let at = k - w.taken;
                    if w.done.len() <= at {
                        w.done.resize_with(at + 1, || None);
                    }
                    w.done[at] = Some(done);
                    drop(w);
                    shared.ready.notify_one();
                }
            });
        }
        for c in chunks {
            let done = {
                let mut w = shared.lock();
                while !matches!(w.done.front(), Some(Some(_))) && w.alive > 0 {
                    w = shared.ready.wait(w).unwrap_or_else(PoisonError::into_inner);
                }
                w.taken += 1;
                w.done.pop_front().flatten()
            };
            shared.room.notify_all();
            take(
                c,
                done.unwrap_or_else(|| Err(Box::new("a worker thread ended early"))),
            );
        }
    });
}

/// What the threads of [`in_order`] share.
struct Shared<R> {
    window: Mutex<Window<R>>,
    /// A chunk's result came in (the taking thread waits for it).
    ready: Condvar,
    /// A result was taken, or the work stopped (the workers wait for it).
    room: Condvar,
}

struct Window<R> {
    /// The next chunk to hand out.
    next: usize,
    /// How many chunks' results were taken.
    taken: usize,
    /// The taking thread is gone: the workers stop.
    stopped: bool,
    /// Worker threads not yet ended.
    alive: usize,
    /// The results of chunks `taken..`, as they come in.
    done: VecDeque<Option<std::thread::Result<R>>>,
}

impl<R> Shared<R> {
    fn lock(&self) -> MutexGuard<'_, Window<R>> {
        self.window.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Counts a worker thread out when dropped (as it ends, or unwinds).
struct Leave<'a, R>(&'a Shared<R>);

impl<R> Drop for Leave<'_, R> {
    fn drop(&mut self) {
        self.0.lock().alive -= 1;
        self.0.ready.notify_one();
    }
}

/// Stops the workers when dropped.
struct Stop<'a, R>(&'a Shared<R>);

impl<R> Drop for Stop<'_, R> {
    fn drop(&mut self) {
        self.0.lock().stopped = true;
        self.0.room.notify_all();
    }
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

    /// A slow chunk holds up only itself: the others go on within the
    /// window, never past it, and the results still come in order.
    #[test]
    fn chunks_go_to_whichever_thread_is_free_within_the_window() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let chunks: Vec<usize> = (0..200).collect();
        for (threads, ahead) in [(2, 1), (2, 4), (3, 2)] {
            let window = threads * (ahead + 1);
            let taken = AtomicUsize::new(0);
            let mut seen = Vec::new();
            in_order(
                &chunks,
                threads,
                ahead,
                |&c: &usize, _: &mut ()| {
                    // One more: a result is counted taken just before `take` runs.
                    let bound = taken.load(Ordering::SeqCst) + window + 1;
                    assert!(c < bound, "chunk {c} past the window");
                    if c % 50 == 3 {
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    c
                },
                |_, r| {
                    seen.push(r.ok());
                    taken.fetch_add(1, Ordering::SeqCst);
                },
            );
            let want: Vec<Option<usize>> = chunks.iter().map(|&c| Some(c)).collect();
            assert_eq!(seen, want, "{threads} threads, {ahead} ahead");
        }
    }

    /// Workers that end before the work is done (here: their state will not
    /// make itself) leave every chunk an `Err` and nobody waiting; the
    /// scope then reports their panic.
    #[test]
    fn workers_that_end_early_leave_errors_not_a_wait() {
        struct Broken;
        impl Default for Broken {
            fn default() -> Broken {
                panic!("no state")
            }
        }
        let chunks: Vec<usize> = (0..40).collect();
        let errs = std::cell::Cell::new(0);
        let got = std::panic::catch_unwind(AssertUnwindSafe(|| {
            in_order(
                &chunks,
                2,
                1,
                |&c: &usize, _: &mut Broken| c,
                |_, r| errs.set(errs.get() + usize::from(r.is_err())),
            );
        }));
        assert!(got.is_err());
        assert_eq!(errs.get(), chunks.len());
    }

    /// A panic where the results are taken ends the work (no thread is left
    /// waiting for room) and reaches the caller.
    #[test]
    fn a_panic_while_taking_ends_the_work() {
        let chunks: Vec<usize> = (0..100).collect();
        let got = std::panic::catch_unwind(|| {
            in_order(
                &chunks,
                2,
                1,
                |&c: &usize, _: &mut ()| c,
                |&c, _| assert!(c != 5, "taking chunk 5"),
            );
        });
        assert!(got.is_err());
    }
}
