//! ecsnet's go-plugin gRPC server (`ecsnet serve`): the `ecsnet.v1.Validator` service served
//! with the [`goplugin`] crate, which does the go-plugin part (handshake, listener, AutoMTLS,
//! the services go-plugin hosts expect, shutdown, logging).
//!
//! Here, what is ecsnet's own:
//! - [`ECSNET_VALIDATOR`]: the plugin's identity (cookie, protocol version, variables).
//! - [`validator`]: `ecsnet.v1.Validator` on top of [`crate::engine`], with the stream
//!   assembly and the receive buffer kept between calls.
//! - [`settings`]: the plugin's limits and timeouts, from the environment and flags.
//! - [`limits`]: the limits applied where calls come in (calls at once, memory for plans,
//!   idle streams, plan size), with errors that name the setting to raise.
//! - `plan_buffer`: the memory budget for plans being received, and the kept buffer.
//! - [`pb`]: the generated `ecsnet.v1` code.

mod assembly;
pub mod limits;
pub mod pb;
mod plan_buffer;
pub mod settings;
pub mod validator;

#[doc(hidden)]
pub use assembly::fuzz_calls as fuzz_stream_assembly;

use goplugin::{AppServices, PluginSpec, ServerOptions, Transport};

use crate::error::UserError;

/// ecsnet's Validator plugin. Its log lines read `[INFO] ecsnet: ...`.
pub const ECSNET_VALIDATOR: PluginSpec = PluginSpec {
    name: "ecsnet",
    version: env!("CARGO_PKG_VERSION"),
    cookie_key: "ECSNET_PLUGIN_MAGIC_COOKIE",
    cookie_value: "a800653c8c41ae6c89be8ba5f9e71f15038bfa49c92a6e43e1e0eca360cc3a9e",
    app_versions: &[validator::PROTOCOL_VERSION],
    log_level_env: "ECSNET_LOG",
    log_format_env: "ECSNET_LOG_FORMAT",
    transport_env: "ECSNET_PLUGIN_TRANSPORT",
};

/// `ecsnet serve` settings.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Overrides `ECSNET_PLUGIN_TRANSPORT`.
    pub transport: Option<Transport>,
    pub limits: validator::Limits,
}

/// Serves the ecsnet Validator plugin until the host asks it to stop, SIGTERM arrives or
/// the host process exits.
pub fn serve(opts: ServeOptions) -> Result<(), UserError> {
    let limits = opts.limits;
    let options = ServerOptions {
        transport: opts.transport,
        handshake_timeout: limits.handshake_timeout,
        ..ServerOptions::default()
    };
    goplugin::run_plugin_with(&ECSNET_VALIDATOR, &options, move |_version, shutdown| {
        let mut app = AppServices::default();
        app.routes
            .add_service(validator::service(limits, shutdown.clone()));
        app.descriptor_sets.push(pb::FILE_DESCRIPTOR_SET);
        app
    })
    .map_err(user_error)
}

/// goplugin's errors are already one line saying what to do; only the version mismatch is
/// worded here, because which release to install is ecsnet's advice to give.
fn user_error(e: goplugin::Error) -> UserError {
    match e {
        goplugin::Error::NoCommonVersion {
            offered,
            host,
            ours,
            ..
        } => UserError::new(format!(
            "no common plugin protocol version: the host speaks {host} (PLUGIN_PROTOCOL_VERSIONS={offered:?}) and this ecsnet {} speaks {ours}; use an ecsnet release that matches the host",
            env!("CARGO_PKG_VERSION"),
        )),
        other => UserError::new(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_mismatch_keeps_ecsnet_advice() {
        let e = goplugin::handshake::negotiate(&ECSNET_VALIDATOR, Some("5,6")).unwrap_err();
        let e = user_error(e).message;
        assert_eq!(
            e,
            format!(
                "no common plugin protocol version: the host speaks 5,6 (PLUGIN_PROTOCOL_VERSIONS=\"5,6\") and this ecsnet {} speaks 1; use an ecsnet release that matches the host",
                env!("CARGO_PKG_VERSION")
            )
        );
    }

    #[test]
    fn other_errors_pass_through() {
        let e = user_error(goplugin::Error::setup("cannot listen: it is late"));
        assert_eq!(e.message, "cannot listen: it is late");
    }
}
