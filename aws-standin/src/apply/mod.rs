//! `ApplyResourceChange`: the planned state with every unknown replaced by a deterministic,
//! plausible value of the right type. Type-specific identities (ids, ARNs, names, addresses)
//! come from [`resources`]; everything else from [`fill`]'s generic rules.

pub mod fill;
pub mod ids;
pub mod resources;
pub mod revisions;

use serde_json::Value as Json;

use crate::codec::msgpack;
use crate::codec::Value;
use crate::provider_config::ProviderConfig;
use crate::schema::Schema;
use crate::version::AwsVersion;
use crate::world::World;
use ids::Ids;

/// What applying needs besides the request.
pub struct Applier<'a> {
    pub version: AwsVersion,
    pub provider: &'a ProviderConfig,
    pub world: &'a World,
    /// The create plan's task definitions (revisions per family), when known.
    pub task_definitions: &'a revisions::PlannedTaskDefinitions,
}

/// Everything the value makers may look at.
pub struct Ctx<'a> {
    pub type_name: &'a str,
    pub ids: Ids,
    pub region: &'a str,
    pub account: &'a str,
    pub world: &'a World,
    pub provider: &'a ProviderConfig,
    pub version: AwsVersion,
    /// The planner's private data (e.g. the replaced task definition's revision).
    pub private: Json,
    /// The object being updated (null on create).
    pub prior: Value,
    /// The create plan's task definitions, for revisions per family.
    pub task_definitions: Option<&'a revisions::PlannedTaskDefinitions>,
}

impl<'a> Ctx<'a> {
    /// A context for `type_name` whose ids derive from `seed`, in the region `value` names
    /// (its `region` attribute) or else the provider's.
    pub fn new(
        type_name: &'a str,
        seed: &[&[u8]],
        region: &'a str,
        world: &'a World,
        provider: &'a ProviderConfig,
        version: AwsVersion,
    ) -> Ctx<'a> {
        Ctx {
            type_name,
            ids: Ids::new(seed),
            region,
            account: world.account(),
            world,
            provider,
            version,
            private: Json::Null,
            prior: Value::Null,
            task_definitions: None,
        }
    }

    /// The task definition ARNs of `family` at `revision`: with and without the revision.
    pub fn task_definition_arns(&self, family: &str, revision: i64) -> (String, String) {
        (
            self.arn("ecs", &format!("task-definition/{family}:{revision}")),
            self.arn("ecs", &format!("task-definition/{family}")),
        )
    }

    /// `arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE`.
    pub fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:aws:{service}:{}:{}:{resource}",
            self.region, self.account
        )
    }

    /// A global-service ARN (IAM): no region.
    pub fn global_arn(&self, service: &str, resource: &str) -> String {
        format!("arn:aws:{service}::{}:{resource}", self.account)
    }
}

impl Applier<'_> {
    /// The new state. `planned` null (destroy) gives null.
    pub fn apply(
        &self,
        type_name: &str,
        schema: &Schema,
        prior: &Value,
        planned: &Value,
        private: &[u8],
    ) -> Value {
        if planned.is_null() {
            return Value::Null;
        }
        let encoded = msgpack::encode(planned, &schema.ty).unwrap_or_default();
        let region = region_of(planned, self.provider);
        let mut ctx = Ctx::new(
            crate::aliases::canonical(type_name),
            &[type_name.as_bytes(), &encoded],
            &region,
            self.world,
            self.provider,
            self.version,
        );
        ctx.private = crate::plan::read_private(private);
        ctx.prior = prior.clone();
        ctx.task_definitions = Some(self.task_definitions);
        let mut state = planned.clone();
        if let Value::Map(obj) = &mut state {
            resources::identity(&ctx, obj);
        }
        fill::fill_block(&ctx, &schema.block, "", &mut state, false);
        state
    }
}

/// The region a resource or data source lives in: its own `region` argument (6.x), else the
/// provider's.
pub fn region_of(v: &Value, provider: &ProviderConfig) -> String {
    v.get("region")
        .as_str()
        .filter(|r| !r.is_empty())
        .unwrap_or(&provider.region)
        .to_owned()
}
