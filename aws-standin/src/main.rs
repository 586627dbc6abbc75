//! `terraform-provider-aws`: the stand-in AWS provider, launched by Terraform through
//! go-plugin (see the crate's README.md). The version it serves comes from its file name or
//! `AWS_STANDIN_VERSION`.

use std::process::ExitCode;

use aws_standin::pb::provider_server::ProviderServer;
use aws_standin::provider::AwsStandin;
use aws_standin::version::{AwsVersion, VERSION_ENV};
use goplugin::handshake::{cookie, Cookie};
use goplugin::{AppServices, PluginSpec, TERRAFORM_PROVIDER_V6};

const SPEC: PluginSpec = TERRAFORM_PROVIDER_V6.named("aws-standin", env!("CARGO_PKG_VERSION"));

/// Terraform asks for schemas up to 64 MiB and sends plans of any size.
const MAX_MESSAGE: usize = 256 << 20;

fn main() -> ExitCode {
    let env = |k: &str| std::env::var(k).ok();
    if cookie(&SPEC, &env) != Cookie::Matches {
        eprintln!(
            "This binary is a plugin (a stand-in for the hashicorp/aws Terraform provider). It is \
             not meant to be run directly: Terraform launches it. See aws-standin/README.md."
        );
        return ExitCode::from(1);
    }
    // The name Terraform ran us by (argv[0], which keeps a symlink's name), else the
    // executable's real path.
    let names: Vec<String> = std::env::args_os()
        .next()
        .map(std::path::PathBuf::from)
        .into_iter()
        .chain(std::env::current_exe().ok())
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned))
        .collect();
    let by_name = names
        .iter()
        .find(|n| AwsVersion::from_file_name(n).is_some());
    let exe_name = by_name.or(names.first()).map(String::as_str);
    let version = match AwsVersion::detect(env(VERSION_ENV).as_deref(), exe_name) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let provider = match AwsStandin::new(version, &env) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let served = goplugin::run_plugin(&SPEC, None, move |_version, _shutdown| {
        let mut app = AppServices::default();
        app.routes.add_service(
            ProviderServer::new(provider)
                .max_decoding_message_size(MAX_MESSAGE)
                .max_encoding_message_size(MAX_MESSAGE),
        );
        app
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
