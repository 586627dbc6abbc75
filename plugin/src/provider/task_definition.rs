//! `task_definition_findings`: the task-definition rules (NET001–NET032) run by the engine
//! on a one-resource plan holding the task definition the argument describes.
//!
//! The argument is any object with some of `aws_ecs_task_definition`'s attributes: a literal
//! in a module, or the resource itself in a postcondition (`self`). The attributes ecsnet
//! reads are in [`READ`]; an omitted (or null) one takes AWS's default as it does in a plan
//! (`network_mode`: bridge on Linux, `default` on Windows); others (`arn`, `tags`, ...) are
//! ignored. When an attribute ecsnet reads is not known yet, the result is unknown: the
//! check then happens at apply, or in `ecsnet check` on the plan.

use serde_json::{json, Map, Value as Json};
use tfplugin6::codec::{object, Type, Value};

use super::functions::{object_type, ArgError, Function, Outcome, Param};
use crate::config::Assumptions;
use crate::diagnostics::Diagnostic;
use crate::engine::Report;
use crate::rules::{self, Context};

/// The attributes of `aws_ecs_task_definition` the task-definition rules read.
pub const READ: &[&str] = &[
    "family",
    "network_mode",
    "requires_compatibilities",
    "container_definitions",
    "runtime_platform",
    "cpu",
    "memory",
    "task_role_arn",
];

/// The last rule about task definitions alone (the rule catalogue's NET001–NET032).
const LAST_RULE: &str = "NET032";

const ADDRESS: &str = "aws_ecs_task_definition.task_definition";

fn finding_type() -> Type {
    let s = || Type::String;
    object_type(&[
        ("rule", s()),
        ("name", s()),
        ("severity", s()),
        ("message", s()),
        ("detail", s()),
        ("help", s()),
        ("attribute", s()),
        ("url", s()),
    ])
}

pub(super) fn function() -> Function {
    Function {
        name: "task_definition_findings",
        summary: "ecsnet's task-definition rules (NET001–NET032) on a task definition",
        description: "Runs ecsnet's task-definition rules (NET001–NET032: network mode, ports, container networking settings) on a task definition and returns the findings, each with rule (NET012), name, severity (error, warning or info), message, detail, help, attribute (e.g. container_definitions[0].portMappings[0].hostPort) and url; detail, help and attribute may be null. The argument is any object with some of aws_ecs_task_definition's attributes: family, network_mode, requires_compatibilities, container_definitions (the JSON string, or the list of containers), runtime_platform (a block or an object), cpu, memory, task_role_arn. An omitted attribute takes AWS's default (network_mode: bridge on Linux); other attributes are ignored, so both a literal object and aws_ecs_task_definition.x (self in a postcondition) work. The result is unknown while an attribute ecsnet reads is unknown. Example: length([for f in provider::ecsnet::task_definition_findings({ network_mode = \"awsvpc\", requires_compatibilities = [\"FARGATE\"], container_definitions = jsonencode([{ name = \"web\", image = \"nginx\", portMappings = [{ containerPort = 80, hostPort = 8080 }] }]) }) : f if f.severity == \"error\"]) is 1 (NET010: in awsvpc mode hostPort must equal containerPort).",
        params: vec![Param {
            name: "task_definition",
            ty: Type::Dynamic,
            description: "an object with attributes of aws_ecs_task_definition (network_mode, requires_compatibilities, container_definitions, runtime_platform, ...), or the resource itself",
            allow_unknown: true,
        }],
        ret: Type::List(Box::new(finding_type())),
        call: Box::new(|a| findings(&a[0])),
    }
}

fn bad(text: String) -> ArgError {
    ArgError::at(0, text)
}

/// The findings for the task definition `arg` describes.
pub fn findings(arg: &Value) -> Outcome {
    let attrs = match arg {
        Value::Dynamic(_, inner) => inner.as_ref(),
        v => v,
    };
    let attrs = match attrs {
        Value::Unknown(_) => return Ok(Value::UNKNOWN),
        Value::Map(m) => m,
        _ => {
            return Err(bad(
                "task_definition must be an object with attributes of an aws_ecs_task_definition (network_mode, container_definitions, ...)".into(),
            ))
        }
    };
    let read = || READ.iter().filter_map(|k| attrs.get(*k).map(|v| (*k, v)));
    if read().any(|(_, v)| !v.is_wholly_known()) {
        return Ok(Value::UNKNOWN);
    }
    let mut values = Map::new();
    for (k, v) in read() {
        values.insert(k.to_string(), attribute(k, v)?);
    }
    let diagnostics = run_rules(Json::Object(values))?;
    Ok(Value::List(diagnostics.iter().map(finding).collect()))
}

/// One attribute as the AWS provider's plan would show it.
fn attribute(name: &str, v: &Value) -> Result<Json, ArgError> {
    let wrong = |want: &str| bad(format!("task_definition.{name} must be {want}"));
    let json = tfplugin6::codec::json::to_json;
    Ok(match (name, v) {
        (_, Value::Null) => Json::Null,
        (_, Value::Dynamic(_, inner)) => return attribute(name, inner),
        ("requires_compatibilities", Value::List(items)) => {
            if items.iter().any(|i| i.as_str().is_none()) {
                return Err(wrong("a list of strings such as [\"FARGATE\"]"));
            }
            json(v)
        }
        ("requires_compatibilities", _) => {
            return Err(wrong("a list of strings such as [\"FARGATE\"]"))
        }
        // The resource holds the JSON string; a literal may give the containers themselves.
        ("container_definitions", Value::String(s)) => Json::String(s.clone()),
        ("container_definitions", Value::List(_)) => Json::String(json(v).to_string()),
        ("container_definitions", _) => {
            return Err(wrong(
                "the JSON string of the containers (jsonencode([...])) or their list",
            ))
        }
        // A block in the resource (a list of one object); a literal may give the object.
        ("runtime_platform", Value::Map(_)) => Json::Array(vec![json(v)]),
        ("runtime_platform", Value::List(items))
            if items.iter().all(|i| matches!(i, Value::Map(_))) =>
        {
            json(v)
        }
        ("runtime_platform", _) => return Err(wrong(
            "an object such as { operating_system_family = \"LINUX\" } (or the resource's block)",
        )),
        (_, Value::String(s)) => Json::String(s.clone()),
        // cpu = 256 in a literal; the resource holds "256".
        ("cpu" | "memory", Value::Number(n)) => Json::String(n.to_decimal()),
        _ => return Err(wrong("a string")),
    })
}

/// The task-definition rules over a plan whose only resource is the task definition with
/// `values`, findings in the engine's order.
fn run_rules(values: Json) -> Result<Vec<Diagnostic>, ArgError> {
    let (kind, name) = ADDRESS.split_once('.').unwrap_or_default();
    let doc = json!({
        "format_version": "1.2",
        "planned_values": { "root_module": { "resources": [{
            "address": ADDRESS, "mode": "managed", "type": kind, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "values": values, "sensitive_values": {}
        }]}},
        "resource_changes": [{
            "address": ADDRESS, "mode": "managed", "type": kind, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {
                "actions": ["create"], "before": null, "after": values,
                "after_unknown": {}, "before_sensitive": false, "after_sensitive": {}
            }
        }]
    });
    let bytes = serde_json::to_vec(&doc).map_err(|e| bad(e.to_string()))?;
    let plan = crate::plan::parse_bytes(&bytes, "task_definition", &Default::default())
        .map_err(|e| bad(format!("task_definition cannot be read: {}", e.message)))?;
    let assume = Assumptions::default();
    let model = crate::model::build(std::slice::from_ref(&plan), &assume);
    let selected: Vec<_> = rules::all()
        .into_iter()
        .filter(|r| r.meta().id.as_str() <= LAST_RULE)
        .collect();
    let cx = Context::new(&model, &assume);
    let found = rules::run(&cx, &selected);
    Ok(Report::new(Vec::new(), found, crate::config::FailOn::Never).diagnostics)
}

fn finding(d: &Diagnostic) -> Value {
    let opt = |s: &Option<String>| s.as_deref().map_or(Value::Null, Value::string);
    let name = rules::find(&d.rule).map_or("", |r| r.meta().name);
    object([
        ("rule", Value::string(d.rule.to_string())),
        ("name", Value::string(name)),
        ("severity", Value::string(d.severity.as_str())),
        ("message", Value::string(d.message.clone())),
        ("detail", opt(&d.detail)),
        ("help", opt(&d.help)),
        ("attribute", opt(&d.attribute)),
        ("url", Value::string(d.url.clone())),
    ])
}
