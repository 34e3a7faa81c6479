//! The worker pool: threads pulling unit indices, results handed over on the calling thread;
//! a run keeps one pool across its waves.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

/// Results each worker may have waiting for the sink before it pauses.
const RESULTS_PER_WORKER: usize = 256;

/// How long a paused worker sleeps before it looks again.
const PAUSE: std::time::Duration = std::time::Duration::from_micros(200);

/// Sets its flag when dropped.
struct Close<'a>(&'a AtomicBool);

impl Drop for Close<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// What [`run_parallel`] hands to its sink.
pub(crate) enum Delivery<R> {
    /// The result of `work(index)`.
    Done(usize, R),
    /// No further result is waiting right now: a good moment to write what arrived.
    Drained,
}

/// How many worker threads a run may start: a number (`--jobs`), or one per core, which is
/// asked only when a wave has units to share out (finding it out reads files under `/proc` and
/// `/sys`; a run that loads everything never asks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Jobs {
    /// One per core this process may use ([`cores`]).
    PerCore,
    /// This many (at least one is used).
    Exactly(usize),
}

impl Jobs {
    /// The number of worker threads.
    pub(crate) fn count(self) -> usize {
        match self {
            Jobs::PerCore => cores(),
            Jobs::Exactly(threads) => threads.max(1),
        }
    }
}

/// The worker threads of a run, started once and kept across its waves (none when the run
/// has one thread, or the system refused them: then units run on the calling thread).
pub(crate) struct WorkerPool {
    pool: Option<rayon_core::ThreadPool>,
    jobs: Jobs,
}

impl WorkerPool {
    /// A pool of `jobs` worker threads (started when first used).
    pub(crate) fn new(jobs: Jobs) -> WorkerPool {
        WorkerPool { pool: None, jobs }
    }

    /// The pool's threads, started on first use; `None` for one thread or when the system
    /// refused them.
    fn threads(&mut self) -> Option<&rayon_core::ThreadPool> {
        let threads = self.jobs.count();
        if threads > 1 && self.pool.is_none() {
            self.pool = rayon_core::ThreadPoolBuilder::new()
                .num_threads(threads)
                .thread_name(|index| format!("crystallize-worker-{index}"))
                .build()
                .ok();
        }
        self.pool.as_ref()
    }
}

/// Runs `work(0..count)` on up to `threads` worker threads of a pool started for this call,
/// as [`run_parallel_in`] does.
pub(crate) fn run_parallel<R: Send>(
    count: usize,
    threads: usize,
    cancel: &[&AtomicBool],
    work: impl Fn(usize) -> R + Sync,
    sink: impl FnMut(Delivery<R>),
) -> usize {
    run_parallel_in(
        &mut WorkerPool::new(Jobs::Exactly(threads.min(count.max(1)))),
        count,
        cancel,
        work,
        sink,
    )
}

/// Runs `work(0..count)` on the threads of `pool` (at most `count` of them) and hands each
/// result to `sink` on the calling thread as soon as it is ready (in completion order), with a
/// [`Delivery::Drained`] whenever no further result is waiting. About
/// [`RESULTS_PER_WORKER`] results per worker at most wait for the sink: memory does not grow
/// with `count`.
///
/// Once any flag of `cancel` is set (by `sink`, or by anyone else, such as a user cancelling
/// the run), no further index starts; those already started finish and are delivered. Returns
/// how many indices started. Without worker threads, the units run on the calling thread.
pub(crate) fn run_parallel_in<R: Send>(
    pool: &mut WorkerPool,
    count: usize,
    cancel: &[&AtomicBool],
    work: impl Fn(usize) -> R + Sync,
    mut sink: impl FnMut(Delivery<R>),
) -> usize {
    // One unit or none needs no count of the cores.
    let workers = if count > 1 {
        pool.jobs.count().min(count)
    } else {
        1
    };
    let next = AtomicUsize::new(0);
    let take = || {
        if cancel.iter().any(|flag| flag.load(Ordering::Relaxed)) {
            return None;
        }
        let index = next.fetch_add(1, Ordering::Relaxed);
        (index < count).then_some(index)
    };
    let serial = |sink: &mut dyn FnMut(Delivery<R>)| {
        while let Some(index) = take() {
            let result = work(index);
            sink(Delivery::Done(index, result));
            sink(Delivery::Drained);
        }
    };
    // A wave of one unit (or none, as when everything loaded) runs here: no thread is started
    // for it.
    let started = if workers > 1 { pool.threads() } else { None };
    let threads = match started {
        Some(threads) => threads,
        None => {
            serial(&mut sink);
            return next.load(Ordering::Relaxed).min(count);
        }
    };
    // Workers pause while more than `high` results wait for the sink, until it has taken them
    // down to half: results never pile up in memory, and nobody is woken once per result.
    let high = workers * RESULTS_PER_WORKER;
    let waiting = AtomicUsize::new(0);
    let closed = AtomicBool::new(false);
    let (sender, receiver) = mpsc::channel();
    // The calling thread takes the results while the pool's threads work.
    threads.in_place_scope(|scope| {
        // Set when this closure ends, also by a panicking sink: no worker keeps pausing.
        let _close = Close(&closed);
        for _ in 0..workers {
            let sender = sender.clone();
            let (take, work, waiting, closed) = (&take, &work, &waiting, &closed);
            scope.spawn(move |_| {
                while let Some(index) = take() {
                    let result = work(index);
                    waiting.fetch_add(1, Ordering::AcqRel);
                    if sender.send((index, result)).is_err() {
                        break;
                    }
                    if waiting.load(Ordering::Acquire) > high {
                        while waiting.load(Ordering::Acquire) > high / 2
                            && !closed.load(Ordering::Acquire)
                        {
                            thread::sleep(PAUSE);
                        }
                    }
                }
            });
        }
        drop(sender);
        while let Ok((index, result)) = receiver.recv() {
            waiting.fetch_sub(1, Ordering::AcqRel);
            sink(Delivery::Done(index, result));
            while let Ok((index, result)) = receiver.try_recv() {
                waiting.fetch_sub(1, Ordering::AcqRel);
                sink(Delivery::Done(index, result));
            }
            sink(Delivery::Drained);
        }
    });
    next.load(Ordering::Relaxed).min(count)
}

/// The most worker threads worth starting on this machine: 16 per core. More only waits on
/// the same cores (and can exceed what the system lets a process start).
pub(crate) fn max_jobs() -> usize {
    cores() * 16
}

/// The cores this process may use (its CPU affinity and cgroup quota), asked once: finding out
/// reads several files under `/proc` and `/sys`.
pub(crate) fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_index_is_handed_over_once() {
        let mut seen = vec![0; 100];
        let mut batches = 0;
        let started = run_parallel(
            100,
            4,
            &[&AtomicBool::new(false)],
            |index| index * 2,
            |delivery| match delivery {
                Delivery::Done(index, doubled) => {
                    assert_eq!(doubled, index * 2);
                    seen[index] += 1;
                }
                Delivery::Drained => batches += 1,
            },
        );
        assert!(seen.iter().all(|&count| count == 1));
        assert!(batches >= 1);
        assert_eq!(started, 100);
    }

    #[test]
    fn a_slow_sink_holds_back_the_workers() {
        let waiting = AtomicUsize::new(0);
        let mut most = 0;
        run_parallel(
            2000,
            4,
            &[&AtomicBool::new(false)],
            |index| {
                waiting.fetch_add(1, Ordering::SeqCst);
                index
            },
            |delivery| {
                if let Delivery::Done(..) = delivery {
                    most = most.max(waiting.fetch_sub(1, Ordering::SeqCst));
                    std::thread::sleep(std::time::Duration::from_micros(50));
                }
            },
        );
        // The threshold, plus what each worker finished before it saw it, and the one in hand.
        assert!(
            most <= 4 * RESULTS_PER_WORKER + 2 * 4 + 1,
            "{most} results waited"
        );
    }

    #[test]
    fn a_panicking_sink_does_not_leave_workers_blocked() {
        let outcome = std::panic::catch_unwind(|| {
            run_parallel(
                10_000,
                2,
                &[&AtomicBool::new(false)],
                |index| index,
                |_| panic!("the sink fails"),
            )
        });
        assert!(outcome.is_err());
    }

    #[test]
    fn cancelling_stops_new_work_and_delivers_what_started() {
        for threads in [1, 3] {
            let cancel = AtomicBool::new(false);
            let mut delivered = 0;
            let started = run_parallel(
                1000,
                threads,
                &[&AtomicBool::new(false), &cancel],
                |index| {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    index
                },
                |delivery| {
                    if let Delivery::Done(index, _) = delivery {
                        delivered += 1;
                        if index == 5 {
                            cancel.store(true, Ordering::Relaxed);
                        }
                    }
                },
            );
            assert!(started < 100, "{threads} threads: {started} started");
            assert_eq!(delivered, started, "{threads} threads");
        }
    }

    #[test]
    fn waves_of_no_unit_or_one_start_no_thread() {
        let mut pool = WorkerPool::new(Jobs::Exactly(4));
        for count in [0, 1, 0] {
            let mut seen = 0;
            run_parallel_in(
                &mut pool,
                count,
                &[],
                |index| index,
                |delivery| {
                    if let Delivery::Done(..) = delivery {
                        seen += 1;
                    }
                },
            );
            assert_eq!(seen, count);
            assert!(pool.pool.is_none(), "a wave of {count} started the pool");
        }
        run_parallel_in(&mut pool, 8, &[], |index| index, |_| {});
        assert!(pool.pool.is_some());
    }
}
