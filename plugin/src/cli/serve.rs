//! `ecsnet serve`: run as a go-plugin gRPC plugin. Hosts normally start it themselves by
//! launching `ecsnet` with `ECSNET_PLUGIN_MAGIC_COOKIE` set; see `crate::server`.

use std::process::ExitCode;

use goplugin::handshake::{self, Cookie, Transport};

use crate::error::{exit, Result};
use crate::server::settings::{self, Limits, Setting};
use crate::server::{ServeOptions, ECSNET_VALIDATOR};

/// Serve ecsnet's Validator over gRPC for a go-plugin host (Terraform-style plugin protocol)
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Serve ecsnet's Validator (ecsnet.v1) over gRPC for a host using HashiCorp's go-plugin protocol.\n\nHosts normally launch `ecsnet` with ECSNET_PLUGIN_MAGIC_COOKIE set, which serves automatically. The handshake line goes to stdout; logs go to stderr (level from ECSNET_LOG, hclog JSON with ECSNET_LOG_FORMAT=json). AutoMTLS is used whenever the host sets PLUGIN_CLIENT_CERT. The plugin stops on SIGTERM, on the host's Shutdown call, and when the process that launched it exits.\n\nEach limit below can also be set with the environment variable in its description; the flag wins. A value that cannot be read is an error.",
    after_help = "Examples:\n  # what a go-plugin host does (see examples/go-host/ for a complete host)\n  ECSNET_PLUGIN_MAGIC_COOKIE=a800653c8c41ae6c89be8ba5f9e71f15038bfa49c92a6e43e1e0eca360cc3a9e \\\n    PLUGIN_PROTOCOL_VERSIONS=1 ecsnet\n\n  # serve by hand over TCP with a 512 MiB plan cap, logging at debug level\n  ECSNET_LOG=debug ecsnet serve --transport tcp --max-plan-bytes 512M\n\n  # a small machine: 1 GiB for plans being received, 8 calls at once\n  ecsnet serve --max-inflight-bytes 1G --max-calls 8"
)]
pub struct ServeArgs {
    /// Listen on a unix socket (default on Unix) or TCP on 127.0.0.1 within PLUGIN_MIN_PORT..PLUGIN_MAX_PORT [env: ECSNET_PLUGIN_TRANSPORT]
    #[arg(long, value_parser = ["unix", "tcp"])]
    transport: Option<String>,
    /// Largest plan accepted, in bytes (suffixes K, M, G: binary) [env: ECSNET_PLUGIN_MAX_PLAN_BYTES] [default: 1G]
    #[arg(long, value_name = "SIZE")]
    max_plan_bytes: Option<String>,
    /// Memory for plans being received or checked, all calls together [env: ECSNET_PLUGIN_MAX_INFLIGHT_BYTES] [default: 2G]
    #[arg(long, value_name = "SIZE")]
    max_inflight_bytes: Option<String>,
    /// Validator calls served at once; more are refused with RESOURCE_EXHAUSTED [env: ECSNET_PLUGIN_MAX_CALLS] [default: 256]
    #[arg(long, value_name = "N")]
    max_calls: Option<String>,
    /// How long a call may wait for the next piece of its plan (e.g. 30s, 500ms) [env: ECSNET_PLUGIN_STREAM_IDLE_TIMEOUT] [default: 60s]
    #[arg(long, value_name = "TIME")]
    stream_idle_timeout: Option<String>,
    /// How long a new connection may take to speak HTTP/2, TLS handshake included [env: ECSNET_PLUGIN_HANDSHAKE_TIMEOUT] [default: 10s]
    #[arg(long, value_name = "TIME")]
    handshake_timeout: Option<String>,
}

impl ServeArgs {
    fn flag(&self, s: &Setting) -> Option<String> {
        match *s {
            settings::MAX_PLAN_BYTES => self.max_plan_bytes.clone(),
            settings::MAX_INFLIGHT_BYTES => self.max_inflight_bytes.clone(),
            settings::MAX_CALLS => self.max_calls.clone(),
            settings::STREAM_IDLE_TIMEOUT => self.stream_idle_timeout.clone(),
            settings::HANDSHAKE_TIMEOUT => self.handshake_timeout.clone(),
            _ => None,
        }
    }
}

pub fn run(args: ServeArgs) -> Result<u8> {
    // Without the flag, goplugin reads ECSNET_PLUGIN_TRANSPORT, as for a launched plugin.
    let transport = args.transport.as_deref().and_then(Transport::parse);
    let limits = Limits::read(&|k| std::env::var(k).ok(), &|s| args.flag(s))?;
    crate::server::serve(ServeOptions { transport, limits })?;
    Ok(exit::OK)
}

/// `Some(exit code)` when the process was launched by a go-plugin host (magic cookie set, no
/// command given) and has finished serving. `None` continues with the CLI: a bare `ecsnet`
/// (no cookie) prints the help, and `ecsnet --help` and every command keep working even
/// where the cookie leaks into the environment.
pub fn launched_as_plugin() -> Option<ExitCode> {
    if std::env::args_os().len() > 1 {
        return None;
    }
    let cookie = handshake::cookie(&ECSNET_VALIDATOR, &|k| std::env::var(k).ok());
    if cookie == Cookie::Matches {
        let served = Limits::from_env().and_then(|limits| {
            crate::server::serve(ServeOptions {
                transport: None,
                limits,
            })
        });
        let code = match served {
            Ok(()) => exit::OK,
            Err(e) => {
                eprintln!("error: {e}");
                exit::USAGE
            }
        };
        return Some(ExitCode::from(code));
    }
    None
}
