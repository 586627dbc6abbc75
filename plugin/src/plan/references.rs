//! Following configuration references to the resources they name.
//!
//! An expression inside a module says `var.cluster_id`; the caller's module call says
//! `cluster_id = aws_ecs_cluster.main.id`; so the attribute comes from
//! `aws_ecs_cluster.main`. Likewise `module.svc.name` leads to the `name` output inside the
//! called module. The walk is a worklist (no recursion) with a visited set, so crafted
//! configurations with cycles or deep nesting cannot hang or overflow it.

use std::borrow::Cow;
use std::collections::HashSet;
use std::rc::Rc;
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

/// An expression's references as [`follow`] walks them: parsed once (an input or output
/// expression of a module is followed again for every resource that reads it).
#[derive(Debug, Clone)]
pub(crate) struct ParsedRefs {
    /// What [`distinct_traversals`] makes of the references.
    traversals: Vec<Vec<Step>>,
    /// Whether the expression reads `each.key` or `count.index`.
    uses_each: bool,
    /// The references as written, for the reference algorithm the tests compare with.
    #[cfg(test)]
    raw: Vec<String>,
}

impl ParsedRefs {
    pub(crate) fn new(refs: &[String]) -> ParsedRefs {
        ParsedRefs {
            traversals: distinct_traversals(refs),
            uses_each: refs
                .iter()
                .any(|r| r == "each.key" || r.starts_with("each.key.") || r == "count.index"),
            #[cfg(test)]
            raw: refs.to_vec(),
        }
    }
}

struct Work<'r> {
    /// Module instance the references are written in.
    module: Cow<'r, str>,
    /// Instance key of the object evaluating the expression (`each.key` / `count.index`).
    each_key: Option<Cow<'r, Value>>,
    refs: &'r ParsedRefs,
    certain: bool,
    /// Attribute names selected by the outer reference, applied after this one's own.
    tail: Vec<String>,
}

/// The pieces of a work that tell its traversals apart from the same traversals met in
/// another work (the instance key written out: JSON values do not hash). Made once per
/// work and shared by the visited keys of its traversals.
#[derive(PartialEq, Eq, Hash)]
struct WorkId {
    module: String,
    each_key: String,
    tail: Vec<String>,
}

impl Work<'_> {
    fn id(&self) -> Rc<WorkId> {
        Rc::new(WorkId {
            module: self.module.to_string(),
            each_key: self
                .each_key
                .as_deref()
                .map(Value::to_string)
                .unwrap_or_default(),
            tail: self.tail.clone(),
        })
    }
}

/// What [`follow`] remembers of a traversal it has walked; the steps are borrowed from the
/// parsed expressions, which outlive the walk.
type Visited<'r> = HashSet<(Rc<WorkId>, &'r [Step])>;

pub(crate) fn follow(
    plan: &Plan,
    module: &str,
    each_key: Option<&Value>,
    refs: &[String],
) -> Vec<RefTarget> {
    follow_parsed(plan, module, each_key, &ParsedRefs::new(refs))
}

/// [`follow`] for references parsed already.
pub(crate) fn follow_parsed<'r>(
    plan: &'r Plan,
    module: &'r str,
    each_key: Option<&'r Value>,
    refs: &'r ParsedRefs,
) -> Vec<RefTarget> {
    let mut out: Vec<RefTarget> = Vec::new();
    let mut queue = vec![Work {
        module: Cow::Borrowed(module),
        each_key: each_key.map(Cow::Borrowed),
        refs,
        certain: true,
        tail: Vec::new(),
    }];
    let mut visited: Visited<'r> = HashSet::new();
    let mut budget = MAX_WORK;
    // The first work's traversals are distinct (see `distinct_traversals`) and nothing was
    // visited before them, so they are remembered only when more work follows them (most
    // references name a resource directly: nothing to remember, no copies made).
    let mut is_first = true;
    while let Some(w) = queue.pop() {
        let parsed: &'r ParsedRefs = w.refs;
        let id = (!is_first).then(|| w.id());
        for steps in &parsed.traversals {
            if let Some(id) = &id {
                if !visited.insert((Rc::clone(id), steps)) {
                    continue;
                }
            }
            if budget == 0 {
                return dedupe(out);
            }
            budget -= 1;
            let ctx = Ctx {
                plan,
                w: &w,
                uses_each: parsed.uses_each,
            };
            ctx.step(steps, &mut queue, &mut out);
        }
        if is_first {
            is_first = false;
            if !queue.is_empty() {
                let id = w.id();
                for steps in &parsed.traversals {
                    visited.insert((Rc::clone(&id), steps));
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
            refs: expr.parsed(),
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
                refs: expr.parsed(),
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
                follow_parsed(plan, parent, each_key.as_ref(), expr.parsed()),
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

/// The walk as it was before each expression's references were parsed once (session 22),
/// kept to check that the new one gives the same targets in the same order: every work
/// parses its references again and remembers copies of its pieces.
#[cfg(test)]
mod reparsing {
    use std::collections::HashSet;

    use serde_json::Value;

    use super::{dedupe, distinct_traversals, Ctx, ParsedRefs, RefTarget, Work, MAX_WORK};
    use crate::plan::address::Step;
    use crate::plan::Plan;

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

    pub(super) fn follow(
        plan: &Plan,
        module: &str,
        each_key: Option<&Value>,
        refs: &[String],
    ) -> Vec<RefTarget> {
        let first = ParsedRefs::new(refs);
        let mut out: Vec<RefTarget> = Vec::new();
        let mut queue = vec![Work {
            module: module.into(),
            each_key: each_key.map(std::borrow::Cow::Borrowed),
            refs: &first,
            certain: true,
            tail: Vec::new(),
        }];
        let mut visited: Visited = HashSet::new();
        let mut budget = MAX_WORK;
        let mut is_first = true;
        while let Some(w) = queue.pop() {
            let raw = &w.refs.raw;
            let uses_each = raw
                .iter()
                .any(|r| r == "each.key" || r.starts_with("each.key.") || r == "count.index");
            let traversals = distinct_traversals(raw);
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
}

#[cfg(test)]
mod same_as_reparsing {
    use serde_json::{json, Value};

    use super::reparsing;
    use crate::plan::configuration::{Block, ExprNode, Expression, ModuleConfig};
    use crate::plan::{parse_bytes, LoadOptions, Plan, DEFAULT_MAX_BYTES};

    fn blocks<'c>(b: &'c Block, path: &str, out: &mut Vec<(String, &'c Expression)>) {
        for (k, node) in &b.0 {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            match node {
                ExprNode::Expr(e) => out.push((p, e)),
                ExprNode::Block(b) => blocks(b, &p, out),
                ExprNode::List(l) => {
                    for (i, b) in l.iter().enumerate() {
                        blocks(b, &format!("{p}.{i}"), out);
                    }
                }
            }
        }
    }

    /// Every expression a module's configuration holds.
    fn expressions(m: &ModuleConfig) -> Vec<&Expression> {
        let mut out = Vec::new();
        for r in m.resources.values() {
            let mut body = Vec::new();
            blocks(&r.expressions, "", &mut body);
            out.extend(body.into_iter().map(|(_, e)| e));
            out.extend(r.count.iter().chain(&r.for_each));
        }
        for c in m.module_calls.values() {
            out.extend(c.expressions.values());
            out.extend(c.count.iter().chain(&c.for_each));
        }
        out.extend(m.outputs.values().filter_map(|o| o.expression.as_ref()));
        out
    }

    /// Compares the two walks on every expression of every module instance (with several
    /// instance keys) and on every attribute of every resource; returns how many queries
    /// found targets.
    fn compare(p: &Plan, what: &str) -> usize {
        let mut found = 0;
        let keys = [
            None,
            Some(json!("a")),
            Some(json!("k1")),
            Some(json!(0)),
            Some(json!(1)),
        ];
        let modules = std::iter::once("").chain(p.module_instances.iter().map(String::as_str));
        for m in modules {
            let Some(cfg) = p.module_config(m) else {
                continue;
            };
            for e in expressions(cfg) {
                for k in &keys {
                    let new = p.follow(m, k.as_ref(), &e.references);
                    let parsed = super::follow_parsed(p, m, k.as_ref(), e.parsed());
                    let old = reparsing::follow(p, m, k.as_ref(), &e.references);
                    assert_eq!(new, old, "{what}: {m} {k:?} {:?}", e.references);
                    assert_eq!(parsed, old, "{what}: {m} {k:?} {:?}", e.references);
                    found += usize::from(!old.is_empty());
                }
            }
        }
        for r in &p.resources {
            let Some(cfg) = p.config_resource(r) else {
                continue;
            };
            let mut body = Vec::new();
            blocks(&cfg.expressions, "", &mut body);
            for (path, e) in body {
                let refs = p.each_value_refs(r, &e.references);
                let old = reparsing::follow(p, &r.module_address, r.index.as_ref(), &refs);
                assert_eq!(
                    p.resolve_references(r, &path),
                    old,
                    "{what}: {} {path}",
                    r.address
                );
            }
        }
        found
    }

    #[test]
    fn fixture_plans_follow_as_before() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata");
        let mut plans = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(root)];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let path = e.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.file_name().is_some_and(|n| n == "plan.json") {
                    plans.push(path);
                }
            }
        }
        let opts = LoadOptions {
            terraform_bin: None,
            max_bytes: DEFAULT_MAX_BYTES,
        };
        let (mut parsed, mut found) = (0, 0);
        for path in &plans {
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            if let Ok(p) = parse_bytes(&bytes, "plan.json", &opts) {
                parsed += 1;
                found += compare(&p, &path.display().to_string());
            }
        }
        assert!(parsed > 200, "{parsed} of {} plans parsed", plans.len());
        assert!(found > 1000, "only {found} queries found targets");
    }

    /// A module `depth` levels down, `fan` instances per level (for_each, count or one),
    /// handing `var.vpc_id` down and `id` outputs up, with an input that loops through the
    /// called module's output (invalid Terraform: the walk must end all the same).
    fn chain(depth: usize, fan: usize, counted: bool, vpc_count: bool) -> Value {
        let keys: Vec<String> = (0..fan)
            .map(|i| {
                if counted {
                    i.to_string()
                } else {
                    format!("\"k{i}\"")
                }
            })
            .collect();
        let refs = |r: &[&str]| json!({ "references": r });
        let mut module = json!({});
        for level in (1..=depth).rev() {
            let mut m = json!({
                "resources": [{"address": "aws_subnet.s", "mode": "managed", "type": "aws_subnet",
                    "name": "s", "expressions": {
                        "vpc_id": refs(&["var.vpc_id"]),
                        "tags": refs(&["each.key", "count.index", "var.name"]),
                        "cidr_block": refs(&["module.inner.id", "module.inner"]),
                        "description": refs(&["var.vpc_id", "module.inner.id", "aws_subnet.s",
                            "var.loop"])},
                    "for_each_expression": refs(&["var.keys"])}],
                "variables": {"vpc_id": {}, "name": {}, "loop": {}},
                "outputs": {
                    "id": {"expression": if level == depth {
                        refs(&["aws_subnet.s.id", "aws_subnet.s"])
                    } else {
                        refs(&["module.inner.id", "module.inner"])
                    }},
                    "loop": {"expression": refs(&["var.loop"])}}
            });
            if level < depth {
                let fan_expr = if counted {
                    "count_expression"
                } else {
                    "for_each_expression"
                };
                m["module_calls"] = json!({"inner": {
                    "source": "./inner",
                    "expressions": {
                        "vpc_id": refs(&["var.vpc_id"]),
                        "name": refs(&["each.key", "count.index"]),
                        "loop": refs(&["module.inner.loop", "module.inner"])},
                    fan_expr: refs(&["var.keys"]),
                    "module": module}});
            }
            module = m;
        }
        let vpc = if vpc_count {
            refs(&["aws_vpc.main[0].id", "aws_vpc.main[0]", "aws_vpc.main.id"])
        } else {
            refs(&["aws_vpc.main.id", "aws_vpc.main"])
        };
        let root_cfg = json!({
            "resources": [{"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc",
                "name": "main", "expressions": {}}],
            "module_calls": {"inner": {"source": "./inner",
                "expressions": {"vpc_id": vpc, "name": refs(&["aws_vpc.main"]),
                    "loop": refs(&["module.inner.loop"])},
                "count_expression": refs(&["var.n"]), "module": module}},
            "outputs": {"id": {"expression": refs(&["module.inner.id", "module.inner"])}}
        });
        // The planned instances: every key at every level.
        fn instances(prefix: &str, level: usize, depth: usize, keys: &[String]) -> Vec<Value> {
            if level > depth {
                return Vec::new();
            }
            keys.iter()
                .map(|k| {
                    let a = format!("{prefix}module.inner[{k}]");
                    let subnets: Vec<Value> = ["\"x\"", "\"y\""]
                        .iter()
                        .map(|s| {
                            json!({"address": format!("{a}.aws_subnet.s[{s}]"), "mode": "managed",
                                "type": "aws_subnet", "name": "s", "index": s.trim_matches('"'),
                                "values": {}, "sensitive_values": {}})
                        })
                        .collect();
                    json!({"address": a, "resources": subnets,
                        "child_modules": instances(&format!("{a}."), level + 1, depth, keys)})
                })
                .collect()
        }
        let vpcs: Vec<Value> = (0..2)
            .map(|i| {
                let (address, index) = if vpc_count {
                    (format!("aws_vpc.main[{i}]"), json!(i))
                } else {
                    ("aws_vpc.main".to_string(), Value::Null)
                };
                json!({"address": address, "mode": "managed", "type": "aws_vpc", "name": "main",
                    "index": index, "values": {}, "sensitive_values": {}})
            })
            .take(if vpc_count { 2 } else { 1 })
            .collect();
        json!({
            "format_version": "1.2",
            "terraform_version": "1.9.5",
            "planned_values": {"root_module": {"resources": vpcs,
                "child_modules": instances("", 1, depth, &keys)}},
            "configuration": {"root_module": root_cfg}
        })
    }

    #[test]
    fn generated_module_chains_follow_as_before() {
        let opts = LoadOptions {
            terraform_bin: None,
            max_bytes: DEFAULT_MAX_BYTES,
        };
        let mut found = 0;
        for depth in 1..=4 {
            for fan in 1..=3 {
                for (counted, vpc_count) in [(false, false), (true, false), (false, true)] {
                    let plan = chain(depth, fan, counted, vpc_count).to_string();
                    let p = parse_bytes(plan.as_bytes(), "plan.json", &opts).expect("parses");
                    assert!(p.module_instances.len() >= depth * fan, "{plan}");
                    found += compare(&p, &format!("chain {depth} {fan} {counted} {vpc_count}"));
                }
            }
        }
        assert!(found > 500, "only {found} queries found targets");
    }
}
