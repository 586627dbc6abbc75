//! The Validator's limits, applied where calls come in ([`Guard`], around the generated
//! service), each with an error a host can act on, naming the setting to change
//! (`settings.rs`):
//!
//! - **Calls at once** (`ECSNET_PLUGIN_MAX_CALLS`): beyond it a call is answered
//!   RESOURCE_EXHAUSTED at once.
//! - **Memory for plans** (`ECSNET_PLUGIN_MAX_INFLIGHT_BYTES`): each call's request body is
//!   [`Metered`]. tonic reserves a message's whole declared length as soon as its 5-byte
//!   header arrives, on the client's word; so the header is charged to the call's
//!   [`Grant`] before tonic sees it, and a message the budget cannot take fails the call
//!   with RESOURCE_EXHAUSTED instead of being allocated. The handler charges the buffer a
//!   streamed plan is put together in the same way (`assembly.rs`).
//! - **Idle streams** (`ECSNET_PLUGIN_STREAM_IDLE_TIMEOUT`): a call waiting longer than
//!   this for the next piece of its plan fails with DEADLINE_EXCEEDED, and what it held is
//!   released.
//! - **Plan size** (`ECSNET_PLUGIN_MAX_PLAN_BYTES`): tonic refuses a message over its
//!   decoding limit (from its length prefix, before buffering it) with OUT_OF_RANGE and a
//!   message that does not say how to raise the limit; that is rewritten into
//!   RESOURCE_EXHAUSTED naming the setting, both for unary calls (decoded before the handler
//!   runs, hence here) and for chunks of a stream (decoded inside the handler).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http_body::{Frame, SizeHint};
use tokio::sync::Semaphore;
use tonic::codegen::{http, Body, BoxFuture, Bytes, Service, StdError};
use tonic::server::NamedService;
use tonic::{Code, Status};

use goplugin::log;

use super::plan_buffer::{Grant, OverBudget, PlanBuffers};
use super::settings::{self, Limits};

/// What tonic says when a message is over its decoding limit.
const TONIC_TOO_LARGE: &str = "message length too large";

pub fn is_too_large(status: &Status) -> bool {
    status.code() == Code::OutOfRange && status.message().contains(TONIC_TOO_LARGE)
}

/// The RESOURCE_EXHAUSTED answer for a plan over `max` bytes.
pub fn too_large(rpc: &str, max: usize) -> Status {
    Status::resource_exhausted(format!(
        "{rpc}: the plan is over this plugin's limit of {max} bytes; raise it with {} or `ecsnet serve --{}`, or send the plan in chunks with ValidatePlanStream",
        settings::MAX_PLAN_BYTES.env,
        settings::MAX_PLAN_BYTES.flag,
    ))
}

/// The RESOURCE_EXHAUSTED answer for a plan the memory budget cannot take now.
pub fn over_budget(rpc: &str, e: OverBudget) -> Status {
    Status::resource_exhausted(format!(
        "{rpc}: receiving this plan would take the plugin past its memory budget for plans of {} bytes ({} held by calls in flight, {} more needed); retry when other calls have finished, or raise {} or `ecsnet serve --{}`",
        e.max,
        e.in_use,
        e.wanted,
        settings::MAX_INFLIGHT_BYTES.env,
        settings::MAX_INFLIGHT_BYTES.flag,
    ))
}

/// The RESOURCE_EXHAUSTED answer for a call beyond the cap on calls at once.
pub fn too_many_calls(rpc: &str, max: usize) -> Status {
    Status::resource_exhausted(format!(
        "{rpc}: this plugin is already serving {max} calls, its limit; retry when one has finished, or raise {} or `ecsnet serve --{}`",
        settings::MAX_CALLS.env,
        settings::MAX_CALLS.flag,
    ))
}

/// The DEADLINE_EXCEEDED answer for a call whose plan stopped arriving.
pub fn idle(rpc: &str, timeout: Duration) -> Status {
    Status::deadline_exceeded(format!(
        "{rpc}: nothing more of the plan arrived for {}, so the call was ended and its memory released; {} or `ecsnet serve --{}` sets how long to wait",
        duration_text(timeout),
        settings::STREAM_IDLE_TIMEOUT.env,
        settings::STREAM_IDLE_TIMEOUT.flag,
    ))
}

fn duration_text(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// The call's share of the budget, for its handler (in the request's extensions).
#[derive(Clone)]
pub struct CallGrant(pub Arc<Grant>);

/// Wraps a generated tonic server: caps the calls at once, meters and times each request
/// body, and rewrites tonic's over-limit answer.
#[derive(Clone)]
pub struct Guard<S> {
    inner: S,
    shared: Arc<Shared>,
}

struct Shared {
    max_plan_bytes: usize,
    /// Messages declared longer than this are tonic's to refuse: they are not charged.
    max_message: usize,
    max_calls: usize,
    calls: Arc<Semaphore>,
    stream_idle_timeout: Duration,
    buffers: PlanBuffers,
}

impl<S> Guard<S> {
    pub fn new(inner: S, limits: &Limits, max_message: usize, buffers: PlanBuffers) -> Self {
        Guard {
            inner,
            shared: Arc::new(Shared {
                max_plan_bytes: limits.max_plan_bytes,
                max_message,
                max_calls: limits.max_calls,
                calls: Arc::new(Semaphore::new(limits.max_calls)),
                stream_idle_timeout: limits.stream_idle_timeout,
                buffers,
            }),
        }
    }
}

impl<S: NamedService> NamedService for Guard<S> {
    const NAME: &'static str = S::NAME;
}

impl<S, B, R> Service<http::Request<B>> for Guard<S>
where
    S: Service<http::Request<Metered<B>>, Response = http::Response<R>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: Body<Data = Bytes> + Unpin + Send + 'static,
    B::Error: Into<StdError>,
    R: Default + Send + 'static,
{
    type Response = http::Response<R>;
    type Error = S::Error;
    type Future = BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let rpc: Arc<str> = req.uri().path().rsplit('/').next().unwrap_or("call").into();
        let shared = self.shared.clone();
        let Ok(permit) = shared.calls.clone().try_acquire_owned() else {
            log::warning!(
                "refused a {rpc} call: {} calls are in flight already",
                shared.max_calls
            );
            let answer = too_many_calls(&rpc, shared.max_calls).into_http();
            return Box::pin(std::future::ready(Ok(answer)));
        };
        let grant = Arc::new(shared.buffers.grant());
        let (mut parts, body) = req.into_parts();
        parts.extensions.insert(CallGrant(grant.clone()));
        let body = Metered {
            inner: body,
            grant,
            rpc: rpc.clone(),
            max_message: shared.max_message,
            framing: Framing::default(),
            idle: shared.stream_idle_timeout,
            timer: None,
            ended: false,
        };
        let fut = self.inner.call(http::Request::from_parts(parts, body));
        Box::pin(async move {
            let mut resp = fut.await?;
            drop(permit);
            // Errors before the handler runs are "trailers-only": the status is in the headers.
            if let Some(status) = Status::from_header_map(resp.headers()) {
                if is_too_large(&status) {
                    let _ = too_large(&rpc, shared.max_plan_bytes).add_header(resp.headers_mut());
                }
            }
            Ok(resp)
        })
    }
}

/// A request body that charges each gRPC message's declared length to the call's grant
/// before passing its header on, and ends the call when nothing arrives for the idle
/// timeout while it is being waited for.
pub struct Metered<B> {
    inner: B,
    grant: Arc<Grant>,
    rpc: Arc<str>,
    max_message: usize,
    framing: Framing,
    idle: Duration,
    /// Running while the body is waited on and nothing arrives.
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    ended: bool,
}

impl<B> Body for Metered<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<StdError>,
{
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let this = &mut *self;
        if this.ended {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                this.timer = None;
                if let Some(data) = frame.data_ref() {
                    let (grant, max_message) = (&this.grant, this.max_message);
                    let charged = this.framing.feed(data, |len| {
                        if len > max_message {
                            return Ok(());
                        }
                        grant.charge_message(len)
                    });
                    if let Err(e) = charged {
                        this.ended = true;
                        log::warning!("refused a {} call: {}", this.rpc, budget_line(&e));
                        return Poll::Ready(Some(Err(over_budget(&this.rpc, e))));
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(Status::from_error(e.into())))),
            Poll::Ready(None) => {
                this.timer = None;
                Poll::Ready(None)
            }
            Poll::Pending => {
                let idle = this.idle;
                let timer = this
                    .timer
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        this.ended = true;
                        this.timer = None;
                        log::warning!(
                            "ended a {} call: nothing arrived for {} ({} bytes released)",
                            this.rpc,
                            duration_text(idle),
                            this.grant.held()
                        );
                        Poll::Ready(Some(Err(self::idle(&this.rpc, idle))))
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.ended || self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

fn budget_line(e: &OverBudget) -> String {
    format!(
        "{} more bytes would pass the budget of {} ({} in use)",
        e.wanted, e.max, e.in_use
    )
}

/// Where the body is in the gRPC framing: each message is a 5-byte header (a compression
/// flag and a big-endian length) and that many bytes.
#[derive(Debug)]
enum Framing {
    Header { bytes: [u8; 5], have: usize },
    Message { left: usize },
}

impl Default for Framing {
    fn default() -> Self {
        Framing::Header {
            bytes: [0; 5],
            have: 0,
        }
    }
}

impl Framing {
    /// Follows `data` through the framing, calling `header` with each message's declared
    /// length as soon as its header is complete.
    fn feed<E>(
        &mut self,
        mut data: &[u8],
        mut header: impl FnMut(usize) -> Result<(), E>,
    ) -> Result<(), E> {
        while !data.is_empty() {
            match self {
                Framing::Header { bytes, have } => {
                    let n = (5 - *have).min(data.len());
                    bytes[*have..*have + n].copy_from_slice(&data[..n]);
                    *have += n;
                    data = &data[n..];
                    if *have == 5 {
                        let len = u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]);
                        let len = len as usize;
                        header(len)?;
                        *self = if len == 0 {
                            Framing::default()
                        } else {
                            Framing::Message { left: len }
                        };
                    }
                }
                Framing::Message { left } => {
                    let n = (*left).min(data.len());
                    *left -= n;
                    data = &data[n..];
                    if *left == 0 {
                        *self = Framing::default();
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(messages: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for m in messages {
            out.push(0);
            out.extend_from_slice(&(m.len() as u32).to_be_bytes());
            out.extend_from_slice(m);
        }
        out
    }

    #[test]
    fn headers_are_found_however_the_data_is_cut() {
        let messages: Vec<Vec<u8>> = vec![vec![7; 300], vec![], vec![1; 5], vec![2; 70_000]];
        let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
        let wire = framed(&refs);
        for cut in [1, 2, 3, 5, 6, 7, 64, 4096, wire.len()] {
            let mut f = Framing::default();
            let mut seen = Vec::new();
            for piece in wire.chunks(cut) {
                f.feed(piece, |len| {
                    seen.push(len);
                    Ok::<(), ()>(())
                })
                .unwrap();
            }
            assert_eq!(seen, [300, 0, 5, 70_000], "cut every {cut} bytes");
            assert!(matches!(f, Framing::Header { have: 0, .. }));
        }
    }

    #[test]
    fn a_header_can_stop_the_body() {
        let wire = framed(&[&[1; 10], &[2; 10]]);
        let mut f = Framing::default();
        let mut calls = 0;
        let r = f.feed(&wire, |len| {
            calls += 1;
            if calls == 2 {
                Err(len)
            } else {
                Ok(())
            }
        });
        assert_eq!(r, Err(10));
    }

    #[test]
    fn statuses_name_their_settings() {
        let s = over_budget(
            "ValidatePlanStream",
            OverBudget {
                wanted: 5,
                in_use: 10,
                max: 12,
            },
        );
        assert_eq!(s.code(), Code::ResourceExhausted);
        assert!(s.message().contains("ECSNET_PLUGIN_MAX_INFLIGHT_BYTES"));
        assert!(s.message().contains("--max-inflight-bytes"));
        let s = too_many_calls("ValidatePlan", 3);
        assert_eq!(s.code(), Code::ResourceExhausted);
        assert!(s.message().contains("ECSNET_PLUGIN_MAX_CALLS"));
        let s = idle("ValidatePlanStream", Duration::from_millis(1500));
        assert_eq!(s.code(), Code::DeadlineExceeded);
        assert!(s.message().contains("1500 ms"), "{}", s.message());
        assert!(s.message().contains("ECSNET_PLUGIN_STREAM_IDLE_TIMEOUT"));
        assert!(too_large("ValidatePlan", 9)
            .message()
            .contains("ECSNET_PLUGIN_MAX_PLAN_BYTES"));
    }
}
