//! Stopping a check nobody waits for any more: the plugin's call was cancelled by its host,
//! its deadline passed, or the plugin is shutting down.
//!
//! A [`Cancel`] token is made per call and handed to [`run`], which makes it the calling
//! thread's token for the duration of the check. The long loops of the pipeline (plan
//! reading, model extraction and resolution, rules, ignore blocks; mostly through
//! [`crate::par`]) call [`check`] every item or every few items; the threads they start
//! inherit the token ([`current`], [`Cancel::enter`]). Outside [`run`] (the command line)
//! there is no token and [`check`] is a thread-local read and a branch.
//!
//! How a check stops: [`check`] unwinds with a private payload, resumed with
//! [`std::panic::resume_unwind`], which skips the panic hook (nothing is printed), and
//! [`run`] catches exactly that payload. Unwinding was chosen over threading a `Result`
//! through every loop of the reader, the model and the rules: those return plain values,
//! so it keeps the stop out of their signatures, and a cancelled check's data are all
//! local to it and dropped on the way out. The shared state a check touches (the capacity
//! analysis registry) recovers from poisoning. Any other panic passes through unchanged.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// A cancellation flag, cheap to clone and to test.
#[derive(Clone, Default)]
pub struct Cancel {
    state: Arc<State>,
}

#[derive(Default)]
struct State {
    flag: AtomicBool,
    /// Another flag that also cancels (the server's, raised when shutdown's grace is over).
    also: Option<Arc<AtomicBool>>,
    /// When [`Cancel::cancel`] was first called, in ns since [`epoch`], plus one (0: never).
    at: AtomicU64,
}

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// A token that is also cancelled when `flag` is raised.
    pub fn also_on(flag: Arc<AtomicBool>) -> Cancel {
        Cancel {
            state: Arc::new(State {
                also: Some(flag),
                ..State::default()
            }),
        }
    }

    pub fn cancel(&self) {
        let now = epoch().elapsed().as_nanos() as u64 + 1;
        let _ = self
            .state
            .at
            .compare_exchange(0, now, Ordering::Relaxed, Ordering::Relaxed);
        self.state.flag.store(true, Ordering::Release);
    }

    pub fn is_cancelled(&self) -> bool {
        self.state.flag.load(Ordering::Relaxed)
            || self
                .state
                .also
                .as_ref()
                .is_some_and(|f| f.load(Ordering::Relaxed))
    }

    /// How long ago [`Cancel::cancel`] was first called, if it was.
    pub fn cancelled_for(&self) -> Option<Duration> {
        match self.state.at.load(Ordering::Relaxed) {
            0 => None,
            at => Some(
                epoch()
                    .elapsed()
                    .saturating_sub(Duration::from_nanos(at - 1)),
            ),
        }
    }

    /// Runs `f` with this token as the calling thread's, as a thread started by a check
    /// does (see [`current`]). A cancellation inside unwinds through here to [`run`].
    pub fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        let previous = CURRENT.with(|c| c.replace(Some(self.clone())));
        let _restore = Restore(previous);
        f()
    }
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

thread_local! {
    static CURRENT: RefCell<Option<Cancel>> = const { RefCell::new(None) };
}

/// Puts the thread's previous token back, also when unwinding.
struct Restore(Option<Cancel>);

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        let _ = CURRENT.try_with(|c| c.replace(previous));
    }
}

/// The payload a cancelled check unwinds with.
struct Unwound;

/// A check stopped by its [`Cancel`] token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

/// Runs `f` under `token`: `Err(Cancelled)` when a [`check`] inside it (on this thread or
/// one that inherited the token) found the token cancelled. Other panics propagate.
pub fn run<R>(token: &Cancel, f: impl FnOnce() -> R) -> Result<R, Cancelled> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| token.enter(f))) {
        Ok(r) => Ok(r),
        Err(payload) if payload.is::<Unwound>() => Err(Cancelled),
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

/// The calling thread's token, for a thread it starts: `let t = cancel::current();` then
/// `t.enter(|| ...)` on the new thread. A default (never cancelled) token outside [`run`].
pub fn current() -> Cancel {
    CURRENT
        .try_with(|c| c.borrow().clone())
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Stops the check if its token was cancelled. Cheap: call it once per item of a loop.
#[inline]
pub fn check() {
    let cancelled = CURRENT
        .try_with(|c| c.borrow().as_ref().is_some_and(Cancel::is_cancelled))
        .unwrap_or(false);
    if cancelled {
        stop();
    }
}

/// [`check`] on every `n`th call with `i` (a loop counter), for the tightest loops.
#[inline]
pub fn check_every(i: usize, n: usize) {
    if i.is_multiple_of(n.max(1)) {
        check();
    }
}

#[cold]
fn stop() -> ! {
    std::panic::resume_unwind(Box::new(Unwound))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_token_nothing_stops() {
        for i in 0..1000 {
            check();
            check_every(i, 7);
        }
        assert!(!current().is_cancelled());
    }

    #[test]
    fn a_cancelled_token_stops_the_run_and_only_that() {
        let token = Cancel::new();
        let mut steps = 0;
        let r = run(&token, || {
            for i in 0..1000 {
                if i == 10 {
                    token.cancel();
                }
                check();
                steps += 1;
            }
            "finished"
        });
        assert_eq!(r, Err(Cancelled));
        assert_eq!(steps, 10);
        assert!(token.cancelled_for().is_some());
        // The thread has no token afterwards.
        check();
        // Another token is not disturbed.
        assert_eq!(run(&Cancel::new(), || 5), Ok(5));
    }

    #[test]
    fn threads_inherit_the_token() {
        let token = Cancel::new();
        let r = run(&token, || {
            let inherited = current();
            std::thread::scope(|s| {
                let h = s.spawn(move || {
                    inherited.enter(|| loop {
                        check();
                        std::thread::yield_now();
                    })
                });
                token.cancel();
                // The helper stops too, and its stop reaches the caller.
                let _: () = h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            })
        });
        assert_eq!(r, Err(Cancelled));
    }

    #[test]
    fn the_other_flag_cancels_too_and_panics_pass_through() {
        let server = Arc::new(AtomicBool::new(false));
        let token = Cancel::also_on(server.clone());
        assert!(!token.is_cancelled());
        server.store(true, Ordering::SeqCst);
        assert!(token.is_cancelled());
        assert_eq!(run(&token, check), Err(Cancelled));
        let caught = std::panic::catch_unwind(|| run(&Cancel::new(), || panic!("a real bug")));
        assert!(caught.is_err(), "a real panic is not a cancellation");
    }
}
