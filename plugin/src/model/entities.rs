//! The ECS model: the entities a network rule needs, already decoded from the plan
//! and linked to each other. This is the contract between plan reading
//! (`crate::plan`, `crate::model::extract`) and the rules (`crate::rules`): rules
//! never look at plan JSON.
//!
//! Every entity carries its full instance address
//! (`module.app["blue"].aws_ecs_service.api`) and the index of the plan it came from.

use serde::Serialize;

use super::field::{Field, Val};

/// How a link between two entities was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// A known attribute value (ARN, id, name, `family:revision`) matched an entity in the plan.
    KnownValue,
    /// The configuration expression references the entity (followed through module
    /// variables and outputs when needed).
    ConfigReference,
    /// The Terraform sources name the entity where the plan leaves the value unknown and
    /// its configuration hides how it is set (`local.*`, a `dynamic` block, a `for_each`
    /// value), evaluated for the referring resource instance.
    Source,
    /// `ECS_CLUSTER=<name>` in the user data of a launch template, launch configuration or instance.
    UserData,
    /// An `assume` block in the ecsnet configuration supplied it.
    Assumption,
    /// The configuration hides the link (a `local`, a `dynamic` block) and exactly one entity of
    /// the right kind can be meant: the only one in the referring resource's module instance,
    /// else the only one the module call's inputs name. Never certain.
    OnlyCandidate,
    /// The configuration hides the link and several entities of the right kind can be meant
    /// (those declared in the referring resource's module instance, else those the only
    /// module call input naming such entities names): the link keeps them all in
    /// `candidates`, and a rule may decide when every candidate gives the same answer
    /// ([`Link::all`]). Never certain.
    OneOfCandidates,
    /// A known literal (id, ARN, name) whose target is not in the plan.
    OutsidePlan,
    /// The value is unknown at plan time and no configuration reference names a target.
    Unresolved,
}

/// A link from one entity to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// Address of the linked entity in the plan, when it is in the plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The literal id / ARN / name when the target is outside the plan (never sensitive values).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub literal: Option<String>,
    pub resolved_by: Resolution,
    /// False when the link is a best guess among several candidates (e.g. a reference to a
    /// resource with `count` whose index is not known).
    pub certain: bool,
    /// The addresses a [`Resolution::OneOfCandidates`] link can name (empty otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
}

/// What every entity a link can name answers to one question ([`Link::all`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict<T> {
    /// The link names one entity, or every candidate gives this same answer.
    All(T),
    /// No entity to ask, candidates that answer differently, or one that cannot answer.
    Undecided,
}

/// The least and the greatest of several answers ([`Link::range`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spread<T> {
    /// The worst candidate's answer, for a check that must hold whichever is meant.
    pub least: T,
    /// The best candidate's answer, for a check that fails even so.
    pub most: T,
}

impl<T: Ord + Clone> Spread<T> {
    /// The spread of `answers`; `None` when there are none.
    pub fn of(answers: impl IntoIterator<Item = T>) -> Option<Self> {
        let mut it = answers.into_iter();
        let first = it.next()?;
        let mut s = Spread {
            least: first.clone(),
            most: first,
        };
        for a in it {
            if a < s.least {
                s.least = a;
            } else if a > s.most {
                s.most = a;
            }
        }
        Some(s)
    }
}

/// The worst and the best of several interval answers `(lo, hi)` (`hi` `None`: unbounded):
/// the least `lo` and the greatest `hi`, unbounded when any is. `None` when there are none.
/// What [`Link::span`] decides from, and the one place capacity spans candidates.
pub fn span_of(
    answers: impl IntoIterator<Item = (u64, Option<u64>)>,
) -> Option<(u64, Option<u64>)> {
    let mut it = answers.into_iter();
    let (mut lo, mut hi) = it.next()?;
    for (l, h) in it {
        lo = lo.min(l);
        hi = match (hi, h) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
    }
    Some((lo, hi))
}

impl Link {
    pub fn to_address(address: impl Into<String>, by: Resolution, certain: bool) -> Self {
        Link {
            address: Some(address.into()),
            literal: None,
            resolved_by: by,
            certain,
            candidates: Vec::new(),
        }
    }
    pub fn outside(literal: impl Into<String>) -> Self {
        Link {
            address: None,
            literal: Some(literal.into()),
            resolved_by: Resolution::OutsidePlan,
            certain: true,
            candidates: Vec::new(),
        }
    }
    pub fn unresolved() -> Self {
        Link {
            address: None,
            literal: None,
            resolved_by: Resolution::Unresolved,
            certain: false,
            candidates: Vec::new(),
        }
    }
    /// A link the configuration hides, to one of several `candidates` (addresses).
    pub fn one_of(candidates: Vec<String>) -> Self {
        Link {
            address: None,
            literal: None,
            resolved_by: Resolution::OneOfCandidates,
            certain: false,
            candidates,
        }
    }

    /// Ask `answer` of every entity in the plan the link can name (its address, or each
    /// candidate): [`Verdict::All`] when they all give the same answer. `answer` returns
    /// `None` when an entity cannot answer (an input known only after apply), which
    /// leaves the verdict undecided, as does a link to nothing in the plan.
    pub fn all<T: PartialEq>(&self, answer: impl FnMut(&str) -> Option<T>) -> Verdict<T> {
        let Some(mut answers) = self.answers(answer) else {
            return Verdict::Undecided;
        };
        let first = answers.swap_remove(0);
        if answers.iter().all(|a| *a == first) {
            Verdict::All(first)
        } else {
            Verdict::Undecided
        }
    }

    /// Ask `answer` of every entity in the plan the link can name (its address, or each
    /// candidate), in order: every answer, or `None` when the link names nothing in the
    /// plan or one entity cannot answer. What [`Link::all`] and [`Link::range`] decide from.
    pub fn answers<T>(&self, answer: impl FnMut(&str) -> Option<T>) -> Option<Vec<T>> {
        if self.address.is_none() && self.candidates.is_empty() {
            return None;
        }
        self.address
            .iter()
            .chain(&self.candidates)
            .map(|a| a.as_str())
            .map(answer)
            .collect()
    }

    /// The least and the greatest answer over every entity the link can name: the worst and
    /// the best candidate for a question whose answer orders them (free addresses of a
    /// subnet, ENI slots of an instance type). A check that passes even with `least` passes
    /// whichever entity is meant, and one that fails even with `most` fails whichever it
    /// is; anything between decides nothing. `None` as for [`Link::answers`].
    pub fn range<T: Ord + Clone>(
        &self,
        answer: impl FnMut(&str) -> Option<T>,
    ) -> Option<Spread<T>> {
        Spread::of(self.answers(answer)?)
    }

    /// [`Link::range`] for answers that are themselves intervals `(lo, hi)` (`hi` `None`:
    /// unbounded), such as the ENI slots of an autoscaling group at max size: the least `lo`
    /// and the greatest `hi` over every entity the link can name ([`span_of`]). A need that
    /// fits below the result's `lo` fits whichever is meant; one above its `hi` fits none.
    pub fn span(
        &self,
        answer: impl FnMut(&str) -> Option<(u64, Option<u64>)>,
    ) -> Option<(u64, Option<u64>)> {
        span_of(self.answers(answer)?)
    }

    /// What a message should name: the address, else the literal, else "(known after apply)".
    pub fn describe(&self) -> String {
        if let Some(a) = &self.address {
            a.clone()
        } else if let Some(l) = &self.literal {
            format!("{l} (outside the plan)")
        } else if !self.candidates.is_empty() {
            format!("one of {}", self.candidates.join(", "))
        } else {
            "(known after apply)".to_string()
        }
    }
}

/// Which plan (by position on the command line) an entity came from, for multi-plan runs.
pub type PlanIndex = usize;

/// Network mode after applying AWS defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkMode {
    Awsvpc,
    Bridge,
    Host,
    None,
    /// Windows `default` (Docker nat): what an omitted mode means on Windows EC2.
    WindowsDefault,
    /// A value ECS does not accept (NET001 reports it).
    Invalid(String),
    /// `network_mode` unknown at plan time.
    Unknown,
}

impl NetworkMode {
    pub fn as_str(&self) -> &str {
        match self {
            NetworkMode::Awsvpc => "awsvpc",
            NetworkMode::Bridge => "bridge",
            NetworkMode::Host => "host",
            NetworkMode::None => "none",
            NetworkMode::WindowsDefault => "default",
            NetworkMode::Invalid(s) => s,
            NetworkMode::Unknown => "(known after apply)",
        }
    }
}

/// Operating system family from `runtime_platform.operating_system_family`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OsFamily {
    Linux,
    Windows,
    /// Not set in the plan: ECS treats it as Linux.
    Unspecified,
    Unknown,
}

#[derive(Debug, Clone, Serialize)]
pub struct PortMapping {
    /// `containerPort`; `None` when absent.
    pub container_port: Option<i64>,
    /// `hostPort`; `None` when absent (dynamic in bridge mode). `Some(0)` is explicit 0.
    pub host_port: Option<i64>,
    /// `protocol`, lower-cased; "tcp" when absent.
    pub protocol: String,
    pub name: Option<String>,
    pub app_protocol: Option<String>,
    /// `containerPortRange` as written ("8000-8100").
    pub container_port_range: Option<String>,
    pub host_port_range: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Container {
    pub name: String,
    pub essential: Option<bool>,
    pub port_mappings: Vec<PortMapping>,
    pub links: Vec<String>,
    pub hostname: Option<String>,
    /// `extraHosts[].hostname`.
    pub extra_hosts: Vec<String>,
    pub dns_servers: Vec<String>,
    pub dns_search_domains: Vec<String>,
    pub disable_networking: Option<bool>,
    /// The whole decoded container object, for rules that need keys not modelled above.
    #[serde(skip)]
    pub raw: serde_json::Value,
}

impl Container {
    /// `image`, when it is a string.
    pub fn image(&self) -> Option<&str> {
        self.raw.get("image").and_then(|v| v.as_str())
    }

    /// `logConfiguration.logDriver`, when set.
    pub fn log_driver(&self) -> Option<&str> {
        self.raw
            .get("logConfiguration")
            .and_then(|l| l.get("logDriver"))
            .and_then(|v| v.as_str())
    }

    /// `secrets[].valueFrom` values.
    pub fn secret_sources(&self) -> impl Iterator<Item = &str> {
        self.raw
            .get("secrets")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("valueFrom").and_then(|v| v.as_str()))
    }

    /// `systemControls[]` as (namespace, value) pairs; a value that is not a string is `None`.
    pub fn system_controls(&self) -> Vec<(&str, Option<&str>)> {
        self.raw
            .get("systemControls")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|c| {
                let ns = c.get("namespace").and_then(|v| v.as_str())?;
                Some((ns, c.get("value").and_then(|v| v.as_str())))
            })
            .collect()
    }
}

/// Whether an image reference names a private Amazon ECR repository
/// (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME`, also `.amazonaws.com.cn` and `dkr.ecr-fips`),
/// the only registry a task can reach through VPC endpoints. `public.ecr.aws`, Docker Hub and
/// other registries need a route to the internet.
pub fn is_private_ecr_image(image: &str) -> bool {
    let host = image.split('/').next().unwrap_or("");
    image.contains('/')
        && (host.contains(".dkr.ecr.") || host.contains(".dkr.ecr-fips."))
        && (host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn"))
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskDefinition {
    pub address: String,
    pub plan: PlanIndex,
    pub family: Field<String>,
    /// `network_mode` as planned (null when omitted).
    pub network_mode_raw: Field<String>,
    /// The mode ECS will use: the raw value, or the OS default when omitted (NET002).
    pub network_mode: NetworkMode,
    /// False when the mode was omitted and defaulted.
    pub network_mode_explicit: bool,
    pub requires_compatibilities: Field<Vec<String>>,
    pub os_family: OsFamily,
    pub cpu: Field<String>,
    pub memory: Field<String>,
    /// `task_role_arn` (IAM role for tasks).
    pub task_role_arn: Field<String>,
    /// Decoded `container_definitions`; unknown when the JSON string is unknown at plan time.
    /// Sensitive when Terraform marks the string sensitive (ports may be computed with, never printed).
    pub containers: Field<Vec<Container>>,
    /// A decode problem with a known `container_definitions` string (invalid JSON, not an array).
    pub containers_error: Option<String>,
}

impl TaskDefinition {
    pub fn requires_fargate(&self) -> Option<bool> {
        self.requires("FARGATE")
    }

    /// Whether `requires_compatibilities` lists `compatibility` (`FARGATE`, `EC2`, `EXTERNAL`,
    /// `MANAGED_INSTANCES`); `None` when the list is unknown.
    pub fn requires(&self, compatibility: &str) -> Option<bool> {
        self.requires_compatibilities
            .get()
            .map(|v| v.iter().any(|c| c.eq_ignore_ascii_case(compatibility)))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CapacityProviderStrategyItem {
    /// The capacity provider name as written (FARGATE, FARGATE_SPOT, or a custom name).
    pub capacity_provider: Field<String>,
    /// The `aws_ecs_capacity_provider` it names, when in the plan.
    pub link: Option<Link>,
    pub weight: Field<i64>,
    pub base: Field<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AwsvpcConfiguration {
    pub subnets: Field<Vec<Link>>,
    /// Number of security groups (ids are not needed by any rule).
    pub security_groups: Field<Vec<String>>,
    /// When `security_groups` is unknown: at most how many groups the configuration's
    /// references name (security group instances, known variable values), if they can be
    /// counted ([`crate::plan::Plan::element_bound`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_groups_at_most: Option<usize>,
    /// When `security_groups` is unknown because the configuration hides the list (a
    /// `dynamic` block, a local) and it cannot be counted from the plan alone: why (what
    /// besides the module's own security groups can feed it).
    #[serde(skip)]
    pub security_groups_hidden: Option<String>,
    pub assign_public_ip: Field<bool>,
    /// When `subnets` is unknown because the configuration hides them (a `dynamic`
    /// block, a local) and several groups of subnets can be meant: every subnet that can be
    /// (a [`Resolution::OneOfCandidates`] link). The list is made of some of them, not
    /// known which, so a rule decides only what holds for every one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_candidates: Option<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LoadBalancer {
    pub target_group: Option<Link>,
    /// Classic ELB name (`elb_name`).
    pub elb_name: Field<String>,
    pub container_name: Field<String>,
    pub container_port: Field<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceRegistry {
    pub registry: Link,
    pub port: Field<i64>,
    pub container_name: Field<String>,
    pub container_port: Field<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceConnect {
    pub enabled: Field<bool>,
    /// `service[].port_name` values.
    pub port_names: Vec<Field<String>>,
}

/// The kind of ECS deployment controller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeploymentController {
    Ecs,
    CodeDeploy,
    External,
}

#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub address: String,
    pub plan: PlanIndex,
    pub name: Field<String>,
    pub task_definition: Link,
    pub cluster: Link,
    /// `launch_type` as the configuration sets it: Null when it is left out, even where the
    /// provider reports `EC2` back for an existing service.
    pub launch_type: Field<String>,
    pub capacity_provider_strategy: Field<Vec<CapacityProviderStrategyItem>>,
    /// "REPLICA" or "DAEMON"; null means REPLICA.
    pub scheduling_strategy: Field<String>,
    pub desired_count: Field<i64>,
    pub deployment_maximum_percent: Field<i64>,
    pub deployment_minimum_healthy_percent: Field<i64>,
    pub deployment_controller: Field<DeploymentController>,
    /// ECS-native deployment strategy (`deployment_configuration.strategy`: ROLLING, BLUE_GREEN, ...).
    /// The deployment fields are Null when the configuration does not set them, also when
    /// the provider plans them as unknown: ECS then uses its defaults (ROLLING, 200 / 100).
    pub deployment_strategy: Field<String>,
    /// Why the configuration cannot tell whether an unknown deployment setting is set (no
    /// configuration for the resource, or a dynamic block); `None` when it can.
    #[serde(skip)]
    pub deployment_unseen: Option<String>,
    /// `network_configuration`: `Known(None)` when the block is absent.
    pub network_configuration: Field<Option<AwsvpcConfiguration>>,
    pub load_balancers: Field<Vec<LoadBalancer>>,
    pub service_registries: Field<Vec<ServiceRegistry>>,
    pub service_connect: Field<Option<ServiceConnect>>,
    /// `iam_role` as planned: for an existing service, what the provider read back.
    pub iam_role: Field<String>,
    /// Whether the configuration sets `iam_role` (rather than the provider reporting the ECS
    /// service-linked role back): unknown when an expression ecsnet cannot evaluate leaves
    /// a role unknown until apply.
    #[serde(skip)]
    pub iam_role_configured: Field<bool>,
    /// The Terraform sources evaluated the `iam_role` expression to a value that depends on
    /// values known only after apply: when `iam_role_configured` is unknown, the apply
    /// decides it, not a configuration ecsnet could not read.
    #[serde(skip)]
    pub iam_role_traced: bool,
    /// Null when the configuration leaves it out (ECS's default), even where the provider
    /// reports `LATEST` back for an existing service.
    pub platform_version: Field<String>,
    /// `ordered_placement_strategy[].type` values; empty when the service sets none.
    /// A rule input only (NET080), left out of the inventory output.
    #[serde(skip)]
    pub placement_strategies: Field<Vec<String>>,
    /// The known `expression`s of its `placement_constraints` of type `memberOf`. A rule
    /// input only (capacity), left out of the inventory output.
    #[serde(skip)]
    pub member_of: Vec<String>,
    /// Where the tasks run, derived from the launch type, the capacity provider strategy
    /// (the service's or the cluster default) and the task definition.
    pub launch: Field<Launch>,
}

/// Where a service's tasks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Launch {
    Fargate,
    Ec2,
    External,
    ManagedInstances,
}

impl Service {
    pub fn is_daemon(&self) -> bool {
        self.scheduling_strategy
            .get()
            .is_some_and(|s| s.eq_ignore_ascii_case("DAEMON"))
    }
}

/// `aws_ecs_task_set`: extra tasks of a service, for EXTERNAL controllers.
#[derive(Debug, Clone, Serialize)]
pub struct TaskSet {
    pub address: String,
    pub plan: PlanIndex,
    pub service: Link,
    pub cluster: Link,
    pub task_definition: Link,
    pub launch_type: Field<String>,
    pub network_configuration: Field<Option<AwsvpcConfiguration>>,
    pub load_balancers: Field<Vec<LoadBalancer>>,
    /// `scale` as a percentage of the service's desired count.
    pub scale_percent: Field<f64>,
}

/// Where the container instances of a cluster come from.
#[derive(Debug, Clone, Serialize)]
pub struct CapacitySource {
    /// An `aws_autoscaling_group` or `aws_instance` address, when in the plan.
    pub address: Option<String>,
    pub kind: CapacityKind,
    pub via: Resolution,
    pub certain: bool,
    /// The capacity provider that leads to it, if any.
    pub capacity_provider: Option<String>,
    /// When the configuration hides the provider's autoscaling group among several
    /// ([`Resolution::OneOfCandidates`]): the candidate groups (`address` is then `None`).
    /// Capacity counts from the candidate with the least to the one with the most.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
    /// The address of the capacity provider that leads to it, if any (not in the inventory).
    #[serde(skip)]
    pub provider_address: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapacityKind {
    AutoscalingGroup,
    Instance,
    Fargate,
    /// From an `assume` block: capacity living outside the plan.
    Assumed,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    pub address: String,
    pub plan: PlanIndex,
    pub name: Field<String>,
    /// `arn` (what `assume cluster` blocks and services may name it by); not in the inventory.
    #[serde(skip)]
    pub arn: Field<String>,
    /// Capacity provider names attached to the cluster (inline or `aws_ecs_cluster_capacity_providers`).
    pub capacity_providers: Field<Vec<String>>,
    pub default_strategy: Field<Vec<CapacityProviderStrategyItem>>,
    /// Container instance capacity found for this cluster.
    pub capacity: Vec<CapacitySource>,
}

impl Cluster {
    /// What the cluster is known by, for matching `assume cluster` blocks.
    pub fn names(&self) -> crate::config::ClusterNames<'_> {
        crate::config::ClusterNames {
            address: Some(&self.address),
            name: self.name.get().map(String::as_str),
            arn: self.arn.get().map(String::as_str),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CapacityProvider {
    pub address: String,
    pub plan: PlanIndex,
    pub name: Field<String>,
    pub autoscaling_group: Link,
    pub managed_scaling: Field<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AutoscalingGroup {
    pub address: String,
    pub plan: PlanIndex,
    pub name: Field<String>,
    pub min_size: Field<i64>,
    pub max_size: Field<i64>,
    pub desired_capacity: Field<i64>,
    /// Instance types the group can launch: the launch template's / configuration's type and
    /// every `mixed_instances_policy` override. Unknown when any of them is unknown.
    pub instance_types: Field<Vec<String>>,
    pub launch_template: Option<Link>,
    pub launch_configuration: Option<Link>,
    /// `vpc_zone_identifier` subnets.
    pub subnets: Field<Vec<Link>>,
    pub availability_zones: Field<Vec<String>>,
    /// `ECS_CLUSTER=` value found in the launch template / configuration user data.
    pub ecs_cluster_from_user_data: Option<String>,
    /// `ECS_RESERVED_PORTS` found in the user data (a rule input, not in the inventory).
    #[serde(skip)]
    pub reserved_ports_from_user_data: Option<Vec<u16>>,
    pub uses_mixed_instances_policy: bool,
    /// When the configuration hides the launch template among several candidates
    /// ([`Resolution::OneOfCandidates`]) and the group has no overrides: the instance type of
    /// each candidate. Every instance is of one of them, which one is not known, so capacity
    /// counts from the candidate with the fewest slots to the one with the most. `None` when
    /// a candidate's type is unknown. A capacity input, not in the inventory.
    #[serde(skip)]
    pub instance_type_candidates: Option<Vec<String>>,
    /// Instance requirements (attribute-based selection) make the types unknowable from the plan.
    pub uses_instance_requirements: bool,
    /// Whether applying the plan replaces the group's running instances.
    #[serde(skip)]
    pub relaunch: Relaunch,
}

/// Whether applying a plan replaces the container instances that run now (what decides
/// whether they get an ENI trunk when the plan turns awsvpcTrunking on: ECS attaches one
/// only to instances launched after the setting is enabled).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Relaunch {
    /// Every instance is launched by the apply: the group or instance is created or
    /// replaced, or an instance refresh replaces them. Says why.
    All(String),
    /// The running instances stay: `running` of them (the group's `desired_capacity` as
    /// read when planning, 1 for an instance). Says why.
    Kept { why: String, running: Field<i64> },
    /// The plan does not tell. Says what is missing.
    Unknown(String),
    /// Not from a plan (tests, assumptions): no instance is running before.
    #[default]
    NotPlanned,
}

#[derive(Debug, Clone, Serialize)]
pub struct LaunchTemplate {
    pub address: String,
    pub plan: PlanIndex,
    pub name: Field<String>,
    pub instance_type: Field<String>,
    pub ecs_cluster_from_user_data: Option<String>,
    /// `ECS_RESERVED_PORTS` found in the user data (a rule input, not in the inventory).
    #[serde(skip)]
    pub reserved_ports_from_user_data: Option<Vec<u16>>,
    /// `private_dns_name_options[0].enable_resource_name_dns_a_record`.
    pub resource_name_dns_a_record: Field<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LaunchConfiguration {
    pub address: String,
    pub plan: PlanIndex,
    pub name: Field<String>,
    pub instance_type: Field<String>,
    pub ecs_cluster_from_user_data: Option<String>,
    /// `ECS_RESERVED_PORTS` found in the user data (a rule input, not in the inventory).
    #[serde(skip)]
    pub reserved_ports_from_user_data: Option<Vec<u16>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ec2Instance {
    pub address: String,
    pub plan: PlanIndex,
    pub instance_type: Field<String>,
    pub subnet: Option<Link>,
    pub availability_zone: Field<String>,
    pub ecs_cluster_from_user_data: Option<String>,
    /// `ECS_RESERVED_PORTS` found in the user data (a rule input, not in the inventory).
    #[serde(skip)]
    pub reserved_ports_from_user_data: Option<Vec<u16>>,
    /// Whether applying the plan replaces the running instance.
    #[serde(skip)]
    pub relaunch: Relaunch,
}

#[derive(Debug, Clone, Serialize)]
pub struct Subnet {
    /// `aws_subnet.x` or `data.aws_subnet.x`.
    pub address: String,
    pub plan: PlanIndex,
    pub id: Field<String>,
    pub cidr_block: Field<String>,
    pub ipv6_cidr_block: Field<String>,
    /// The `ipv6_cidr_block` is unknown but certainly set: the Terraform sources write it
    /// with an expression that is never null (`cidrsubnet(aws_vpc.this.ipv6_cidr_block, 8,
    /// count.index)`), so once applied the subnet has an IPv6 CIDR.
    #[serde(skip)]
    pub ipv6_cidr_set: bool,
    pub ipv6_native: Field<bool>,
    pub availability_zone: Field<String>,
    pub availability_zone_id: Field<String>,
    pub vpc: Option<Link>,
    pub map_public_ip_on_launch: Field<bool>,
    /// Is the subnet's route table routing 0.0.0.0/0 to an internet gateway (public)?
    /// Unknown when the plan does not show it. The same fact as `egress` (set together by
    /// `resolve::routes`), kept as a plain yes/no.
    pub public: Field<bool>,
    /// Where the subnet's IPv4 traffic for the internet goes: the default route of the route
    /// table it uses. Unknown when the plan does not show that table or its routes.
    pub egress: Field<Egress>,
    /// The route table the subnet uses, when the plan shows it: a table's address, or
    /// "the main route table of aws_vpc.x" for a subnet without an association.
    pub route_table: Option<String>,
    /// Why `egress` is unknown, when it is (set with it by `resolve::routes`): an existing
    /// subnet's or VPC's route tables are outside the plan; an association or route ecsnet
    /// could not resolve is hidden from it.
    #[serde(skip)]
    pub egress_unknown: Option<crate::diagnostics::MissingKind>,
    /// `enable_resource_name_dns_a_record_on_launch`: instances launched here get resource
    /// name DNS A records unless their launch template says otherwise (no ENI trunk then).
    /// A rule input only, left out of the inventory output.
    #[serde(skip)]
    pub resource_name_dns_a_record_on_launch: Field<bool>,
}

impl Subnet {
    /// Whether the subnet has an IPv6 CIDR block: `Some(true)` for a known value that
    /// parses as an IPv6 CIDR (`2600:1f18::/64`) or an unknown one the sources show is
    /// certainly set (`ipv6_cidr_set`: AWS accepts only an IPv6 CIDR block there),
    /// `Some(false)` for null, empty or anything else, `None` while the value is known only
    /// after apply and may be null.
    pub fn has_ipv6_cidr(&self) -> Option<bool> {
        match &self.ipv6_cidr_block.val {
            Val::Known(c) => Some(is_ipv6_cidr(c)),
            Val::Null => Some(false),
            Val::Unknown if self.ipv6_cidr_set => Some(true),
            Val::Unknown => None,
        }
    }
}

/// `ADDRESS/PREFIX` with an IPv6 address and a prefix of 0-128.
pub fn is_ipv6_cidr(s: &str) -> bool {
    let Some((addr, prefix)) = s.trim().split_once('/') else {
        return false;
    };
    addr.parse::<std::net::Ipv6Addr>().is_ok()
        && prefix.parse::<u8>().is_ok_and(|p| p <= 128)
        && !prefix.starts_with('+')
}

/// Where a subnet's IPv4 traffic bound for the internet goes: the default route
/// (`0.0.0.0/0`) of the route table the subnet uses (its association, else the VPC's main
/// route table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Egress {
    /// To an internet gateway: a public subnet. Only network interfaces with a public IP
    /// reach the internet through it.
    InternetGateway,
    /// To a NAT gateway, a NAT instance, a transit gateway, a firewall endpoint or another
    /// target that forwards it.
    Forwarded,
    /// No default route, but routes to a transit gateway, a VPC peering connection, a VPN
    /// gateway or a Cloud WAN core network: other networks are reachable (they may hold
    /// shared VPC endpoints), the internet is not.
    OtherNetworks,
    /// No default route and no route out of the VPC.
    Isolated,
}

#[derive(Debug, Clone, Serialize)]
pub struct Vpc {
    pub address: String,
    pub plan: PlanIndex,
    pub id: Field<String>,
    pub cidr_block: Field<String>,
    pub enable_dns_support: Field<bool>,
    /// An `aws_vpc` resource of the plan (false for `data.aws_vpc`): its route tables and VPC
    /// endpoints are expected in the plan too.
    pub managed: bool,
}

/// `aws_vpc_endpoint`.
#[derive(Debug, Clone, Serialize)]
pub struct VpcEndpoint {
    pub address: String,
    pub plan: PlanIndex,
    /// `service_name`, e.g. `com.amazonaws.eu-west-1.ecr.dkr`.
    pub service_name: Field<String>,
    /// `vpc_endpoint_type`: `Interface`, `Gateway`, `GatewayLoadBalancer`...; null means
    /// `Gateway`, the provider default.
    pub endpoint_type: Field<String>,
    /// `private_dns_enabled` (interface endpoints): without it the service's usual DNS name
    /// does not resolve to the endpoint.
    pub private_dns_enabled: Field<bool>,
    pub vpc: Option<Link>,
}

impl VpcEndpoint {
    /// The service part of the name after `com.amazonaws.REGION.` (`ecr.dkr`, `s3`, `logs`).
    pub fn service(&self) -> Option<&str> {
        let name = self.service_name.get()?;
        let rest = name
            .strip_prefix("com.amazonaws.")
            .or_else(|| name.strip_prefix("cn.com.amazonaws."))?;
        rest.split_once('.').map(|(_region, service)| service)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetGroup {
    pub address: String,
    pub plan: PlanIndex,
    pub name: Field<String>,
    /// `target_type`; null means the provider default, `instance`.
    pub target_type: Field<String>,
    pub port: Field<i64>,
    pub protocol: Field<String>,
    /// `health_check[0].port`; null or "traffic-port" means the traffic port.
    pub health_check_port: Field<String>,
    pub ip_address_type: Field<String>,
    pub vpc: Option<Link>,
}

/// `aws_ecs_account_setting_default` values, by setting name.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AccountSettings {
    /// `awsvpcTrunking`: `Known(true)` when enabled in the plan, `Null` when the plan does not set it.
    pub awsvpc_trunking: Field<bool>,
    pub awsvpc_trunking_address: Option<String>,
    /// `awsvpcTrunking` before this plan: from the prior state (`change.before`) when the
    /// plan keeps or updates the setting, `Unknown` when it creates it (what the account had
    /// is not in the plan), `Null` when the plan does not manage it. A capacity input, not
    /// in the inventory.
    #[serde(skip)]
    pub awsvpc_trunking_before: Field<bool>,
    pub dual_stack_ipv6: Field<bool>,
    pub dual_stack_ipv6_address: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceDiscoveryService {
    pub address: String,
    pub plan: PlanIndex,
    pub name: Field<String>,
    /// `dns_config[0].dns_records[].type` (A, AAAA, SRV, CNAME).
    pub record_types: Field<Vec<String>>,
}

/// One plan that was read.
#[derive(Debug, Clone, Serialize)]
pub struct PlanSummary {
    /// Path as given (`-` for stdin).
    pub path: String,
    pub format_version: Option<String>,
    pub terraform_version: Option<String>,
    /// Resource instances in the planned world.
    pub resources: usize,
    /// ECS resources (task definitions, services, task sets, clusters, capacity providers)
    /// ecsnet found in the plan; set by the check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ecs_resources: Option<usize>,
}

/// Everything ecsnet knows about the ECS estate in one or more plans.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Model {
    pub plans: Vec<PlanSummary>,
    pub task_definitions: Vec<TaskDefinition>,
    pub services: Vec<Service>,
    pub task_sets: Vec<TaskSet>,
    pub clusters: Vec<Cluster>,
    pub capacity_providers: Vec<CapacityProvider>,
    pub autoscaling_groups: Vec<AutoscalingGroup>,
    pub launch_templates: Vec<LaunchTemplate>,
    pub launch_configurations: Vec<LaunchConfiguration>,
    pub instances: Vec<Ec2Instance>,
    pub subnets: Vec<Subnet>,
    pub vpcs: Vec<Vpc>,
    pub vpc_endpoints: Vec<VpcEndpoint>,
    pub target_groups: Vec<TargetGroup>,
    pub account_settings: AccountSettings,
    pub service_discovery_services: Vec<ServiceDiscoveryService>,
    /// The VPC of subnets outside the plan that a `data.aws_subnets` read while planning
    /// returned under a `vpc-id` filter, by (plan, subnet id): a link to the VPC (resolved
    /// like a subnet's `vpc_id`). Not part of the output.
    #[serde(skip)]
    pub filtered_subnet_vpcs: std::collections::HashMap<(PlanIndex, String), Link>,
    /// Address index behind the finders (built on first lookup; not part of the output).
    #[serde(skip)]
    #[doc(hidden)]
    pub index: super::index::AddressIndex,
}

/// What the rules need of a service's network mode, kept per service (see
/// `rules::service::support::ModeView`): the task definition's position in
/// `task_definitions` or why it cannot be read, the mode and where it came from.
#[derive(Debug, Clone)]
pub struct ServiceMode {
    pub td: Result<Option<usize>, crate::diagnostics::Missing>,
    pub mode: Option<NetworkMode>,
    pub basis: String,
}

macro_rules! finder {
    ($fn:ident, $fn_in:ident, $field:ident, $ty:ty) => {
        /// O(1) by address (see `model::index`).
        pub fn $fn(&self, address: &str) -> Option<&$ty> {
            self.index.find(
                stringify!($field),
                &self.$field,
                address,
                |e| e.address.as_str(),
                || self.address_positions(),
            )
        }

        /// By address, preferring the entity of `plan`: plans checked together (staging and
        /// prod of one configuration) hold the same addresses, and a link must stay inside its
        /// own plan. Falls back to another plan's entity (a network plan and an app plan).
        /// O(1) unless several plans hold the address.
        pub fn $fn_in(&self, address: &str, plan: PlanIndex) -> Option<&$ty> {
            let first = self.$fn(address)?;
            if first.plan == plan {
                return Some(first);
            }
            self.$field
                .iter()
                .find(|e| e.plan == plan && e.address == address)
                .or(Some(first))
        }
    };
}

impl Model {
    fn address_positions(&self) -> super::index::PositionsByField {
        use super::index::positions;
        let mut m = std::collections::HashMap::with_hasher(crate::plan::SeededHash::default());
        macro_rules! add {
            ($($field:ident),*) => {
                $(m.insert(stringify!($field), positions(&self.$field, |e| e.address.as_str()));)*
            };
        }
        add!(
            task_definitions,
            services,
            task_sets,
            clusters,
            capacity_providers,
            autoscaling_groups,
            launch_templates,
            launch_configurations,
            instances,
            subnets,
            vpcs,
            target_groups,
            service_discovery_services
        );
        m
    }

    finder!(
        task_definition,
        task_definition_in,
        task_definitions,
        TaskDefinition
    );
    finder!(service, service_in, services, Service);
    finder!(cluster, cluster_in, clusters, Cluster);
    finder!(
        capacity_provider,
        capacity_provider_in,
        capacity_providers,
        CapacityProvider
    );
    finder!(
        autoscaling_group,
        autoscaling_group_in,
        autoscaling_groups,
        AutoscalingGroup
    );
    finder!(
        launch_template,
        launch_template_in,
        launch_templates,
        LaunchTemplate
    );
    finder!(
        launch_configuration,
        launch_configuration_in,
        launch_configurations,
        LaunchConfiguration
    );
    finder!(instance, instance_in, instances, Ec2Instance);
    finder!(task_set, task_set_in, task_sets, TaskSet);
    finder!(vpc, vpc_in, vpcs, Vpc);
    finder!(subnet, subnet_in, subnets, Subnet);
    finder!(target_group, target_group_in, target_groups, TargetGroup);
    finder!(
        service_discovery_service,
        service_discovery_service_in,
        service_discovery_services,
        ServiceDiscoveryService
    );

    /// The task definition a service runs, when it is in the plan.
    pub fn task_definition_of(&self, service: &Service) -> Option<&TaskDefinition> {
        service
            .task_definition
            .address
            .as_deref()
            .and_then(|a| self.task_definition(a))
    }
    /// The cluster a service runs on, when it is in the plan.
    pub fn cluster_of(&self, service: &Service) -> Option<&Cluster> {
        service
            .cluster
            .address
            .as_deref()
            .and_then(|a| self.cluster(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verdict_needs_every_entity_to_give_the_same_answer() {
        let l = Link::one_of(vec!["a".into(), "b".into(), "c".into()]);
        assert_eq!(l.all(|a| Some(a != "z")), Verdict::All(true));
        assert_eq!(l.all(|a| Some(a == "a")), Verdict::Undecided);
        // One candidate that cannot answer leaves it undecided.
        assert_eq!(l.all(|a| (a != "c").then_some(true)), Verdict::Undecided);
        // A link to one entity asks that one; a link to nothing decides nothing.
        let one = Link::to_address("a", Resolution::ConfigReference, true);
        assert_eq!(one.all(|_| Some(1)), Verdict::All(1));
        assert_eq!(Link::unresolved().all(|_| Some(1)), Verdict::Undecided);
        assert_eq!(l.describe(), "one of a, b, c");
    }

    #[test]
    fn a_range_spans_the_worst_and_the_best_candidate() {
        let l = Link::one_of(vec!["a".into(), "bbb".into(), "cc".into()]);
        assert_eq!(
            l.range(|a| Some(a.len())),
            Some(Spread { least: 1, most: 3 })
        );
        assert_eq!(l.answers(|a| Some(a.len())), Some(vec![1, 3, 2]));
        // One candidate that cannot answer leaves no range: the worst may be that one.
        assert_eq!(l.range(|a| (a != "cc").then_some(a.len())), None);
        assert_eq!(Link::unresolved().range(|_| Some(1)), None);
        let one = Link::to_address("a", Resolution::KnownValue, true);
        assert_eq!(one.range(|_| Some(7)), Some(Spread { least: 7, most: 7 }));
        assert_eq!(Spread::of(Vec::<u8>::new()), None);
    }

    #[test]
    fn a_span_takes_the_least_low_and_the_greatest_high() {
        let l = Link::one_of(vec!["a".into(), "b".into(), "c".into()]);
        let answer = |a: &str| match a {
            "a" => Some((6, Some(6))),
            "b" => Some((4, Some(9))),
            _ => Some((8, Some(8))),
        };
        assert_eq!(l.span(answer), Some((4, Some(9))));
        // One unbounded candidate leaves the best unbounded, not the worst.
        assert_eq!(
            l.span(|a| Some(if a == "c" { (5, None) } else { (6, Some(6)) })),
            Some((5, None))
        );
        // A candidate that cannot answer leaves no span.
        assert_eq!(l.span(|a| (a != "b").then_some((1, Some(1)))), None);
        assert_eq!(span_of(Vec::new()), None);
    }
}
