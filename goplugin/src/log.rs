//! Logging for the plugin server. go-plugin hosts read the plugin's stderr line by line and
//! take the level from a `[LEVEL]` prefix or from hclog JSON (`@level`, `@message`,
//! `@timestamp`), so every line is written in one of those shapes:
//! `[INFO] <name>: message`, or `{"@level":"info","@message":...,"@module":"<name>",...}`.
//! stdout is reserved for the handshake line.
//!
//! The spec's [`log_level_env`](crate::PluginSpec::log_level_env) sets the level (`trace`,
//! `debug`, `info` (default), `warn`, `error`, `off`; `ECSNET_LOG` for ecsnet) and its
//! [`log_format_env`](crate::PluginSpec::log_format_env)`=json` switches to hclog JSON.
//!
//! Apps log through the same functions, with [`info!`], [`debug!`], [`warning!`] and
//! [`error!`] (`goplugin::log::info!(...)`), so their lines share the plugin's shape.

use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::RwLock;

use crate::PluginSpec;

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
/// The plugin's name on every line; `plugin` until [`init_from_env`] runs.
static NAME: RwLock<&'static str> = RwLock::new("plugin");

/// Takes the plugin's name from `spec` and reads its level and format variables.
///
/// Unset or empty variables mean the defaults (info, text lines). The level variable also
/// takes `json`, as Terraform's `TF_LOG` does: every level, as hclog JSON. Any other value is
/// an error naming the variable, so a mistyped setting is not silently ignored.
pub fn init_from_env(spec: &PluginSpec) -> crate::Result<()> {
    *NAME.write().unwrap_or_else(|e| e.into_inner()) = spec.name;
    let (level, json) = settings(spec, &|k| std::env::var(k).ok())?;
    LEVEL.store(level as u8, Ordering::Relaxed);
    JSON.store(json as u8, Ordering::Relaxed);
    Ok(())
}

/// The level and whether lines are JSON, from the spec's two variables.
fn settings(
    spec: &PluginSpec,
    env: &dyn Fn(&str) -> Option<String>,
) -> crate::Result<(Level, bool)> {
    let raw_level = env(spec.log_level_env).unwrap_or_default();
    let raw_format = env(spec.log_format_env).unwrap_or_default();
    let json = match raw_format.trim().to_ascii_lowercase().as_str() {
        _ if raw_format.is_empty() => false,
        "json" => true,
        "text" => false,
        _ => {
            return Err(crate::Error::setup(format!(
                "{}={raw_format:?} is not a log format: use json or text",
                spec.log_format_env
            )))
        }
    };
    if raw_level.trim().eq_ignore_ascii_case("json") {
        return Ok((Level::Trace, true));
    }
    match Level::parse(&raw_level) {
        Some(_) if !raw_level.is_empty() && raw_level.trim().is_empty() => {
            Err(bad_level(spec, &raw_level))
        }
        Some(level) => Ok((level, json)),
        None => Err(bad_level(spec, &raw_level)),
    }
}

fn bad_level(spec: &PluginSpec, raw: &str) -> crate::Error {
    crate::Error::setup(format!(
        "{}={raw:?} is not a log level: use trace, debug, info, warn, error or off",
        spec.log_level_env
    ))
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
    let name: &'static str = *NAME.read().unwrap_or_else(|e| e.into_inner());
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
            "@module": name,
            "@timestamp": stamp,
        })
        .to_string()
    } else {
        format!(
            "[{}] {name}: {}",
            level.prefix(),
            message.replace('\n', "\\n")
        )
    };
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

// Exported under hidden names and re-exported here, so apps write `goplugin::log::info!`.
#[doc(hidden)]
#[macro_export]
macro_rules! __goplugin_log_info {
    ($($t:tt)*) => { $crate::log::log($crate::log::Level::Info, &format!($($t)*)) };
}
#[doc(hidden)]
#[macro_export]
macro_rules! __goplugin_log_debug {
    ($($t:tt)*) => {
        if $crate::log::enabled($crate::log::Level::Debug) {
            $crate::log::log($crate::log::Level::Debug, &format!($($t)*))
        }
    };
}
#[doc(hidden)]
#[macro_export]
macro_rules! __goplugin_log_warning {
    ($($t:tt)*) => { $crate::log::log($crate::log::Level::Warn, &format!($($t)*)) };
}
#[doc(hidden)]
#[macro_export]
macro_rules! __goplugin_log_error {
    ($($t:tt)*) => { $crate::log::log($crate::log::Level::Error, &format!($($t)*)) };
}
/// Logs at debug level; the message is not even formatted when debug is off.
pub use __goplugin_log_debug as debug;
/// Logs at error level.
pub use __goplugin_log_error as error;
/// Logs at info level: `info!("serving on {addr}")`.
pub use __goplugin_log_info as info;
/// Logs at warn level.
pub use __goplugin_log_warning as warning;

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: PluginSpec = crate::TERRAFORM_PROVIDER_V6.named("demo", "");

    fn env_of<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn settings_are_read_strictly() {
        let (lvl, fmt) = (SPEC.log_level_env, SPEC.log_format_env);
        assert_eq!(settings(&SPEC, &env_of(&[])).unwrap(), (Level::Info, false));
        assert_eq!(
            settings(&SPEC, &env_of(&[(lvl, ""), (fmt, "")])).unwrap(),
            (Level::Info, false)
        );
        assert_eq!(
            settings(&SPEC, &env_of(&[(lvl, "DEBUG"), (fmt, "JSON")])).unwrap(),
            (Level::Debug, true)
        );
        assert_eq!(
            settings(&SPEC, &env_of(&[(lvl, "json")])).unwrap(),
            (Level::Trace, true),
            "TF_LOG=JSON means every level as JSON"
        );
        for (key, value) in [(lvl, "loud"), (lvl, "  "), (fmt, "xml"), (fmt, " ")] {
            let e = settings(&SPEC, &env_of(&[(key, value)]))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(&format!("{key}=")), "{e}");
        }
    }

    #[test]
    fn levels_parse_and_order() {
        assert_eq!(Level::parse("DEBUG"), Some(Level::Debug));
        assert_eq!(Level::parse("warning"), Some(Level::Warn));
        assert_eq!(Level::parse("loud"), None);
        assert!(Level::Error > Level::Info);
    }
}
