//! The go-plugin gRPC server (`ecsnet serve`).
//!
//! Layers, each in its own file:
//! - [`handshake`]: magic cookie, protocol negotiation, environment, the stdout line.
//! - [`listener`]: the unix socket (or TCP) the host connects to.
//! - [`tls`]: AutoMTLS with a pinned client certificate.
//! - [`goplugin`]: serves any set of tonic services plus the services go-plugin hosts expect.
//! - [`validator`]: `ecsnet.v1.Validator` on top of [`crate::engine`].
//! - [`lifecycle`], [`log`], [`limits`]: shutdown, stderr logging, message-size errors.

mod assembly;
pub mod goplugin;
pub mod handshake;
pub mod lifecycle;
pub mod limits;
pub mod listener;
pub mod log;
pub mod pb;
mod plan_buffer;
pub mod tls;
pub mod validator;

use handshake::{HandshakeConfig, PluginSpec, Transport};
use lifecycle::Shutdown;
use listener::BoundListener;

use crate::error::UserError;

/// `ecsnet serve` settings.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Overrides `ECSNET_PLUGIN_TRANSPORT`.
    pub transport: Option<Transport>,
    pub limits: validator::Limits,
}

/// Serves the ecsnet Validator plugin until the host asks it to stop.
pub fn serve(opts: ServeOptions) -> Result<(), UserError> {
    let limits = opts.limits;
    run_plugin(
        &handshake::ECSNET_VALIDATOR,
        opts.transport,
        move |_version, shutdown| {
            let mut routes = tonic::service::RoutesBuilder::default();
            routes.add_service(validator::service(limits, shutdown.clone()));
            goplugin::AppServices {
                routes,
                // pb::FILE_DESCRIPTOR_SET (always registered) already describes ecsnet.v1.
                descriptor_sets: Vec::new(),
            }
        },
    )
}

/// The go-plugin life of any plugin: read the handshake environment, bind, set up TLS,
/// print the handshake line, serve `make_app`'s services until shutdown. Everything before
/// the handshake line that fails is returned as one clear error (the caller prints it to
/// stderr and exits 2), so a host sees the reason in its plugin log.
pub fn run_plugin(
    spec: &PluginSpec,
    transport: Option<Transport>,
    make_app: impl FnOnce(u32, &Shutdown) -> goplugin::AppServices,
) -> Result<(), UserError> {
    log::init_from_env();
    lifecycle::ignore_sigint();
    let cfg = HandshakeConfig::from_env(spec, &|k| std::env::var(k).ok(), transport)?;
    let tls = cfg
        .client_cert_pem
        .as_deref()
        .map(tls::AutoMtls::from_client_pem)
        .transpose()?;
    // Bound before the runtime exists: see listener.rs.
    let bound = BoundListener::bind(&cfg)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("ecsnet-plugin")
        .build()
        .map_err(|e| UserError::new(format!("cannot start the plugin runtime: {e}")))?;

    let result = runtime.block_on(async {
        let listener = bound
            .into_async()
            .map_err(|e| UserError::new(format!("cannot listen: {e}")))?;
        let shutdown = Shutdown::new();
        lifecycle::shutdown_on_sigterm(shutdown.clone());
        let app = make_app(cfg.app_version, &shutdown);
        let line = handshake::handshake_line(
            cfg.app_version,
            listener.addr(),
            tls.as_ref().map(tls::AutoMtls::cert_der),
        );
        log::info!(
            "serving plugin protocol {} on {} {}{}",
            cfg.app_version,
            listener.addr().network(),
            listener.addr(),
            if tls.is_some() {
                " with AutoMTLS"
            } else {
                " (plaintext)"
            }
        );
        handshake::announce(&line)
            .map_err(|e| UserError::new(format!("cannot write the handshake to stdout: {e}")))?;
        goplugin::serve(app, listener, tls, shutdown).await
    });
    // Blocking work still running after the grace period was told to stop; do not wait on it.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    log::info!("plugin stopped");
    result
}
