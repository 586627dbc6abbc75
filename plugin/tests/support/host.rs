//! A minimal go-plugin host in Rust, for the plugin integration tests and the plugin
//! benchmark: launches the built `ecsnet` binary the way go-plugin's client does. The host
//! itself (handshake parsing, AutoMTLS with a go-plugin-style P-521 client certificate) is
//! `goplugin::testing`; this adds what is ecsnet's: its binary, cookie and variables.
#![allow(dead_code, unused_imports)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub use goplugin::testing::{
    connect, connect_io, go_plugin_client_identity, launch, parse_handshake, ClientIdentity,
    Handshake, IoStream, PluginProcess,
};

pub const COOKIE_KEY: &str = ecsnet::server::ECSNET_VALIDATOR.cookie_key;
pub const COOKIE_VALUE: &str = ecsnet::server::ECSNET_VALIDATOR.cookie_value;

/// The ecsnet binary: Cargo's for integration tests; for examples (which Cargo gives no
/// binary path) `ECSNET_BIN`, else `ecsnet` next to the example's directory.
pub fn binary() -> PathBuf {
    if let Some(p) = option_env!("CARGO_BIN_EXE_ecsnet") {
        return PathBuf::from(p);
    }
    if let Ok(p) = std::env::var("ECSNET_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("current executable");
    // target/<profile>/examples/<example> → target/<profile>/ecsnet
    exe.parent()
        .and_then(Path::parent)
        .map(|d| d.join("ecsnet"))
        .expect("target directory")
}

/// The variables a host sets, protocol version 1, then `env`; anything from the test's own
/// environment that could change the outcome is removed first.
pub fn command(env: &[(&str, &str)], identity: Option<&ClientIdentity>) -> Command {
    let mut cmd = goplugin::testing::host_command(
        &binary(),
        &ecsnet::server::ECSNET_VALIDATOR,
        "1",
        identity,
    );
    for s in ecsnet::server::settings::ALL {
        cmd.env_remove(s.env);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Launches the plugin as a host would (see [`command`]), or fails the test.
pub fn start(identity: Option<&ClientIdentity>, env: &[(&str, &str)]) -> PluginProcess {
    launch(command(env, identity)).unwrap_or_else(|e| panic!("plugin did not start: {e}"))
}

/// The runtime the tests drive their calls on.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A `ValidatePlan` request for `plan`, everything else default.
pub fn request(plan: Vec<u8>) -> ecsnet::server::pb::ecsnet::v1::ValidatePlanRequest {
    ecsnet::server::pb::ecsnet::v1::ValidatePlanRequest {
        plan_json: plan.into(),
        ..Default::default()
    }
}

/// `plan` as `ValidatePlanStream` chunks of `size` bytes, a default header on the first.
pub fn stream_chunks(
    plan: &[u8],
    size: usize,
) -> Vec<ecsnet::server::pb::ecsnet::v1::ValidatePlanChunk> {
    use ecsnet::server::pb::ecsnet::v1 as pbv;
    plan.chunks(size)
        .enumerate()
        .map(|(i, c)| pbv::ValidatePlanChunk {
            header: (i == 0).then(pbv::ValidatePlanHeader::default),
            plan_json: c.to_vec().into(),
        })
        .collect()
}

/// Asks the plugin to stop, as a host does when it is done with it.
pub async fn shutdown(channel: tonic::transport::Channel) {
    use ecsnet::server::pb::plugin as pbp;
    pbp::grpc_controller_client::GrpcControllerClient::new(channel)
        .shutdown(pbp::Empty {})
        .await
        .expect("Shutdown answers before the plugin exits");
}
