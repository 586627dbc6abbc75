//! A tiny app over goplugin, launched as Terraform launches a provider: the Terraform spec's
//! cookie, `PLUGIN_PROTOCOL_VERSIONS=5,6` or `6,5`, AutoMTLS with a go-plugin-style client
//! certificate. The handshake line must say protocol 6, health must answer SERVING, the app's
//! own service must be reached, and `Shutdown` must end the process.
//!
//! The test binary is its own plugin: with `GOPLUGIN_TEST_SERVE` set it serves instead of
//! testing, so this file has no libtest harness (libtest would print to stdout before the
//! handshake line).

use std::convert::Infallible;
use std::future::{ready, Ready};
use std::task::{Context, Poll};
use std::time::Duration;

use goplugin::handshake::TERRAFORM_PROVIDER_V6;
use goplugin::testing::{connect, go_plugin_client_identity, host_command, launch};
use goplugin::{AppServices, PluginSpec};
use tonic::body::Body;
use tonic::codegen::http;
use tonic::server::NamedService;
use tonic::Code;

const SPEC: PluginSpec = TERRAFORM_PROVIDER_V6.named("tf-test", "0.0.1");
const SERVE_ENV: &str = "GOPLUGIN_TEST_SERVE";

/// The app's one service: every call fails with FAILED_PRECONDITION naming the protocol
/// version the app was built for, so the test sees both the route and the version.
#[derive(Clone)]
struct Probe {
    version: u32,
}

impl NamedService for Probe {
    const NAME: &'static str = "goplugin.test.Probe";
}

impl tonic::codegen::Service<http::Request<Body>> for Probe {
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _req: http::Request<Body>) -> Self::Future {
        let status = tonic::Status::failed_precondition(format!("probe v{}", self.version));
        ready(Ok(status.into_http()))
    }
}

fn serve() -> std::process::ExitCode {
    let served = goplugin::run_plugin(&SPEC, None, |version, _shutdown| {
        let mut app = AppServices::default();
        app.routes.add_service(Probe { version });
        app
    });
    match served {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

fn plugin_command(
    versions: &str,
    with_tls: bool,
) -> (
    std::process::Command,
    Option<goplugin::testing::ClientIdentity>,
) {
    let id = with_tls.then(go_plugin_client_identity);
    let exe = std::env::current_exe().expect("the test binary");
    let mut cmd = host_command(&exe, &SPEC, versions, id.as_ref());
    cmd.env(SERVE_ENV, "1");
    (cmd, id)
}

fn handshake_health_and_shutdown(versions: &str) {
    let (cmd, id) = plugin_command(versions, true);
    let mut p = launch(cmd).expect("the plugin starts");
    let line = p.raw_line.clone();
    let fields: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(&fields[..3], ["1", "6", "unix"], "{line}");
    assert_eq!(fields[4], "grpc", "{line}");
    assert!(fields[5].len() > 50, "a certificate in {line}");
    assert!(p.handshake.cert_der.is_some());
    assert!(std::path::Path::new(fields[3]).exists(), "{line}");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let ch = connect(&p.handshake, id.as_ref())
            .await
            .expect("mTLS connect");
        let mut health = tonic_health::pb::health_client::HealthClient::new(ch.clone());
        let status = health
            .check(tonic_health::pb::HealthCheckRequest {
                service: "plugin".into(),
            })
            .await
            .expect("health answers")
            .into_inner()
            .status;
        assert_eq!(
            status,
            tonic_health::pb::health_check_response::ServingStatus::Serving as i32
        );

        let mut grpc = tonic::client::Grpc::new(ch.clone());
        grpc.ready().await.unwrap();
        let err = grpc
            .unary::<(), (), _>(
                tonic::Request::new(()),
                http::uri::PathAndQuery::from_static("/goplugin.test.Probe/Ping"),
                tonic_prost::ProstCodec::default(),
            )
            .await
            .expect_err("the probe always fails");
        assert_eq!(
            (err.code(), err.message()),
            (Code::FailedPrecondition, "probe v6")
        );

        goplugin::pb::plugin::grpc_controller_client::GrpcControllerClient::new(ch)
            .shutdown(goplugin::pb::plugin::Empty {})
            .await
            .expect("shutdown answers");
    });
    let status = p
        .wait_exit(Duration::from_secs(10))
        .expect("the plugin exits");
    assert!(status.success(), "{status}; stderr: {}", p.stderr());
    let stderr = p.stderr();
    assert!(
        stderr.contains("[INFO] tf-test: serving plugin protocol 6 on unix")
            && stderr.contains("with AutoMTLS"),
        "{stderr}"
    );
    assert!(!std::path::Path::new(fields[3]).exists(), "socket removed");
}

fn no_common_version_is_one_clear_line() {
    let (cmd, _) = plugin_command("5", false);
    let out = { cmd }.output().expect("the plugin runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no handshake line");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr,
        "error: no common plugin protocol version: the host speaks 5 (PLUGIN_PROTOCOL_VERSIONS=\"5\") and this tf-test 0.0.1 speaks 6; use a release of tf-test that matches the host\n"
    );
}

fn main() -> std::process::ExitCode {
    if std::env::var_os(SERVE_ENV).is_some() {
        return serve();
    }
    let tests: [(&str, fn()); 3] = [
        ("terraform_5_6", || handshake_health_and_shutdown("5,6")),
        ("terraform_6_5", || handshake_health_and_shutdown("6,5")),
        ("no_common_version", no_common_version_is_one_clear_line),
    ];
    if std::env::args().any(|a| a == "--list") {
        for (name, _) in &tests {
            println!("{name}: test");
        }
        return std::process::ExitCode::SUCCESS;
    }
    println!("running {} tests", tests.len());
    for (name, test) in tests {
        test();
        println!("test {name} ... ok");
    }
    println!("test result: ok. {} passed", tests.len());
    std::process::ExitCode::SUCCESS
}
