//! The go-plugin handshake, plugin side: the magic cookie, app protocol negotiation, the
//! listener settings the host passes in the environment, and the one line written to stdout.
//! Facts from `plugin-protocol.md` §1.1–1.2 (go-plugin `server.go`/`client.go`).

use std::io::Write;
use std::path::PathBuf;

use crate::error::UserError;

/// go-plugin's core protocol version; hosts reject anything else.
pub const CORE_PROTOCOL_VERSION: u32 = 1;

/// What identifies one plugin to its hosts. The go-plugin layer is generic over it so the
/// same binary can later answer a Terraform host with a different cookie and versions.
#[derive(Debug, Clone, Copy)]
pub struct PluginSpec {
    pub cookie_key: &'static str,
    pub cookie_value: &'static str,
    /// App protocol versions this plugin speaks.
    pub app_versions: &'static [u32],
}

/// ecsnet's Validator plugin.
pub const ECSNET_VALIDATOR: PluginSpec = PluginSpec {
    cookie_key: "ECSNET_PLUGIN_MAGIC_COOKIE",
    cookie_value: "a800653c8c41ae6c89be8ba5f9e71f15038bfa49c92a6e43e1e0eca360cc3a9e",
    app_versions: &[1],
};

/// Environment variable asking for TCP instead of a unix socket (`unix` or `tcp`).
pub const TRANSPORT_ENV: &str = "ECSNET_PLUGIN_TRANSPORT";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Unix,
    Tcp,
}

impl Transport {
    pub fn parse(s: &str) -> Option<Transport> {
        match s.trim().to_ascii_lowercase().as_str() {
            "unix" => Some(Transport::Unix),
            "tcp" => Some(Transport::Tcp),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cookie {
    Absent,
    Matches,
    /// Set, with another value: launched by a host for another plugin kind or version.
    Mismatch,
}

pub fn cookie(spec: &PluginSpec, env: &dyn Fn(&str) -> Option<String>) -> Cookie {
    match env(spec.cookie_key) {
        None => Cookie::Absent,
        Some(v) if v == spec.cookie_value => Cookie::Matches,
        Some(_) => Cookie::Mismatch,
    }
}

/// Everything the handshake environment says, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeConfig {
    /// The negotiated app protocol version.
    pub app_version: u32,
    /// PEM of the host's client certificate (`PLUGIN_CLIENT_CERT`): AutoMTLS when present.
    pub client_cert_pem: Option<String>,
    /// `PLUGIN_MIN_PORT`..=`PLUGIN_MAX_PORT`; (0, 0) lets the OS choose.
    pub port_range: (u16, u16),
    /// `PLUGIN_UNIX_SOCKET_DIR`.
    pub socket_dir: Option<PathBuf>,
    /// `PLUGIN_UNIX_SOCKET_GROUP`: group (name or id) to own the socket, which becomes 0660.
    pub socket_group: Option<String>,
    pub transport: Transport,
}

impl HandshakeConfig {
    /// Reads the handshake environment. `transport` (from `ecsnet serve --transport`) wins over
    /// `ECSNET_PLUGIN_TRANSPORT`.
    pub fn from_env(
        spec: &PluginSpec,
        env: &dyn Fn(&str) -> Option<String>,
        transport: Option<Transport>,
    ) -> Result<HandshakeConfig, UserError> {
        let app_version = negotiate(
            spec.app_versions,
            env("PLUGIN_PROTOCOL_VERSIONS").as_deref(),
        )?;
        let min = port_env(env, "PLUGIN_MIN_PORT")?;
        let max = port_env(env, "PLUGIN_MAX_PORT")?;
        let port_range = match (min, max) {
            (None, None) => (0, 0),
            (Some(a), None) => (a, u16::MAX),
            (None, Some(b)) => (0, b),
            (Some(a), Some(b)) if a <= b => (a, b),
            (Some(a), Some(b)) => {
                return Err(UserError::new(format!(
                    "PLUGIN_MIN_PORT={a} is above PLUGIN_MAX_PORT={b}: give the host a port range whose minimum is not above its maximum"
                )))
            }
        };
        let transport = match transport {
            Some(t) => t,
            None => match env(TRANSPORT_ENV) {
                None => default_transport(),
                Some(v) => Transport::parse(&v).ok_or_else(|| {
                    UserError::new(format!(
                        "{TRANSPORT_ENV}={v:?} is not a transport: use \"unix\" or \"tcp\""
                    ))
                })?,
            },
        };
        let non_empty = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        Ok(HandshakeConfig {
            app_version,
            client_cert_pem: non_empty("PLUGIN_CLIENT_CERT"),
            port_range,
            socket_dir: non_empty("PLUGIN_UNIX_SOCKET_DIR").map(PathBuf::from),
            socket_group: non_empty("PLUGIN_UNIX_SOCKET_GROUP"),
            transport,
        })
    }
}

fn default_transport() -> Transport {
    if cfg!(unix) {
        Transport::Unix
    } else {
        Transport::Tcp
    }
}

fn port_env(env: &dyn Fn(&str) -> Option<String>, key: &str) -> Result<Option<u16>, UserError> {
    match env(key) {
        None => Ok(None),
        Some(v) if v.trim().is_empty() => Ok(None),
        Some(v) => v.trim().parse::<u16>().map(Some).map_err(|_| {
            UserError::new(format!(
                "{key}={v:?} is not a port number: the host must pass a number from 0 to 65535"
            ))
        }),
    }
}

/// Picks the highest app protocol version both sides speak. `offered` is the host's
/// `PLUGIN_PROTOCOL_VERSIONS` (comma-separated, in any order: go-plugin builds it from a map);
/// absent means the host predates version negotiation and expects our first version.
pub fn negotiate(ours: &[u32], offered: Option<&str>) -> Result<u32, UserError> {
    let lowest = ours.iter().copied().min().unwrap_or(1);
    let Some(offered) = offered.filter(|s| !s.trim().is_empty()) else {
        return Ok(lowest);
    };
    let theirs: Vec<u32> = offered
        .split(',')
        .filter_map(|v| v.trim().parse::<u32>().ok())
        .collect();
    theirs
        .iter()
        .copied()
        .filter(|v| ours.contains(v))
        .max()
        .ok_or_else(|| {
            let list = |v: &[u32]| {
                v.iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            };
            UserError::new(format!(
                "no common plugin protocol version: the host speaks {} (PLUGIN_PROTOCOL_VERSIONS={offered:?}) and this ecsnet {} speaks {}; use an ecsnet release that matches the host",
                if theirs.is_empty() { "none".to_string() } else { list(&theirs) },
                env!("CARGO_PKG_VERSION"),
                list(ours),
            ))
        })
}

/// Where the plugin listens, as the handshake reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListenAddr {
    Unix(PathBuf),
    Tcp(std::net::SocketAddr),
}

impl ListenAddr {
    pub fn network(&self) -> &'static str {
        match self {
            ListenAddr::Unix(_) => "unix",
            ListenAddr::Tcp(_) => "tcp",
        }
    }
}

impl std::fmt::Display for ListenAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ListenAddr::Unix(p) => write!(f, "{}", p.display()),
            ListenAddr::Tcp(a) => write!(f, "{a}"),
        }
    }
}

/// `CORE|APP|NETWORK|ADDR|grpc|CERT` with the server certificate's DER in standard base64
/// without padding (go-plugin decodes with `RawStdEncoding`), or an empty last field in
/// plaintext mode, as go-plugin servers print it. Never a seventh field: old clients split
/// into six and would corrupt the certificate.
pub fn handshake_line(app_version: u32, addr: &ListenAddr, cert_der: Option<&[u8]>) -> String {
    use base64::Engine as _;
    let cert = cert_der
        .map(|d| base64::engine::general_purpose::STANDARD_NO_PAD.encode(d))
        .unwrap_or_default();
    format!(
        "{CORE_PROTOCOL_VERSION}|{app_version}|{}|{addr}|grpc|{cert}\n",
        addr.network()
    )
}

/// Writes the handshake line to stdout in one write and flushes: the host waits for it.
pub fn announce(line: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(line.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn negotiation_picks_highest_common_in_any_order() {
        assert_eq!(negotiate(&[1], Some("1")).unwrap(), 1);
        assert_eq!(negotiate(&[1], Some("3, 1,2")).unwrap(), 1);
        assert_eq!(negotiate(&[1, 2], Some("2,1")).unwrap(), 2);
        assert_eq!(negotiate(&[1, 2], Some("1,2")).unwrap(), 2);
        assert_eq!(negotiate(&[1], None).unwrap(), 1);
    }

    #[test]
    fn no_common_version_is_a_clear_error() {
        let e = negotiate(&[1], Some("5,6")).unwrap_err().message;
        assert!(e.contains("no common plugin protocol version"), "{e}");
        assert!(e.contains("5,6") && e.contains("speaks 1"), "{e}");
        assert!(!e.contains('\n'));
    }

    #[test]
    fn environment_is_read() {
        let env = env_of(&[
            ("PLUGIN_PROTOCOL_VERSIONS", "1"),
            ("PLUGIN_MIN_PORT", "10000"),
            ("PLUGIN_MAX_PORT", "25000"),
            ("PLUGIN_UNIX_SOCKET_DIR", "/tmp/x"),
            ("PLUGIN_CLIENT_CERT", "-----BEGIN CERTIFICATE-----"),
            (TRANSPORT_ENV, "tcp"),
        ]);
        let c = HandshakeConfig::from_env(&ECSNET_VALIDATOR, &env, None).unwrap();
        assert_eq!(c.port_range, (10000, 25000));
        assert_eq!(c.transport, Transport::Tcp);
        assert_eq!(c.socket_dir, Some(PathBuf::from("/tmp/x")));
        assert!(c.client_cert_pem.is_some());
        let c = HandshakeConfig::from_env(&ECSNET_VALIDATOR, &env, Some(Transport::Unix)).unwrap();
        assert_eq!(c.transport, Transport::Unix);
    }

    #[test]
    fn bad_ports_are_errors() {
        let env = env_of(&[("PLUGIN_MIN_PORT", "20"), ("PLUGIN_MAX_PORT", "10")]);
        assert!(HandshakeConfig::from_env(&ECSNET_VALIDATOR, &env, None).is_err());
        let env = env_of(&[("PLUGIN_MIN_PORT", "ten")]);
        let e = HandshakeConfig::from_env(&ECSNET_VALIDATOR, &env, None).unwrap_err();
        assert!(e.message.contains("PLUGIN_MIN_PORT"));
    }

    #[test]
    fn line_format() {
        let addr = ListenAddr::Unix(PathBuf::from("/tmp/d/plugin.sock"));
        assert_eq!(
            handshake_line(1, &addr, None),
            "1|1|unix|/tmp/d/plugin.sock|grpc|\n"
        );
        let line = handshake_line(1, &addr, Some(&[0xff, 0xfe, 0x01, 0x02]));
        assert_eq!(line, "1|1|unix|/tmp/d/plugin.sock|grpc|//4BAg\n");
        let tcp = ListenAddr::Tcp("127.0.0.1:10001".parse().unwrap());
        assert!(handshake_line(1, &tcp, None).starts_with("1|1|tcp|127.0.0.1:10001|grpc|"));
    }

    #[test]
    fn cookie_states() {
        let env = env_of(&[(ECSNET_VALIDATOR.cookie_key, ECSNET_VALIDATOR.cookie_value)]);
        assert_eq!(cookie(&ECSNET_VALIDATOR, &env), Cookie::Matches);
        let env = env_of(&[(ECSNET_VALIDATOR.cookie_key, "nope")]);
        assert_eq!(cookie(&ECSNET_VALIDATOR, &env), Cookie::Mismatch);
        assert_eq!(cookie(&ECSNET_VALIDATOR, &env_of(&[])), Cookie::Absent);
    }
}
