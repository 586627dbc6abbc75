//! The go-plugin services: serves an app's tonic services next to the services every
//! go-plugin host expects (plugin-protocol.md §1.4): `grpc.health.v1.Health` with service
//! `plugin` SERVING, `plugin.GRPCController/Shutdown`, `plugin.GRPCBroker` (held open,
//! never used: no app here needs callbacks), `plugin.GRPCStdio` (answers UNIMPLEMENTED, which
//! hosts treat as "no stdio syncing") and gRPC reflection (v1 and v1alpha) of all of them.
//!
//! It knows nothing about the app: [`crate::run_plugin`] hands it the app's routes.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, Semaphore};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::{Stream, StreamExt};
use tonic::service::RoutesBuilder;
use tonic::{Request, Response, Status, Streaming};

use crate::error::{Error, Result};
use crate::lifecycle::{Shutdown, GRACE};
use crate::listener::{Conn, Listener, PrefaceDeadline};
use crate::log;
use crate::options::ServerOptions;
use crate::pb;
use crate::tls::AutoMtls;
use crate::PluginSpec;

/// go-plugin's health service name (`GRPCServiceName`).
pub const HEALTH_SERVICE: &str = "plugin";

/// rustls reads the socket at most 4 KiB at a time; reading through a larger buffer turns
/// the ~25,000 reads of a 100 MB plan into a few hundred.
const TLS_READ_BUFFER: usize = 256 << 10;

/// HTTP/2 frames the host may send us (the protocol's default is 16 KiB): a large plan in
/// bigger frames means fewer frames to parse and append.
const MAX_FRAME_SIZE: u32 = 1 << 20;

/// The app's services plus what reflection should describe:
///
/// ```ignore
/// let mut app = AppServices::default();
/// app.routes.add_service(ProviderServer::new(MyProvider));
/// app.descriptor_sets.push(MY_FILE_DESCRIPTOR_SET);
/// ```
#[derive(Default)]
pub struct AppServices {
    pub routes: RoutesBuilder,
    /// Encoded `FileDescriptorSet`s of the app's protos (imports included), for gRPC
    /// reflection; go-plugin's own services and health are always described.
    pub descriptor_sets: Vec<&'static [u8]>,
}

/// Serves until `shutdown` triggers, then lets calls in flight finish for [`GRACE`] and
/// cancels the rest. Connections are limited as `options` says.
pub async fn serve(
    spec: &PluginSpec,
    app: AppServices,
    listener: Listener,
    tls: Option<AutoMtls>,
    shutdown: Shutdown,
    options: &ServerOptions,
) -> Result<()> {
    let mut routes = app.routes;

    let (health_reporter, health) = tonic_health::server::health_reporter();
    health_reporter
        .set_service_status(HEALTH_SERVICE, tonic_health::ServingStatus::Serving)
        .await;
    routes.add_service(health);

    routes.add_service(
        pb::plugin::grpc_controller_server::GrpcControllerServer::new(Controller {
            shutdown: shutdown.clone(),
        }),
    );
    routes.add_service(pb::plugin::grpc_broker_server::GrpcBrokerServer::new(
        Broker {
            plugin: spec.name,
            shutdown: shutdown.clone(),
        },
    ));
    routes.add_service(pb::plugin::grpc_stdio_server::GrpcStdioServer::new(Stdio));

    // v1 for current tools, v1alpha for older clients (grpc-go 1.33 in Debian 12, grpcurl).
    let reflection_err = |e| Error::setup(format!("cannot set up gRPC reflection: {e}"));
    routes.add_service(
        reflection_builder(&app.descriptor_sets)
            .build_v1()
            .map_err(reflection_err)?,
    );
    routes.add_service(
        reflection_builder(&app.descriptor_sets)
            .build_v1alpha()
            .map_err(reflection_err)?,
    );

    let incoming = accept_loop(listener, tls, shutdown.clone(), options);

    let server = tonic::transport::Server::builder()
        // Large plans arrive in big messages; bigger windows keep the socket busy.
        .initial_stream_window_size(Some(8 << 20))
        .initial_connection_window_size(Some(16 << 20))
        .max_frame_size(Some(MAX_FRAME_SIZE))
        // A peer that stops answering PINGs is gone (its host crashed, the machine slept):
        // its connection and whatever its calls hold are released.
        .http2_keepalive_interval(Some(options.keepalive_interval))
        .http2_keepalive_timeout(Some(options.keepalive_timeout))
        .add_routes(routes.routes())
        .serve_with_incoming_shutdown(incoming, shutdown.wait());
    tokio::pin!(server);

    let grace = async {
        shutdown.wait().await;
        tokio::time::sleep(GRACE).await;
    };
    tokio::select! {
        r = &mut server => r.map_err(|e| Error::setup(format!("plugin server failed: {e}")))?,
        _ = grace => {
            log::warning!("calls still running {} ms after shutdown: cancelling them", GRACE.as_millis());
        }
    }
    shutdown.cancel_all();
    Ok(())
}

fn reflection_builder<'a>(app: &[&'a [u8]]) -> tonic_reflection::server::Builder<'a> {
    let mut b = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET);
    for fds in app {
        b = b.register_encoded_file_descriptor_set(fds);
    }
    b
}

/// Accepts connections and runs each TLS handshake in its own task, so one slow or hostile
/// peer cannot block the others. Every connection must speak HTTP/2 within the handshake
/// timeout of being accepted (TLS included), and at most `max_connections` are served at
/// once. Failed handshakes (e.g. a client without the host's certificate) are logged and the
/// connection dropped.
fn accept_loop(
    listener: Listener,
    tls: Option<AutoMtls>,
    shutdown: Shutdown,
    options: &ServerOptions,
) -> impl Stream<Item = Result<Conn, std::io::Error>> {
    let (tx, rx) = mpsc::channel::<Result<Conn, std::io::Error>>(16);
    let acceptor = tls.as_ref().map(AutoMtls::acceptor);
    let timeout = options.handshake_timeout;
    let max_connections = options.max_connections.max(1);
    let slots = Arc::new(Semaphore::new(max_connections));
    tokio::spawn(async move {
        // Owning the listener here keeps the socket file until serving stops.
        let listener = listener;
        loop {
            let conn = tokio::select! {
                c = listener.accept() => c,
                _ = shutdown.wait() => break,
            };
            let conn = match conn {
                Ok(c) => c,
                Err(e) => {
                    log::warning!("accept failed: {e}");
                    // Avoid a hot loop on persistent errors such as EMFILE.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                log::warning!(
                    "refused a connection: already serving {max_connections} connections"
                );
                continue;
            };
            let deadline = tokio::time::Instant::now() + timeout;
            let tx = tx.clone();
            match &acceptor {
                None => {
                    let conn = Conn::new(PrefaceDeadline::new(conn, deadline, timeout));
                    if tx.send(Ok(conn.holding(slot))).await.is_err() {
                        break;
                    }
                }
                Some(acceptor) => {
                    let acceptor = acceptor.clone();
                    let conn = tokio::io::BufReader::with_capacity(TLS_READ_BUFFER, conn);
                    tokio::spawn(async move {
                        match tokio::time::timeout_at(deadline, acceptor.accept(conn)).await {
                            Ok(Ok(tls)) => {
                                let conn = Conn::new(PrefaceDeadline::new(tls, deadline, timeout));
                                let _ = tx.send(Ok(conn.holding(slot))).await;
                            }
                            Ok(Err(e)) => {
                                log::warning!("refused a connection: TLS handshake failed: {e}")
                            }
                            Err(_) => log::warning!(
                                "refused a connection: TLS handshake not done within {} ms",
                                timeout.as_millis()
                            ),
                        }
                    });
                }
            }
        }
        log::debug!("stopped accepting connections");
    });
    ReceiverStream::new(rx)
}

struct Controller {
    shutdown: Shutdown,
}

#[tonic::async_trait]
impl pb::plugin::grpc_controller_server::GrpcController for Controller {
    async fn shutdown(
        &self,
        _req: Request<pb::plugin::Empty>,
    ) -> Result<Response<pb::plugin::Empty>, Status> {
        log::info!("shutdown requested by the host");
        self.shutdown.trigger();
        Ok(Response::new(pb::plugin::Empty {}))
    }
}

/// Holds the broker stream the host opens at connect time, so the host's broker loop stays
/// quiet, and ends it on shutdown so graceful shutdown is not held up.
type ConnInfoStream =
    std::pin::Pin<Box<dyn Stream<Item = Result<pb::plugin::ConnInfo, Status>> + Send + 'static>>;

struct Broker {
    plugin: &'static str,
    shutdown: Shutdown,
}

#[tonic::async_trait]
impl pb::plugin::grpc_broker_server::GrpcBroker for Broker {
    async fn start_stream(
        &self,
        req: Request<Streaming<pb::plugin::ConnInfo>>,
    ) -> Result<Response<ConnInfoStream>, Status> {
        let mut inbound = req.into_inner();
        let shutdown = self.shutdown.clone();
        let plugin = self.plugin;
        let stop = async move {
            loop {
                tokio::select! {
                    m = inbound.next() => match m {
                        Some(Ok(info)) => log::debug!(
                            "broker offered connection {} ({} {}); {plugin} makes no callbacks",
                            info.service_id, info.network, info.address
                        ),
                        _ => break,
                    },
                    _ = shutdown.wait() => break,
                }
            }
        };
        // A stream that sends nothing and ends when the host closes its side or we stop.
        let out = futures_stream_end(stop);
        Ok(Response::new(Box::pin(out)))
    }
}

fn futures_stream_end(
    until: impl std::future::Future<Output = ()> + Send + 'static,
) -> impl Stream<Item = Result<pb::plugin::ConnInfo, Status>> + Send {
    let (tx, rx) = mpsc::channel::<Result<pb::plugin::ConnInfo, Status>>(1);
    tokio::spawn(async move {
        until.await;
        drop(tx);
    });
    ReceiverStream::new(rx)
}

/// Every RPC answers UNIMPLEMENTED (the generated default): a plugin served here writes
/// nothing to stdout after the handshake, and its stderr is read by the host directly.
struct Stdio;

#[tonic::async_trait]
impl pb::plugin::grpc_stdio_server::GrpcStdio for Stdio {}
