//! Plugin benchmark (`make bench` runs it through scripts/bench_plugin.sh):
//! - launch-to-ready: spawn `ecsnet` as a go-plugin host would (AutoMTLS), read the
//!   handshake line, connect and get a health answer;
//! - `ValidatePlan` (unary) and `ValidatePlanStream` (4 MiB chunks) through gRPC over the
//!   unix socket with mutual TLS, against in-process `engine::check_bytes` on the same bytes,
//!   as a ratio (target: gRPC within 1.3× of in-process).
//!
//! Each RPC runs on a freshly launched plugin: its first call is reported on its own, then
//! the median of ROUNDS calls after it.
//!
//! Usage: bench_plugin PLAN.json [ROUNDS]   (build the `ecsnet` binary in the same profile)
//!        BENCH_VERBOSE=1 also prints the plugin's debug log (its own receive/check timings).

#[path = "../tests/support/host.rs"]
mod host;

use std::time::{Duration, Instant};

use ecsnet::server::pb::ecsnet::v1 as pbv;
use ecsnet::server::pb::plugin as pbp;
use pbv::validator_client::ValidatorClient;

const CHUNK: usize = 4 << 20;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(plan_path) = args.next() else {
        eprintln!("usage: bench_plugin PLAN.json [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let plan = std::fs::read(&plan_path).unwrap_or_else(|e| {
        eprintln!("error: cannot read {plan_path}: {e}");
        std::process::exit(2)
    });
    // Shared, so each request hands the plan to tonic without copying it first.
    let plan = prost::bytes::Bytes::from(plan);
    let binary = host::binary();
    println!(
        "plugin benchmark: {} ({:.1} MB), binary {}, {rounds} rounds",
        plan_path,
        plan.len() as f64 / 1e6,
        binary.display()
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let id = host::go_plugin_client_identity();

    // Launch to ready, several times: process start, key and certificate generation,
    // handshake line, TLS handshake, first RPC.
    let mut launches = Vec::new();
    for _ in 0..rounds.max(5) {
        let t = Instant::now();
        let p = host::launch(host::command(&[], Some(&id))).expect("plugin starts");
        let ch = rt.block_on(async {
            let ch = host::connect(&p.handshake, Some(&id)).await.unwrap();
            tonic_health::pb::health_client::HealthClient::new(ch.clone())
                .check(tonic_health::pb::HealthCheckRequest {
                    service: "plugin".into(),
                })
                .await
                .unwrap();
            ch
        });
        launches.push(t.elapsed());
        rt.block_on(shutdown(ch));
    }
    println!(
        "launch-to-ready (spawn → handshake → mTLS → health): median {}, min {}",
        ms(median(launches.clone())),
        ms(*launches.iter().min().unwrap())
    );

    // In process: the function the plugin itself calls.
    let opts = ecsnet::engine::CheckOptions::default();
    let mut inproc = Vec::new();
    let mut findings = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let r = ecsnet::engine::check_bytes(&plan, &plan_path, None, &opts).expect("plan checks");
        inproc.push(t.elapsed());
        findings = r.diagnostics.len();
    }

    // Through gRPC: each RPC on its own freshly launched plugin, over one long-lived mTLS
    // connection as a host would use it. The first call is reported apart from the median of
    // the calls after it: only later calls find the plugin's receive buffer already in
    // memory (see server/plan_buffer.rs).
    let verbose = std::env::var_os("BENCH_VERBOSE").is_some();
    let base = median(inproc.clone());
    println!(
        "in-process check_bytes:      median {} ({findings} findings)",
        ms(base)
    );
    let ratio = |d: Duration| d.as_secs_f64() / base.as_secs_f64();
    for rpc in [Rpc::Unary, Rpc::Stream] {
        let log_env: &[(&str, &str)] = if verbose {
            &[("ECSNET_LOG", "debug")]
        } else {
            &[]
        };
        let mut p = host::launch(host::command(log_env, Some(&id))).expect("plugin starts");
        let (times, n) = rt.block_on(async {
            let ch = host::connect(&p.handshake, Some(&id)).await.unwrap();
            let mut v = ValidatorClient::new(ch.clone())
                .max_decoding_message_size(usize::MAX)
                .max_encoding_message_size(usize::MAX);
            let mut times = Vec::new();
            let mut n = 0;
            for _ in 0..=rounds {
                let t = Instant::now();
                n = rpc.call(&mut v, &plan).await;
                times.push(t.elapsed());
            }
            shutdown(ch).await;
            (times, n)
        });
        assert_eq!(findings, n, "{}: same findings as in process", rpc.name());
        let first = times[0];
        let rest = median(times[1..].to_vec());
        println!(
            "gRPC {:<24} first call {} ({:.2}x), then median {}  ratio {:.2}x{}",
            rpc.name(),
            ms(first),
            ratio(first),
            ms(rest),
            ratio(rest),
            if rpc == Rpc::Stream {
                "  (target ≤ 1.30x)"
            } else {
                ""
            }
        );
        if verbose {
            p.wait_exit(Duration::from_secs(5));
            eprint!("{}", p.stderr());
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Rpc {
    Unary,
    Stream,
}

impl Rpc {
    fn name(self) -> &'static str {
        match self {
            Rpc::Unary => "ValidatePlan (unary):",
            Rpc::Stream => "ValidatePlanStream:",
        }
    }

    /// One call; the number of diagnostics in the answer.
    async fn call(
        self,
        v: &mut ValidatorClient<tonic::transport::Channel>,
        plan: &prost::bytes::Bytes,
    ) -> usize {
        let answer = match self {
            Rpc::Unary => v
                .validate_plan(pbv::ValidatePlanRequest {
                    plan_json: plan.clone(),
                    ..Default::default()
                })
                .await
                .expect("ValidatePlan"),
            Rpc::Stream => {
                // The header announces the size, so the plugin allocates the plan once.
                let chunks: Vec<pbv::ValidatePlanChunk> = (0..plan.len())
                    .step_by(CHUNK)
                    .map(|at| pbv::ValidatePlanChunk {
                        header: (at == 0).then(|| pbv::ValidatePlanHeader {
                            plan_size: plan.len() as u64,
                            ..Default::default()
                        }),
                        plan_json: plan.slice(at..plan.len().min(at + CHUNK)),
                    })
                    .collect();
                v.validate_plan_stream(tokio_stream::iter(chunks))
                    .await
                    .expect("ValidatePlanStream")
            }
        };
        answer.into_inner().diagnostics.len()
    }
}

async fn shutdown(ch: tonic::transport::Channel) {
    let _ = pbp::grpc_controller_client::GrpcControllerClient::new(ch)
        .shutdown(pbp::Empty {})
        .await;
}
