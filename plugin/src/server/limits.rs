//! Message-size errors a host can act on. tonic refuses a message over the decoding limit
//! (from its length prefix, before buffering it) with OUT_OF_RANGE and a message that does
//! not say how to raise the limit; these helpers turn that into RESOURCE_EXHAUSTED naming the
//! setting, both for unary calls (decoded before the handler runs, hence the wrapper) and
//! for chunks of a stream (decoded inside the handler).

use std::task::{Context, Poll};

use tonic::codegen::{http, BoxFuture, Service};
use tonic::server::NamedService;
use tonic::{Code, Status};

/// What tonic says when a message is over its decoding limit.
const TONIC_TOO_LARGE: &str = "message length too large";

pub fn is_too_large(status: &Status) -> bool {
    status.code() == Code::OutOfRange && status.message().contains(TONIC_TOO_LARGE)
}

/// The RESOURCE_EXHAUSTED answer for a plan over `max` bytes.
pub fn too_large(rpc: &str, max: usize) -> Status {
    Status::resource_exhausted(format!(
        "{rpc}: the plan is over this plugin's limit of {max} bytes; raise it with {} or `ecsnet serve --max-plan-bytes`, or send the plan in chunks with ValidatePlanStream",
        super::validator::MAX_PLAN_BYTES_ENV
    ))
}

/// Wraps a generated tonic server and rewrites tonic's over-limit answer.
#[derive(Clone)]
pub struct ClearLimitErrors<S> {
    inner: S,
    max_plan_bytes: usize,
}

impl<S> ClearLimitErrors<S> {
    pub fn new(inner: S, max_plan_bytes: usize) -> Self {
        ClearLimitErrors {
            inner,
            max_plan_bytes,
        }
    }
}

impl<S: NamedService> NamedService for ClearLimitErrors<S> {
    const NAME: &'static str = S::NAME;
}

impl<S, B, R> Service<http::Request<B>> for ClearLimitErrors<S>
where
    S: Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    R: Send + 'static,
{
    type Response = http::Response<R>;
    type Error = S::Error;
    type Future = BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let rpc = req
            .uri()
            .path()
            .rsplit('/')
            .next()
            .unwrap_or("call")
            .to_string();
        let max = self.max_plan_bytes;
        let fut = self.inner.call(req);
        Box::pin(async move {
            let mut resp = fut.await?;
            // Errors before the handler runs are "trailers-only": the status is in the headers.
            if let Some(status) = Status::from_header_map(resp.headers()) {
                if is_too_large(&status) {
                    let _ = too_large(&rpc, max).add_header(resp.headers_mut());
                }
            }
            Ok(resp)
        })
    }
}
