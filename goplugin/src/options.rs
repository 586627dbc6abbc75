//! How a plugin serves its connections: the choices an app may make on top of what the
//! host's environment says (see [`crate::run_plugin_with`]).

use std::time::Duration;

use crate::handshake::Transport;

/// Connection limits and lifecycle choices. [`ServerOptions::default`] is what
/// [`crate::run_plugin`] uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerOptions {
    /// Overrides the spec's transport variable (an app's command-line choice).
    pub transport: Option<Transport>,
    /// From accepting a connection to receiving the HTTP/2 connection preface, the TLS
    /// handshake included. A connection that has not spoken HTTP/2 by then (a stalled
    /// handshake, a peer that connects and says nothing) is closed. Default 10 s.
    pub handshake_timeout: Duration,
    /// How often an HTTP/2 PING is sent on a connection, and how long its answer may take
    /// before the connection is closed as dead. Defaults 30 s and 20 s.
    ///
    /// Established connections are not closed for being idle: a go-plugin host keeps one
    /// connection for the plugin's whole life, with its broker stream open on it, and may
    /// make no call for minutes. A dead peer is found by the PINGs; live ones are bounded by
    /// [`ServerOptions::max_connections`].
    pub keepalive_interval: Duration,
    pub keepalive_timeout: Duration,
    /// Connections served at once (handshakes included); more are closed as soon as they
    /// are accepted. A go-plugin host uses one. Default 32. It also bounds what HTTP/2 flow
    /// control lets peers have in flight in the plugin's buffers: one connection window
    /// (16 MiB, see `services.rs`) each.
    pub max_connections: usize,
    /// Shut down, as on SIGTERM, when the process that launched the plugin exits
    /// (see [`crate::lifecycle::shutdown_with_parent`]). Default on.
    pub exit_with_parent: bool,
}

pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_KEEPALIVE_INTERVAL: Duration = Duration::from_secs(30);
pub const DEFAULT_KEEPALIVE_TIMEOUT: Duration = Duration::from_secs(20);
pub const DEFAULT_MAX_CONNECTIONS: usize = 32;

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            transport: None,
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
            keepalive_interval: DEFAULT_KEEPALIVE_INTERVAL,
            keepalive_timeout: DEFAULT_KEEPALIVE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            exit_with_parent: true,
        }
    }
}
