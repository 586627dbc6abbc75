//! The plugin side of HashiCorp's go-plugin gRPC protocol, for any set of tonic services:
//! what lets a Rust binary be launched by a go-plugin host (Terraform and OpenTofu launching
//! providers, ecsnet's hosts launching its Validator) as a Go plugin would be.
//!
//! An app describes itself with a [`PluginSpec`] (magic cookie, app protocol versions, its
//! name and environment variable names) and calls [`run_plugin`] with a function that builds
//! its services for the negotiated version:
//!
//! ```no_run
//! use goplugin::{handshake::TERRAFORM_PROVIDER_V6, AppServices, PluginSpec};
//!
//! const SPEC: PluginSpec = TERRAFORM_PROVIDER_V6.named("aws-standin", env!("CARGO_PKG_VERSION"));
//!
//! fn main() -> std::process::ExitCode {
//!     let served = goplugin::run_plugin(&SPEC, None, |_version, _shutdown| {
//!         let app = AppServices::default();
//!         // app.routes.add_service(ProviderServer::new(..));
//!         // app.descriptor_sets.push(FILE_DESCRIPTOR_SET);
//!         app
//!     });
//!     match served {
//!         Ok(()) => std::process::ExitCode::SUCCESS,
//!         Err(e) => {
//!             eprintln!("error: {e}");
//!             std::process::ExitCode::from(2)
//!         }
//!     }
//! }
//! ```
//!
//! Layers, each in its own module:
//! - [`handshake`]: the spec, magic cookie, protocol negotiation, environment, the stdout line.
//! - [`listener`]: the unix socket (or TCP) the host connects to.
//! - [`tls`]: AutoMTLS with a pinned client certificate, on aws-lc-rs.
//! - [`services`]: the app's services plus health, controller, broker, stdio and reflection.
//! - [`lifecycle`]: SIGTERM, SIGINT, the host's exit, the controller's Shutdown and the
//!   grace period.
//! - [`options`]: connection limits (handshake timeout, keepalive, connection count).
//! - [`log`]: stderr lines a go-plugin host understands.
//! - [`testing`] (feature `test-support`): a go-plugin-style host for tests.

pub mod error;
pub mod handshake;
pub mod lifecycle;
pub mod listener;
pub mod log;
pub mod options;
pub mod pb;
pub mod services;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod tls;

pub use error::{Error, Result};
pub use handshake::{PluginSpec, Transport, TERRAFORM_PROVIDER_V6};
pub use lifecycle::Shutdown;
pub use options::ServerOptions;
pub use services::AppServices;

use handshake::HandshakeConfig;
use listener::BoundListener;

/// The go-plugin life of a plugin: read the handshake environment, bind, set up TLS, print
/// the handshake line, serve `make_app`'s services (built for the negotiated app protocol
/// version, with the shutdown handle their long calls should watch) until the host asks it
/// to stop, SIGTERM arrives, the host process exits or the controller's `Shutdown` is
/// called. Connections are served with [`ServerOptions::default`].
///
/// `transport` (an app's command-line choice) wins over the spec's transport variable.
/// Everything that fails before the handshake line is returned as one clear error, for the
/// app to print to stderr before exiting, so a host sees the reason in its plugin log.
/// It does not check the magic cookie: see [`handshake::cookie`] for apps that choose
/// between serving and a command line.
pub fn run_plugin(
    spec: &PluginSpec,
    transport: Option<Transport>,
    make_app: impl FnOnce(u32, &Shutdown) -> AppServices,
) -> Result<()> {
    let options = ServerOptions {
        transport,
        ..ServerOptions::default()
    };
    run_plugin_with(spec, &options, make_app)
}

/// [`run_plugin`] with the app's choice of connection limits and lifecycle.
pub fn run_plugin_with(
    spec: &PluginSpec,
    options: &ServerOptions,
    make_app: impl FnOnce(u32, &Shutdown) -> AppServices,
) -> Result<()> {
    log::init_from_env(spec)?;
    lifecycle::ignore_sigint();
    let cfg = HandshakeConfig::from_env(spec, &|k| std::env::var(k).ok(), options.transport)?;
    let tls = cfg
        .client_cert_pem
        .as_deref()
        .map(tls::AutoMtls::from_client_pem)
        .transpose()?;
    // Bound before the runtime exists: see listener.rs.
    let bound = BoundListener::bind(&cfg, spec.name)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name(format!("{}-plugin", spec.name))
        .build()
        .map_err(|e| Error::setup(format!("cannot start the plugin runtime: {e}")))?;

    let result = runtime.block_on(async {
        let listener = bound
            .into_async()
            .map_err(|e| Error::setup(format!("cannot listen: {e}")))?;
        let shutdown = Shutdown::new();
        lifecycle::shutdown_on_sigterm(shutdown.clone());
        if options.exit_with_parent {
            lifecycle::shutdown_with_parent(shutdown.clone());
        }
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
            .map_err(|e| Error::setup(format!("cannot write the handshake to stdout: {e}")))?;
        services::serve(spec, app, listener, tls, shutdown, options).await
    });
    // Blocking work still running after the grace period was told to stop; do not wait on it.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    log::info!("plugin stopped");
    result
}
