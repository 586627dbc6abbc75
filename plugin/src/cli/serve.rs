//! `ecsnet serve`: run as a go-plugin gRPC plugin. Hosts normally start it themselves by
//! launching `ecsnet` with `ECSNET_PLUGIN_MAGIC_COOKIE` set; see `crate::server`.

use std::process::ExitCode;

use goplugin::handshake::{self, Cookie, Transport};

use crate::error::{exit, Result, UserError};
use crate::server::validator::{parse_size, Limits, MAX_PLAN_BYTES_ENV};
use crate::server::{ServeOptions, ECSNET_VALIDATOR};

/// Serve ecsnet's Validator over gRPC for a go-plugin host (Terraform-style plugin protocol)
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Serve ecsnet's Validator (ecsnet.v1) over gRPC for a host using HashiCorp's go-plugin protocol.\n\nHosts normally launch `ecsnet` with ECSNET_PLUGIN_MAGIC_COOKIE set, which serves automatically. The handshake line goes to stdout; logs go to stderr (level from ECSNET_LOG, hclog JSON with ECSNET_LOG_FORMAT=json). AutoMTLS is used whenever the host sets PLUGIN_CLIENT_CERT.",
    after_help = "Examples:\n  # what a go-plugin host does (see examples/go-host/ for a complete host)\n  ECSNET_PLUGIN_MAGIC_COOKIE=a800653c8c41ae6c89be8ba5f9e71f15038bfa49c92a6e43e1e0eca360cc3a9e \\\n    PLUGIN_PROTOCOL_VERSIONS=1 ecsnet\n\n  # serve by hand over TCP with a 512 MiB plan cap, logging at debug level\n  ECSNET_LOG=debug ecsnet serve --transport tcp --max-plan-bytes 512M"
)]
pub struct ServeArgs {
    /// Listen on a unix socket (default on Unix) or TCP on 127.0.0.1 within PLUGIN_MIN_PORT..PLUGIN_MAX_PORT
    #[arg(long, value_parser = ["unix", "tcp"], env = "ECSNET_PLUGIN_TRANSPORT")]
    transport: Option<String>,
    /// Largest plan accepted, in bytes (suffixes K, M, G: binary). Default 1G
    #[arg(long, value_name = "SIZE", env = MAX_PLAN_BYTES_ENV)]
    max_plan_bytes: Option<String>,
}

pub fn run(args: ServeArgs) -> Result<u8> {
    let transport = args.transport.as_deref().and_then(Transport::parse);
    let mut limits = Limits::default();
    if let Some(s) = args.max_plan_bytes.as_deref() {
        limits.max_plan_bytes = parse_size(s).ok_or_else(|| {
            UserError::new(format!(
                "--max-plan-bytes {s:?} is not a size: give bytes, optionally with K, M or G (e.g. 512M)"
            ))
        })?;
    }
    crate::server::serve(ServeOptions { transport, limits })?;
    Ok(exit::OK)
}

/// `Some(exit code)` when the process was launched by a go-plugin host (magic cookie set, no
/// command given) and has finished serving, or when it was run bare (no cookie, no command):
/// then it explains itself. `None` continues with the CLI, so `ecsnet --help` and every
/// command keep working even where the cookie leaks into the environment.
pub fn launched_as_plugin() -> Option<ExitCode> {
    if std::env::args_os().len() > 1 {
        return None;
    }
    let cookie = handshake::cookie(&ECSNET_VALIDATOR, &|k| std::env::var(k).ok());
    if cookie == Cookie::Matches {
        let served = limits_from_env().and_then(|limits| {
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
    eprintln!(
        "This binary is a plugin meant to be launched by a go-plugin host, which sets {}; run directly it is the ecsnet command line.\n\nTo check a plan yourself:\n  terraform show -json tfplan > plan.json && ecsnet check plan.json\n\nSee `ecsnet --help` for every command and `ecsnet serve --help` for serving the plugin by hand.",
        ECSNET_VALIDATOR.cookie_key
    );
    Some(ExitCode::from(exit::USAGE))
}

fn limits_from_env() -> Result<Limits> {
    let mut limits = Limits::default();
    if let Ok(s) = std::env::var(MAX_PLAN_BYTES_ENV) {
        limits.max_plan_bytes = parse_size(&s).ok_or_else(|| {
            UserError::new(format!(
                "{MAX_PLAN_BYTES_ENV}={s:?} is not a size: give bytes, optionally with K, M or G (e.g. 512M)"
            ))
        })?;
    }
    Ok(limits)
}
