//! The plugin as a go-plugin host sees it: the built `ecsnet` binary launched with the
//! handshake environment, AutoMTLS with a go-plugin-style P-521 client certificate, every
//! RPC, the same findings as `ecsnet check --format json`, concurrency, limits and shutdown.

#[macro_use]
#[path = "support/skip.rs"]
mod skip;

#[path = "support/host.rs"]
mod host;

use std::path::{Path, PathBuf};
use std::time::Duration;

use ecsnet::server::pb::ecsnet::v1 as pbv;
use ecsnet::server::pb::plugin as pbp;
use host::{command, connect, go_plugin_client_identity, launch, request, rt, shutdown, start};
use pbv::validator_client::ValidatorClient;
use tonic::Code;

/// Generous: shutdown speed is measured by the benchmark, this only catches a hang.
const EXIT_LIMIT: Duration = Duration::from_secs(10);

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Plan fixtures in testdata: the plans real Terraform made for the scenarios
/// (`testdata/scenarios/**/plan*.json`) and those generated from hand-written specs (the
/// `.json` next to each `.spec.json`).
fn fixture_plans() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![repo_root().join("testdata")];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if p.is_dir() {
                if name != ".terraform" {
                    stack.push(p);
                }
            } else if name.ends_with(".json")
                && !name.ends_with(".spec.json")
                && (p.with_extension("spec.json").exists()
                    || (name.starts_with("plan") && p.with_file_name("expect.json").exists()))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn some_plan() -> (PathBuf, Vec<u8>) {
    let plans = fixture_plans();
    let p = plans
        .iter()
        .find(|p| p.ends_with("foundation/ec2-modules/plan.json"))
        .or(plans.first())
        .expect("testdata holds generated plan fixtures")
        .clone();
    let bytes = std::fs::read(&p).unwrap();
    (p, bytes)
}

#[test]
fn handshake_mtls_and_every_rpc() {
    let id = go_plugin_client_identity();
    let mut p = start(Some(&id), &[]);
    let h = p.handshake.clone();
    assert_eq!((h.core, h.app), (1, 1));
    assert_eq!(h.network, "unix");
    assert_eq!(h.protocol, "grpc");
    let cert = h
        .cert_der
        .clone()
        .expect("AutoMTLS puts the server certificate in the line");
    assert!(
        cert.len() > 50,
        "go-plugin ignores a certificate field of 50 bytes or less"
    );
    let socket = PathBuf::from(&h.address);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&socket).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "socket readable by its owner alone");
        let dir = std::fs::metadata(socket.parent().unwrap()).unwrap();
        assert_eq!(dir.permissions().mode() & 0o777, 0o700, "private directory");
    }

    let (_, plan) = some_plan();
    rt().block_on(async {
        let ch = connect(&h, Some(&id)).await.unwrap();

        // Health: service "plugin" is SERVING.
        let mut health = tonic_health::pb::health_client::HealthClient::new(ch.clone());
        let s = health
            .check(tonic_health::pb::HealthCheckRequest {
                service: "plugin".into(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            s.status,
            tonic_health::pb::health_check_response::ServingStatus::Serving as i32
        );

        // GetPluginInfo.
        let mut v = ValidatorClient::new(ch.clone());
        let info = v
            .get_plugin_info(pbv::GetPluginInfoRequest {})
            .await
            .unwrap()
            .into_inner();
        assert_eq!(info.name, "ecsnet");
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(info.protocol_version, 1);
        assert!(info.plan_format_versions.iter().any(|v| v == "1.2"));

        // ListRules: the rule metadata, as the library knows it.
        let rules = v
            .list_rules(pbv::ListRulesRequest {})
            .await
            .unwrap()
            .into_inner()
            .rules;
        let lib: Vec<_> = ecsnet::rules::all().iter().map(|r| r.meta().id).collect();
        assert_eq!(rules.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), lib);
        assert_eq!(info.rule_count as usize, lib.len());
        for r in &rules {
            assert!(
                r.url.starts_with("https://") && !r.summary.is_empty(),
                "{}",
                r.id
            );
            assert_ne!(r.default_severity, pbv::Severity::Unspecified as i32);
        }

        // ValidatePlan and ValidatePlanStream agree.
        let unary = v
            .validate_plan(request(plan.clone()))
            .await
            .unwrap()
            .into_inner();
        let chunks = host::stream_chunks(&plan, 1000);
        assert!(chunks.len() > 1, "the fixture spans several chunks");
        let streamed = v
            .validate_plan_stream(tokio_stream::iter(chunks))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(unary, streamed);
        let summary = unary.summary.clone().expect("a summary");
        assert_eq!(summary.fail_on, "error");
        assert_eq!(summary.exit_code, u32::from(summary.failed));

        // GRPCStdio answers UNIMPLEMENTED, which go-plugin hosts accept.
        let mut stdio = pbp::grpc_stdio_client::GrpcStdioClient::new(ch.clone());
        let e = stdio.stream_stdio(()).await.unwrap_err();
        assert_eq!(e.code(), Code::Unimplemented);

        // GRPCBroker: the host's stream is accepted and held open.
        let mut broker = pbp::grpc_broker_client::GrpcBrokerClient::new(ch.clone());
        let (tx, rx) = tokio::sync::mpsc::channel(1);
        let resp = broker
            .start_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
            .await
            .unwrap();
        tx.send(pbp::ConnInfo {
            service_id: 1,
            network: "unix".into(),
            address: "/nonexistent".into(),
            knock: None,
        })
        .await
        .unwrap();
        let mut inbound = resp.into_inner();
        let nothing = tokio::time::timeout(Duration::from_millis(200), inbound.message()).await;
        assert!(nothing.is_err(), "the broker sends nothing while open");

        // Reflection lists every service.
        let services = reflection_services(ch.clone()).await;
        for s in [
            "ecsnet.v1.Validator",
            "grpc.health.v1.Health",
            "plugin.GRPCController",
            "plugin.GRPCStdio",
            "plugin.GRPCBroker",
        ] {
            assert!(services.iter().any(|x| x == s), "{s} not in {services:?}");
        }

        shutdown(ch).await;
    });
    let status = p.wait_exit(EXIT_LIMIT).expect("exits after Shutdown");
    assert!(
        status.success(),
        "exit status {status:?}; stderr: {}",
        p.stderr()
    );
    assert!(!socket.exists(), "socket removed on exit");
    assert!(
        p.rest_of_stdout.lock().unwrap().is_empty(),
        "nothing but the handshake line on stdout"
    );
    assert!(
        p.stderr().contains("[INFO]"),
        "logs are [LEVEL]-prefixed: {}",
        p.stderr()
    );
}

async fn reflection_services(ch: tonic::transport::Channel) -> Vec<String> {
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    let mut c = ServerReflectionClient::new(ch);
    let req = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut resp = c
        .server_reflection_info(tokio_stream::iter(vec![req]))
        .await
        .unwrap()
        .into_inner();
    let msg = resp.message().await.unwrap().unwrap();
    match msg.message_response {
        Some(MessageResponse::ListServicesResponse(l)) => {
            l.service.into_iter().map(|s| s.name).collect()
        }
        other => panic!("unexpected reflection answer {other:?}"),
    }
}

#[test]
fn connections_without_the_hosts_certificate_are_refused() {
    let id = go_plugin_client_identity();
    let p = start(Some(&id), &[]);
    let stranger = go_plugin_client_identity();
    rt().block_on(async {
        for (who, identity) in [
            ("another certificate", Some(&stranger)),
            ("no certificate", None),
        ] {
            let result = match connect(&p.handshake, identity).await {
                Err(e) => Err(e),
                Ok(ch) => ValidatorClient::new(ch)
                    .get_plugin_info(pbv::GetPluginInfoRequest {})
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
            };
            assert!(result.is_err(), "a client with {who} was served");
        }
        // The right certificate still works afterwards.
        let ch = connect(&p.handshake, Some(&id)).await.unwrap();
        ValidatorClient::new(ch.clone())
            .get_plugin_info(pbv::GetPluginInfoRequest {})
            .await
            .unwrap();
        shutdown(ch).await;
    });
    assert!(
        p.stderr().contains("TLS handshake failed"),
        "{}",
        p.stderr()
    );
}

#[test]
fn plaintext_over_tcp_when_asked_and_no_client_cert() {
    let mut p = start(
        None,
        &[
            ("ECSNET_PLUGIN_TRANSPORT", "tcp"),
            ("PLUGIN_MIN_PORT", "20000"),
            ("PLUGIN_MAX_PORT", "20999"),
        ],
    );
    let h = p.handshake.clone();
    assert_eq!(h.network, "tcp");
    assert!(h.cert_der.is_none(), "plaintext: empty certificate field");
    assert!(p.raw_line.ends_with("|grpc|\n"), "{:?}", p.raw_line);
    let addr: std::net::SocketAddr = h.address.parse().unwrap();
    assert!(addr.ip().is_loopback());
    assert!((20000..=20999).contains(&addr.port()));
    rt().block_on(async {
        let ch = connect(&h, None).await.unwrap();
        ValidatorClient::new(ch.clone())
            .get_plugin_info(pbv::GetPluginInfoRequest {})
            .await
            .unwrap();
        shutdown(ch).await;
    });
    assert!(p.wait_exit(EXIT_LIMIT).is_some_and(|s| s.success()));
}

#[test]
fn protocol_versions_in_any_order_and_socket_dir() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = start(
        None,
        &[
            ("PLUGIN_PROTOCOL_VERSIONS", "3,1,2"),
            ("PLUGIN_UNIX_SOCKET_DIR", dir.path().to_str().unwrap()),
        ],
    );
    assert_eq!(p.handshake.app, 1);
    assert_eq!(Path::new(&p.handshake.address).parent(), Some(dir.path()));
    // SIGINT is ignored, as go-plugin plugins do; SIGTERM stops the plugin.
    #[cfg(unix)]
    {
        let pid = p.child.id() as libc::pid_t;
        unsafe { libc::kill(pid, libc::SIGINT) };
        rt().block_on(async {
            let ch = connect(&p.handshake, None).await.unwrap();
            ValidatorClient::new(ch)
                .get_plugin_info(pbv::GetPluginInfoRequest {})
                .await
                .expect("still serving after SIGINT");
        });
        unsafe { libc::kill(pid, libc::SIGTERM) };
        assert!(
            p.wait_exit(EXIT_LIMIT).is_some(),
            "SIGTERM stops the plugin"
        );
        assert!(!Path::new(&p.handshake.address).exists());
    }
}

#[test]
fn no_common_protocol_version_fails_clearly() {
    let mut cmd = command(&[("PLUGIN_PROTOCOL_VERSIONS", "5,6")], None);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no handshake line");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no common plugin protocol version"), "{err}");
    assert!(err.contains("5,6"), "{err}");
}

#[test]
fn bare_binary_prints_help_and_help_works() {
    let out = std::process::Command::new(host::binary())
        .env_remove(host::COOKIE_KEY)
        .output()
        .unwrap();
    // Bare `ecsnet` (no plugin host) is a usage error that shows the help.
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Usage: ecsnet"), "{err}");
    assert!(err.contains("check"), "{err}");
    let help = std::process::Command::new(host::binary())
        .arg("--help")
        .env(host::COOKIE_KEY, host::COOKIE_VALUE)
        .output()
        .unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("serve"));
}

/// The CLI's findings for a plan, as its JSON report gives them, in a shape both sides share.
fn cli_findings(out: &std::process::Output, plan: &Path) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "`ecsnet check --format json {}` printed no JSON ({e}); stderr: {}",
            plan.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let diags = v["diagnostics"].as_array().cloned().unwrap_or_default();
    diags.iter().map(normalise_cli).collect()
}

fn normalise_cli(d: &serde_json::Value) -> serde_json::Value {
    let s = |k: &str| d.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    serde_json::json!({
        "rule": s("rule"), "severity": s("severity"), "address": s("address"),
        "attribute": s("attribute"), "message": s("message"), "detail": s("detail"),
        "help": s("help"), "url": s("url"),
        "unverifiable": d.get("unverifiable").and_then(|v| v.as_bool()).unwrap_or(false),
        "related": d.get("related").cloned().unwrap_or(serde_json::json!([])),
        "suppressed": s("suppressed"), "fingerprint": s("fingerprint"),
        // JSON lists every resource of the problem in `addresses`; gRPC the others in `also`.
        "also": d.get("addresses").and_then(|a| a.as_array()).map(|a| {
            a.iter().filter(|x| x.as_str() != Some(&s("address"))).cloned().collect::<Vec<_>>()
        }).unwrap_or_default(),
    })
}

fn normalise_grpc(d: &pbv::Diagnostic) -> serde_json::Value {
    let sev = match pbv::Severity::try_from(d.severity).unwrap() {
        pbv::Severity::Info => "info",
        pbv::Severity::Warning => "warning",
        pbv::Severity::Error => "error",
        pbv::Severity::Unspecified => "unspecified",
    };
    serde_json::json!({
        "rule": d.rule, "severity": sev, "address": d.address, "attribute": d.attribute,
        "message": d.message, "detail": d.detail, "help": d.help, "url": d.url,
        "unverifiable": d.unverifiable, "related": d.related, "suppressed": d.suppressed,
        "fingerprint": d.fingerprint, "also": d.also,
    })
}

/// Real plans from ../shared/realplans when present (test inputs only, never copied).
fn real_plans() -> Vec<PathBuf> {
    let dir = repo_root().join("../shared/realplans");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        skip_note!("real plans: {} is absent", dir.display());
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    v.sort();
    v
}

#[test]
fn same_findings_as_the_cli() {
    let id = go_plugin_client_identity();
    let p = start(Some(&id), &[]);
    let plans: Vec<PathBuf> = fixture_plans().into_iter().chain(real_plans()).collect();
    assert!(!plans.is_empty());
    let mut compared = 0;
    rt().block_on(async {
        let ch = connect(&p.handshake, Some(&id)).await.unwrap();
        let mut v = ValidatorClient::new(ch.clone()).max_decoding_message_size(usize::MAX);
        for plan in &plans {
            let bytes = std::fs::read(plan).unwrap();
            // The same plan streamed in small chunks: a buffer kept from an earlier (larger
            // or smaller) plan is reused for it, and must give the same answer.
            let chunks: Vec<pbv::ValidatePlanChunk> = bytes
                .chunks(4096)
                .enumerate()
                .map(|(i, c)| pbv::ValidatePlanChunk {
                    header: (i == 0).then(|| pbv::ValidatePlanHeader {
                        plan_size: bytes.len() as u64,
                        ..Default::default()
                    }),
                    plan_json: c.to_vec().into(),
                })
                .collect();
            let streamed = v.validate_plan_stream(tokio_stream::iter(chunks)).await;
            let grpc = v.validate_plan(request(bytes)).await;
            match (&grpc, &streamed) {
                (Ok(a), Ok(b)) => assert_eq!(a.get_ref(), b.get_ref(), "{}", plan.display()),
                (Err(a), Err(b)) => assert_eq!(a.message(), b.message(), "{}", plan.display()),
                _ => panic!("{}: unary and stream disagree", plan.display()),
            }
            let cli = std::process::Command::new(host::binary())
                .env_remove(host::COOKIE_KEY)
                .args(["check", "--format", "json"])
                .arg(plan)
                .output()
                .unwrap();
            match grpc {
                Ok(resp) => {
                    let resp = resp.into_inner();
                    let cli_diags = cli_findings(&cli, plan);
                    let code = cli.status.code().unwrap_or(-1);
                    let ours: Vec<_> = resp.diagnostics.iter().map(normalise_grpc).collect();
                    assert_eq!(ours, cli_diags, "{}", plan.display());
                    assert_eq!(
                        resp.summary.unwrap().exit_code as i32,
                        code,
                        "{}",
                        plan.display()
                    );
                    compared += 1;
                }
                Err(status) => {
                    // A plan the CLI rejects: same one-line message, exit 2.
                    assert_eq!(
                        status.code(),
                        Code::InvalidArgument,
                        "{}: {status:?}",
                        plan.display()
                    );
                    assert_eq!(cli.status.code(), Some(2), "{}", plan.display());
                    let err = String::from_utf8_lossy(&cli.stderr);
                    let cli_msg = err
                        .lines()
                        .next()
                        .unwrap_or("")
                        .trim_start_matches("error: ");
                    assert!(
                        cli_msg.contains(status.message().trim_start_matches("plan: "))
                            || status.message().contains(cli_msg),
                        "{}: gRPC {:?} vs CLI {:?}",
                        plan.display(),
                        status.message(),
                        cli_msg
                    );
                }
            }
        }
        shutdown(ch).await;
    });
    assert!(compared > 0, "at least one plan was compared");
}

#[test]
fn bad_plan_and_bad_config_are_invalid_argument() {
    let p = start(None, &[]);
    let (_, plan) = some_plan();
    rt().block_on(async {
        let ch = connect(&p.handshake, None).await.unwrap();
        let mut v = ValidatorClient::new(ch.clone());
        let e = v
            .validate_plan(request(b"{ not json".to_vec()))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument);
        assert!(
            !e.message().is_empty() && !e.message().contains('\n'),
            "{e:?}"
        );

        let e = v
            .validate_plan(pbv::ValidatePlanRequest {
                plan_json: plan.clone().into(),
                config: "rule \"NET070\" { enabled = \n".into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument, "{e:?}");

        let e = v
            .validate_plan(pbv::ValidatePlanRequest {
                plan_json: plan.clone().into(),
                options: Some(pbv::ValidateOptions {
                    fail_on: "sometimes".into(),
                }),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument);
        assert!(e.message().contains("fail_on"), "{e:?}");

        // A header after the first chunk is refused; so is an empty stream.
        let chunks = vec![
            pbv::ValidatePlanChunk {
                header: None,
                plan_json: plan.clone().into(),
            },
            pbv::ValidatePlanChunk {
                header: Some(Default::default()),
                plan_json: Default::default(),
            },
        ];
        let e = v
            .validate_plan_stream(tokio_stream::iter(chunks))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument);
        let e = v
            .validate_plan_stream(tokio_stream::iter(Vec::<pbv::ValidatePlanChunk>::new()))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument);

        // The plugin survived all of that.
        v.get_plugin_info(pbv::GetPluginInfoRequest {})
            .await
            .unwrap();
        shutdown(ch).await;
    });
}

#[test]
fn plans_over_the_cap_are_resource_exhausted() {
    let p = start(None, &[("ECSNET_PLUGIN_MAX_PLAN_BYTES", "2K")]);
    rt().block_on(async {
        let ch = connect(&p.handshake, None).await.unwrap();
        let mut v = ValidatorClient::new(ch.clone());
        let big = vec![b' '; 5000];
        let e = v.validate_plan(request(big.clone())).await.unwrap_err();
        assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
        assert!(
            e.message().contains("ECSNET_PLUGIN_MAX_PLAN_BYTES"),
            "{e:?}"
        );
        let chunks: Vec<_> = big
            .chunks(1000)
            .map(|c| pbv::ValidatePlanChunk {
                header: None,
                plan_json: c.to_vec().into(),
            })
            .collect();
        let e = v
            .validate_plan_stream(tokio_stream::iter(chunks))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
        // Far past the cap, tonic refuses the message from its length prefix; the answer
        // is still RESOURCE_EXHAUSTED with the setting to change.
        let huge = vec![b' '; 6 << 20];
        let e = v.validate_plan(request(huge.clone())).await.unwrap_err();
        assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
        assert!(
            e.message().contains("ECSNET_PLUGIN_MAX_PLAN_BYTES"),
            "{e:?}"
        );
        let one_chunk = vec![pbv::ValidatePlanChunk {
            header: None,
            plan_json: huge.into(),
        }];
        let e = v
            .validate_plan_stream(tokio_stream::iter(one_chunk))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
        assert!(e.message().contains("ValidatePlanStream"), "{e:?}");
        // Still serving.
        v.get_plugin_info(pbv::GetPluginInfoRequest {})
            .await
            .unwrap();
        shutdown(ch).await;
    });
}

#[test]
fn serve_command_works_without_the_cookie() {
    let mut cmd = command(&[], None);
    cmd.env_remove(host::COOKIE_KEY).args([
        "serve",
        "--transport",
        "tcp",
        "--max-plan-bytes",
        "64M",
    ]);
    let mut p = launch(cmd).unwrap_or_else(|e| panic!("ecsnet serve did not start: {e}"));
    assert_eq!(p.handshake.network, "tcp");
    rt().block_on(async {
        let ch = connect(&p.handshake, None).await.unwrap();
        ValidatorClient::new(ch.clone())
            .get_plugin_info(pbv::GetPluginInfoRequest {})
            .await
            .unwrap();
        shutdown(ch).await;
    });
    assert!(p.wait_exit(EXIT_LIMIT).is_some_and(|s| s.success()));
    let bad = command(&[], None)
        .env_remove(host::COOKIE_KEY)
        .args(["serve", "--max-plan-bytes", "lots"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(bad.stdout.is_empty());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--max-plan-bytes"));
}

#[test]
fn concurrent_calls_are_all_served() {
    let id = go_plugin_client_identity();
    let mut p = start(Some(&id), &[]);
    let (_, plan) = some_plan();
    rt().block_on(async {
        let ch = connect(&p.handshake, Some(&id)).await.unwrap();
        let expected = ValidatorClient::new(ch.clone())
            .validate_plan(request(plan.clone()))
            .await
            .unwrap()
            .into_inner();
        let mut tasks = Vec::new();
        for i in 0..24 {
            // Half on the shared connection, half on connections of their own.
            let ch = if i % 2 == 0 {
                ch.clone()
            } else {
                connect(&p.handshake, Some(&id)).await.unwrap()
            };
            let plan = plan.clone();
            tasks.push(tokio::spawn(async move {
                ValidatorClient::new(ch)
                    .validate_plan(request(plan))
                    .await
                    .map(|r| r.into_inner())
            }));
        }
        // A call abandoned by its caller does not disturb the others.
        let abandoned = {
            let mut v = ValidatorClient::new(ch.clone());
            let plan = plan.clone();
            tokio::spawn(async move { v.validate_plan(request(plan)).await })
        };
        abandoned.abort();
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), expected);
        }
        shutdown(ch).await;
    });
    assert!(p.wait_exit(EXIT_LIMIT).is_some_and(|s| s.success()));
}
