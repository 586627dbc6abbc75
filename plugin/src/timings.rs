//! Where a run's wall time goes, on standard error, when `ECSNET_TIMINGS` is set (to
//! anything but empty or `0`): one line per phase as it ends, with the time since the
//! process started and since the phase before on the same thread.
//!
//! ```text
//! ecsnet timing: plans read                 3.02 ms  (+2.71, main)
//! ecsnet timing: sources read               1.31 ms  (+1.02, sources)
//! ```
//!
//! Speed work on a plan of a few milliseconds cannot see its phases in a profiler's
//! instruction counts (one core, no waiting) nor in `time` (the whole run); this shows
//! which phase the other waits for. The lines name phases and durations only: no plan
//! content, so nothing sensitive. Off, a mark costs one relaxed atomic load.

use std::cell::Cell;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

/// Environment variable that turns the timing lines on.
pub const TIMINGS_ENV: &str = "ECSNET_TIMINGS";

const UNSET: u8 = 0;
const OFF: u8 = 1;
const ON: u8 = 2;

static STATE: AtomicU8 = AtomicU8::new(UNSET);

thread_local! {
    /// When this thread's previous phase ended (or the thread's first mark: its start).
    static LAST: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// When the process started, as near as the program can tell: the first call of [`start`]
/// (the top of `main`) or of [`mark`].
fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn enabled() -> bool {
    match STATE.load(Ordering::Relaxed) {
        ON => true,
        OFF => false,
        _ => {
            let on = wanted(std::env::var_os(TIMINGS_ENV).as_deref());
            STATE.store(if on { ON } else { OFF }, Ordering::Relaxed);
            on
        }
    }
}

/// Whether the variable's value asks for timings: set, not empty, not `0`.
fn wanted(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "0")
}

/// Start the clock (the top of `main`), so phases are timed from the process's start.
pub fn start() {
    if enabled() {
        let now = epoch();
        LAST.with(|l| l.set(Some(now)));
    }
}

/// The phase `phase` ended now on this thread: print its line when timings are on.
pub fn mark(phase: &str) {
    if !enabled() {
        return;
    }
    let now = Instant::now();
    let since_start = now.saturating_duration_since(epoch());
    let since_last = LAST
        .with(|l| l.replace(Some(now)))
        .map(|t| now.saturating_duration_since(t));
    let thread = std::thread::current();
    let name = thread.name().unwrap_or("thread");
    eprintln!("{}", line(phase, since_start, since_last, name));
}

fn line(
    phase: &str,
    since_start: std::time::Duration,
    since_last: Option<std::time::Duration>,
    thread: &str,
) -> String {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    match since_last {
        Some(d) => format!(
            "ecsnet timing: {phase:<24} {:8.2} ms  (+{:.2}, {thread})",
            ms(since_start),
            ms(d)
        ),
        None => format!(
            "ecsnet timing: {phase:<24} {:8.2} ms  ({thread})",
            ms(since_start)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::time::Duration;

    #[test]
    fn the_variable_turns_timings_on_unless_empty_or_zero() {
        assert!(!wanted(None));
        assert!(!wanted(Some(OsStr::new(""))));
        assert!(!wanted(Some(OsStr::new("0"))));
        assert!(wanted(Some(OsStr::new("1"))));
        assert!(wanted(Some(OsStr::new("yes"))));
    }

    #[test]
    fn a_line_gives_the_time_since_start_and_since_the_phase_before() {
        let l = line(
            "plans read",
            Duration::from_micros(3_020),
            Some(Duration::from_micros(2_710)),
            "main",
        );
        assert_eq!(
            l,
            "ecsnet timing: plans read                   3.02 ms  (+2.71, main)"
        );
        let first = line(
            "sources read",
            Duration::from_micros(1_310),
            None,
            "sources",
        );
        assert_eq!(
            first,
            "ecsnet timing: sources read                 1.31 ms  (sources)"
        );
    }
}
