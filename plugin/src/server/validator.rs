//! `ecsnet.v1.Validator`: the gRPC face of [`crate::engine`]. It does no checking of its own,
//! so a host gets exactly what `ecsnet check --format json` reports for the same plan.

use std::sync::Arc;

use prost::bytes::Bytes;
use tokio_stream::StreamExt;
use tonic::{Request, Response, Status, Streaming};

use goplugin::{log, Shutdown};

use super::assembly::Assembly;
use super::limits::{self, CallGrant, Guard};
use super::pb::ecsnet::v1 as pbv;
use super::plan_buffer::{Grant, PlanBuffers};
use crate::cancel::{self, Cancel};
use crate::config::FailOn;
use crate::diagnostics::{Diagnostic, Severity};
use crate::engine::{self, CheckOptions, Report};
use crate::error::UserError;

/// The go-plugin app protocol version `ecsnet.v1` is served as.
pub const PROTOCOL_VERSION: u32 = 1;

/// `terraform show -json` format versions ecsnet has been checked against
/// (plan-format.md §2). Plans are read by the keys present, so later 1.x formats work too.
pub const PLAN_FORMAT_VERSIONS: &[&str] = &["0.1", "0.2", "1.0", "1.1", "1.2"];

/// Room for the configuration text and the other fields next to the plan in one message.
const MESSAGE_OVERHEAD: usize = 4 << 20;

pub use super::settings::{parse_size, Limits, DEFAULT_MAX_PLAN_BYTES};

/// `ECSNET_PLUGIN_MAX_PLAN_BYTES`.
pub const MAX_PLAN_BYTES_ENV: &str = super::settings::MAX_PLAN_BYTES.env;

/// The tonic service, with message limits sized for the plan cap, behind the [`Guard`]
/// that applies the other limits.
pub fn service(
    limits: Limits,
    shutdown: Shutdown,
) -> Guard<pbv::validator_server::ValidatorServer<Validator>> {
    let per_message = limits.max_plan_bytes.saturating_add(MESSAGE_OVERHEAD);
    let buffers = PlanBuffers::new(limits.max_inflight_bytes, limits.max_plan_bytes);
    let server = pbv::validator_server::ValidatorServer::new(Validator {
        limits,
        shutdown,
        buffers: buffers.clone(),
    })
    .max_decoding_message_size(per_message)
    .max_encoding_message_size(usize::MAX);
    Guard::new(server, &limits, per_message, buffers)
}

pub struct Validator {
    limits: Limits,
    shutdown: Shutdown,
    /// The budget for plans being received, and the buffer kept warm between calls.
    buffers: PlanBuffers,
}

#[tonic::async_trait]
impl pbv::validator_server::Validator for Validator {
    async fn get_plugin_info(
        &self,
        _req: Request<pbv::GetPluginInfoRequest>,
    ) -> Result<Response<pbv::GetPluginInfoResponse>, Status> {
        Ok(Response::new(pbv::GetPluginInfoResponse {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            protocol_version: PROTOCOL_VERSION,
            plan_format_versions: PLAN_FORMAT_VERSIONS.iter().map(|s| s.to_string()).collect(),
            rule_count: crate::rules::all().len() as u32,
        }))
    }

    async fn list_rules(
        &self,
        _req: Request<pbv::ListRulesRequest>,
    ) -> Result<Response<pbv::ListRulesResponse>, Status> {
        let rules = crate::rules::all()
            .into_iter()
            .map(|r| {
                let m = r.meta();
                pbv::RuleInfo {
                    id: m.id.to_string(),
                    name: m.name.to_string(),
                    default_severity: severity(m.default_severity) as i32,
                    summary: m.summary.to_string(),
                    url: m.url.to_string(),
                    doc: m.doc.to_string(),
                }
            })
            .collect();
        Ok(Response::new(pbv::ListRulesResponse { rules }))
    }

    async fn validate_plan(
        &self,
        req: Request<pbv::ValidatePlanRequest>,
    ) -> Result<Response<pbv::ValidatePlanResponse>, Status> {
        let grant = self.grant(&req);
        let r = req.into_inner();
        self.check_size(r.plan_json.len(), "ValidatePlan")?;
        let header = pbv::ValidatePlanHeader {
            config: r.config,
            options: r.options,
            plan_name: r.plan_name,
            plan_size: 0,
        };
        self.validate(r.plan_json, header, grant)
            .await
            .map(Response::new)
    }

    async fn validate_plan_stream(
        &self,
        req: Request<Streaming<pbv::ValidatePlanChunk>>,
    ) -> Result<Response<pbv::ValidatePlanResponse>, Status> {
        const RPC: &str = "ValidatePlanStream";
        let grant = self.grant(&req);
        let mut stream = req.into_inner();
        let mut header: Option<pbv::ValidatePlanHeader> = None;
        let mut plan = Assembly::default();
        let mut chunks = 0usize;
        let mut first_chunk_at = None;
        let mut hint = 0usize;
        while let Some(chunk) = stream.next().await {
            first_chunk_at.get_or_insert_with(std::time::Instant::now);
            let chunk = chunk.map_err(|e| {
                if limits::is_too_large(&e) {
                    limits::too_large(RPC, self.limits.max_plan_bytes)
                } else {
                    e
                }
            })?;
            if let Some(h) = chunk.header {
                if chunks > 0 {
                    return Err(Status::invalid_argument(
                        "ValidatePlanStream: the header came in a later chunk; send it in the first chunk only",
                    ));
                }
                // A plan announced over the cap cannot succeed: say so before it is sent.
                if h.plan_size > self.limits.max_plan_bytes as u64 {
                    return Err(limits::too_large(RPC, self.limits.max_plan_bytes));
                }
                // The announced size only caps how the buffer grows (see plan_buffer.rs).
                hint = h.plan_size as usize;
                header = Some(h);
            }
            chunks += 1;
            self.check_size(plan.len() + chunk.plan_json.len(), RPC)?;
            plan.push(chunk.plan_json, hint, &grant)
                .map_err(|e| limits::over_budget(RPC, e))?;
        }
        if chunks == 0 {
            return Err(Status::invalid_argument(
                "ValidatePlanStream: the stream held no chunks; send the plan JSON in one or more chunks",
            ));
        }
        if let Some(at) = first_chunk_at {
            log::debug!(
                "received a {}-byte plan in {chunks} chunks over {} ms (this call holds {} bytes of the budget; all calls {} of {})",
                plan.len(),
                at.elapsed().as_millis(),
                grant.held(),
                self.buffers.in_use(),
                self.buffers.max(),
            );
        }
        self.validate(plan.finish(), header.unwrap_or_default(), grant)
            .await
            .map(Response::new)
    }
}

impl Validator {
    fn check_size(&self, len: usize, rpc: &str) -> Result<(), Status> {
        if len > self.limits.max_plan_bytes {
            return Err(limits::too_large(rpc, self.limits.max_plan_bytes));
        }
        Ok(())
    }

    /// The call's share of the budget, from the [`Guard`] (a fresh one when called without
    /// it, as unit tests may).
    fn grant<T>(&self, req: &Request<T>) -> Arc<Grant> {
        req.extensions()
            .get::<CallGrant>()
            .map(|g| g.0.clone())
            .unwrap_or_else(|| Arc::new(self.buffers.grant()))
    }

    /// Runs the engine on a blocking thread. If the caller goes away (the call is cancelled
    /// or times out) the future is dropped, the guard cancels the call's token, and the
    /// check stops at its next cancellation point (see `crate::cancel`), within
    /// milliseconds. After the answer, the plan's buffer is kept for the next call and the
    /// call's share of the budget is released.
    async fn validate(
        &self,
        plan: Bytes,
        header: pbv::ValidatePlanHeader,
        grant: Arc<Grant>,
    ) -> Result<pbv::ValidatePlanResponse, Status> {
        let fail_on = match header.options.as_ref().map(|o| o.fail_on.trim()) {
            None | Some("") => None,
            Some(s) => Some(FailOn::parse(s).ok_or_else(|| {
                Status::invalid_argument(format!(
                    "options.fail_on={s:?} is not a threshold: use error, warning, info or never"
                ))
            })?),
        };
        let plan_name = non_empty(header.plan_name, "plan");
        let config = (!header.config.trim().is_empty()).then_some(header.config);
        let opts = CheckOptions {
            fail_on,
            ..Default::default()
        };

        let token = Cancel::also_on(self.shutdown.cancel_flag());
        let cancel = CancelOnDrop(token.clone());
        let started = std::time::Instant::now();
        let size = plan.len();
        let max_bytes = self.limits.max_plan_bytes as u64;
        let runtime = tokio::runtime::Handle::current();
        let work = tokio::task::spawn_blocking(move || {
            log::debug!("checking a {size}-byte plan");
            let mut kept = Kept::default();
            let outcome = cancel::run(&token, || {
                check(
                    &plan,
                    &plan_name,
                    config.as_deref(),
                    &opts,
                    max_bytes,
                    &mut kept,
                )
                // Built here rather than on the runtime: it moves every finding's text.
                .map(response)
            })
            .unwrap_or_else(|cancel::Cancelled| {
                let after = token.cancelled_for().unwrap_or_default();
                log::debug!(
                    "a cancelled call stopped its check {} ms after it was cancelled ({} ms into the check)",
                    after.as_millis(),
                    started.elapsed().as_millis()
                );
                Err(Failure::Cancelled)
            });
            // Freeing a large plan (the bytes and the parsed document) takes a while; the
            // host is waiting for the answer, not for that. The plan's buffer is kept for
            // the next call instead (see plan_buffer.rs), and the call's share of the budget
            // ends with it.
            let leftovers = move || {
                grant.give_back(plan, &runtime);
                drop(kept);
            };
            (outcome, leftovers)
        });
        let outcome = match work.await {
            Ok((outcome, leftovers)) => {
                tokio::task::spawn_blocking(leftovers);
                Ok(outcome)
            }
            Err(join) => Err(join),
        };
        drop(cancel);
        match outcome {
            Ok(Ok(answer)) => {
                log::debug!(
                    "validated a {size}-byte plan in {} ms: {} findings",
                    started.elapsed().as_millis(),
                    answer.diagnostics.len()
                );
                Ok(answer)
            }
            Ok(Err(Failure::Cancelled)) => Err(Status::cancelled("the call was cancelled")),
            Ok(Err(Failure::User(e))) => Err(Status::invalid_argument(e.message)),
            Err(join) => {
                log::error!("the check failed unexpectedly: {join}");
                Err(Status::internal(
                    "ecsnet failed unexpectedly on this plan; please report it with `ecsnet check` output for the same plan",
                ))
            }
        }
    }
}

/// What a check built that is freed after the answer has gone out.
#[derive(Default)]
struct Kept {
    plan: Option<crate::plan::Plan>,
    model: Option<crate::model::Model>,
}

enum Failure {
    User(UserError),
    Cancelled,
}

impl From<UserError> for Failure {
    fn from(e: UserError) -> Self {
        Failure::User(e)
    }
}

/// [`engine::check_bytes`], step by step, keeping what it builds for the caller to free
/// after answering. Run under a [`Cancel`] token: between the steps here and inside the
/// long loops of each (`crate::cancel`), a cancelled call stops instead of running to the
/// end for nobody.
fn check(
    plan: &[u8],
    plan_name: &str,
    config: Option<&str>,
    opts: &CheckOptions,
    max_bytes: u64,
    kept: &mut Kept,
) -> Result<Report, Failure> {
    cancel::check();
    let config = match config {
        Some(text) => {
            crate::config::parse_str(text, engine::CONFIG_SOURCE_INLINE).map_err(UserError::from)?
        }
        None => crate::config::Config::default(),
    };
    cancel::check();
    // The plugin's own cap was applied on receipt; the reader gets the same one.
    let load = crate::plan::LoadOptions {
        terraform_bin: None,
        max_bytes,
    };
    // The parsed plan goes back to the caller, which frees it after answering.
    let plan = kept
        .plan
        .insert(crate::plan::parse_bytes(plan, plan_name, &load)?);
    cancel::check();
    // The model goes back too, for the same reason as the plan.
    let (built, report) =
        engine::check_plans_keeping_model(std::slice::from_ref(plan), &config, opts);
    kept.model = Some(built);
    Ok(report)
}

fn non_empty(s: String, default: &str) -> String {
    if s.trim().is_empty() {
        default.to_string()
    } else {
        s
    }
}

/// Cancels the call's token when the call's future is dropped.
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

pub fn severity(s: Severity) -> pbv::Severity {
    match s {
        Severity::Info => pbv::Severity::Info,
        Severity::Warning => pbv::Severity::Warning,
        Severity::Error => pbv::Severity::Error,
    }
}

fn diagnostic(d: Diagnostic) -> pbv::Diagnostic {
    pbv::Diagnostic {
        rule: d.rule.to_string(),
        severity: severity(d.severity) as i32,
        address: d.address,
        attribute: d.attribute.unwrap_or_default(),
        message: d.message,
        detail: d.detail.unwrap_or_default(),
        help: d.help.unwrap_or_default(),
        url: d.url,
        unverifiable: d.unverifiable,
        related: d.related,
        is_suppressed: d.suppressed.is_some(),
        suppressed: d.suppressed.unwrap_or_default(),
        fingerprint: d.fingerprint,
        also: d.also,
        location: d.location.map(|at| pbv::Location {
            file: at.file,
            line: at.line,
            column: at.column.unwrap_or(0),
            kind: match at.kind {
                crate::diagnostics::LocationKind::Source => "source",
                crate::diagnostics::LocationKind::Plan => "plan",
            }
            .to_string(),
        }),
    }
}

/// The answer to a validation: the report's findings, moved rather than copied.
pub fn response(r: Report) -> pbv::ValidatePlanResponse {
    let exit_code = r.status() as u32;
    let s = &r.summary;
    let summary = pbv::Summary {
        errors: s.errors as u32,
        warnings: s.warnings as u32,
        infos: s.infos as u32,
        unverifiable: s.unverifiable as u32,
        suppressed: s.suppressed as u32,
        failed: s.failed,
        exit_code,
        fail_on: engine::fail_on_str(s.fail_on).to_string(),
    };
    pbv::ValidatePlanResponse {
        diagnostics: r.diagnostics.into_iter().map(diagnostic).collect(),
        summary: Some(summary),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_map_every_field() {
        let d = Diagnostic {
            rule: "NET070".into(),
            severity: Severity::Warning,
            address: "aws_ecs_service.a".into(),
            attribute: Some("desired_count".into()),
            message: "m".into(),
            detail: None,
            help: Some("h".into()),
            url: "https://docs.aws.amazon.com/x".into(),
            unverifiable: true,
            related: vec!["aws_subnet.a".into()],
            plan: 0,
            location: None,
            suppressed: Some("accepted".into()),
            fingerprint: "0123abcd".into(),
            also: vec!["aws_ecs_service.b".into()],
            ..Diagnostic::default()
        };
        let mut located = d.clone();
        located.location = Some(crate::diagnostics::Location {
            file: "modules/svc/main.tf".into(),
            line: 12,
            column: None,
            kind: crate::diagnostics::LocationKind::Source,
        });
        let l = diagnostic(located).location.expect("location mapped");
        assert_eq!(
            (l.file.as_str(), l.line, l.column, l.kind.as_str()),
            ("modules/svc/main.tf", 12, 0, "source")
        );
        let p = diagnostic(d);
        assert_eq!(p.severity, pbv::Severity::Warning as i32);
        assert_eq!(p.attribute, "desired_count");
        assert_eq!(p.detail, "");
        assert!(p.unverifiable && p.is_suppressed);
        assert_eq!(p.suppressed, "accepted");
        assert_eq!(p.fingerprint, "0123abcd");
        assert_eq!(p.also, vec!["aws_ecs_service.b".to_string()]);
        assert!(p.location.is_none());
        assert_eq!(p.related, vec!["aws_subnet.a".to_string()]);
    }
}
