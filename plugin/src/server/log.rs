//! Logging for the plugin server. go-plugin hosts read the plugin's stderr line by line and
//! take the level from a `[LEVEL]` prefix or from hclog JSON (`@level`, `@message`,
//! `@timestamp`), so every line is written in one of those shapes. stdout is reserved for the
//! handshake line.
//!
//! `ECSNET_LOG` sets the level (`trace`, `debug`, `info` (default), `warn`, `error`, `off`);
//! `ECSNET_LOG_FORMAT=json` switches to hclog JSON.

use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Level {
    Trace = 0,
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
    Off = 5,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "trace" => Level::Trace,
            "debug" => Level::Debug,
            "info" | "" => Level::Info,
            "warn" | "warning" => Level::Warn,
            "error" => Level::Error,
            "off" | "none" => Level::Off,
            _ => return None,
        })
    }

    fn prefix(self) -> &'static str {
        match self {
            Level::Trace => "TRACE",
            Level::Debug => "DEBUG",
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
            Level::Off => "OFF",
        }
    }

    fn hclog_name(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
            Level::Off => "off",
        }
    }
}

static LEVEL: AtomicU8 = AtomicU8::new(Level::Info as u8);
static JSON: AtomicU8 = AtomicU8::new(0);

/// Reads `ECSNET_LOG` and `ECSNET_LOG_FORMAT`. An unknown level is reported once and
/// `info` is used.
pub fn init_from_env() {
    let raw = std::env::var("ECSNET_LOG").unwrap_or_default();
    let level = Level::parse(&raw);
    LEVEL.store(level.unwrap_or(Level::Info) as u8, Ordering::Relaxed);
    let json = std::env::var("ECSNET_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    JSON.store(json as u8, Ordering::Relaxed);
    if level.is_none() {
        log(
            Level::Warn,
            &format!("ECSNET_LOG={raw:?} is not a level; using info (trace, debug, info, warn, error, off)"),
        );
    }
}

pub fn enabled(level: Level) -> bool {
    level != Level::Off && level as u8 >= LEVEL.load(Ordering::Relaxed)
}

/// Writes one log line to stderr. Embedded newlines are escaped so a message stays one
/// line for the host's line reader.
pub fn log(level: Level, message: &str) {
    if !enabled(level) {
        return;
    }
    let line = if JSON.load(Ordering::Relaxed) == 1 {
        let t = time::OffsetDateTime::now_utc();
        // hclog's own layout: 2006-01-02T15:04:05.000000Z07:00.
        let stamp = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.microsecond()
        );
        serde_json::json!({
            "@level": level.hclog_name(),
            "@message": message,
            "@module": "ecsnet",
            "@timestamp": stamp,
        })
        .to_string()
    } else {
        format!(
            "[{}] ecsnet: {}",
            level.prefix(),
            message.replace('\n', "\\n")
        )
    };
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

macro_rules! info {
    ($($t:tt)*) => { $crate::server::log::log($crate::server::log::Level::Info, &format!($($t)*)) };
}
macro_rules! debug {
    ($($t:tt)*) => {
        if $crate::server::log::enabled($crate::server::log::Level::Debug) {
            $crate::server::log::log($crate::server::log::Level::Debug, &format!($($t)*))
        }
    };
}
macro_rules! warning {
    ($($t:tt)*) => { $crate::server::log::log($crate::server::log::Level::Warn, &format!($($t)*)) };
}
macro_rules! error {
    ($($t:tt)*) => { $crate::server::log::log($crate::server::log::Level::Error, &format!($($t)*)) };
}
pub(crate) use {debug, error, info, warning};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_and_order() {
        assert_eq!(Level::parse("DEBUG"), Some(Level::Debug));
        assert_eq!(Level::parse("warning"), Some(Level::Warn));
        assert_eq!(Level::parse("loud"), None);
        assert!(Level::Error > Level::Info);
    }
}
