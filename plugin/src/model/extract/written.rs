//! What the configuration writes for an argument, as opposed to what the provider reports.
//!
//! An update plan carries, for every resource that already exists, the values the provider
//! read back after the last apply. For optional + computed arguments that the configuration
//! leaves out, those are AWS's answers, not settings: ECS reports its service-linked role in
//! `iam_role`, `""` or `EC2` in `launch_type`, `LATEST` in `platform_version`, `bridge` in a
//! task definition's `network_mode`. Rules that judge what the user asked for must tell the
//! two apart, and only the plan's `configuration` section can: it shows, per resource, the
//! expression written for each argument (through modules), or nothing when it is left out.

use std::cell::OnceCell;

use serde_json::Value;

use crate::plan::configuration::{ConfigResource, ExprNode, Expression, ModuleConfig};
use crate::plan::{Plan, Resource};

/// Whether the configuration sets an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    /// Set to a value that is not null: a literal, or a module variable (through any number
    /// of module calls) whose value is a literal.
    Set,
    /// Left out, or null: literally, or a module variable whose value (the caller's literal,
    /// the variable's default or the root variable's value) is null. The provider then
    /// computes the value, and AWS's default applies.
    Omitted,
    /// Written as an expression ecsnet cannot evaluate (locals, conditionals, functions,
    /// resource attributes): it may or may not be null.
    Unclear,
    /// The plan has no configuration for the resource (a plan without a `configuration`
    /// section, or a module whose configuration is missing).
    Unseen,
}

/// What the configuration writes for `path` (a top-level argument such as `iam_role`, or a
/// dotted path into a static block, `network_configuration.0.security_groups`) of `res`.
///
/// A nested path whose enclosing block is not in the configuration reads as
/// [`Written::Unclear`]: a `dynamic` block does not appear in the plan's configuration.
pub(crate) fn written(plan: &Plan, res: &Resource, path: &str) -> Written {
    Writes::new(plan, res).get(path)
}

/// [`written`] for several arguments of one resource: its configuration is found once,
/// when first asked.
pub(crate) struct Writes<'p> {
    pub plan: &'p Plan,
    pub res: &'p Resource,
    /// `None` when the plan has no (complete) configuration for the resource.
    cfg: OnceCell<Option<&'p ConfigResource>>,
}

impl<'p> Writes<'p> {
    pub(crate) fn new(plan: &'p Plan, res: &'p Resource) -> Self {
        Writes {
            plan,
            res,
            cfg: OnceCell::new(),
        }
    }

    fn cfg(&self) -> Option<&'p ConfigResource> {
        *self.cfg.get_or_init(|| {
            // Terraform writes an expression for every argument the configuration sets, so
            // a resource whose required arguments are missing has an incomplete
            // configuration section (a plan assembled by hand or by another tool): it
            // cannot say what is omitted.
            self.plan.config_resource(self.res).filter(|cfg| {
                required(&self.res.type_)
                    .iter()
                    .all(|a| cfg.expressions.0.contains_key(*a))
            })
        })
    }

    /// What the configuration writes for `path` (see [`written`]).
    pub(crate) fn get(&self, path: &str) -> Written {
        let Some(cfg) = self.cfg() else {
            return Written::Unseen;
        };
        let Some(expr) = cfg.expressions.lookup(path) else {
            let top = path.split('.').next().unwrap_or(path);
            return match (cfg.expressions.0.get(top), top == path) {
                (None, true) => Written::Omitted,
                // A block the configuration writes.
                (Some(ExprNode::Block(_) | ExprNode::List(_)), true) => Written::Set,
                // The block is written and lacks the argument.
                (Some(ExprNode::Block(_) | ExprNode::List(_)), false) => Written::Omitted,
                // No such block (a `dynamic` block is not in the plan's configuration), or
                // one written as a value (`= { ... }`) whose parts are not shown.
                (None | Some(ExprNode::Expr(_)), false) => Written::Unclear,
                (Some(ExprNode::Expr(_)), true) => Written::Unclear,
            };
        };
        // A literal needs no module path.
        if let Some(v) = &expr.constant_value {
            return literal(v);
        }
        let module = module_calls(&self.res.module_address);
        evaluate(self.plan, &module, expr, 0)
    }
}

/// Required arguments of the resource types whose arguments ecsnet asks about.
fn required(type_: &str) -> &'static [&'static str] {
    match type_ {
        "aws_ecs_service" => &["name"],
        "aws_ecs_task_definition" => &["family", "container_definitions"],
        _ => &[],
    }
}

/// Calls from the root to the module an address is in (`module.a["x"].module.b` → `[a, b]`):
/// configuration is shared by every instance of a call, so keys do not matter.
fn module_calls(module_address: &str) -> Vec<&str> {
    crate::plan::ModuleCalls::new(module_address)
        .map(|c| c.map(|(call, _)| call))
        .collect::<Option<Vec<&str>>>()
        .unwrap_or_default()
}

fn module_at<'a>(plan: &'a Plan, calls: &[&str]) -> Option<&'a ModuleConfig> {
    let mut m = &plan.config.root;
    for c in calls {
        m = &m.module_calls.get(*c)?.module;
    }
    Some(m)
}

/// Longest chain of module variables followed (a guard against crafted configurations).
const MAX_DEPTH: usize = 32;

fn evaluate(plan: &Plan, module: &[&str], expr: &Expression, depth: usize) -> Written {
    if let Some(v) = &expr.constant_value {
        return literal(v);
    }
    // `var.x` alone is written as exactly that one reference. Anything more (`var.x.arn`,
    // a conditional, a function of it) cannot be evaluated from the configuration.
    match expr.references.as_slice() {
        [r] if depth < MAX_DEPTH => match r.strip_prefix("var.") {
            Some(name) if !name.contains(['.', '[']) => variable(plan, module, name, depth),
            _ => Written::Unclear,
        },
        _ => Written::Unclear,
    }
}

/// A literal value. Only a scalar or null decides: a list or object where one value is
/// expected means a function picks from it (`lookup(var.roles, "api", null)`).
fn literal(v: &Value) -> Written {
    match v {
        Value::Null => Written::Omitted,
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Written::Set,
        Value::Array(_) | Value::Object(_) => Written::Unclear,
    }
}

/// The value of `var.name` inside the module reached by `module` calls.
fn variable(plan: &Plan, module: &[&str], name: &str, depth: usize) -> Written {
    let Some((call, parent)) = module.split_last() else {
        // A root variable: the plan holds its value.
        return match plan.variables.get(name) {
            Some(v) => literal(&v.value),
            None => Written::Unclear,
        };
    };
    let Some(call_cfg) = module_at(plan, parent).and_then(|m| m.module_calls.get(*call)) else {
        return Written::Unclear;
    };
    match call_cfg.expressions.get(name) {
        Some(e) => evaluate(plan, parent, e, depth + 1),
        // Not passed by the caller: the variable's default (an absent default means the
        // variable is required, which Terraform enforces).
        None => match call_cfg
            .module
            .variables
            .get(name)
            .and_then(|v| v.default.as_ref())
        {
            Some(d) => literal(d),
            None => Written::Unclear,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan(config: Value, variables: Value) -> Plan {
        let doc = json!({
            "format_version": "1.2",
            "variables": variables,
            "planned_values": {"root_module": {"resources": [], "child_modules": [{
                "address": "module.svc",
                "resources": [{
                    "address": "module.svc.aws_ecs_service.this", "mode": "managed",
                    "type": "aws_ecs_service", "name": "this", "values": {}
                }]
            }]}},
            "configuration": config,
        });
        crate::plan::parse_bytes(
            doc.to_string().as_bytes(),
            "t.json",
            &crate::plan::LoadOptions::default(),
        )
        .unwrap()
    }

    fn svc_config(service: Value, call_args: Value, variables: Value) -> Value {
        json!({"root_module": {
            "variables": {"root_role": {"default": null}},
            "module_calls": {"svc": {
                "source": "./svc",
                "expressions": call_args,
                "module": {
                    "variables": variables,
                    "resources": [{
                        "address": "aws_ecs_service.this", "mode": "managed",
                        "type": "aws_ecs_service", "name": "this", "expressions": service
                    }]
                }
            }}
        }})
    }

    fn written_in(p: &Plan, path: &str) -> Written {
        let res = p.resource("module.svc.aws_ecs_service.this").unwrap();
        written(p, res, path)
    }

    #[test]
    fn literals_and_absence() {
        let p = plan(
            svc_config(
                json!({
                    "name": {"constant_value": "api"},
                    "iam_role": {"constant_value": "ecs-service"},
                    "launch_type": {"constant_value": null},
                    "network_configuration": [{"subnets": {"references": ["var.subnets"]}}],
                    "platform_version": {"constant_value": ["1.4.0"]}
                }),
                json!({}),
                json!({}),
            ),
            json!({}),
        );
        assert_eq!(written_in(&p, "iam_role"), Written::Set);
        assert_eq!(written_in(&p, "launch_type"), Written::Omitted);
        assert_eq!(written_in(&p, "cluster"), Written::Omitted);
        assert_eq!(written_in(&p, "network_configuration"), Written::Set);
        assert_eq!(written_in(&p, "platform_version"), Written::Unclear);
        assert_eq!(
            written_in(&p, "network_configuration.0.security_groups"),
            Written::Omitted
        );
        // A block that is not in the configuration may be a dynamic block.
        assert_eq!(
            written_in(&p, "load_balancer.0.container_name"),
            Written::Unclear
        );
    }

    #[test]
    fn module_variables_are_followed_to_the_caller_and_defaults() {
        let p = plan(
            svc_config(
                json!({
                    "name": {"constant_value": "api"},
                    "iam_role": {"references": ["var.role"]},
                    "launch_type": {"references": ["var.launch_type"]},
                    "platform_version": {"references": ["var.platform"]},
                    "cluster": {"references": ["var.cluster"]},
                    "desired_count": {"references": ["var.settings.count", "var.settings"]},
                    "deployment_maximum_percent": {"references": ["local.percent"]}
                }),
                json!({
                    "role": {"references": ["var.root_role"]},
                    "platform": {"constant_value": "1.4.0"},
                    "cluster": {"references": ["aws_ecs_cluster.main.arn", "aws_ecs_cluster.main"]}
                }),
                json!({
                    "role": {"default": "unused-default"},
                    "launch_type": {"default": null},
                    "platform": {"default": null},
                    "cluster": {}
                }),
            ),
            json!({"root_role": {"value": null}}),
        );
        // var.role → the caller's var.root_role → the root variable's value, null.
        assert_eq!(written_in(&p, "iam_role"), Written::Omitted);
        // Not passed: the default, null.
        assert_eq!(written_in(&p, "launch_type"), Written::Omitted);
        // Passed a literal over a null default.
        assert_eq!(written_in(&p, "platform_version"), Written::Set);
        // Passed a resource attribute: not evaluated.
        assert_eq!(written_in(&p, "cluster"), Written::Unclear);
        assert_eq!(written_in(&p, "desired_count"), Written::Unclear);
        assert_eq!(
            written_in(&p, "deployment_maximum_percent"),
            Written::Unclear
        );
    }

    #[test]
    fn root_variable_values_decide() {
        let p = plan(
            svc_config(
                json!({"name": {"constant_value": "api"}, "iam_role": {"references": ["var.role"]}}),
                json!({"role": {"references": ["var.root_role"]}}),
                json!({"role": {"default": null}}),
            ),
            json!({"root_role": {"value": "arn:aws:iam::123456789012:role/ecs-service"}}),
        );
        assert_eq!(written_in(&p, "iam_role"), Written::Set);
    }

    #[test]
    fn no_configuration_or_an_incomplete_one_is_unseen() {
        let p = plan(json!(null), json!({}));
        assert_eq!(written_in(&p, "iam_role"), Written::Unseen);
        // No `name`, which every aws_ecs_service configuration writes.
        let p = plan(
            svc_config(
                json!({"launch_type": {"constant_value": null}}),
                json!({}),
                json!({}),
            ),
            json!({}),
        );
        assert_eq!(written_in(&p, "launch_type"), Written::Unseen);
    }
}
