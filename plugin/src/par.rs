//! Order-preserving work splitting for the few steps that dominate on large plans (plan
//! reading, model extraction and resolution, rules). The machine's other cores are idle
//! during a check, and these steps map independent items, so each is split into one run
//! per core and the results come back in input order: the output never depends on the
//! threads.
//!
//! The runs go to a small pool of worker threads started once per process (one per core
//! beyond the caller's, at most [`MAX_THREADS`] in all) instead of threads started for
//! each step. glibc gives every thread but the main one a heap of its own and grows it one
//! page at a time, each step an `mprotect` call: with a thread per step, a check of the
//! 100 MB benchmark plan made about 8,500 such calls as each new thread grew a heap again.
//! A worker grows its heap once, in large steps, when it starts (see [`worker`]), and
//! keeps it for every step after.
//!
//! A run handed to the pool borrows from the caller's stack, so the caller never returns
//! before it has run (or, when its result is not wanted any more, been dropped unstarted):
//! when no worker has taken it yet by the time the caller has done its own part, the caller
//! takes it back and runs it itself. A run is thus never waited for
//! before it has started, which also makes a step inside a step (or several callers at
//! once, as in the plugin server) safe: the pool can be busy, never stuck.
//!
//! These are also the long loops of a check, so each item starts with a
//! [`crate::cancel::check`], and the runs inherit the caller's token.

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};

/// Map `f` over `items`, returning the results in the order of `items`. With at least
/// `min` items and more than one core, the items are split into one contiguous run per core
/// (at most [`MAX_THREADS`]), all but the first handed to the pool. A panic in `f` panics
/// the caller, as it would on one thread.
pub fn map<T: Sync, R: Send>(items: &[T], min: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let f = |item: &T| {
        cancel::check();
        f(item)
    };
    let threads = threads().min(items.len() / min.max(1));
    if threads < 2 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    let mut chunks = items.chunks(chunk);
    let first = chunks.next().unwrap_or_default();
    let rest: Vec<Pending<'_, Vec<R>>> = chunks
        .map(|c| submit(move || c.iter().map(f).collect::<Vec<R>>()))
        .collect();
    let mut out: Vec<R> = Vec::with_capacity(items.len());
    out.extend(first.iter().map(f));
    for p in rest {
        out.extend(p.wait());
    }
    out
}

/// Apply `f` to every item in place, spread over the cores as [`map`] is.
pub fn for_each_mut<T: Send>(items: &mut [T], min: usize, f: impl Fn(&mut T) + Sync) {
    let f = |item: &mut T| {
        cancel::check();
        f(item)
    };
    let threads = threads().min(items.len() / min.max(1));
    if threads < 2 {
        items.iter_mut().for_each(f);
        return;
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    let mut chunks = items.chunks_mut(chunk);
    let first = chunks.next().unwrap_or_default();
    let rest: Vec<Pending<'_, ()>> = chunks
        .map(|c| submit(move || c.iter_mut().for_each(f)))
        .collect();
    first.iter_mut().for_each(f);
    for p in rest {
        p.wait();
    }
}

/// Run `a` and `b`, `b` on another thread when `parallel` and there is more than one core.
pub fn join<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !parallel || threads() < 2 {
        return (a(), b());
    }
    let b = submit(b);
    let a = a();
    (a, b.wait())
}

/// Run `b` on another thread (when there is more than one core) while `a` runs here; `a`
/// gets `b`'s result by calling its argument, which waits for it (or, when no thread has
/// started it yet, runs it there and then). Only the first call gives the result. When `a`
/// never asks, `b` may not run at all.
pub fn with_background<A, B: Send>(
    b: impl FnOnce() -> B + Send,
    a: impl FnOnce(&mut dyn FnMut() -> Option<B>) -> A,
) -> A {
    if threads() < 2 {
        let mut b = Some(b);
        return a(&mut || b.take().map(|b| b()));
    }
    let mut pending = Some(submit(b));
    a(&mut || pending.take().map(Pending::wait))
    // (A run `a` did not ask for is waited for, or dropped unstarted, before this returns.)
}

use crate::cancel;

/// More threads than this gain little on these short steps.
pub const MAX_THREADS: usize = 4;

/// Threads worth using: the cores available to the process, at most [`MAX_THREADS`].
pub fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_THREADS)
    })
}

/// Stack of a worker: as deep as the main thread's, whatever recursion a step needs (the
/// plan reader's seeds below serde_json's nesting limit among them).
const WORKER_STACK: usize = 8 << 20;

/// Heap a worker makes room for when it starts (see [`worker`]).
const WORKER_HEAP: usize = 32 << 20;

/// A run handed to the pool, with the lifetime of what it borrows erased.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// One run: taken once, by a worker or by its caller; `done` once it has run.
struct Task {
    job: Mutex<Option<Job>>,
    done: Mutex<bool>,
    finished: Condvar,
}

impl Task {
    /// Take the job (if nobody has yet) and run it on this thread; `false` when someone
    /// else took it first.
    fn run_here(&self) -> bool {
        let Some(job) = lock(&self.job).take() else {
            return false;
        };
        // The job catches its own panics (see `submit`): this cannot unwind.
        job();
        *lock(&self.done) = true;
        self.finished.notify_all();
        true
    }

    fn wait_done(&self) {
        let mut done = lock(&self.done);
        while !*done {
            done = self
                .finished
                .wait(done)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

struct Pool {
    queue: Mutex<VecDeque<Arc<Task>>>,
    ready: Condvar,
}

/// The process's pool, its workers started on first use; `None` on one core, or when no
/// worker could be started.
fn pool() -> Option<&'static Pool> {
    static POOL: OnceLock<Option<&'static Pool>> = OnceLock::new();
    *POOL.get_or_init(|| {
        let workers = threads().saturating_sub(1);
        if workers == 0 {
            return None;
        }
        let pool: &'static Pool = Box::leak(Box::new(Pool {
            queue: Mutex::new(VecDeque::new()),
            ready: Condvar::new(),
        }));
        let started = (0..workers)
            .filter(|_| {
                std::thread::Builder::new()
                    .name("ecsnet-par".to_string())
                    .stack_size(WORKER_STACK)
                    .spawn(move || worker(pool))
                    .is_ok()
            })
            .count();
        (started > 0).then_some(pool)
    })
}

/// A worker: runs what is queued, for the life of the process. It first grows its heap to
/// [`WORKER_HEAP`] in a few large steps and gives the memory back (what glibc has made
/// accessible stays so), so that the steps after need no `mprotect` call per page.
fn worker(pool: &'static Pool) {
    tfsource::reserve_thread_heap(WORKER_HEAP);
    loop {
        let task = {
            let mut queue = lock(&pool.queue);
            loop {
                match queue.pop_front() {
                    Some(t) => break t,
                    None => {
                        queue = pool
                            .ready
                            .wait(queue)
                            .unwrap_or_else(PoisonError::into_inner)
                    }
                }
            }
        };
        // (Taken back and run by its caller meanwhile: nothing to do.)
        task.run_here();
    }
}

/// A run handed to the pool by [`submit`]. It borrows from the caller's stack for `'a`, so
/// it must have run before `'a` ends: [`Pending::wait`] and the drop make sure of it (a
/// `Pending` must never be leaked, which this module's own uses never do).
struct Pending<'a, R> {
    task: Option<Arc<Task>>,
    result: Arc<Mutex<Option<std::thread::Result<R>>>>,
    _borrows: PhantomData<&'a ()>,
}

/// Hand `f` to the pool (or, without one, leave it for [`Pending::wait`] to run).
fn submit<'a, R: Send + 'a>(f: impl FnOnce() -> R + Send + 'a) -> Pending<'a, R> {
    let result = Arc::new(Mutex::new(None));
    let slot = Arc::clone(&result);
    let token = cancel::current();
    let job: Box<dyn FnOnce() + Send + 'a> = Box::new(move || {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| token.enter(f)));
        *lock(&slot) = Some(r);
    });
    // SAFETY: only the lifetime changes. The job is run or dropped before the `Pending`
    // returned here is gone (`Pending::wait`, or its drop), and that `Pending` lives no
    // longer than `'a`; a worker that takes the job runs it while the caller waits for it
    // to be done.
    let job: Job = unsafe { std::mem::transmute::<Box<dyn FnOnce() + Send + 'a>, Job>(job) };
    let task = Arc::new(Task {
        job: Mutex::new(Some(job)),
        done: Mutex::new(false),
        finished: Condvar::new(),
    });
    if let Some(pool) = pool() {
        lock(&pool.queue).push_back(Arc::clone(&task));
        pool.ready.notify_one();
    }
    Pending {
        task: Some(task),
        result,
        _borrows: PhantomData,
    }
}

impl<R> Pending<'_, R> {
    /// Make sure the run is over: run it here if no worker has taken it, else wait for it.
    fn finish(&mut self) {
        if let Some(task) = self.task.take() {
            if !task.run_here() {
                task.wait_done();
            }
        }
    }

    /// The run's result; its panic (a cancelled check's among them) continues here.
    fn wait(mut self) -> R {
        self.finish();
        let result = lock(&self.result).take();
        match result {
            Some(Ok(r)) => r,
            Some(Err(payload)) => std::panic::resume_unwind(payload),
            // `finish` ran the job or saw it done, and the job always leaves a result.
            None => unreachable!("a finished run left no result"),
        }
    }
}

impl<R> Drop for Pending<'_, R> {
    /// Not waited for (the caller is unwinding, or did not ask for the result): a run that
    /// has not started is dropped unrun, one that has is waited for.
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            let job = lock(&task.job).take();
            match job {
                Some(job) => drop(job),
                None => task.wait_done(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_input_order_whatever_the_split() {
        let items: Vec<u32> = (0..1000).collect();
        for min in [1, 7, 100, 1000, 5000] {
            let out = map(&items, min, |x| x * 2);
            assert_eq!(
                out,
                items.iter().map(|x| x * 2).collect::<Vec<_>>(),
                "min {min}"
            );
        }
        assert!(map(&[] as &[u32], 1, |x| *x).is_empty());
    }

    #[test]
    fn for_each_mut_reaches_every_item_once() {
        for min in [1, 10, 10_000] {
            let mut items: Vec<u32> = (0..1000).collect();
            for_each_mut(&mut items, min, |x| *x += 1);
            assert_eq!(items, (1..=1000).collect::<Vec<_>>(), "min {min}");
        }
    }

    #[test]
    fn join_returns_both_in_place() {
        for parallel in [false, true] {
            assert_eq!(join(parallel, || 1, || "b"), (1, "b"));
        }
    }

    #[test]
    fn a_cancelled_check_stops_on_every_thread() {
        let token = cancel::Cancel::new();
        let items: Vec<u32> = (0..10_000).collect();
        let done = std::sync::atomic::AtomicUsize::new(0);
        let r = cancel::run(&token, || {
            map(&items, 1, |x| {
                if *x == 100 {
                    token.cancel();
                }
                // Slow enough that the other threads are still working when it happens.
                std::thread::sleep(std::time::Duration::from_micros(50));
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            })
        });
        assert_eq!(r, Err(cancel::Cancelled));
        let done = done.into_inner();
        assert!(
            done < items.len() / 2,
            "{done} items mapped after the cancel"
        );
    }

    #[test]
    fn runs_on_other_threads_when_there_is_enough_work() {
        if threads() < 2 {
            return;
        }
        // The first run (the caller's) waits until another thread has mapped an item, so
        // the other runs cannot all have been taken back by the caller.
        let items: Vec<u32> = (0..64).collect();
        let caller = std::thread::current().id();
        let other_seen = std::sync::atomic::AtomicBool::new(false);
        let ids = map(&items, 1, |x| {
            let me = std::thread::current().id();
            if me != caller {
                other_seen.store(true, std::sync::atomic::Ordering::SeqCst);
            } else if *x == 0 {
                let start = std::time::Instant::now();
                while !other_seen.load(std::sync::atomic::Ordering::SeqCst)
                    && start.elapsed() < std::time::Duration::from_secs(30)
                {
                    std::thread::yield_now();
                }
            }
            me
        });
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert!(distinct.len() >= 2, "only the calling thread ran");
        assert!(distinct.len() <= threads(), "{} threads", distinct.len());
    }

    #[test]
    fn the_same_workers_serve_every_step() {
        if threads() < 2 {
            return;
        }
        let items: Vec<u32> = (0..64).collect();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..20 {
            seen.extend(map(&items, 1, |_| std::thread::current().id()));
        }
        // The caller and at most the pool's workers: no thread per step.
        assert!(seen.len() <= threads(), "{} threads", seen.len());
    }

    #[test]
    fn a_step_inside_a_step_and_many_callers_at_once_finish() {
        let outer: Vec<u32> = (0..16).collect();
        let sums: Vec<u64> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..6)
                .map(|_| {
                    s.spawn(|| {
                        map(&outer, 1, |&i| {
                            let inner: Vec<u64> = (0..100).map(|j| u64::from(i) * j).collect();
                            map(&inner, 1, |x| x + 1).iter().sum::<u64>()
                        })
                        .iter()
                        .sum::<u64>()
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let expected: u64 = (0..16u64)
            .map(|i| (0..100u64).map(|j| i * j + 1).sum::<u64>())
            .sum();
        assert!(sums.iter().all(|&s| s == expected), "{sums:?}");
    }

    #[test]
    fn a_panic_in_a_run_reaches_the_caller_after_every_run_is_over() {
        let items: Vec<u32> = (0..1000).collect();
        let mapped = std::sync::atomic::AtomicUsize::new(0);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            map(&items, 1, |x| {
                mapped.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                assert!(*x != 999, "the last item");
            })
        }));
        assert!(r.is_err());
        // Nothing still runs once the caller has the panic: the count stays put.
        let after = mapped.load(std::sync::atomic::Ordering::SeqCst);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(mapped.load(std::sync::atomic::Ordering::SeqCst), after);
    }

    #[test]
    fn with_background_gives_the_result_once_and_without_asking_still_finishes() {
        let data = [1u32, 2, 3];
        let got = with_background(
            || data.iter().sum::<u32>(),
            |b| {
                let first = b();
                (first, b())
            },
        );
        assert_eq!(got, (Some(6), None));
        let ran = std::sync::atomic::AtomicBool::new(false);
        let r = with_background(
            || ran.store(true, std::sync::atomic::Ordering::SeqCst),
            |_| 5,
        );
        assert_eq!(r, 5);
    }
}
