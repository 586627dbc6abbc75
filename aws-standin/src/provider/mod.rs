//! The tfplugin6 `Provider` service: decodes requests with the schema, calls the planner,
//! applier and data source reader, and encodes their answers.

use std::sync::{Arc, RwLock};

use tonic::{Request, Response, Status};

use crate::apply::revisions::PlannedTaskDefinitions;
use crate::apply::Applier;
use crate::codec::{json, Value};
use crate::data::Reader;
use crate::defaults::Defaults;
use crate::pb;
use crate::pb::provider_server::Provider;
use crate::plan::Planner;
use crate::provider_config::ProviderConfig;
use crate::schema::{ProviderSchema, Schema};
use crate::version::AwsVersion;
use crate::world::World;

/// Everything the stand-in knows: its version's schema and defaults, the world, and the
/// provider configuration once Terraform sends it.
pub struct AwsStandin {
    pub version: AwsVersion,
    pub schema: Arc<ProviderSchema>,
    pub defaults: Arc<Defaults>,
    world: Result<Arc<World>, String>,
    task_definitions: Result<Arc<PlannedTaskDefinitions>, String>,
    config: RwLock<ProviderConfig>,
}

type Diags = Vec<pb::Diagnostic>;

fn error(summary: impl Into<String>, detail: impl Into<String>) -> pb::Diagnostic {
    pb::Diagnostic {
        severity: pb::diagnostic::Severity::Error as i32,
        summary: summary.into(),
        detail: detail.into(),
        attribute: None,
    }
}

pub use tfplugin6::{decode, encode};

impl AwsStandin {
    /// The stand-in for `version`, with the world read through `env` (`AWS_STANDIN_WORLD`).
    /// A world that cannot be read is reported on the first call that needs it.
    pub fn new(
        version: AwsVersion,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<AwsStandin, String> {
        let schema = ProviderSchema::load(version)?;
        let world = World::from_env(env).map(Arc::new);
        let task_definitions = PlannedTaskDefinitions::from_env(env).map(Arc::new);
        Ok(AwsStandin {
            version,
            schema: Arc::new(schema),
            defaults: Arc::new(Defaults::load(version)),
            world,
            task_definitions,
            config: RwLock::new(ProviderConfig::default()),
        })
    }

    /// Replaces the world (tests).
    pub fn with_world(mut self, world: World) -> AwsStandin {
        self.world = Ok(Arc::new(world));
        self
    }

    /// Replaces the create plan's task definitions (tests).
    pub fn with_task_definitions(mut self, plan: PlannedTaskDefinitions) -> AwsStandin {
        self.task_definitions = Ok(Arc::new(plan));
        self
    }

    fn provider_config(&self) -> ProviderConfig {
        self.config.read().map(|c| c.clone()).unwrap_or_default()
    }

    fn world(&self) -> Result<Arc<World>, pb::Diagnostic> {
        self.world
            .clone()
            .map_err(|e| error("Cannot read the stand-in's world.json", e))
    }

    fn resource(&self, type_name: &str) -> Result<&Schema, pb::Diagnostic> {
        self.schema.resources.get(type_name).ok_or_else(|| {
            error(
                format!("Unsupported resource type {type_name:?}"),
                format!(
                    "The aws stand-in ({}) serves only the types in aws-standin/schema/types.txt.",
                    self.version
                ),
            )
        })
    }

    fn data_source(&self, type_name: &str) -> Result<&Schema, pb::Diagnostic> {
        self.schema.data_sources.get(type_name).ok_or_else(|| {
            error(
                format!("Unsupported data source {type_name:?}"),
                format!(
                    "The aws stand-in ({}) serves only the types in aws-standin/schema/types.txt.",
                    self.version
                ),
            )
        })
    }

    /// `ConfigureProvider` without gRPC.
    pub fn configure(&self, config: &Value) {
        let pc = ProviderConfig::from_config(config, &|k| std::env::var(k).ok());
        if let Ok(mut c) = self.config.write() {
            *c = pc;
        }
    }

    /// `PlanResourceChange` without gRPC.
    pub fn plan(
        &self,
        req: &pb::plan_resource_change::Request,
    ) -> pb::plan_resource_change::Response {
        let mut resp = pb::plan_resource_change::Response {
            legacy_type_system: true,
            ..Default::default()
        };
        let schema = match self.resource(&req.type_name) {
            Ok(s) => s,
            Err(d) => {
                resp.diagnostics.push(d);
                return resp;
            }
        };
        let decoded = (|| {
            Ok::<_, String>((
                decode(req.prior_state.as_ref(), &schema.ty)?,
                decode(req.proposed_new_state.as_ref(), &schema.ty)?,
                decode(req.config.as_ref(), &schema.ty)?,
            ))
        })();
        let (prior, proposed, config) = match decoded {
            Ok(v) => v,
            Err(e) => {
                resp.diagnostics
                    .push(error("Cannot decode the plan request", e));
                return resp;
            }
        };
        let pc = self.provider_config();
        let planner = Planner {
            version: self.version,
            defaults: &self.defaults,
            provider: &pc,
        };
        let planned = planner.plan(&req.type_name, schema, &prior, &proposed, &config);
        match encode(&planned.state, &schema.ty) {
            Ok(dv) => resp.planned_state = Some(dv),
            Err(e) => resp
                .diagnostics
                .push(error("Cannot encode the planned state", e)),
        }
        resp.requires_replace = planned
            .requires_replace
            .iter()
            .map(|name| pb::AttributePath {
                steps: vec![pb::attribute_path::Step {
                    selector: Some(pb::attribute_path::step::Selector::AttributeName(
                        name.clone(),
                    )),
                }],
            })
            .collect();
        resp.planned_private = planned.private;
        resp
    }

    /// `ApplyResourceChange` without gRPC.
    pub fn apply(
        &self,
        req: &pb::apply_resource_change::Request,
    ) -> pb::apply_resource_change::Response {
        let mut resp = pb::apply_resource_change::Response {
            legacy_type_system: true,
            ..Default::default()
        };
        let schema = match self.resource(&req.type_name) {
            Ok(s) => s,
            Err(d) => {
                resp.diagnostics.push(d);
                return resp;
            }
        };
        let world = match self.world() {
            Ok(w) => w,
            Err(d) => {
                resp.diagnostics.push(d);
                return resp;
            }
        };
        let decoded = decode(req.prior_state.as_ref(), &schema.ty)
            .and_then(|prior| Ok((prior, decode(req.planned_state.as_ref(), &schema.ty)?)));
        let (prior, planned) = match decoded {
            Ok(v) => v,
            Err(e) => {
                resp.diagnostics
                    .push(error("Cannot decode the apply request", e));
                return resp;
            }
        };
        let task_definitions = match &self.task_definitions {
            Ok(t) => t.clone(),
            Err(e) => {
                resp.diagnostics
                    .push(error("Cannot read the plan in AWS_STANDIN_PLAN", e.clone()));
                return resp;
            }
        };
        let pc = self.provider_config();
        let applier = Applier {
            version: self.version,
            provider: &pc,
            world: &world,
            task_definitions: &task_definitions,
        };
        let state = applier.apply(
            &req.type_name,
            schema,
            &prior,
            &planned,
            &req.planned_private,
        );
        match encode(&state, &schema.ty) {
            Ok(dv) => resp.new_state = Some(dv),
            Err(e) => resp
                .diagnostics
                .push(error("Cannot encode the new state", e)),
        }
        resp
    }

    /// `ReadDataSource` without gRPC.
    pub fn read_data(&self, req: &pb::read_data_source::Request) -> pb::read_data_source::Response {
        let mut resp = pb::read_data_source::Response::default();
        let result = (|| {
            let schema = self.data_source(&req.type_name)?;
            let world = self.world()?;
            let config = decode(req.config.as_ref(), &schema.ty)
                .map_err(|e| error("Cannot decode the data source configuration", e))?;
            let pc = self.provider_config();
            let reader = Reader {
                version: self.version,
                provider: &pc,
                world: &world,
                defaults: &self.defaults,
            };
            let state = reader
                .read(&req.type_name, schema, &config)
                .map_err(|e| error(format!("Reading {}: {e}", req.type_name), e.clone()))?;
            encode(&state, &schema.ty).map_err(|e| error("Cannot encode the data source state", e))
        })();
        match result {
            Ok(dv) => resp.state = Some(dv),
            Err(d) => resp.diagnostics.push(d),
        }
        resp
    }

    /// `UpgradeResourceState` without gRPC: the stored JSON read with the current schema.
    pub fn upgrade(
        &self,
        req: &pb::upgrade_resource_state::Request,
    ) -> pb::upgrade_resource_state::Response {
        let mut resp = pb::upgrade_resource_state::Response::default();
        let result = (|| {
            let schema = self.resource(&req.type_name)?;
            let raw = req
                .raw_state
                .as_ref()
                .map(|r| r.json.as_slice())
                .unwrap_or_default();
            if raw.is_empty() {
                return Err(error(
                    "Cannot upgrade a flatmap state",
                    "The stand-in reads JSON states only.",
                ));
            }
            let j: serde_json::Value = serde_json::from_slice(raw)
                .map_err(|e| error("Cannot read the stored state", e.to_string()))?;
            let v = json::from_json(&j, &schema.ty)
                .map_err(|e| error("Cannot read the stored state", e))?;
            encode(&v, &schema.ty).map_err(|e| error("Cannot encode the upgraded state", e))
        })();
        match result {
            Ok(dv) => resp.upgraded_state = Some(dv),
            Err(d) => resp.diagnostics.push(d),
        }
        resp
    }
}

#[tonic::async_trait]
impl Provider for AwsStandin {
    async fn get_metadata(
        &self,
        _req: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        let s = &self.schema;
        Ok(Response::new(pb::get_metadata::Response {
            server_capabilities: s.to_proto().server_capabilities,
            diagnostics: Vec::new(),
            data_sources: s
                .data_sources
                .keys()
                .map(|k| pb::get_metadata::DataSourceMetadata {
                    type_name: k.clone(),
                })
                .collect(),
            resources: s
                .resources
                .keys()
                .map(|k| pb::get_metadata::ResourceMetadata {
                    type_name: k.clone(),
                })
                .collect(),
            functions: Vec::new(),
        }))
    }

    async fn get_provider_schema(
        &self,
        _req: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        Ok(Response::new(self.schema.to_proto()))
    }

    async fn validate_provider_config(
        &self,
        req: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let mut diagnostics = Diags::new();
        if let Err(e) = decode(req.get_ref().config.as_ref(), &self.schema.provider.ty) {
            diagnostics.push(error("Cannot decode the provider configuration", e));
        }
        Ok(Response::new(pb::validate_provider_config::Response {
            diagnostics,
        }))
    }

    async fn validate_resource_config(
        &self,
        req: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let diagnostics = self
            .resource(&req.get_ref().type_name)
            .err()
            .into_iter()
            .collect();
        Ok(Response::new(pb::validate_resource_config::Response {
            diagnostics,
        }))
    }

    async fn validate_data_resource_config(
        &self,
        req: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let diagnostics = self
            .data_source(&req.get_ref().type_name)
            .err()
            .into_iter()
            .collect();
        Ok(Response::new(pb::validate_data_resource_config::Response {
            diagnostics,
        }))
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        Ok(Response::new(self.upgrade(req.get_ref())))
    }

    async fn configure_provider(
        &self,
        req: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let mut diagnostics = Diags::new();
        match decode(req.get_ref().config.as_ref(), &self.schema.provider.ty) {
            Ok(cfg) => self.configure(&cfg),
            Err(e) => diagnostics.push(error("Cannot decode the provider configuration", e)),
        }
        if let Err(d) = self.world() {
            diagnostics.push(d);
        }
        Ok(Response::new(pb::configure_provider::Response {
            diagnostics,
        }))
    }

    async fn read_resource(
        &self,
        req: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let req = req.into_inner();
        Ok(Response::new(pb::read_resource::Response {
            new_state: req.current_state,
            diagnostics: Vec::new(),
            private: req.private,
        }))
    }

    async fn plan_resource_change(
        &self,
        req: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        Ok(Response::new(self.plan(req.get_ref())))
    }

    async fn apply_resource_change(
        &self,
        req: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        Ok(Response::new(self.apply(req.get_ref())))
    }

    async fn import_resource_state(
        &self,
        _req: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        Ok(Response::new(pb::import_resource_state::Response {
            diagnostics: vec![error(
                "Import is not supported",
                "The aws stand-in cannot import resources.",
            )],
            ..Default::default()
        }))
    }

    async fn move_resource_state(
        &self,
        _req: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        Ok(Response::new(pb::move_resource_state::Response {
            diagnostics: vec![error(
                "Moving resource state is not supported",
                "The aws stand-in cannot move state between types.",
            )],
            ..Default::default()
        }))
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        Ok(Response::new(self.read_data(req.get_ref())))
    }

    async fn get_functions(
        &self,
        _req: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        Ok(Response::new(pb::get_functions::Response::default()))
    }

    async fn call_function(
        &self,
        req: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        Ok(Response::new(pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: format!("the aws stand-in has no function {:?}", req.get_ref().name),
                function_argument: None,
            }),
        }))
    }

    async fn stop_provider(
        &self,
        _req: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        // Nothing runs long enough to cancel; keep serving (StopProvider is not "exit").
        Ok(Response::new(pb::stop_provider::Response::default()))
    }
}
