//! Following configuration references to the resources they name.
//!
//! An expression inside a module says `var.cluster_id`; the caller's module call says
//! `cluster_id = aws_ecs_cluster.main.id`; so the attribute comes from
//! `aws_ecs_cluster.main`. Likewise `module.svc.name` leads to the `name` output inside the
//! called module. The walk is a worklist (no recursion) with a visited set, so crafted
//! configurations with cycles or deep nesting cannot hang or overflow it.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use serde_json::Value;

use super::address::{self, Step};
use super::{Mode, Plan};

/// A resource an attribute's value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RefTarget {
    /// Absolute address in the planned world: an instance address when the instance is
    /// known, otherwise the resource's address without key (when no instance of it is kept).
    /// Shared: the source overlay gives the same targets for many attribute paths.
    pub address: Arc<str>,
    /// The attribute the reference selects (`id`, `arn`, `name`), if any.
    pub attribute: Option<Arc<str>>,
    /// False when the instance could not be determined: one of several candidates.
    pub certain: bool,
}

/// Upper bound on expressions visited for one query, against pathological configurations.
const MAX_WORK: usize = 10_000;

struct Work<'r> {
    /// Module instance the references are written in.
    module: Cow<'r, str>,
    /// Instance key of the object evaluating the expression (`each.key` / `count.index`).
    each_key: Option<Cow<'r, Value>>,
    refs: Cow<'r, [String]>,
    certain: bool,
    /// Attribute names selected by the outer reference, applied after this one's own.
    tail: Vec<String>,
}

/// What [`follow`] remembers of a traversal it has walked: the work's own pieces (the
/// instance key written out: JSON values do not hash).
type Visited = HashSet<(String, Vec<Step>, String, Vec<String>)>;

fn visited_key(w: &Work<'_>, steps: &[Step]) -> (String, Vec<Step>, String, Vec<String>) {
    (
        w.module.to_string(),
        steps.to_vec(),
        w.each_key
            .as_deref()
            .map(Value::to_string)
            .unwrap_or_default(),
        w.tail.clone(),
    )
}

pub(crate) fn follow<'r>(
    plan: &'r Plan,
    module: &'r str,
    each_key: Option<&'r Value>,
    refs: &'r [String],
) -> Vec<RefTarget> {
    let mut out: Vec<RefTarget> = Vec::new();
    let mut queue = vec![Work {
        module: Cow::Borrowed(module),
        each_key: each_key.map(Cow::Borrowed),
        refs: Cow::Borrowed(refs),
        certain: true,
        tail: Vec::new(),
    }];
    let mut visited: Visited = HashSet::new();
    let mut budget = MAX_WORK;
    // The first work's traversals are distinct (see `distinct_traversals`) and nothing was
    // visited before them, so they are remembered only when more work follows them (most
    // references name a resource directly: nothing to remember, no copies made).
    let mut is_first = true;
    while let Some(w) = queue.pop() {
        let uses_each = w
            .refs
            .iter()
            .any(|r| r == "each.key" || r.starts_with("each.key.") || r == "count.index");
        let traversals = distinct_traversals(&w.refs);
        for steps in &traversals {
            if !is_first && !visited.insert(visited_key(&w, steps)) {
                continue;
            }
            if budget == 0 {
                return dedupe(out);
            }
            budget -= 1;
            let ctx = Ctx {
                plan,
                w: &w,
                uses_each,
            };
            ctx.step(steps, &mut queue, &mut out);
        }
        if is_first {
            is_first = false;
            if !queue.is_empty() {
                for steps in &traversals {
                    visited.insert(visited_key(&w, steps));
                }
            }
        }
    }
    dedupe(out)
}

/// Keep each traversal once, and drop those that are a prefix of another in the list:
/// Terraform lists `aws_x.y.id` and then `aws_x.y`, which name the same thing.
pub(super) fn distinct_traversals(refs: &[String]) -> Vec<Vec<Step>> {
    let mut parsed: Vec<Vec<Step>> = Vec::new();
    for r in refs {
        if let Some(s) = address::steps(r) {
            if !s.is_empty() && !parsed.contains(&s) {
                parsed.push(s);
            }
        }
    }
    let keep: Vec<bool> = parsed
        .iter()
        .map(|s| {
            !parsed
                .iter()
                .any(|o| o.len() > s.len() && o[..s.len()] == s[..])
        })
        .collect();
    parsed
        .into_iter()
        .zip(keep)
        .filter_map(|(s, k)| k.then_some(s))
        .collect()
}

pub(super) fn names(steps: &[Step]) -> Vec<String> {
    steps
        .iter()
        .filter_map(|s| match s {
            Step::Name(n) => Some(n.clone()),
            Step::Index(_) => None,
        })
        .collect()
}

fn dedupe(v: Vec<RefTarget>) -> Vec<RefTarget> {
    let mut out: Vec<RefTarget> = Vec::new();
    for t in v {
        match out
            .iter_mut()
            .find(|o| o.address == t.address && o.attribute == t.attribute)
        {
            Some(o) => o.certain |= t.certain,
            None => out.push(t),
        }
    }
    out
}

struct Ctx<'p, 'w> {
    plan: &'p Plan,
    w: &'w Work<'p>,
    uses_each: bool,
}

impl<'p> Ctx<'p, '_> {
    fn step(&self, steps: &[Step], queue: &mut Vec<Work<'p>>, out: &mut Vec<RefTarget>) {
        let Some(Step::Name(first)) = steps.first() else {
            return;
        };
        match first.as_str() {
            "var" => self.through_variable(steps, queue),
            "module" => self.through_output(steps, queue),
            // Values that are not resources, or that ecsnet cannot evaluate.
            "local" | "each" | "count" | "path" | "terraform" | "self" => {}
            "data" => self.resource(Mode::Data, &steps[1..], out),
            _ => self.resource(Mode::Managed, steps, out),
        }
    }

    /// `var.NAME…` inside a module → the caller's expression for NAME, evaluated in the
    /// caller with the module instance's key as `each.key`.
    fn through_variable(&self, steps: &[Step], queue: &mut Vec<Work<'p>>) {
        let Some(Step::Name(var)) = steps.get(1) else {
            return;
        };
        // A root variable is a value given by the user, not a resource.
        let Some(Some((call, key, parent))) = super::last_module_call(&self.w.module) else {
            return;
        };
        let Some(parent_cfg) = self.plan.module_config(parent) else {
            return;
        };
        let Some(expr) = parent_cfg
            .module_calls
            .get(call)
            .and_then(|c| c.expressions.get(var))
        else {
            return;
        };
        queue.push(Work {
            module: Cow::Owned(parent.to_string()),
            each_key: key.map(|k| Cow::Owned(address::key_value(k))),
            refs: Cow::Borrowed(&expr.references),
            certain: self.w.certain,
            tail: concat(names(&steps[2..]), &self.w.tail),
        });
    }

    /// `module.CALL[KEY].OUTPUT…` → the output's expression inside each matching instance.
    fn through_output(&self, steps: &[Step], queue: &mut Vec<Work<'p>>) {
        let Some(Step::Name(call)) = steps.get(1) else {
            return;
        };
        let (key, rest) = match steps.get(2) {
            Some(Step::Index(k)) => (Some(k.as_str()), &steps[3..]),
            _ => (None, &steps[2..]),
        };
        let Some(Step::Name(output)) = rest.first() else {
            return;
        };
        let Some(cfg) = self.plan.module_config(&self.w.module) else {
            return;
        };
        let Some(mc) = cfg.module_calls.get(call) else {
            return;
        };
        let Some(expr) = mc
            .module
            .outputs
            .get(output)
            .and_then(|o| o.expression.as_ref())
        else {
            return;
        };
        let base = address::join(&self.w.module, &format!("module.{call}"));
        let all = self.plan.module_instances_of(&base);
        // Terraform omits `for_each_expression` when it has no references (a literal
        // `toset([...])`), so keyed instances in the plan count as much as the configuration.
        let multi = mc.is_multi_instance() || all.iter().any(|m| m.len() > base.len());
        let (instances, certain) = if let Some(k) = key {
            (vec![format!("{base}[{k}]")], self.w.certain)
        } else if !multi {
            (vec![base], self.w.certain)
        } else {
            let same = self.same_key(&all, module_key);
            match same {
                Some(m) => (vec![m], false),
                None => (all, false),
            }
        };
        for inst in instances {
            queue.push(Work {
                module: Cow::Owned(inst),
                each_key: None,
                refs: Cow::Borrowed(&expr.references),
                certain,
                tail: concat(names(&rest[1..]), &self.w.tail),
            });
        }
    }

    /// When the expression uses `each.key`/`count.index` and one candidate has the
    /// evaluating object's own key, that candidate is the likely one (a common pattern:
    /// `aws_x.y[each.key]`), though still not certain.
    fn same_key(
        &self,
        candidates: &[String],
        key_of: impl Fn(&str) -> Option<Value>,
    ) -> Option<String> {
        if !self.uses_each {
            return None;
        }
        let k = self.w.each_key.as_deref()?;
        candidates
            .iter()
            .find(|c| key_of(c).as_ref() == Some(k))
            .cloned()
    }

    /// `TYPE.NAME[KEY].ATTR…` (steps start at TYPE).
    fn resource(&self, mode: Mode, steps: &[Step], out: &mut Vec<RefTarget>) {
        let (Some(Step::Name(type_)), Some(Step::Name(name))) = (steps.first(), steps.get(1))
        else {
            return;
        };
        let (key, rest) = match steps.get(2) {
            Some(Step::Index(k)) => (Some(k.as_str()), &steps[3..]),
            _ => (None, &steps[2..]),
        };
        let rel = match mode {
            Mode::Managed => format!("{type_}.{name}"),
            Mode::Data => format!("data.{type_}.{name}"),
        };
        let base = address::join(&self.w.module, &rel);
        // The first attribute name selected: this reference's own, else the outer one's.
        let attribute = rest
            .iter()
            .find_map(|s| match s {
                Step::Name(n) => Some(n),
                Step::Index(_) => None,
            })
            .or(self.w.tail.first())
            .map(|a| Arc::from(a.as_str()));
        let push = |out: &mut Vec<RefTarget>, address: String, certain: bool| {
            out.push(RefTarget {
                address: address.into(),
                attribute: attribute.clone(),
                certain,
            })
        };
        if let Some(k) = key {
            if k != "*" {
                push(out, format!("{base}[{k}]"), self.w.certain);
                return;
            }
        }
        // As for modules: a literal `for_each` leaves no trace in the configuration.
        let multi = self.plan.has_keyed_instances(&base)
            || self
                .plan
                .module_config(&self.w.module)
                .and_then(|m| m.resources.get(&rel))
                .is_some_and(|cfg| cfg.is_multi_instance());
        if !multi {
            push(out, base, self.w.certain);
            return;
        }
        let instances = self.plan.instances_of(&base);
        let addrs: Vec<String> = instances.iter().map(|r| r.address.clone()).collect();
        let by_key = |a: &str| {
            instances
                .iter()
                .find(|r| r.address == a)
                .and_then(|r| r.index.clone())
        };
        if let Some(a) = self.same_key(&addrs, by_key) {
            push(out, a, false);
        } else if addrs.is_empty() {
            push(out, base, false);
        } else {
            for a in addrs {
                push(out, a, false);
            }
        }
    }
}

/// The one resource (managed or data, without instance key) a `for_each` expression's
/// references name, when they name exactly one and nothing else: `aws_subnet.app`.
pub(crate) fn single_resource(refs: &[String]) -> Option<String> {
    let mut found: Option<String> = None;
    for steps in distinct_traversals(refs) {
        let n = names(&steps);
        let (first, second) = (n.first()?, n.get(1)?);
        let base = match first.as_str() {
            "var" | "module" | "local" | "each" | "count" | "path" | "terraform" | "self" => {
                return None
            }
            "data" => format!("data.{second}.{}", n.get(2)?),
            _ => format!("{first}.{second}"),
        };
        // `aws_subnet.app[*]` or a selected instance is not the whole map.
        if steps.iter().any(|s| matches!(s, Step::Index(_))) {
            return None;
        }
        match &found {
            Some(f) if *f != base => return None,
            _ => found = Some(base),
        }
    }
    found
}

pub(crate) fn module_inputs(plan: &Plan, module: &str) -> Vec<(String, Vec<RefTarget>)> {
    let Some(Some((call, key, parent))) = super::last_module_call(module) else {
        return Vec::new();
    };
    let Some(mc) = plan
        .module_config(parent)
        .and_then(|c| c.module_calls.get(call))
    else {
        return Vec::new();
    };
    let each_key = key.map(address::key_value);
    mc.expressions
        .iter()
        .map(|(var, expr)| {
            (
                var.clone(),
                follow(plan, parent, each_key.as_ref(), &expr.references),
            )
        })
        .filter(|(_, targets)| !targets.is_empty())
        .collect()
}

fn concat(mut a: Vec<String>, b: &[String]) -> Vec<String> {
    a.extend(b.iter().cloned());
    a
}

/// `module.a["x"].module.b` → `module.a["x"]`; a root-level module → `""`. What
/// [`super::last_module_call`] reads in place (tests check the two agree).
#[cfg(test)]
pub(super) fn parent_prefix(module: &str) -> String {
    let Some(steps) = address::steps_with_end(module) else {
        return String::new();
    };
    // The last `module` step starts the last segment; the parent ends before it.
    let mut last_module_start = 0;
    let mut prev_end = 0;
    for (step, end) in &steps {
        if matches!(step, Step::Name(n) if n == "module") {
            last_module_start = prev_end;
        }
        prev_end = *end;
    }
    module[..last_module_start]
        .trim_end_matches('.')
        .to_string()
}

/// The instance key of a module instance address's last segment.
fn module_key(module: &str) -> Option<Value> {
    let (_, key, _) = super::last_module_call(module)??;
    key.map(address::key_value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_prefixes_are_dropped() {
        let refs: Vec<String> = [
            "aws_ecs_cluster.main.id",
            "aws_ecs_cluster.main",
            "var.a",
            "var.a",
            "module.m",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let d = distinct_traversals(&refs);
        assert_eq!(d.len(), 3, "{d:?}");
    }

    #[test]
    fn parent_of_module_instance() {
        assert_eq!(
            parent_prefix(r#"module.a["x.y"].module.b[0]"#),
            r#"module.a["x.y"]"#
        );
        assert_eq!(parent_prefix("module.a"), "");
        assert_eq!(
            module_key(r#"module.a["x"]"#),
            Some(Value::String("x".into()))
        );
        assert_eq!(module_key("module.a[2]"), Some(serde_json::json!(2)));
        assert_eq!(module_key("module.a"), None);
    }
}
