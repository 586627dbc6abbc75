//! How many elements a list or set attribute can hold, counted from what its configuration
//! expression names, when the planned value is unknown (a set holding an id that is not
//! created yet is wholly unknown on create).
//!
//! Each reference contributes at most the values it stands for: one instance of a resource
//! of an accepted type (`aws_security_group.api.id`), every instance of a counted one
//! (`values(aws_security_group.this)[*].id`), the known value of a variable (its strings),
//! or what a module output or a module call argument names in turn. Any other reference
//! (a local, `each`, another resource type, an attribute other than `id`) gives no bound.
//! Literal strings written beside references are not shown in the plan's configuration,
//! so the bound counts what the configuration references; see the README ("Unknown lists").

use serde_json::Value;

use super::address::{self, Step};
use super::references::{distinct_traversals, names};
use super::{Plan, Resource};

/// Upper bound on expressions visited for one query, against crafted configurations.
const MAX_WORK: usize = 1_000;

struct Walk<'p> {
    plan: &'p Plan,
    types: &'p [&'p str],
    budget: usize,
}

impl Plan {
    /// An upper bound on the distinct elements of attribute `dotted_path` of `res`, counted
    /// from its configuration expression's references (see the module documentation);
    /// `types` are the resource types whose `id` an element may be. `None` when a
    /// reference cannot be counted or the configuration does not show the expression.
    pub fn element_bound(
        &self,
        res: &Resource,
        dotted_path: &str,
        types: &[&str],
    ) -> Option<usize> {
        let expr = self.expression(res, dotted_path)?;
        if let Some(v) = &expr.constant_value {
            return leaves(v);
        }
        let mut w = Walk {
            plan: self,
            types,
            budget: MAX_WORK,
        };
        w.refs(&res.module_address, &expr.references, 0)
    }
}

/// Strings, numbers and map keys in a known value: at least as many as the distinct
/// elements any function of it (`flatten`, `values`, `keys`) can produce.
fn leaves(v: &Value) -> Option<usize> {
    Some(match v {
        Value::Null => 0,
        Value::String(_) | Value::Number(_) | Value::Bool(_) => 1,
        Value::Array(a) => a.iter().map(leaves).sum::<Option<usize>>()?,
        Value::Object(o) => o.len() + o.values().map(leaves).sum::<Option<usize>>()?,
    })
}

/// Follow `steps` (after the variable name) into a known value; the whole value when a
/// step cannot be followed (an index into a list: a part counts no more than the whole).
fn select<'v>(v: &'v Value, steps: &[Step]) -> &'v Value {
    match (steps.first(), v) {
        (Some(Step::Name(n)), Value::Object(o)) => match o.get(n) {
            Some(inner) => select(inner, &steps[1..]),
            None => v,
        },
        _ => v,
    }
}

impl Walk<'_> {
    /// The sum of what each distinct traversal of `refs` (written in `module`) stands for.
    fn refs(&mut self, module: &str, refs: &[String], depth: usize) -> Option<usize> {
        let traversals = distinct_traversals(refs);
        if traversals.is_empty() || depth > 32 {
            return None;
        }
        let mut total = 0usize;
        for steps in traversals {
            self.budget = self.budget.checked_sub(1)?;
            total = total.checked_add(self.traversal(module, &steps, depth)?)?;
        }
        Some(total)
    }

    fn traversal(&mut self, module: &str, steps: &[Step], depth: usize) -> Option<usize> {
        let Some(Step::Name(first)) = steps.first() else {
            return None;
        };
        match first.as_str() {
            "var" => self.variable(module, steps, depth),
            "module" => self.output(module, steps, depth),
            "data" => self.resource(module, &format!("data.{}", name_at(steps, 1)?), &steps[2..]),
            "local" | "each" | "count" | "path" | "terraform" | "self" => None,
            _ => self.resource(module, first, &steps[1..]),
        }
    }

    /// `var.NAME…`: the root variable's value, or the caller's argument (a literal, or its
    /// references in the caller), or the variable's default.
    fn variable(&mut self, module: &str, steps: &[Step], depth: usize) -> Option<usize> {
        let name = name_at(steps, 1)?;
        let rest = &steps[2..];
        let Some((call, _key, parent)) = super::last_module_call(module)? else {
            let v = self.plan.variables.get(name)?;
            return leaves(select(&v.value, rest));
        };
        let mc = self.plan.module_config(parent)?.module_calls.get(call)?;
        match mc.expressions.get(name) {
            Some(e) => match &e.constant_value {
                Some(v) => leaves(select(v, rest)),
                None => self.refs(parent, &e.references, depth + 1),
            },
            None => leaves(select(
                mc.module.variables.get(name)?.default.as_ref()?,
                rest,
            )),
        }
    }

    /// `module.CALL[KEY].OUTPUT`: the output's expression in that instance, or summed over
    /// every instance of the call when no key is given.
    fn output(&mut self, module: &str, steps: &[Step], depth: usize) -> Option<usize> {
        let call = name_at(steps, 1)?;
        let (key, rest) = match steps.get(2) {
            Some(Step::Index(k)) if k != "*" => (Some(k.as_str()), &steps[3..]),
            Some(Step::Index(_)) => (None, &steps[3..]),
            _ => (None, &steps[2..]),
        };
        let output = name_at(rest, 0)?;
        let mc = self.plan.module_config(module)?.module_calls.get(call)?;
        let expr = mc.module.outputs.get(output)?.expression.as_ref()?;
        if let Some(v) = &expr.constant_value {
            return leaves(v);
        }
        let base = address::join(module, &format!("module.{call}"));
        let instances = match key {
            Some(k) => vec![format!("{base}[{k}]")],
            None if mc.is_multi_instance() => self.plan.module_instances_of(&base),
            None => vec![base],
        };
        let mut total = 0usize;
        for inst in instances {
            total = total.checked_add(self.refs(&inst, &expr.references, depth + 1)?)?;
        }
        Some(total)
    }

    /// `TYPE.NAME[KEY].id` (`rel` is `TYPE` or `data.TYPE`, `steps` start at NAME): one
    /// element per instance.
    fn resource(&mut self, module: &str, rel: &str, steps: &[Step]) -> Option<usize> {
        let type_ = rel.strip_prefix("data.").unwrap_or(rel);
        if !self.types.contains(&type_) {
            return None;
        }
        let name = name_at(steps, 0)?;
        let (key, rest) = match steps.get(1) {
            Some(Step::Index(k)) => (Some(k.as_str()), &steps[2..]),
            _ => (None, &steps[1..]),
        };
        // The element is the id (or the whole object, as in `[for sg in x : sg.id]`).
        if !matches!(names(rest).first().map(String::as_str), None | Some("id")) {
            return None;
        }
        let base = address::join(module, &format!("{rel}.{name}"));
        match (key, self.plan.keyed_instance_count(&base)) {
            (Some(k), _) if k != "*" => Some(1),
            (_, Some(n)) => Some(n),
            // No keyed instance in the plan: one instance, or none (`count = 0`).
            (_, None) => Some(1),
        }
    }
}

fn name_at(steps: &[Step], i: usize) -> Option<&str> {
    match steps.get(i)? {
        Step::Name(n) => Some(n),
        Step::Index(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::plan::{parse_bytes, LoadOptions, Plan};

    fn sg(address: &str, index: Option<&str>) -> serde_json::Value {
        let mut r = json!({"address": address, "mode": "managed", "type": "aws_security_group",
            "name": "ingress", "values": {}});
        if let Some(k) = index {
            r["index"] = json!(k);
        }
        r
    }

    /// A root module calling `module.svc` with `sgs = <call_arg>`; the service in it writes
    /// `security_groups = <service_expr>`.
    fn plan(call_arg: serde_json::Value, service_expr: serde_json::Value) -> Plan {
        let doc = json!({
            "format_version": "1.2",
            "variables": {"shared": {"value": ["sg-1", "sg-2", "sg-3"]}},
            "planned_values": {"root_module": {
                "resources": [
                    sg("aws_security_group.ingress[\"a\"]", Some("a")),
                    sg("aws_security_group.ingress[\"b\"]", Some("b")),
                    sg("aws_security_group.ingress[\"c\"]", Some("c")),
                ],
                "child_modules": [{"address": "module.svc", "resources": [{
                    "address": "module.svc.aws_ecs_service.this", "mode": "managed",
                    "type": "aws_ecs_service", "name": "this", "values": {}
                }]}]
            }},
            "configuration": {"root_module": {
                "variables": {"shared": {}},
                "resources": [{"address": "aws_security_group.ingress", "mode": "managed",
                    "type": "aws_security_group", "name": "ingress", "expressions": {},
                    "for_each_expression": {"references": ["var.shared"]}}],
                "module_calls": {"svc": {
                    "source": "./svc",
                    "expressions": {"sgs": call_arg},
                    "module": {
                        "variables": {"sgs": {}},
                        "resources": [{
                            "address": "aws_ecs_service.this", "mode": "managed",
                            "type": "aws_ecs_service", "name": "this",
                            "expressions": {"name": {"constant_value": "x"},
                                "network_configuration": [{"security_groups": service_expr}]}
                        }]
                    }
                }}
            }},
        });
        parse_bytes(
            doc.to_string().as_bytes(),
            "t.json",
            &LoadOptions::default(),
        )
        .unwrap()
    }

    fn bound(p: &Plan) -> Option<usize> {
        let res = p.resource("module.svc.aws_ecs_service.this").unwrap();
        p.element_bound(
            res,
            "network_configuration.0.security_groups",
            &["aws_security_group"],
        )
    }

    #[test]
    fn counts_instances_and_known_variable_values() {
        let via_var = json!({"references": ["var.sgs"]});
        // concat(var.shared, [for sg in aws_security_group.ingress : sg.id]): 3 + 3.
        let p = plan(
            json!({"references": ["var.shared", "aws_security_group.ingress"]}),
            via_var.clone(),
        );
        assert_eq!(bound(&p), Some(6));
        // One instance named by key.
        let p = plan(
            json!({"references": ["aws_security_group.ingress[\"a\"].id", "aws_security_group.ingress[\"a\"]"]}),
            via_var.clone(),
        );
        assert_eq!(bound(&p), Some(1));
        // A literal argument.
        let p = plan(json!({"constant_value": ["sg-9", "sg-8"]}), via_var);
        assert_eq!(bound(&p), Some(2));
    }

    #[test]
    fn what_cannot_be_counted_gives_no_bound() {
        let via_var = json!({"references": ["var.sgs"]});
        for arg in [
            json!({"references": ["local.groups"]}),
            json!({"references": ["aws_security_group.ingress", "each.value"]}),
            // Another attribute than the id, or another resource type.
            json!({"references": ["aws_security_group.ingress[\"a\"].tags", "aws_security_group.ingress[\"a\"]"]}),
            json!({"references": ["aws_vpc.main.default_security_group_id", "aws_vpc.main"]}),
        ] {
            assert_eq!(bound(&plan(arg.clone(), via_var.clone())), None, "{arg}");
        }
        // Not shown at all (a dynamic block): no expression.
        let p = plan(json!({"constant_value": []}), json!(null));
        let res = p.resource("module.svc.aws_ecs_service.this").unwrap();
        assert_eq!(
            p.element_bound(res, "network_configuration.0.subnets", &["aws_subnet"]),
            None
        );
    }
}
