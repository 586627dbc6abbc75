//! The go-plugin handshake, plugin side: what identifies a plugin to its hosts
//! ([`PluginSpec`]), the magic cookie, app protocol negotiation, the listener settings the
//! host passes in the environment, and the one line written to stdout.
//! Facts from `plugin-protocol.md` §1.1–1.2 (go-plugin `server.go`/`client.go`).

use std::io::Write;
use std::path::PathBuf;

use crate::error::{Error, Result};

/// go-plugin's core protocol version; hosts reject anything else.
pub const CORE_PROTOCOL_VERSION: u32 = 1;

/// What identifies one plugin to its hosts, and the names of its own environment variables.
/// The rest of the crate is generic over it, so one binary can answer hosts of different
/// kinds (ecsnet's Validator, a Terraform provider) with the spec each expects.
///
/// A spec is plain data, so an app declares its own as a `const`, or starts from a shared one
/// such as [`TERRAFORM_PROVIDER_V6`] and gives it its name with [`PluginSpec::named`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PluginSpec {
    /// Names the plugin in its log lines (`[INFO] <name>: ...`, hclog's `@module`), its socket
    /// file and private directory (`<name>-plugin-*/<name>-<pid>-<n>.sock`), its runtime's
    /// threads and its error messages.
    pub name: &'static str,
    /// The plugin's version, for error messages; empty leaves it out.
    pub version: &'static str,
    /// The magic cookie the host sets: a check that the binary was launched by the right kind
    /// of host, not a security measure.
    pub cookie_key: &'static str,
    pub cookie_value: &'static str,
    /// App protocol versions this plugin speaks; the highest one the host also offers wins.
    pub app_versions: &'static [u32],
    /// Log level: `trace`, `debug`, `info` (default), `warn`, `error` or `off`.
    pub log_level_env: &'static str,
    /// `json` switches the log to hclog JSON lines.
    pub log_format_env: &'static str,
    /// `unix` or `tcp`: asks for TCP on 127.0.0.1 instead of a unix socket.
    pub transport_env: &'static str,
}

impl PluginSpec {
    /// The same spec for a plugin with another name and version (both `const`, so a shared
    /// spec can be specialised in a `const`).
    pub const fn named(self, name: &'static str, version: &'static str) -> PluginSpec {
        PluginSpec {
            name,
            version,
            ..self
        }
    }
}

/// A Terraform (and OpenTofu) provider speaking protocol 6 (`tfplugin6`): Terraform's magic
/// cookie, and the version Terraform picks when it offers `5,6` in either order. Name it with
/// [`PluginSpec::named`]; until then it logs and names its socket as `provider`.
///
/// Environment: `TF_LOG_PROVIDER` sets the log level, as it does for providers built on
/// HashiCorp's SDKs (Terraform passes its environment on to the providers it launches).
/// `TF_LOG_PROVIDER_FORMAT=json` (hclog JSON) and `TF_PLUGIN_TRANSPORT=tcp` are this crate's
/// own names, following the same pattern; Terraform sets neither.
pub const TERRAFORM_PROVIDER_V6: PluginSpec = PluginSpec {
    name: "provider",
    version: "",
    cookie_key: "TF_PLUGIN_MAGIC_COOKIE",
    cookie_value: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
    app_versions: &[6],
    log_level_env: "TF_LOG_PROVIDER",
    log_format_env: "TF_LOG_PROVIDER_FORMAT",
    transport_env: "TF_PLUGIN_TRANSPORT",
};

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
    /// Reads the handshake environment. `transport` (an app's command-line choice) wins over
    /// the spec's transport variable.
    pub fn from_env(
        spec: &PluginSpec,
        env: &dyn Fn(&str) -> Option<String>,
        transport: Option<Transport>,
    ) -> Result<HandshakeConfig> {
        let app_version = negotiate(spec, env("PLUGIN_PROTOCOL_VERSIONS").as_deref())?;
        let min = port_env(env, "PLUGIN_MIN_PORT")?;
        let max = port_env(env, "PLUGIN_MAX_PORT")?;
        let port_range = match (min, max) {
            (None, None) => (0, 0),
            (Some(a), None) => (a, u16::MAX),
            (None, Some(b)) => (0, b),
            (Some(a), Some(b)) if a <= b => (a, b),
            (Some(a), Some(b)) => {
                return Err(Error::setup(format!(
                    "PLUGIN_MIN_PORT={a} is above PLUGIN_MAX_PORT={b}: give the host a port range whose minimum is not above its maximum"
                )))
            }
        };
        let transport = match transport {
            Some(t) => t,
            None => match env(spec.transport_env) {
                None => default_transport(),
                Some(v) => Transport::parse(&v).ok_or_else(|| {
                    Error::setup(format!(
                        "{}={v:?} is not a transport: use \"unix\" or \"tcp\"",
                        spec.transport_env
                    ))
                })?,
            },
        };
        Ok(HandshakeConfig {
            app_version,
            client_cert_pem: host_setting(
                env,
                "PLUGIN_CLIENT_CERT",
                "the host must pass its AutoMTLS client certificate (PEM), or leave the variable unset or empty for plaintext",
            )?,
            port_range,
            socket_dir: host_setting(
                env,
                "PLUGIN_UNIX_SOCKET_DIR",
                "give a directory, or leave the variable unset or empty for a private temporary one",
            )?
            .map(PathBuf::from),
            socket_group: host_setting(
                env,
                "PLUGIN_UNIX_SOCKET_GROUP",
                "give a group name or id, or leave the variable unset or empty",
            )?,
            transport,
        })
    }
}

/// A go-plugin variable set by the host: unset and empty both mean "not given", as they do
/// to go-plugin's own servers (`os.Getenv(k) != ""`), and a value of only whitespace is an
/// error rather than "not given": it is what a host that meant to pass something and lost
/// it sets, and for `PLUGIN_CLIENT_CERT` reading it as absent would serve in plaintext a
/// host that asked for mutual TLS.
fn host_setting(
    env: &dyn Fn(&str) -> Option<String>,
    key: &str,
    advice: &str,
) -> Result<Option<String>> {
    match env(key) {
        None => Ok(None),
        Some(v) if v.is_empty() => Ok(None),
        Some(v) if v.trim().is_empty() => Err(Error::setup(format!(
            "{key} holds only whitespace ({} characters): {advice}",
            v.chars().count()
        ))),
        Some(v) => Ok(Some(v)),
    }
}

fn default_transport() -> Transport {
    if cfg!(unix) {
        Transport::Unix
    } else {
        Transport::Tcp
    }
}

fn port_env(env: &dyn Fn(&str) -> Option<String>, key: &str) -> Result<Option<u16>> {
    match env(key) {
        None => Ok(None),
        Some(v) if v.is_empty() => Ok(None),
        Some(v) => v.trim().parse::<u16>().map(Some).map_err(|_| {
            Error::setup(format!(
                "{key}={v:?} is not a port number: the host must pass a number from 0 to 65535"
            ))
        }),
    }
}

/// Picks the highest app protocol version both sides speak. `offered` is the host's
/// `PLUGIN_PROTOCOL_VERSIONS` (comma-separated, in any order: go-plugin builds it from a map);
/// absent means the host predates version negotiation and expects our first version.
pub fn negotiate(spec: &PluginSpec, offered: Option<&str>) -> Result<u32> {
    let ours = spec.app_versions;
    let lowest = ours.iter().copied().min().unwrap_or(1);
    let Some(offered) = offered.filter(|s| !s.is_empty()) else {
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
            Error::NoCommonVersion {
                plugin: spec.name,
                version: spec.version,
                offered: offered.to_string(),
                host: if theirs.is_empty() {
                    "none".to_string()
                } else {
                    list(&theirs)
                },
                ours: list(ours),
            }
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

    const TEST_SPEC: PluginSpec = PluginSpec {
        name: "demo",
        version: "1.2.3",
        cookie_key: "DEMO_PLUGIN_MAGIC_COOKIE",
        cookie_value: "0123",
        app_versions: &[1],
        log_level_env: "DEMO_LOG",
        log_format_env: "DEMO_LOG_FORMAT",
        transport_env: "DEMO_PLUGIN_TRANSPORT",
    };

    fn speaking(versions: &'static [u32]) -> PluginSpec {
        PluginSpec {
            app_versions: versions,
            ..TEST_SPEC
        }
    }

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn negotiation_picks_highest_common_in_any_order() {
        assert_eq!(negotiate(&speaking(&[1]), Some("1")).unwrap(), 1);
        assert_eq!(negotiate(&speaking(&[1]), Some("3, 1,2")).unwrap(), 1);
        assert_eq!(negotiate(&speaking(&[1, 2]), Some("2,1")).unwrap(), 2);
        assert_eq!(negotiate(&speaking(&[1, 2]), Some("1,2")).unwrap(), 2);
        assert_eq!(negotiate(&speaking(&[1]), None).unwrap(), 1);
    }

    #[test]
    fn terraform_offers_five_and_six_in_either_order() {
        for offered in ["5,6", "6,5", " 6 , 5 "] {
            assert_eq!(negotiate(&TERRAFORM_PROVIDER_V6, Some(offered)).unwrap(), 6);
        }
        let spec = TERRAFORM_PROVIDER_V6.named("aws-standin", "0.1.0");
        assert_eq!(spec.cookie_key, "TF_PLUGIN_MAGIC_COOKIE");
        assert_eq!((spec.name, spec.version), ("aws-standin", "0.1.0"));
        assert!(negotiate(&spec, Some("5")).is_err());
    }

    #[test]
    fn no_common_version_is_a_clear_error() {
        let e = negotiate(&TEST_SPEC, Some("5,6")).unwrap_err();
        let Error::NoCommonVersion {
            ref host, ref ours, ..
        } = e
        else {
            panic!("{e:?}")
        };
        assert_eq!((host.as_str(), ours.as_str()), ("5,6", "1"));
        let e = e.to_string();
        assert_eq!(
            e,
            "no common plugin protocol version: the host speaks 5,6 (PLUGIN_PROTOCOL_VERSIONS=\"5,6\") and this demo 1.2.3 speaks 1; use a release of demo that matches the host"
        );
        let e = negotiate(&TEST_SPEC, Some("x")).unwrap_err().to_string();
        assert!(e.contains("the host speaks none"), "{e}");
    }

    #[test]
    fn environment_is_read() {
        let env = env_of(&[
            ("PLUGIN_PROTOCOL_VERSIONS", "1"),
            ("PLUGIN_MIN_PORT", "10000"),
            ("PLUGIN_MAX_PORT", "25000"),
            ("PLUGIN_UNIX_SOCKET_DIR", "/tmp/x"),
            ("PLUGIN_CLIENT_CERT", "-----BEGIN CERTIFICATE-----"),
            (TEST_SPEC.transport_env, "tcp"),
        ]);
        let c = HandshakeConfig::from_env(&TEST_SPEC, &env, None).unwrap();
        assert_eq!(c.port_range, (10000, 25000));
        assert_eq!(c.transport, Transport::Tcp);
        assert_eq!(c.socket_dir, Some(PathBuf::from("/tmp/x")));
        assert!(c.client_cert_pem.is_some());
        let c = HandshakeConfig::from_env(&TEST_SPEC, &env, Some(Transport::Unix)).unwrap();
        assert_eq!(c.transport, Transport::Unix);
        let env = env_of(&[(TEST_SPEC.transport_env, "pipe")]);
        let e = HandshakeConfig::from_env(&TEST_SPEC, &env, None).unwrap_err();
        assert!(
            e.to_string().starts_with("DEMO_PLUGIN_TRANSPORT=\"pipe\""),
            "{e}"
        );
    }

    #[test]
    fn empty_means_unset_and_whitespace_is_an_error() {
        let env = env_of(&[
            ("PLUGIN_CLIENT_CERT", ""),
            ("PLUGIN_UNIX_SOCKET_DIR", ""),
            ("PLUGIN_MIN_PORT", ""),
        ]);
        let c = HandshakeConfig::from_env(&TEST_SPEC, &env, None).unwrap();
        assert_eq!(
            c.client_cert_pem, None,
            "empty: plaintext, as go-plugin does"
        );
        assert_eq!(c.socket_dir, None);
        assert_eq!(c.port_range, (0, 0));
        for key in [
            "PLUGIN_CLIENT_CERT",
            "PLUGIN_UNIX_SOCKET_DIR",
            "PLUGIN_UNIX_SOCKET_GROUP",
            "PLUGIN_MIN_PORT",
            "PLUGIN_MAX_PORT",
        ] {
            for blank in [" ", "\n", " \t \r\n"] {
                let env = env_of(&[(key, blank)]);
                let e = HandshakeConfig::from_env(&TEST_SPEC, &env, None)
                    .unwrap_err()
                    .to_string();
                assert!(e.starts_with(key), "{key}={blank:?}: {e}");
                assert!(!e.contains('\n'), "one line: {e:?}");
            }
        }
        let env = env_of(&[("PLUGIN_CLIENT_CERT", "  \n")]);
        let e = HandshakeConfig::from_env(&TEST_SPEC, &env, None).unwrap_err();
        assert!(e.to_string().contains("plaintext"), "{e}");
        // Versions: empty is a host that predates negotiation; blank offers nothing.
        assert_eq!(negotiate(&TEST_SPEC, Some("")).unwrap(), 1);
        assert!(negotiate(&TEST_SPEC, Some("  ")).is_err());
    }

    #[test]
    fn bad_ports_are_errors() {
        let env = env_of(&[("PLUGIN_MIN_PORT", "20"), ("PLUGIN_MAX_PORT", "10")]);
        assert!(HandshakeConfig::from_env(&TEST_SPEC, &env, None).is_err());
        let env = env_of(&[("PLUGIN_MIN_PORT", "ten")]);
        let e = HandshakeConfig::from_env(&TEST_SPEC, &env, None).unwrap_err();
        assert!(e.to_string().contains("PLUGIN_MIN_PORT"));
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
        let env = env_of(&[(TEST_SPEC.cookie_key, TEST_SPEC.cookie_value)]);
        assert_eq!(cookie(&TEST_SPEC, &env), Cookie::Matches);
        let env = env_of(&[(TEST_SPEC.cookie_key, "nope")]);
        assert_eq!(cookie(&TEST_SPEC, &env), Cookie::Mismatch);
        assert_eq!(cookie(&TEST_SPEC, &env_of(&[])), Cookie::Absent);
    }
}
