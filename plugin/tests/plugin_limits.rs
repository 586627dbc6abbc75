//! The plugin's limits, each shown on the built `ecsnet` binary launched as a go-plugin host
//! launches it: plans announced at 100 GB and messages declared at nearly 4 GiB cannot make it
//! allocate past its memory budget, a stalled stream is ended and its memory released, calls
//! beyond the cap are refused, a cancelled call stops its check, the plugin exits when its
//! host dies, a connection that never speaks HTTP/2 is closed, and a setting it cannot read
//! is an error. Timeouts and sizes are shortened through the environment so each test takes
//! a few seconds.

#[path = "support/host.rs"]
mod host;

use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use ecsnet::server::pb::ecsnet::v1 as pbv;
use host::{
    command, connect, go_plugin_client_identity, launch, request, rt, shutdown, start,
    PluginProcess,
};
use pbv::validator_client::ValidatorClient;
use prost::bytes::Bytes;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::codegen::http;
use tonic::{Code, Status};

const MIB: usize = 1 << 20;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A small plan with findings (the bundled sample).
fn sample_plan() -> Vec<u8> {
    std::fs::read(repo_root().join("testdata/sample/plan.json")).unwrap()
}

/// The sample plan followed by whitespace up to `size` bytes: still a valid plan.
fn padded_plan(size: usize) -> Vec<u8> {
    let mut plan = sample_plan();
    assert!(plan.len() <= size);
    plan.resize(size, b' ');
    plan
}

/// Waits up to `limit` for `needle` in the plugin's log; returns the log.
fn wait_for_log(p: &PluginProcess, needle: &str, limit: Duration) -> String {
    let start = Instant::now();
    loop {
        let log = p.stderr();
        if log.contains(needle) {
            return log;
        }
        assert!(
            start.elapsed() < limit,
            "no {needle:?} in the plugin's log within {limit:?}:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn chunk(header: Option<u64>, data: Vec<u8>) -> pbv::ValidatePlanChunk {
    pbv::ValidatePlanChunk {
        header: header.map(|plan_size| pbv::ValidatePlanHeader {
            plan_size,
            ..Default::default()
        }),
        plan_json: data.into(),
    }
}

/// Memory figures of a process from /proc, in KiB: (VmRSS, VmHWM, VmPeak).
fn memory_kib(pid: u32) -> (u64, u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"), field("VmPeak:"))
}

/// A request body fed by hand, frame by frame: for a host that lies about its message
/// lengths or goes quiet. It ends when the sender is dropped.
struct HandFed(mpsc::UnboundedReceiver<Bytes>);

impl http_body::Body for HandFed {
    type Data = Bytes;
    type Error = Status;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Status>>> {
        self.0
            .poll_recv(cx)
            .map(|b| b.map(|b| Ok(http_body::Frame::data(b))))
    }
}

/// Starts a raw gRPC call of `method` whose body is what is sent on the returned sender;
/// the handle resolves to the call's status.
fn raw_call(
    channel: &tonic::transport::Channel,
    method: &str,
) -> (
    mpsc::UnboundedSender<Bytes>,
    tokio::task::JoinHandle<Status>,
) {
    use tonic::codegen::Service;
    let (tx, rx) = mpsc::unbounded_channel();
    let req = http::Request::builder()
        .method("POST")
        .uri(format!("http://localhost/ecsnet.v1.Validator/{method}"))
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .body(tonic::body::Body::new(HandFed(rx)))
        .unwrap();
    let mut channel = channel.clone();
    let call = tokio::spawn(async move {
        if let Err(e) = std::future::poll_fn(|cx| channel.poll_ready(cx)).await {
            return Status::unknown(format!("transport: {e}"));
        }
        let resp = match channel.call(req).await {
            Ok(r) => r,
            Err(e) => return Status::unknown(format!("transport: {e}")),
        };
        if let Some(s) = Status::from_header_map(resp.headers()) {
            return s;
        }
        let mut body = resp.into_body();
        loop {
            let frame =
                std::future::poll_fn(|cx| http_body::Body::poll_frame(Pin::new(&mut body), cx))
                    .await;
            match frame {
                Some(Ok(f)) => {
                    if let Some(t) = f.trailers_ref() {
                        return Status::from_header_map(t)
                            .unwrap_or_else(|| Status::unknown("trailers without a status"));
                    }
                }
                Some(Err(e)) => return e,
                None => return Status::unknown("the answer ended without a status"),
            }
        }
    });
    (tx, call)
}

/// A gRPC message header (uncompressed) declaring `len` bytes.
fn message_header(len: u32) -> Bytes {
    let mut h = vec![0u8];
    h.extend_from_slice(&len.to_be_bytes());
    Bytes::from(h)
}

/// Streams a plan announced at `announced` bytes, 1 MiB of whitespace at a time, for as
/// long as the plugin takes it (at most `max_chunks`); returns the call's outcome and how
/// many chunks the client sent.
async fn flood(
    mut v: ValidatorClient<tonic::transport::Channel>,
    announced: u64,
    max_chunks: usize,
) -> (Result<pbv::ValidatePlanResponse, Status>, usize) {
    let (tx, rx) = mpsc::channel(2);
    let feeder = tokio::spawn(async move {
        let mut sent = 0;
        for i in 0..max_chunks {
            let header = (i == 0).then_some(announced);
            if tx.send(chunk(header, vec![b' '; MIB])).await.is_err() {
                break;
            }
            sent += 1;
        }
        sent
    });
    let outcome = v
        .validate_plan_stream(ReceiverStream::new(rx))
        .await
        .map(|r| r.into_inner());
    let sent = feeder.await.unwrap();
    (outcome, sent)
}

/// The memory defect of the probe: three streams announcing 100 GB plans, and messages whose
/// headers declare nearly 4 GiB, against a plugin whose plan cap would let them through.
/// Each gets RESOURCE_EXHAUSTED naming the budget, the plugin's memory stays within the budget
/// (plus what HTTP/2 flow control holds), and a normal call is served afterwards.
#[test]
fn plans_announced_at_100_gb_cannot_exhaust_the_plugin() {
    const BUDGET: usize = 48 * MIB;
    let mut p = start(
        None,
        &[
            ("ECSNET_PLUGIN_MAX_PLAN_BYTES", "200G"),
            ("ECSNET_PLUGIN_MAX_INFLIGHT_BYTES", "48M"),
        ],
    );
    let pid = p.child.id();
    let plan = sample_plan();
    rt().block_on(async {
        let ch = connect(&p.handshake, None).await.unwrap();
        let v = ValidatorClient::new(ch.clone());
        let expected = v.clone().validate_plan(request(plan.clone())).await.unwrap();
        let (base_rss, _, base_peak) = memory_kib(pid);

        // Memory sampled all along.
        let sampling = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let sampler = {
            let sampling = sampling.clone();
            std::thread::spawn(move || {
                let mut most = 0;
                while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                    most = most.max(memory_kib(pid).0);
                    std::thread::sleep(Duration::from_millis(5));
                }
                most
            })
        };

        let started = Instant::now();
        let streams: Vec<_> = (0..3)
            .map(|_| tokio::spawn(flood(v.clone(), 100 << 30, 400)))
            .collect();
        // Declared lengths tonic would reserve on sight, in both RPCs.
        let liars: Vec<_> = ["ValidatePlan", "ValidatePlanStream"]
            .iter()
            .map(|m| {
                let (tx, call) = raw_call(&ch, m);
                tx.send(message_header(0xF000_0000)).unwrap();
                tx.send(Bytes::from(vec![b' '; 4096])).unwrap();
                // Kept open: the plugin must not wait for the rest to answer.
                (tx, call)
            })
            .collect();
        // Meanwhile the plugin answers, and a small plan is refused at worst for the budget.
        let mut info = v.clone();
        info.get_plugin_info(pbv::GetPluginInfoRequest {})
            .await
            .unwrap();
        match v.clone().validate_plan(request(plan.clone())).await {
            Ok(r) => assert_eq!(r.get_ref(), expected.get_ref()),
            Err(e) => assert!(
                e.code() == Code::ResourceExhausted
                    && e.message().contains("ECSNET_PLUGIN_MAX_INFLIGHT_BYTES"),
                "{e:?}"
            ),
        }

        for s in streams {
            let (outcome, sent) = s.await.unwrap();
            let e = outcome.expect_err("a 100 GB plan cannot be received");
            assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
            assert!(
                e.message().contains("ECSNET_PLUGIN_MAX_INFLIGHT_BYTES")
                    && e.message().contains("--max-inflight-bytes"),
                "{e:?}"
            );
            assert!(sent < 400, "refused while arriving, after {sent} MiB");
        }
        for (tx, call) in liars {
            let e = tokio::time::timeout(Duration::from_secs(10), call)
                .await
                .expect("answered without waiting for the 4 GB")
                .unwrap();
            assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
            assert!(
                e.message().contains("ECSNET_PLUGIN_MAX_INFLIGHT_BYTES"),
                "{e:?}"
            );
            drop(tx);
        }
        let flood_time = started.elapsed();
        sampling.store(false, std::sync::atomic::Ordering::Relaxed);
        let most_rss = sampler.join().unwrap();
        let (_, hwm, peak) = memory_kib(pid);

        // Served again, with the same answer as before.
        let again = v.clone().validate_plan(request(plan.clone())).await.unwrap();
        assert_eq!(again.get_ref(), expected.get_ref());

        let grew = |now: u64, base: u64| now.saturating_sub(base) as usize * 1024;
        eprintln!(
            "3 streams announcing 100 GB + 2 messages declaring 3.75 GiB, budget {} MiB, refused in {} ms: RSS {} MiB before, at most {} MiB during (+{} MiB); peak RSS {} MiB; peak virtual +{} MiB",
            BUDGET / MIB,
            flood_time.as_millis(),
            base_rss / 1024,
            most_rss / 1024,
            grew(most_rss, base_rss) / MIB,
            hwm / 1024,
            grew(peak, base_peak) / MIB,
        );
        // The budget, one HTTP/2 connection window (16 MiB) of data not yet read, and room
        // for the allocator and threads.
        assert!(
            grew(most_rss.max(hwm), base_rss) < BUDGET + 16 * MIB + 64 * MIB,
            "resident memory grew by {} MiB",
            grew(most_rss.max(hwm), base_rss) / MIB
        );
        // Nothing near the 3.75 GiB the liars declared was even reserved.
        assert!(
            grew(peak, base_peak) < 1 << 30,
            "virtual memory grew by {} MiB",
            grew(peak, base_peak) / MIB
        );
        shutdown(ch).await;
    });
    assert!(p.wait_exit(Duration::from_secs(10)).is_some());
}

/// With the default plan cap, a plan announced over it is refused from its header, before
/// any of it is sent.
#[test]
fn a_plan_announced_over_the_cap_is_refused_at_once() {
    let p = start(None, &[]);
    rt().block_on(async {
        let ch = connect(&p.handshake, None).await.unwrap();
        let (outcome, sent) = flood(ValidatorClient::new(ch.clone()), 100 << 30, 100).await;
        let e = outcome.unwrap_err();
        assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
        assert!(
            e.message().contains("ECSNET_PLUGIN_MAX_PLAN_BYTES"),
            "{e:?}"
        );
        assert!(sent < 20, "refused from the header, {sent} chunks sent");
        shutdown(ch).await;
    });
}

/// A host that starts a stream and goes quiet: the call ends after the idle timeout with
/// DEADLINE_EXCEEDED naming the setting, and the memory it held is free for the next call
/// (which the budget refused while the stalled call held it).
#[test]
fn a_stalled_stream_releases_its_memory_after_the_idle_timeout() {
    let p = start(
        None,
        &[
            ("ECSNET_PLUGIN_STREAM_IDLE_TIMEOUT", "600ms"),
            ("ECSNET_PLUGIN_MAX_INFLIGHT_BYTES", "12M"),
            ("ECSNET_LOG", "debug"),
        ],
    );
    let plan = padded_plan(8 * MIB);
    let chunks = |plan: &[u8]| -> Vec<pbv::ValidatePlanChunk> {
        plan.chunks(MIB)
            .enumerate()
            .map(|(i, c)| chunk((i == 0).then_some(plan.len() as u64), c.to_vec()))
            .collect()
    };
    rt().block_on(async {
        let ch = connect(&p.handshake, None).await.unwrap();
        let v = ValidatorClient::new(ch.clone());

        // 6 MiB of an 8 MiB plan, then silence (the sender stays open).
        let (tx, rx) = mpsc::channel(8);
        for c in chunks(&plan).into_iter().take(6) {
            tx.send(c).await.unwrap();
        }
        let stalled = {
            let mut v = v.clone();
            tokio::spawn(async move { v.validate_plan_stream(ReceiverStream::new(rx)).await })
        };
        let quiet_since = Instant::now();
        tokio::time::sleep(Duration::from_millis(200)).await;

        // While it holds its buffer, another 8 MiB plan does not fit in 12 MiB.
        let e = v
            .clone()
            .validate_plan_stream(tokio_stream::iter(chunks(&plan)))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");

        let e = stalled.await.unwrap().unwrap_err();
        let waited = quiet_since.elapsed();
        assert_eq!(e.code(), Code::DeadlineExceeded, "{e:?}");
        assert!(
            e.message().contains("ECSNET_PLUGIN_STREAM_IDLE_TIMEOUT")
                && e.message().contains("600 ms"),
            "{e:?}"
        );
        assert!(
            waited >= Duration::from_millis(600) && waited < Duration::from_secs(5),
            "ended after {waited:?}"
        );
        eprintln!("a stream quiet since {waited:?} was ended");

        // Its memory is free: the same plan now fits.
        let ok = v
            .clone()
            .validate_plan_stream(tokio_stream::iter(chunks(&plan)))
            .await
            .expect("served once the stalled call let go");
        assert!(ok.into_inner().summary.is_some());
        drop(tx);
        shutdown(ch).await;
    });
    let log = p.stderr();
    let released = log
        .lines()
        .find_map(|l| {
            l.split("ended a ValidatePlanStream call: nothing arrived for 600 ms (")
                .nth(1)
        })
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("no release logged:\n{log}"));
    assert!(released >= 6 * MIB, "{released} bytes released");
}

/// Calls beyond ECSNET_PLUGIN_MAX_CALLS are refused at once, naming the setting, and served
/// again when a call has finished.
#[test]
fn calls_beyond_the_cap_are_refused_clearly() {
    let p = start(None, &[("ECSNET_PLUGIN_MAX_CALLS", "2")]);
    rt().block_on(async {
        let ch = connect(&p.handshake, None).await.unwrap();
        let v = ValidatorClient::new(ch.clone());
        let mut held = Vec::new();
        for _ in 0..2 {
            let (tx, rx) = mpsc::channel(1);
            tx.send(chunk(Some(10), b"{".to_vec())).await.unwrap();
            let mut v = v.clone();
            let call =
                tokio::spawn(async move { v.validate_plan_stream(ReceiverStream::new(rx)).await });
            held.push((tx, call));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let e = v
            .clone()
            .validate_plan(request(sample_plan()))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
        assert!(
            e.message().contains("ECSNET_PLUGIN_MAX_CALLS")
                && e.message().contains("already serving 2 calls"),
            "{e:?}"
        );
        // The held calls end (their plans are not JSON): room again.
        for (tx, call) in held {
            drop(tx);
            let e = call.await.unwrap().unwrap_err();
            assert_eq!(e.code(), Code::InvalidArgument, "{e:?}");
        }
        v.clone()
            .validate_plan(request(sample_plan()))
            .await
            .expect("served once the others finished");
        shutdown(ch).await;
    });
}

/// A plan of about `copies` × the sample's resources, each copy in its own module.
fn large_plan(copies: usize) -> Vec<u8> {
    use serde_json::{json, Value};
    let sample: Value = serde_json::from_slice(&sample_plan()).unwrap();
    let root_level = |v: &Value| v.get("module_address").is_none();
    let changes: Vec<&Value> = sample["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| root_level(r))
        .collect();
    let planned: Vec<&Value> = sample["planned_values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    let mut all_changes = Vec::new();
    let mut modules = Vec::new();
    for i in 0..copies {
        let m = format!("module.copy[\"{i}\"]");
        let moved = |r: &Value| {
            let mut r = r.clone();
            let address = format!("{m}.{}", r["address"].as_str().unwrap());
            r["address"] = json!(address);
            r
        };
        modules.push(json!({
            "address": m,
            "resources": planned.iter().map(|r| moved(r)).collect::<Vec<_>>(),
        }));
        all_changes.extend(changes.iter().map(|r| {
            let mut r = moved(r);
            r["module_address"] = json!(m);
            r
        }));
    }
    serde_json::to_vec(&json!({
        "format_version": sample["format_version"],
        "terraform_version": sample["terraform_version"],
        "planned_values": {"root_module": {"resources": [], "child_modules": modules}},
        "resource_changes": all_changes,
    }))
    .unwrap()
}

/// The time the plugin logged between a call's cancellation and its check stopping.
fn stop_delay(line: &str) -> Duration {
    let ms = line
        .split("stopped its check ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unreadable: {line}"));
    Duration::from_millis(ms)
}

/// How soon a cancelled check must stop here. The target is ~100 ms in a release build (the
/// README has the measured figures); tests run a debug build, several times slower, on a
/// machine that may be busy, so this only tells "stopped early" from "ran to the end" (the
/// same check takes seconds), together with the absence of a finished check in the log.
const STOP_LIMIT: Duration = Duration::from_millis(2000);

/// Lines of the plugin's log containing `needle`.
fn count_in_log(p: &PluginProcess, needle: &str) -> usize {
    p.stderr().matches(needle).count()
}

/// Waits (off the async threads) until the plugin's log holds `n` lines with `needle`.
async fn log_reaches(p: &PluginProcess, needle: &'static str, n: usize) -> Duration {
    let log = p.stderr.clone();
    tokio::task::spawn_blocking(move || {
        let start = Instant::now();
        loop {
            let l = log.lock().unwrap().clone();
            if l.matches(needle).count() >= n {
                return start.elapsed();
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "{n} × {needle:?} never logged:\n{l}"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    })
    .await
    .unwrap()
}

const CHECKING: &str = "checking a ";
const STOPPED: &str = "a cancelled call stopped its check";
const FINISHED: &str = "validated a ";

/// A check nobody waits for stops within milliseconds: the host drops the call (HTTP/2
/// RST_STREAM) while the plugin checks a large plan, and a deadline (`grpc-timeout`) passes
/// while it checks it again; neither check runs to the end.
#[test]
fn a_cancelled_call_stops_its_check() {
    let mut p = start(None, &[("ECSNET_LOG", "debug")]);
    let plan = large_plan(400);
    rt().block_on(async {
        let ch = connect(&p.handshake, None).await.unwrap();
        let v = ValidatorClient::new(ch.clone()).max_decoding_message_size(usize::MAX);

        // Dropped by the host, 100 ms into the check.
        let sent = Instant::now();
        let call = {
            let mut v = v.clone();
            let plan = plan.clone();
            tokio::spawn(async move { v.validate_plan(request(plan)).await })
        };
        log_reaches(&p, CHECKING, 1).await;
        let receiving = sent.elapsed();
        tokio::time::sleep(Duration::from_millis(100)).await;
        call.abort();
        log_reaches(&p, STOPPED, 1).await;

        // A deadline that passes during the check: long enough for the plan to arrive
        // (which takes about as long as it did above, but the machine may be busy: each try
        // that ends before the check starts allows more).
        let mut deadline = receiving + Duration::from_millis(150);
        for _ in 0..6 {
            let (checks, stops) = (count_in_log(&p, CHECKING), count_in_log(&p, STOPPED));
            let mut req = tonic::Request::new(request(plan.clone()));
            req.set_timeout(deadline);
            let e = v.clone().validate_plan(req).await.unwrap_err();
            assert!(
                matches!(e.code(), Code::DeadlineExceeded | Code::Cancelled),
                "{e:?}"
            );
            if count_in_log(&p, CHECKING) > checks {
                log_reaches(&p, STOPPED, stops + 1).await;
                break;
            }
            deadline = deadline * 3 / 2;
        }
        shutdown(ch).await;
    });
    assert!(p.wait_exit(Duration::from_secs(10)).is_some());
    let log = p.stderr();
    let stops: Vec<_> = log.lines().filter(|l| l.contains(STOPPED)).collect();
    assert_eq!(stops.len(), 2, "both checks stopped:\n{log}");
    for (how, line) in ["dropped by the host", "past its deadline"]
        .iter()
        .zip(&stops)
    {
        let delay = stop_delay(line);
        eprintln!("{how}: the check stopped {delay:?} after the cancel ({line})");
        assert!(delay < STOP_LIMIT, "{delay:?}");
    }
    assert!(!log.contains(FINISHED), "a check ran to the end:\n{log}");
}

/// Whether process `pid` has exited (gone, or a zombie nobody reaped).
fn exited(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().next())
            .is_some_and(|state| state == "Z" || state == "X"),
    }
}

/// The host is killed (SIGKILL, no Shutdown): the plugin notices, stops as on SIGTERM and
/// removes its socket, within about a second.
#[cfg(target_os = "linux")]
#[test]
fn the_plugin_exits_when_its_host_dies() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("plugin.pid");
    // The host: a shell that launches the plugin (handing it its stdout and stderr) and waits.
    let cmd = command(&[], None);
    let plugin = host::binary();
    let mut host_cmd = std::process::Command::new("sh");
    host_cmd
        .arg("-c")
        .arg("\"$0\" & echo $! > \"$1\"; wait")
        .arg(&plugin)
        .arg(&pid_file);
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => host_cmd.env(k, v),
            None => host_cmd.env_remove(k),
        };
    }
    host_cmd
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut p = launch(host_cmd).unwrap_or_else(|e| panic!("plugin did not start: {e}"));
    let pid: u32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let socket = PathBuf::from(&p.handshake.address);
    rt().block_on(async {
        let ch = connect(&p.handshake, None).await.unwrap();
        ValidatorClient::new(ch)
            .get_plugin_info(pbv::GetPluginInfoRequest {})
            .await
            .unwrap();
    });
    assert!(!exited(pid) && socket.exists());

    p.child.kill().unwrap();
    p.child.wait().unwrap();
    let killed = Instant::now();
    while !exited(pid) && killed.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let took = killed.elapsed();
    if !exited(pid) {
        unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
        panic!("the plugin outlived its host by 10 s:\n{}", p.stderr());
    }
    eprintln!("the plugin exited {took:?} after its host was killed");
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert!(!socket.exists(), "socket removed");
    let log = wait_for_log(&p, "plugin stopped", Duration::from_secs(5));
    assert!(log.contains("has exited, shutting down"), "{log}");
}

/// A peer that connects and never speaks HTTP/2 (a stalled TLS handshake, or TLS done and
/// then silence) is disconnected after the handshake timeout; an established connection is
/// not, however quiet it stays.
#[test]
fn a_connection_that_never_speaks_http2_is_closed() {
    use tokio::io::AsyncReadExt;
    let id = go_plugin_client_identity();
    let p = start(Some(&id), &[("ECSNET_PLUGIN_HANDSHAKE_TIMEOUT", "500ms")]);
    rt().block_on(async {
        let ch = connect(&p.handshake, Some(&id)).await.unwrap();
        let mut v = ValidatorClient::new(ch.clone());
        v.get_plugin_info(pbv::GetPluginInfoRequest {})
            .await
            .unwrap();

        // Until the peer goes away: the time it took.
        async fn closed_after(mut io: Box<dyn host::IoStream>) -> Duration {
            let start = Instant::now();
            let mut buf = [0u8; 4096];
            loop {
                match tokio::time::timeout(Duration::from_secs(10), io.read(&mut buf)).await {
                    Ok(Ok(0)) | Ok(Err(_)) => return start.elapsed(),
                    Ok(Ok(_)) => {}
                    Err(_) => panic!("the connection stayed open for 10 s"),
                }
            }
        }
        // Connected, not even a TLS hello.
        let mut plain = p.handshake.clone();
        plain.cert_der = None;
        let raw = host::connect_io(&plain, None).await.unwrap();
        let silent_hello = closed_after(raw).await;
        // TLS done, then nothing.
        let tls = host::connect_io(&p.handshake, Some(&id)).await.unwrap();
        let silent_tls = closed_after(tls).await;
        eprintln!("closed after {silent_hello:?} (no TLS hello) and {silent_tls:?} (no HTTP/2)");
        for t in [silent_hello, silent_tls] {
            assert!(
                t >= Duration::from_millis(400) && t < Duration::from_secs(3),
                "{t:?}"
            );
        }

        // The established connection outlives the timeout.
        tokio::time::sleep(Duration::from_millis(800)).await;
        v.get_plugin_info(pbv::GetPluginInfoRequest {})
            .await
            .expect("an established connection is kept");
        shutdown(ch).await;
    });
    let log = p.stderr();
    assert!(
        log.contains("TLS handshake not done within 500 ms"),
        "{log}"
    );
    assert!(log.contains("did not start HTTP/2 within 500 ms"), "{log}");
}

/// Launches the plugin as a host would with `env` (or `ecsnet serve <args>`) and expects the
/// bad-setting contract: exit 2, no handshake line, one `error:` line that starts with `what`.
fn refused(env: &[(&str, &str)], serve_args: &[&str], what: &str) {
    let mut cmd = command(env, None);
    if !serve_args.is_empty() {
        cmd.env_remove(host::COOKIE_KEY)
            .arg("serve")
            .args(serve_args);
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let ctx = format!("{env:?} {serve_args:?}: {err}");
    assert_eq!(out.status.code(), Some(2), "{ctx}");
    assert!(out.stdout.is_empty(), "no handshake line: {ctx}");
    assert_eq!(err.lines().count(), 1, "one line: {ctx}");
    assert!(err.starts_with(&format!("error: {what}")), "{ctx}");
}

/// Every setting the plugin reads is checked: a value it cannot use is an error naming the
/// variable (or flag), never the default in disguise; a whitespace-only PLUGIN_CLIENT_CERT is
/// an error, not plaintext; and a size with a suffix is applied.
#[test]
fn settings_it_cannot_read_are_errors() {
    for s in ecsnet::server::settings::ALL {
        for bad in ["", " ", "abc", "-5", "0", "10 parsecs"] {
            refused(&[(s.env, bad)], &[], &format!("{}={bad:?} is not a", s.env));
            // Through `ecsnet serve`, from the variable and from the flag.
            refused(
                &[(s.env, bad)],
                &["--transport", "tcp"],
                &format!("{}={bad:?}", s.env),
            );
            refused(
                &[],
                &[&format!("--{}={bad}", s.flag)],
                &format!("--{} {bad:?}", s.flag),
            );
        }
    }
    for (key, value) in [
        ("PLUGIN_CLIENT_CERT", " \n\t"),
        ("PLUGIN_CLIENT_CERT", "not a certificate"),
        ("PLUGIN_UNIX_SOCKET_DIR", "  "),
        ("PLUGIN_MIN_PORT", " "),
        ("ECSNET_PLUGIN_TRANSPORT", ""),
        ("ECSNET_PLUGIN_TRANSPORT", "pipe"),
        ("ECSNET_LOG", "loud"),
        ("ECSNET_LOG_FORMAT", "xml"),
    ] {
        refused(&[(key, value)], &[], key);
    }

    // `ecsnet serve --help` and the README's table say the same as the code.
    let help = command(&[], None)
        .env_remove(host::COOKIE_KEY)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    for s in ecsnet::server::settings::ALL {
        let default = s.default_text();
        assert!(
            help.contains(&format!("--{} ", s.flag))
                && help.contains(&format!("[env: {}] [default: {default}]", s.env)),
            "{s:?} in: {help}"
        );
        let row = format!("| `{}` | `--{}` | {default} |", s.env, s.flag);
        assert!(readme.contains(&row), "the README's table lacks {row}");
    }

    // 10M is read as 10 MiB and applied.
    let p = start(None, &[("ECSNET_PLUGIN_MAX_PLAN_BYTES", "10M")]);
    rt().block_on(async {
        let ch = connect(&p.handshake, None).await.unwrap();
        let mut v = ValidatorClient::new(ch.clone());
        let e = v
            .validate_plan(request(padded_plan(10 * MIB + 1)))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
        assert!(e.message().contains("limit of 10485760 bytes"), "{e:?}");
        v.validate_plan(request(padded_plan(10 * MIB)))
            .await
            .expect("a plan of exactly 10 MiB is accepted");
        shutdown(ch).await;
    });
}
