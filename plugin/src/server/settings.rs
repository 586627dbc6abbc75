//! The plugin's limits and timeouts: defaults, environment variables and `ecsnet serve`
//! flags (a flag wins over its variable). Every value is checked: a setting that is empty,
//! not a number, zero, negative or out of range is an error naming the variable or flag it
//! came from, never silently replaced by the default.

use std::time::Duration;

use crate::error::UserError;

/// One setting, as the README's table lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    pub env: &'static str,
    /// The `ecsnet serve` flag, without its dashes.
    pub flag: &'static str,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Size,
    Count,
    Duration,
}

pub const MAX_PLAN_BYTES: Setting = Setting {
    env: "ECSNET_PLUGIN_MAX_PLAN_BYTES",
    flag: "max-plan-bytes",
    kind: Kind::Size,
};
pub const MAX_INFLIGHT_BYTES: Setting = Setting {
    env: "ECSNET_PLUGIN_MAX_INFLIGHT_BYTES",
    flag: "max-inflight-bytes",
    kind: Kind::Size,
};
pub const MAX_CALLS: Setting = Setting {
    env: "ECSNET_PLUGIN_MAX_CALLS",
    flag: "max-calls",
    kind: Kind::Count,
};
pub const STREAM_IDLE_TIMEOUT: Setting = Setting {
    env: "ECSNET_PLUGIN_STREAM_IDLE_TIMEOUT",
    flag: "stream-idle-timeout",
    kind: Kind::Duration,
};
pub const HANDSHAKE_TIMEOUT: Setting = Setting {
    env: "ECSNET_PLUGIN_HANDSHAKE_TIMEOUT",
    flag: "handshake-timeout",
    kind: Kind::Duration,
};

/// Every setting, in the README's order.
pub const ALL: &[Setting] = &[
    MAX_PLAN_BYTES,
    MAX_INFLIGHT_BYTES,
    MAX_CALLS,
    STREAM_IDLE_TIMEOUT,
    HANDSHAKE_TIMEOUT,
];

/// Default cap on one plan's size: real plans of large estates reach hundreds of MB.
pub const DEFAULT_MAX_PLAN_BYTES: usize = 1 << 30;
/// Default budget for plans being received (and the buffer kept between calls), all calls
/// together: two plans of the largest size accepted.
pub const DEFAULT_MAX_INFLIGHT_BYTES: usize = 2 << 30;
/// Default cap on Validator calls at once: far above any host's parallelism (Terraform's
/// default is 10), and below tokio's 512 blocking threads, so no check waits for a thread.
/// Memory is bounded by the budget, not by this.
pub const DEFAULT_MAX_CALLS: usize = 256;
/// Default time a call may wait for the next piece of its plan.
pub const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Default time from accepting a connection to its HTTP/2 preface (TLS included).
pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = goplugin::options::DEFAULT_HANDSHAKE_TIMEOUT;

/// Longest timeout accepted.
const MAX_DURATION: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest plan accepted, through either RPC.
    pub max_plan_bytes: usize,
    /// Bytes all calls together may hold for plans being received or checked, the buffer
    /// kept between calls included.
    pub max_inflight_bytes: usize,
    /// Validator calls served at once; more are refused with RESOURCE_EXHAUSTED.
    pub max_calls: usize,
    /// A call whose plan stops arriving for this long fails with DEADLINE_EXCEEDED.
    pub stream_idle_timeout: Duration,
    /// A connection that has not spoken HTTP/2 this long after it was accepted is closed.
    pub handshake_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_plan_bytes: DEFAULT_MAX_PLAN_BYTES,
            max_inflight_bytes: DEFAULT_MAX_INFLIGHT_BYTES,
            max_calls: DEFAULT_MAX_CALLS,
            stream_idle_timeout: DEFAULT_STREAM_IDLE_TIMEOUT,
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
        }
    }
}

impl Limits {
    /// The limits the environment sets (`env`), with `flag`'s values winning: `flag`
    /// returns the `ecsnet serve` flag's value for a setting, if one was given.
    pub fn read(
        env: &dyn Fn(&str) -> Option<String>,
        flag: &dyn Fn(&Setting) -> Option<String>,
    ) -> Result<Limits, UserError> {
        let mut limits = Limits::default();
        for s in ALL {
            let (value, named) = match flag(s) {
                Some(v) => {
                    let named = format!("--{} {v:?}", s.flag);
                    (v, named)
                }
                None => match env(s.env) {
                    Some(v) => {
                        let named = format!("{}={v:?}", s.env);
                        (v, named)
                    }
                    None => continue,
                },
            };
            let parsed = s
                .parse(&value)
                .map_err(|why| UserError::new(format!("{named} {why}")))?;
            match (*s, parsed) {
                (MAX_PLAN_BYTES, Value::Number(n)) => limits.max_plan_bytes = n,
                (MAX_INFLIGHT_BYTES, Value::Number(n)) => limits.max_inflight_bytes = n,
                (MAX_CALLS, Value::Number(n)) => limits.max_calls = n,
                (STREAM_IDLE_TIMEOUT, Value::Time(d)) => limits.stream_idle_timeout = d,
                (HANDSHAKE_TIMEOUT, Value::Time(d)) => limits.handshake_timeout = d,
                _ => unreachable!("each setting parses to its own kind"),
            }
        }
        Ok(limits)
    }

    /// From the environment alone (a host launching the plugin passes no flags).
    pub fn from_env() -> Result<Limits, UserError> {
        Limits::read(&|k| std::env::var(k).ok(), &|_| None)
    }
}

enum Value {
    Number(usize),
    Time(Duration),
}

impl Setting {
    /// The default, as the README's table and `--help` show it.
    pub fn default_text(&self) -> String {
        let d = Limits::default();
        match *self {
            MAX_PLAN_BYTES => size_text(d.max_plan_bytes),
            MAX_INFLIGHT_BYTES => size_text(d.max_inflight_bytes),
            MAX_CALLS => d.max_calls.to_string(),
            STREAM_IDLE_TIMEOUT => format!("{}s", d.stream_idle_timeout.as_secs()),
            HANDSHAKE_TIMEOUT => format!("{}s", d.handshake_timeout.as_secs()),
            _ => String::new(),
        }
    }

    /// The rest of the error message after "<source> <value>".
    fn parse(&self, s: &str) -> Result<Value, &'static str> {
        match self.kind {
            Kind::Size => parse_size(s)
                .map(Value::Number)
                .ok_or("is not a size: give a number of bytes above 0, optionally with K, M or G (e.g. 512M)"),
            Kind::Count => s
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .map(Value::Number)
                .ok_or("is not a count: give a whole number above 0 (e.g. 16)"),
            Kind::Duration => parse_duration(s)
                .map(Value::Time)
                .ok_or("is not a duration: give a time above 0 and at most 24h, with a unit ms, s, m or h (e.g. 30s); a plain number is seconds"),
        }
    }
}

fn size_text(n: usize) -> String {
    match n {
        n if n % (1 << 30) == 0 => format!("{}G", n >> 30),
        n if n % (1 << 20) == 0 => format!("{}M", n >> 20),
        n => n.to_string(),
    }
}

/// `1073741824`, `512MiB`, `512M`, `2GiB`, `64k`: bytes with an optional binary suffix.
/// Zero, negative numbers, fractions and anything else are `None`.
pub fn parse_size(s: &str) -> Option<usize> {
    let (n, unit) = number_and_unit(s)?;
    let mult: usize = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return None,
    };
    usize::try_from(n)
        .ok()?
        .checked_mul(mult)
        .filter(|v| *v > 0)
}

/// `30s`, `500ms`, `2m`, `1h`, or a plain number of seconds; above 0 and at most 24 hours.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let (n, unit) = number_and_unit(s)?;
    let d = match unit.as_str() {
        "ms" => Duration::from_millis(n),
        "" | "s" => Duration::from_secs(n),
        "m" | "min" => Duration::from_secs(n.checked_mul(60)?),
        "h" => Duration::from_secs(n.checked_mul(3600)?),
        _ => return None,
    };
    (!d.is_zero() && d <= MAX_DURATION).then_some(d)
}

/// Leading decimal digits and the lower-cased rest, both trimmed; `None` without digits.
fn number_and_unit(s: &str) -> Option<(u64, String)> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    Some((num.parse().ok()?, unit.trim().to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("1024"), Some(1024));
        assert_eq!(parse_size("512MiB"), Some(512 << 20));
        assert_eq!(parse_size("10M"), Some(10 << 20));
        assert_eq!(parse_size("2g"), Some(2 << 30));
        assert_eq!(parse_size("64 k"), Some(64 << 10));
        assert_eq!(parse_size(" 7 "), Some(7));
        for bad in [
            "0",
            "0M",
            "",
            " ",
            "lots",
            "abc",
            "-5",
            "-5M",
            "1.5G",
            "5 parsecs",
            "M",
        ] {
            assert_eq!(parse_size(bad), None, "{bad:?}");
        }
        assert_eq!(parse_size("99999999999999999999G"), None, "overflow");
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("30s"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("30"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("24h"), Some(Duration::from_secs(86400)));
        for bad in [
            "0",
            "0s",
            "",
            "soon",
            "-1s",
            "1.5s",
            "25h",
            "10d",
            "99999999999999999999h",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    fn env_of<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_environment_is_read_and_flags_win() {
        assert_eq!(
            Limits::read(&env_of(&[]), &|_| None).unwrap(),
            Limits::default()
        );
        let env = env_of(&[
            ("ECSNET_PLUGIN_MAX_PLAN_BYTES", "10M"),
            ("ECSNET_PLUGIN_MAX_INFLIGHT_BYTES", "64M"),
            ("ECSNET_PLUGIN_MAX_CALLS", "3"),
            ("ECSNET_PLUGIN_STREAM_IDLE_TIMEOUT", "500ms"),
            ("ECSNET_PLUGIN_HANDSHAKE_TIMEOUT", "2s"),
        ]);
        let l = Limits::read(&env, &|_| None).unwrap();
        assert_eq!(
            l,
            Limits {
                max_plan_bytes: 10 << 20,
                max_inflight_bytes: 64 << 20,
                max_calls: 3,
                stream_idle_timeout: Duration::from_millis(500),
                handshake_timeout: Duration::from_secs(2),
            }
        );
        let l = Limits::read(&env, &|s| (*s == MAX_CALLS).then(|| "9".to_string())).unwrap();
        assert_eq!(l.max_calls, 9);
    }

    #[test]
    fn every_bad_value_names_where_it_came_from() {
        for s in ALL {
            for bad in ["", " ", "abc", "-1", "0"] {
                let pairs = [(s.env, bad)];
                let env = env_of(&pairs);
                let e = Limits::read(&env, &|_| None).unwrap_err().message;
                assert!(e.starts_with(&format!("{}={bad:?} is not a", s.env)), "{e}");
                let e = Limits::read(&env_of(&[]), &|x| (x == s).then(|| bad.to_string()))
                    .unwrap_err()
                    .message;
                assert!(
                    e.starts_with(&format!("--{} {bad:?} is not a", s.flag)),
                    "{e}"
                );
            }
        }
    }

    #[test]
    fn defaults_read_as_documented() {
        let shown: Vec<String> = ALL.iter().map(Setting::default_text).collect();
        assert_eq!(shown, ["1G", "2G", "256", "60s", "10s"]);
    }
}
