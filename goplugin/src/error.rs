//! What can stop a plugin before or while it serves. Every message is one line that says what
//! is wrong and what to do: the app prints it to stderr before exiting, and a go-plugin host
//! shows the plugin's stderr in its log.

/// A plugin that cannot start or keep serving.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The host and this plugin share no app protocol version. Kept apart from [`Error::Setup`]
    /// so an app can word its own advice (which release to install) from the facts.
    #[error(
        "no common plugin protocol version: the host speaks {host} (PLUGIN_PROTOCOL_VERSIONS={offered:?}) and this {plugin}{} speaks {ours}; use a release of {plugin} that matches the host",
        if version.is_empty() { String::new() } else { format!(" {version}") }
    )]
    NoCommonVersion {
        /// [`crate::PluginSpec::name`].
        plugin: &'static str,
        /// [`crate::PluginSpec::version`]; may be empty.
        version: &'static str,
        /// `PLUGIN_PROTOCOL_VERSIONS` as the host set it.
        offered: String,
        /// The versions the host offered that are numbers, comma-separated, or `none`.
        host: String,
        /// This plugin's versions, comma-separated.
        ours: String,
    },
    /// Anything else: the handshake environment, the listener, TLS, the runtime, the server.
    #[error("{0}")]
    Setup(String),
}

impl Error {
    /// A [`Error::Setup`] whose message is folded onto one line: parts of it come from
    /// elsewhere (OS and TLS errors), and hosts read stderr line by line.
    pub fn setup(message: impl Into<String>) -> Error {
        let message = message.into();
        if !message.contains(['\n', '\r']) {
            return Error::Setup(message);
        }
        Error::Setup(
            message
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn setup_messages_are_one_line() {
        assert_eq!(
            Error::setup("cannot listen:\n  address in use\r\n").to_string(),
            "cannot listen: address in use"
        );
    }
}
