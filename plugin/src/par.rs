//! Order-preserving work splitting for the few steps that dominate on large plans (plan
//! reading, model extraction and resolution, rules). The machine's other cores are idle
//! during a check, and these steps map independent items, so each runs on scoped threads
//! and the results come back in input order: the output never depends on the threads.
//!
//! These are also the long loops of a check, so each item starts with a
//! [`crate::cancel::check`], and the threads started here inherit the caller's token.

/// Map `f` over `items`, returning the results in the order of `items`. With at least
/// `min` items and more than one core, the items are split into one contiguous run per core
/// (at most [`MAX_THREADS`]), each mapped on its own thread. A panic in `f` panics the
/// caller, as it would on one thread.
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
    let token = cancel::current();
    let token = &token;
    std::thread::scope(|s| {
        let mut chunks = items.chunks(chunk);
        let first = chunks.next().unwrap_or_default();
        let rest: Vec<_> = chunks
            .map(|c| s.spawn(move || token.enter(|| c.iter().map(f).collect::<Vec<R>>())))
            .collect();
        let mut out: Vec<R> = Vec::with_capacity(items.len());
        out.extend(first.iter().map(f));
        for h in rest {
            out.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        out
    })
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
    let token = cancel::current();
    let token = &token;
    std::thread::scope(|s| {
        let mut chunks = items.chunks_mut(chunk);
        let first = chunks.next().unwrap_or_default();
        let rest: Vec<_> = chunks
            .map(|c| s.spawn(move || token.enter(|| c.iter_mut().for_each(f))))
            .collect();
        first.iter_mut().for_each(f);
        for h in rest {
            h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        }
    });
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
    let token = cancel::current();
    std::thread::scope(|s| {
        let b = s.spawn(move || token.enter(b));
        let a = a();
        (a, b.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })
}

use crate::cancel;

/// More threads than this gain little on these short steps.
pub const MAX_THREADS: usize = 4;

/// Threads worth using: the cores available to the process, at most [`MAX_THREADS`].
pub fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
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
        let items: Vec<u32> = (0..64).collect();
        let ids = map(&items, 1, |_| std::thread::current().id());
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), threads().min(64), "one thread per chunk");
    }
}
