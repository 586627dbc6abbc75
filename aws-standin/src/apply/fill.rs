//! Generic values for unknowns the type-specific code left: by attribute name where a name
//! says what it holds (`*_arn`, `owner_id`, `region`, ...), else the type's zero value; and
//! the zero values SDKv2 reads back for unset attributes of nested block elements.
//!
//! After apply, the SDK's `ResourceData.State()` reads every nested block element with
//! `readObjectField`, which takes `ValueOrZero` for each field: an attribute the element does
//! not set is stored as `""`, 0, false or an empty collection, never null (top-level
//! attributes are written only when they exist). ApplyResourceChange then runs
//! `normalizeNullValues(newState, plannedState, false)`, which for a set takes the planned set
//! as it was when it was wholly known ("the apply process loses too much information to
//! reliably re-create the set"): so list blocks always get the zeros, set blocks only when
//! their planned value held an unknown. `timeouts` (copied from the plan) keeps its nulls.

use std::collections::BTreeMap;

use super::Ctx;
use crate::codec::{Type, Value};
use crate::schema::{Attribute, Block, Nesting};

/// Replaces every unknown inside `v` (an object of `block`), recursively. `element`: `v` is an
/// element of a nested list or set block, whose null attributes read back as zero values.
pub fn fill_block(ctx: &Ctx, block: &Block, prefix: &str, v: &mut Value, element: bool) {
    if v.is_unknown() {
        *v = Value::Map(BTreeMap::new());
    }
    let Value::Map(obj) = v else { return };
    for (name, attr) in &block.attributes {
        let path = join(prefix, name);
        // Keys are missing only from objects made up here (materialized blocks): fill them.
        let cur = obj.entry(name.clone()).or_insert(Value::UNKNOWN);
        if element && cur.is_null() {
            *cur = zero(&attr.ty);
        }
        fill_attribute(ctx, attr, &path, name, cur);
    }
    for (name, nb) in &block.block_types {
        let path = join(prefix, name);
        let cur = obj.entry(name.clone()).or_insert(Value::UNKNOWN);
        // A set planned wholly known is stored as planned (normalizeNullValues).
        let zeros = match nb.nesting {
            Nesting::List => true,
            Nesting::Set => !cur.is_wholly_known(),
            _ => false,
        };
        if cur.is_null() && matches!(nb.nesting, Nesting::List | Nesting::Set) {
            *cur = Value::List(Vec::new());
        }
        if cur.is_unknown() {
            *cur = match super::resources::block_when_unknown(ctx, &path) {
                Some(v) => v,
                None => match nb.nesting {
                    Nesting::List | Nesting::Set => Value::List(Vec::new()),
                    Nesting::Map => Value::Map(BTreeMap::new()),
                    Nesting::Single => Value::Null,
                    Nesting::Group => Value::Map(BTreeMap::new()),
                },
            };
        }
        match cur {
            Value::List(items) => {
                for item in items {
                    fill_block(ctx, &nb.block, &path, item, zeros);
                }
            }
            Value::Map(m) if nb.nesting == Nesting::Map => {
                for item in m.values_mut() {
                    fill_block(ctx, &nb.block, &path, item, false);
                }
            }
            Value::Map(_) => fill_block(ctx, &nb.block, &path, cur, false),
            _ => {}
        }
    }
}

fn fill_attribute(ctx: &Ctx, attr: &Attribute, path: &str, name: &str, cur: &mut Value) {
    if cur.is_unknown() {
        *cur = by_name(ctx, name, &attr.ty).unwrap_or_else(|| zero(&attr.ty));
        return;
    }
    fill_value(ctx, &attr.ty, path, name, cur);
}

/// Unknowns inside a known collection or object.
fn fill_value(ctx: &Ctx, ty: &Type, path: &str, name: &str, cur: &mut Value) {
    match (ty, cur) {
        (_, v @ Value::Unknown(_)) => *v = by_name(ctx, name, ty).unwrap_or_else(|| zero(ty)),
        (Type::List(e) | Type::Set(e), Value::List(items)) => {
            for i in items {
                fill_value(ctx, e, path, name, i);
            }
        }
        (Type::Map(e), Value::Map(m)) => {
            for i in m.values_mut() {
                fill_value(ctx, e, path, name, i);
            }
        }
        (Type::Object(attrs), Value::Map(m)) => {
            for (k, t) in attrs {
                let i = m.entry(k.clone()).or_insert(Value::Null);
                fill_value(ctx, t, &join(path, k), k, i);
            }
        }
        (Type::Tuple(ts), Value::List(items)) => {
            for (i, t) in items.iter_mut().zip(ts) {
                fill_value(ctx, t, path, name, i);
            }
        }
        _ => {}
    }
}

/// A value for an unknown whose name says what it is.
fn by_name(ctx: &Ctx, name: &str, ty: &Type) -> Option<Value> {
    if *ty != Type::String {
        return None;
    }
    let s = match name {
        "region" => ctx.region.to_owned(),
        "owner_id" | "account_id" | "registry_id" | "owner_account_id" | "instance_owner_id" => {
            ctx.account.to_owned()
        }
        "create_date" | "created_date" | "creation_date" | "created_time" | "create_time"
        | "created_at" | "last_modified_date" | "launch_time" => "2025-01-01T00:00:00Z".to_owned(),
        "availability_zone" => ctx
            .world
            .zones(ctx.region)
            .first()
            .cloned()
            .unwrap_or_default(),
        "availability_zone_id" => crate::world::zone_id(
            &ctx.world
                .zones(ctx.region)
                .first()
                .cloned()
                .unwrap_or_default(),
        ),
        "arn" => ctx.arn(
            service_of(ctx.type_name),
            &format!("{}/{}", resource_word(ctx.type_name), ctx.ids.hex(name, 16)),
        ),
        n if n.ends_with("_arn") => {
            let what = n.trim_end_matches("_arn").replace('_', "-");
            ctx.arn(
                service_of(ctx.type_name),
                &format!("{what}/{}", ctx.ids.hex(n, 16)),
            )
        }
        _ => return None,
    };
    Some(Value::String(s))
}

/// The ARN service of a resource type (`aws_lb_target_group` → elasticloadbalancing).
pub fn service_of(type_name: &str) -> &'static str {
    let t = type_name.trim_start_matches("aws_");
    let table: &[(&str, &str)] = &[
        ("ecs_", "ecs"),
        ("lb", "elasticloadbalancing"),
        ("elb", "elasticloadbalancing"),
        ("iam_", "iam"),
        ("autoscaling_", "autoscaling"),
        ("appautoscaling_", "application-autoscaling"),
        ("cloudwatch_log", "logs"),
        ("service_discovery_", "servicediscovery"),
        ("ecr_", "ecr"),
        ("secretsmanager_", "secretsmanager"),
        ("ssm_", "ssm"),
        ("kms_", "kms"),
        ("db_", "rds"),
        ("elasticache_", "elasticache"),
        ("codedeploy_", "codedeploy"),
        ("sqs_", "sqs"),
        ("efs_", "elasticfilesystem"),
        ("kinesis_firehose_", "firehose"),
        ("ram_", "ram"),
        ("s3_", "s3"),
        ("route53_", "route53"),
        ("acm_", "acm"),
        ("cloudwatch_metric_alarm", "cloudwatch"),
    ];
    table
        .iter()
        .find(|(p, _)| t.starts_with(p))
        .map_or("ec2", |(_, s)| s)
}

/// The resource word of a type for ARNs (`aws_vpc_endpoint` → vpc-endpoint).
fn resource_word(type_name: &str) -> String {
    type_name.trim_start_matches("aws_").replace('_', "-")
}

/// The zero value of a type: `""`, 0, false, empty collections, an object of zeros.
pub fn zero(ty: &Type) -> Value {
    match ty {
        Type::String => Value::string(""),
        Type::Number => Value::int(0),
        Type::Bool => Value::Bool(false),
        Type::List(_) | Type::Set(_) | Type::Tuple(_) => Value::List(Vec::new()),
        Type::Map(_) => Value::Map(BTreeMap::new()),
        Type::Object(attrs) => {
            Value::Map(attrs.iter().map(|(k, t)| (k.clone(), zero(t))).collect())
        }
        Type::Dynamic => Value::Null,
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}
