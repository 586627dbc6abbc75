//! Saying that a test skipped, where it is seen. cargo test captures what a passing test
//! prints with `eprintln!`, so a skip message printed that way would never show; writes to
//! the process's stderr itself are not captured.

/// `eprintln!`, uncaptured: for the one line a test prints when it skips.
macro_rules! skip_note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "SKIPPED: {}", format_args!($($arg)*));
    }};
}
