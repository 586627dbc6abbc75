//! Plugin benchmark (`make bench` runs it through scripts/bench_plugin.sh):
//! - launch-to-ready: spawn `ecsnet` as a go-plugin host would (AutoMTLS), read the
//!   handshake line, connect and get a health answer;
//! - `ValidatePlan` (unary) and `ValidatePlanStream` (1 MiB chunks) through gRPC over the
//!   unix socket with mutual TLS, against in-process `engine::check_bytes` on the same bytes,
//!   as a ratio (target: gRPC within 1.3× of in-process).
//!
//! Each RPC runs on a freshly launched plugin: its first call is reported on its own, then
//! ROUNDS rounds interleave the in-process check with one call of each RPC, each after a
//! quiet pause, and a ratio is the median of the rounds' ratios (steadier than a ratio of
//! medians taken minutes apart on a shared machine).
//!
//! Usage: bench_plugin PLAN.json [ROUNDS]   (build the `ecsnet` binary in the same profile)
//!        BENCH_VERBOSE=1 also prints the plugin's debug log (its own receive/check timings).

#[path = "../tests/support/host.rs"]
mod host;

use std::time::{Duration, Instant};

use ecsnet::server::pb::ecsnet::v1 as pbv;
use ecsnet::server::pb::plugin as pbp;
use pbv::validator_client::ValidatorClient;

/// Stream chunk size: one HTTP/2 frame as the plugin accepts them (1 MiB); measured a
/// little faster than 256 KiB, 2 MiB or 4 MiB (`BENCH_CHUNK=<bytes>` to compare).
fn chunk_size() -> usize {
    std::env::var("BENCH_CHUNK")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(1 << 20)
}

/// Quiet time before each measurement (see the gRPC section of `main`).
const PAUSE: Duration = Duration::from_millis(300);

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

    // Each RPC on its own freshly launched plugin, over one long-lived mTLS connection as a
    // host would use it. The first call is reported apart from the calls after it: only
    // later calls find the plugin's receive buffer already in memory (server/plan_buffer.rs),
    // and are compared with the in-process check's own first run in this process.
    // Then rounds are interleaved (the in-process check, then one call of each RPC), so that
    // the load of a shared machine weighs on both sides alike; a ratio is the median of the
    // rounds' ratios. Every measurement starts after a pause, so that no process is still
    // freeing the previous call's plan (the plugin does that after answering) while it runs.
    let verbose = std::env::var_os("BENCH_VERBOSE").is_some();
    let log_env: &[(&str, &str)] = if verbose {
        &[("ECSNET_LOG", "debug")]
    } else {
        &[]
    };
    let rpcs = [Rpc::Unary, Rpc::Stream];
    let mut plugins: Vec<host::PluginProcess> = rpcs
        .iter()
        .map(|_| host::launch(host::command(log_env, Some(&id))).expect("plugin starts"))
        .collect();
    let opts = ecsnet::engine::CheckOptions::default();
    let (inproc_first, inproc, first, later, findings) = rt.block_on(async {
        let mut clients = Vec::new();
        for p in &plugins {
            let ch = host::connect(&p.handshake, Some(&id)).await.unwrap();
            let v = ValidatorClient::new(ch.clone())
                .max_decoding_message_size(usize::MAX)
                .max_encoding_message_size(usize::MAX);
            clients.push((ch, v));
        }
        // First calls: the in-process check's first run in this process, then each plugin's.
        tokio::time::sleep(PAUSE).await;
        let t = Instant::now();
        drop(ecsnet::engine::check_bytes(&plan, &plan_path, None, &opts).expect("plan checks"));
        let inproc_first = t.elapsed();
        let mut first = Vec::new();
        for (rpc, (_, v)) in rpcs.iter().zip(&mut clients) {
            tokio::time::sleep(PAUSE).await;
            let t = Instant::now();
            rpc.call(v, &plan).await;
            first.push(t.elapsed());
        }
        let mut inproc = Vec::new();
        let mut later = vec![Vec::new(); rpcs.len()];
        let mut findings = 0;
        for _ in 0..rounds {
            // In process: the function the plugin itself calls.
            tokio::time::sleep(PAUSE).await;
            let t = Instant::now();
            let r =
                ecsnet::engine::check_bytes(&plan, &plan_path, None, &opts).expect("plan checks");
            inproc.push(t.elapsed());
            findings = r.diagnostics.len();
            drop(r);
            for (i, (rpc, (_, v))) in rpcs.iter().zip(&mut clients).enumerate() {
                tokio::time::sleep(PAUSE).await;
                let t = Instant::now();
                let n = rpc.call(v, &plan).await;
                later[i].push(t.elapsed());
                assert_eq!(n, findings, "{}: same findings as in process", rpc.name());
            }
        }
        for (ch, _) in clients {
            shutdown(ch).await;
        }
        (inproc_first, inproc, first, later, findings)
    });
    let base = median(inproc.clone());
    println!(
        "in-process check_bytes:      first call {}, then median {} ({findings} findings)",
        ms(inproc_first),
        ms(base)
    );
    for (i, rpc) in rpcs.iter().enumerate() {
        let ratios: Vec<f64> = later[i]
            .iter()
            .zip(&inproc)
            .map(|(g, b)| g.as_secs_f64() / b.as_secs_f64())
            .collect();
        println!(
            "gRPC {:<24} first call {} ({:.2}x), then median {}  ratio {:.2}x{}",
            rpc.name(),
            ms(first[i]),
            first[i].as_secs_f64() / inproc_first.as_secs_f64(),
            ms(median(later[i].clone())),
            median_f64(ratios),
            if *rpc == Rpc::Stream {
                "  (target ≤ 1.30x)"
            } else {
                ""
            }
        );
    }
    // Last, so that the in-process check above ran in a process that had done nothing else.
    memory_costs(&plan, rounds);
    if verbose {
        for p in &mut plugins {
            p.wait_exit(Duration::from_secs(5));
            eprint!("{}", p.stderr());
        }
    }
}

/// What receiving a plan costs in memory alone: copying it into memory fresh from the
/// kernel (faulted in page by page) against copying it into memory already in use, which
/// is what the plugin's kept receive buffer saves. And the answer's size and build time.
fn memory_costs(plan: &[u8], rounds: usize) {
    let mut fresh = Vec::new();
    let mut reused = Vec::new();
    let mut kept: Vec<u8> = Vec::with_capacity(plan.len());
    kept.extend_from_slice(plan);
    for _ in 0..rounds {
        let t = Instant::now();
        let mut v: Vec<u8> = Vec::with_capacity(plan.len());
        v.extend_from_slice(std::hint::black_box(plan));
        std::hint::black_box(&v);
        fresh.push(t.elapsed());
        drop(v);
        let t = Instant::now();
        kept.clear();
        kept.extend_from_slice(std::hint::black_box(plan));
        std::hint::black_box(&kept);
        reused.push(t.elapsed());
    }
    println!(
        "copying the plan into fresh memory: median {}, into memory in use: median {}",
        ms(median(fresh)),
        ms(median(reused))
    );
    let opts = ecsnet::engine::CheckOptions::default();
    let report = ecsnet::engine::check_bytes(plan, "plan", None, &opts).expect("plan checks");
    let findings = report.diagnostics.len();
    let t = Instant::now();
    let answer = ecsnet::server::validator::response(report);
    let bytes = prost::Message::encode_to_vec(&answer);
    let took = t.elapsed();
    println!(
        "the answer: {findings} findings, {:.1} MB of protobuf, built and encoded in {}",
        bytes.len() as f64 / 1e6,
        ms(took)
    );
}

fn median_f64(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
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
                let chunk = chunk_size();
                // The header announces the size, so the plugin allocates the plan once.
                let chunks: Vec<pbv::ValidatePlanChunk> = (0..plan.len())
                    .step_by(chunk)
                    .map(|at| pbv::ValidatePlanChunk {
                        header: (at == 0).then(|| pbv::ValidatePlanHeader {
                            plan_size: plan.len() as u64,
                            ..Default::default()
                        }),
                        plan_json: plan.slice(at..plan.len().min(at + chunk)),
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
