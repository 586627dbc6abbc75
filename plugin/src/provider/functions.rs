//! The provider's functions. Each one is ecsnet's core answering one question a module
//! author cannot compute in HCL: the instance facts of `ecsnet instance-type`, the slot and
//! subnet arithmetic of `ecsnet capacity`, and the task-definition rules of `ecsnet check`.
//!
//! Errors name the argument (Terraform prints `Invalid value for "NAME" parameter: TEXT`) and
//! never repeat its value: the argument may be sensitive in the caller's configuration.

use std::sync::Arc;

use tfplugin6::codec::{object, Type, Value};
use tfplugin6::pb;

use crate::capacity::trunking::{self, TrunkingSetting};
use crate::capacity::{fixed_source, Bound, Daemons, FixedInstances};
use crate::instances::{self, Catalog, InstanceFacts, Trunking};

/// A function argument Terraform can describe to the user.
#[derive(Debug, Clone, PartialEq)]
pub struct ArgError {
    /// The argument at fault (0-based), or `None` for the call as a whole.
    pub argument: Option<usize>,
    pub text: String,
}

impl ArgError {
    pub fn at(argument: usize, text: impl Into<String>) -> ArgError {
        ArgError {
            argument: Some(argument),
            text: text.into(),
        }
    }
    pub fn call(text: impl Into<String>) -> ArgError {
        ArgError {
            argument: None,
            text: text.into(),
        }
    }
}

pub type Outcome = Result<Value, ArgError>;

/// A function's implementation: the arguments, decoded as the parameters' types.
pub type Implementation = Box<dyn Fn(&[Value]) -> Outcome + Send + Sync>;

/// One positional parameter.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: &'static str,
    pub ty: Type,
    pub description: &'static str,
    /// Terraform sends values that are (partly) unknown; otherwise it answers unknown itself.
    pub allow_unknown: bool,
}

/// One function: its declaration and its implementation.
pub struct Function {
    pub name: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub params: Vec<Param>,
    pub ret: Type,
    pub call: Implementation,
}

impl Function {
    /// The tfplugin6 declaration.
    pub fn declaration(&self) -> pb::Function {
        let ty = |t: &Type| t.to_json().to_string().into_bytes();
        pb::Function {
            parameters: self
                .params
                .iter()
                .map(|p| pb::function::Parameter {
                    name: p.name.to_string(),
                    r#type: ty(&p.ty),
                    allow_null_value: false,
                    allow_unknown_values: p.allow_unknown,
                    description: p.description.to_string(),
                    description_kind: pb::StringKind::Plain as i32,
                })
                .collect(),
            variadic_parameter: None,
            r#return: Some(pb::function::Return {
                r#type: ty(&self.ret),
            }),
            summary: self.summary.to_string(),
            description: self.description.to_string(),
            description_kind: pb::StringKind::Plain as i32,
            deprecation_message: String::new(),
        }
    }
}

fn param(name: &'static str, ty: Type, description: &'static str) -> Param {
    Param {
        name,
        ty,
        description,
        allow_unknown: false,
    }
}

/// An object type from `(attribute, type)` pairs.
pub(super) fn object_type(attrs: &[(&str, Type)]) -> Type {
    Type::Object(
        attrs
            .iter()
            .map(|(k, t)| ((*k).to_string(), t.clone()))
            .collect(),
    )
}

fn list(t: Type) -> Type {
    Type::List(Box::new(t))
}

/// Every function, in name order.
pub fn all() -> Vec<Function> {
    let catalog = Arc::new(Catalog::default());
    let mut v = vec![
        instance_type(catalog.clone()),
        awsvpc_task_slots(catalog.clone()),
        subnet_usable_ipv4(),
        cluster_awsvpc_capacity(catalog),
        super::task_definition::function(),
    ];
    v.sort_by_key(|f| f.name);
    v
}

fn instance_type_ret() -> Type {
    let n = || Type::Number;
    let s = || Type::String;
    object_type(&[
        ("instance_type", s()),
        ("max_enis", n()),
        ("network_cards", n()),
        ("ipv4_per_eni", n()),
        ("ipv6_per_eni", n()),
        ("hypervisor", s()),
        ("awsvpc_tasks_without_trunking", n()),
        ("awsvpc_tasks_without_trunking_arithmetic", s()),
        ("awsvpc_tasks_with_trunking", n()),
        ("trunking", s()),
        ("trunking_reason", s()),
        ("sources", list(s())),
        (
            "data_editions",
            list(object_type(&[
                ("table", s()),
                ("edition", s()),
                ("date", s()),
            ])),
        ),
    ])
}

fn instance_type(catalog: Arc<Catalog>) -> Function {
    Function {
        name: "instance_type",
        summary: "ENI and ENI-trunking facts of an EC2 instance type",
        description: "The networking facts ecsnet uses for an EC2 instance type, as `ecsnet instance-type` shows them: max_enis (all network cards), network_cards, ipv4_per_eni, ipv6_per_eni (null where the source states none), hypervisor, awsvpc_tasks_without_trunking (ENIs − 1 primary, capped by ECS's own per-type limit) with its arithmetic, awsvpc_tasks_with_trunking (null unless the ECS trunking table gives a usable value), trunking (\"supported\", \"unsupported\" or \"unknown\") with trunking_reason, the sources of the facts and the editions of ecsnet's embedded data tables. Example: provider::ecsnet::instance_type(\"c5.large\").awsvpc_tasks_with_trunking is 10.",
        params: vec![param(
            "instance_type",
            Type::String,
            "EC2 instance type, e.g. c5.large (case and surrounding spaces ignored)",
        )],
        ret: instance_type_ret(),
        call: Box::new(move |a| {
            let f = facts(&catalog, 0, "instance_type", &a[0])?;
            Ok(instance_facts(&f))
        }),
    }
}

fn num(n: u32) -> Value {
    Value::int(i64::from(n))
}

fn opt_num(n: Option<u32>) -> Value {
    n.map_or(Value::Null, num)
}

fn opt_str(s: Option<&str>) -> Value {
    s.map_or(Value::Null, Value::string)
}

fn instance_facts(f: &InstanceFacts) -> Value {
    let (reason, trunking_source) = match &f.trunking {
        Trunking::Supported { source, .. } => (None, Some(source.to_string())),
        Trunking::Unsupported { reason, source } => {
            (Some(reason.as_str()), Some(source.to_string()))
        }
        Trunking::Unknown { reason } => (Some(reason.as_str()), None),
    };
    let sources: Vec<Value> = std::iter::once(f.eni_source.to_string())
        .chain(
            f.network_cards
                .as_ref()
                .and_then(|c| c.source)
                .map(str::to_string),
        )
        .chain(f.awsvpc_task_limit.as_ref().map(|l| l.source.to_string()))
        .chain(trunking_source)
        .map(Value::String)
        .collect();
    object([
        ("instance_type", Value::string(f.instance_type.to_string())),
        ("max_enis", num(f.max_enis)),
        (
            "network_cards",
            opt_num(f.network_cards.as_ref().map(|c| c.count)),
        ),
        ("ipv4_per_eni", opt_num(f.ipv4_per_eni)),
        ("ipv6_per_eni", opt_num(f.ipv6_per_eni)),
        ("hypervisor", opt_str(f.hypervisor)),
        (
            "awsvpc_tasks_without_trunking",
            num(f.awsvpc_slots_without_trunking()),
        ),
        (
            "awsvpc_tasks_without_trunking_arithmetic",
            Value::string(f.untrunked_arithmetic()),
        ),
        (
            "awsvpc_tasks_with_trunking",
            opt_num(f.trunking.tasks_with()),
        ),
        ("trunking", Value::string(f.trunking.status())),
        ("trunking_reason", opt_str(reason)),
        ("sources", Value::List(sources)),
        (
            "data_editions",
            Value::List(
                instances::editions()
                    .into_iter()
                    .map(|e| {
                        object([
                            ("table", Value::string(e.table)),
                            ("edition", Value::string(e.edition)),
                            ("date", Value::string(e.date)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ])
}

/// The facts of the instance type in `v` (argument `arg`, named `what` in errors).
fn facts(
    catalog: &Catalog,
    arg: usize,
    what: &str,
    v: &Value,
) -> Result<Arc<InstanceFacts>, ArgError> {
    let name = v.as_str().unwrap_or_default();
    catalog.lookup(name).ok_or_else(|| {
        let hint = catalog.suggest(name, 3);
        ArgError::at(
            arg,
            format!(
                "{what} is not among the {} EC2 instance types ecsnet knows ({})",
                catalog.count(),
                if hint.is_empty() {
                    "check the spelling: family.size, e.g. c5.large".to_string()
                } else {
                    format!("did you mean {}", hint.join(" or "))
                }
            ),
        )
    })
}

fn setting(trunking: bool) -> TrunkingSetting {
    if trunking {
        TrunkingSetting::Enabled {
            by: "trunking = true".into(),
        }
    } else {
        TrunkingSetting::Disabled {
            by: "trunking = false".into(),
        }
    }
}

/// A whole number of 0 or more, for argument `arg` named `what`.
fn count(arg: usize, what: &str, v: &Value) -> Result<u64, ArgError> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .and_then(|i| u64::try_from(i).ok())
            .ok_or_else(|| ArgError::at(arg, format!("{what} must be a whole number, 0 or more"))),
        _ => Err(ArgError::at(arg, format!("{what} must be a number"))),
    }
}

/// The guaranteed part of a count: its lower bound.
fn lower(b: Bound) -> Value {
    Value::Number(tfplugin6::codec::Number::Int(
        i64::try_from(b.lo).unwrap_or(i64::MAX),
    ))
}

fn awsvpc_task_slots(catalog: Arc<Catalog>) -> Function {
    Function {
        name: "awsvpc_task_slots",
        summary: "awsvpc tasks one instance of a type can run, with or without ENI trunking",
        description: "awsvpc tasks one container instance of the type can run: ENIs − 1 primary (capped by ECS's per-type limit) without trunking; with trunking = true (the awsvpcTrunking account setting), the ECS trunking table's value where the type supports trunking, else the untrunked count. Where the trunked limit is unknown (a type newer than the table) the untrunked count is returned, which is what the instance is sure to offer. Example: provider::ecsnet::awsvpc_task_slots(\"c5.large\", true) is 10.",
        params: vec![
            param("instance_type", Type::String, "EC2 instance type, e.g. c5.large"),
            param(
                "trunking",
                Type::Bool,
                "whether the awsvpcTrunking account setting is enabled for the instances",
            ),
        ],
        ret: Type::Number,
        call: Box::new(move |a| {
            let f = facts(&catalog, 0, "instance_type", &a[0])?;
            let on = a[1].as_bool().unwrap_or(false);
            Ok(lower(trunking::slots(&f, &setting(on), false)))
        }),
    }
}

fn subnet_usable_ipv4() -> Function {
    Function {
        name: "subnet_usable_ipv4",
        summary: "IPv4 addresses a subnet offers to tasks and instances",
        description: "Usable IPv4 addresses of a subnet's CIDR block: 2^(32 − prefix) − 5, because AWS reserves the first four addresses and the last one of every subnet (Amazon VPC User Guide, \"Subnet CIDR blocks\"). Each awsvpc task takes one. Example: provider::ecsnet::subnet_usable_ipv4(\"10.0.1.0/24\") is 251.",
        params: vec![param(
            "cidr",
            Type::String,
            "the subnet's IPv4 CIDR block, e.g. 10.0.1.0/24 (aws_subnet.x.cidr_block)",
        )],
        ret: Type::Number,
        call: Box::new(|a| {
            let cidr = a[0].as_str().unwrap_or_default();
            let prefix = crate::capacity::subnets::prefix_len(cidr).ok_or_else(|| {
                ArgError::at(
                    0,
                    "cidr must be an IPv4 CIDR block such as 10.0.1.0/24 (address/prefix length 0 to 32)",
                )
            })?;
            let n = crate::capacity::subnets::usable_for_prefix(prefix);
            Ok(Value::int(i64::try_from(n).unwrap_or(i64::MAX)))
        }),
    }
}

fn cluster_awsvpc_capacity(catalog: Arc<Catalog>) -> Function {
    let n = || Type::Number;
    Function {
        name: "cluster_awsvpc_capacity",
        summary: "awsvpc task slots of a cluster's EC2 instances at max size, with the arithmetic",
        description: "The awsvpc task slots a cluster's container instances offer at the autoscaling group's max size, as `ecsnet capacity` and rule NET070 count them: per instance, the type's slots (ENIs − 1 primary, or the ECS trunking table's value with trunking = true) minus one per awsvpc DAEMON service; a mixed group counts every instance as its type with the fewest slots. Returns instances, slots_per_instance, slots, slots_without_trunking, slots_with_trunking, smallest_instance_type, exact (false when a slot count is only a lower bound: the trunked limit of a type newer than ECS's table) and arithmetic (the words ecsnet's findings use). Counts are lower bounds where not exact. Example: provider::ecsnet::cluster_awsvpc_capacity([\"c5.large\"], 3, false, 0).slots is 6.",
        params: vec![
            param(
                "instance_types",
                list(Type::String),
                "the instance types of the cluster's autoscaling group (one, or a mixed-instances group's overrides)",
            ),
            param("max_size", Type::Number, "the autoscaling group's max_size"),
            param(
                "trunking",
                Type::Bool,
                "whether the awsvpcTrunking account setting is enabled",
            ),
            param(
                "daemons",
                Type::Number,
                "awsvpc DAEMON services on the cluster (each takes a slot on every instance)",
            ),
        ],
        ret: object_type(&[
            ("instances", n()),
            ("slots_per_instance", n()),
            ("slots", n()),
            ("slots_without_trunking", n()),
            ("slots_with_trunking", n()),
            ("smallest_instance_type", Type::String),
            ("exact", Type::Bool),
            ("arithmetic", Type::String),
        ]),
        call: Box::new(move |a| cluster_capacity(&catalog, a)),
    }
}

fn cluster_capacity(catalog: &Catalog, a: &[Value]) -> Outcome {
    let items = a[0].as_list().unwrap_or_default();
    if items.is_empty() {
        return Err(ArgError::at(
            0,
            "instance_types must name at least one instance type",
        ));
    }
    let mut types = Vec::with_capacity(items.len());
    for (i, t) in items.iter().enumerate() {
        let f = facts(catalog, 0, &format!("instance_types[{i}]"), t)?;
        types.push(f.instance_type.to_string());
    }
    let max_size = count(1, "max_size", &a[1])?;
    let on = a[2].as_bool().unwrap_or(false);
    let daemon_count = count(3, "daemons", &a[3])?;
    let setting = setting(on);
    let daemons = Daemons {
        awsvpc: Bound::exact(daemon_count),
        ..Daemons::default()
    };
    let src = fixed_source(
        catalog,
        FixedInstances {
            label: "max_size".into(),
            why: format!("= {max_size}"),
            instance_types: &types,
            max_instances: max_size,
            // The function's arguments say nothing of Windows: trunking as the type allows.
            os: crate::capacity::cluster::SpecOs::Linux,
        },
        &setting,
        &daemons,
        "an instance type ecsnet knows",
    );
    let instances = src.instances_bound();
    let slots = src.slots();
    let smallest = src
        .smallest_type()
        .map_or_else(String::new, |t| t.instance_type.clone());
    Ok(object([
        ("instances", lower(instances)),
        ("slots_per_instance", lower(src.per_instance)),
        ("slots", lower(slots)),
        (
            "slots_without_trunking",
            lower(instances.times(src.per_instance_without_trunking)),
        ),
        (
            "slots_with_trunking",
            lower(instances.times(src.per_instance_with_trunking)),
        ),
        ("smallest_instance_type", Value::String(smallest)),
        ("exact", Value::Bool(slots.is_exact())),
        (
            "arithmetic",
            Value::string(format!(
                "{} awsvpc task slots: {}",
                slots.show(),
                src.describe(&setting, &daemons)
            )),
        ),
    ]))
}
