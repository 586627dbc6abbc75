//! ecsnet as a Terraform (and OpenTofu) provider: no resources, only provider-defined
//! functions (`provider::ecsnet::instance_type(...)` and the others in [`functions`]) that a
//! module calls in `precondition`, `postcondition`, variable `validation` and `check` blocks.
//!
//! Terraform launches the `ecsnet` binary with its magic cookie set ([`TERRAFORM_PROVIDER`]);
//! the go-plugin side (handshake, AutoMTLS, lifecycle) is the `goplugin` crate, the protocol
//! messages and the cty codec are the `tfplugin6` crate. Terraform 1.11 learns the functions
//! from `GetProviderSchema` only and calls them on an unconfigured provider, so nothing here
//! depends on provider configuration. Source address: `registry.terraform.io/ecsnet/ecsnet`.

use std::process::ExitCode;

use goplugin::handshake::{cookie, Cookie};
use goplugin::{AppServices, PluginSpec, TERRAFORM_PROVIDER_V6};
use tfplugin6::codec::Value;
use tfplugin6::pb;
use tfplugin6::pb::provider_server::{Provider, ProviderServer};
use tonic::{Request, Response, Status};

use crate::error::exit;

pub mod functions;
mod task_definition;

use functions::{ArgError, Function};

/// The provider's identity for go-plugin: Terraform's cookie and protocol 6. Its log lines
/// (level from `TF_LOG_PROVIDER`) read `[INFO] ecsnet: ...`.
pub const TERRAFORM_PROVIDER: PluginSpec =
    TERRAFORM_PROVIDER_V6.named("ecsnet", env!("CARGO_PKG_VERSION"));

/// Where the provider is published (or mirrored): `required_providers { ecsnet = { source =
/// "ecsnet/ecsnet" } }`.
pub const SOURCE_ADDRESS: &str = "registry.terraform.io/ecsnet/ecsnet";

/// Terraform sends task definitions (a few KiB) as function arguments; room to spare.
const MAX_MESSAGE: usize = 64 << 20;

/// `Some(exit code)` once the provider has served Terraform, when Terraform launched the
/// binary (its magic cookie set, no command-line arguments); `None` otherwise, for the
/// Validator plugin or the command line to take over.
pub fn launched_by_terraform() -> Option<ExitCode> {
    if std::env::args_os().len() > 1
        || cookie(&TERRAFORM_PROVIDER, &|k| std::env::var(k).ok()) != Cookie::Matches
    {
        return None;
    }
    let served = goplugin::run_plugin(&TERRAFORM_PROVIDER, None, |_version, _shutdown| {
        let mut app = AppServices::default();
        app.routes.add_service(
            ProviderServer::new(EcsnetProvider::new())
                .max_decoding_message_size(MAX_MESSAGE)
                .max_encoding_message_size(MAX_MESSAGE),
        );
        app
    });
    Some(match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(exit::USAGE)
        }
    })
}

/// The tfplugin6 `Provider` service: the schema with the functions, and `CallFunction`.
pub struct EcsnetProvider {
    functions: Vec<Function>,
}

impl Default for EcsnetProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl EcsnetProvider {
    pub fn new() -> EcsnetProvider {
        EcsnetProvider {
            functions: functions::all(),
        }
    }

    pub fn functions(&self) -> &[Function] {
        &self.functions
    }

    /// The functions as tfplugin6 declares them, by name.
    pub fn declarations(&self) -> std::collections::HashMap<String, pb::Function> {
        self.functions
            .iter()
            .map(|f| (f.name.to_string(), f.declaration()))
            .collect()
    }

    /// The provider's schema: an empty configuration block (functions never see it) and
    /// the functions.
    pub fn schema(&self) -> pb::get_provider_schema::Response {
        pb::get_provider_schema::Response {
            provider: Some(empty_schema()),
            resource_schemas: Default::default(),
            data_source_schemas: Default::default(),
            functions: self.declarations(),
            diagnostics: Vec::new(),
            provider_meta: Some(empty_schema()),
            server_capabilities: Some(pb::ServerCapabilities {
                plan_destroy: false,
                get_provider_schema_optional: true,
                move_resource_state: false,
            }),
        }
    }

    /// `CallFunction` without gRPC.
    pub fn call(&self, req: &pb::call_function::Request) -> pb::call_function::Response {
        let failed = |e: ArgError| pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: e.text,
                function_argument: e.argument.map(|i| i as i64),
            }),
        };
        let Some(f) = self.functions.iter().find(|f| f.name == req.name) else {
            return failed(ArgError::call(format!(
                "ecsnet {} has no function {:?}; it has {}",
                env!("CARGO_PKG_VERSION"),
                req.name.chars().take(64).collect::<String>(),
                self.functions
                    .iter()
                    .map(|f| f.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        if req.arguments.len() != f.params.len() {
            return failed(ArgError::call(format!(
                "{} takes {} argument(s), not {}",
                f.name,
                f.params.len(),
                req.arguments.len()
            )));
        }
        let mut args = Vec::with_capacity(f.params.len());
        for (i, (dv, p)) in req.arguments.iter().zip(&f.params).enumerate() {
            match tfplugin6::decode(Some(dv), &p.ty) {
                Ok(v) => args.push(v),
                Err(e) => {
                    return failed(ArgError::at(i, format!("{} cannot be read: {e}", p.name)))
                }
            }
        }
        // Terraform does not send unknown values where a parameter does not allow them;
        // another host might.
        let result = if args
            .iter()
            .zip(&f.params)
            .any(|(a, p)| !p.allow_unknown && !a.is_wholly_known())
        {
            Ok(Value::UNKNOWN)
        } else {
            (f.call)(&args)
        };
        match result.and_then(|v| {
            tfplugin6::encode(&v, &f.ret)
                .map_err(|e| ArgError::call(format!("cannot encode the result of {}: {e}", f.name)))
        }) {
            Ok(dv) => pb::call_function::Response {
                result: Some(dv),
                error: None,
            },
            Err(e) => failed(e),
        }
    }
}

fn empty_schema() -> pb::Schema {
    pb::Schema {
        version: 0,
        block: Some(pb::schema::Block::default()),
    }
}

#[tonic::async_trait]
impl Provider for EcsnetProvider {
    async fn get_metadata(
        &self,
        _req: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        Ok(Response::new(pb::get_metadata::Response {
            server_capabilities: self.schema().server_capabilities,
            diagnostics: Vec::new(),
            data_sources: Vec::new(),
            resources: Vec::new(),
            functions: self
                .functions
                .iter()
                .map(|f| pb::get_metadata::FunctionMetadata {
                    name: f.name.to_string(),
                })
                .collect(),
        }))
    }

    async fn get_provider_schema(
        &self,
        _req: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        Ok(Response::new(self.schema()))
    }

    async fn validate_provider_config(
        &self,
        _req: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        // The configuration block has no attributes: Terraform itself rejects any.
        Ok(Response::new(pb::validate_provider_config::Response {
            diagnostics: Vec::new(),
        }))
    }

    async fn configure_provider(
        &self,
        _req: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        Ok(Response::new(pb::configure_provider::Response {
            diagnostics: Vec::new(),
        }))
    }

    async fn get_functions(
        &self,
        _req: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        Ok(Response::new(pb::get_functions::Response {
            functions: self.declarations(),
            diagnostics: Vec::new(),
        }))
    }

    async fn call_function(
        &self,
        req: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        Ok(Response::new(self.call(req.get_ref())))
    }

    async fn stop_provider(
        &self,
        _req: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        // Every call is short; nothing to cancel (StopProvider is not "exit").
        Ok(Response::new(pb::stop_provider::Response::default()))
    }
}

#[cfg(test)]
mod tests;
