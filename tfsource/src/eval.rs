//! The symbolic evaluator: attribute expressions of a module instance evaluated with the
//! instance's inputs; what exists only after apply stays [`Value::Unknown`] and names
//! the resource attribute it comes from.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use hcl::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, Operation, TraversalOperator, UnaryOperator,
};
use hcl::template::{Directive, Element, Template};

use crate::address::{self, Borrowed, Key, ModuleStep};
use crate::funcs;
use crate::sources::{FastMap, Item, Module, Seeded, Sources};
use crate::tree::{Block, Body};
use crate::value::{not_null, unknown_of, Ref, Unknown, Value};

/// How deep evaluation may nest (locals naming locals, module outputs, resources'
/// arguments) before a value is given up as unknown: guards against cycles.
const MAX_DEPTH: u32 = 200;

/// How many look-ups of a module's resource blocks by name before they get a hash index
/// (see [`Evaluator::block`]): a module called once is asked about ten times.
const INDEX_AFTER: u32 = 32;

/// An evaluation error in Terraform's sense (a missing attribute, an index out of range,
/// a wrong type). `try()` and `can()` catch it; the public API turns it into an unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fail;

pub(crate) type R = Result<Value, Fail>;

/// One module instance: its module, its path in plan addresses and its input values.
#[derive(Debug)]
pub struct Instance {
    module: usize,
    /// `module.svc["a"]`; empty for the root.
    pub path: String,
    /// Module key as in `modules.json` (`svc.inner`).
    pub key: String,
    /// The module's input variable names, in order (shared by its instances).
    var_names: Rc<[Box<str>]>,
    /// Input variables, as `var_names`: argument of the call, else the variable's default,
    /// else unknown. By position, not by name: an instance copies no name.
    vars: Vec<Value>,
    /// Locals evaluated, by name.
    locals: RefCell<FastMap<String, Local>>,
}

impl Instance {
    /// The value of an input variable; `None` when the module does not declare it.
    pub fn var(&self, name: &str) -> Option<&Value> {
        // A module has few variables: a scan that compares lengths first mostly compares
        // no text.
        let i = self
            .var_names
            .iter()
            .position(|n| n.len() == name.len() && **n == *name)?;
        self.vars.get(i)
    }
}

/// What a reader takes of the objects in a JSON string attribute (see
/// [`Evaluator::written_attributes_reading`]).
#[derive(Debug, Clone, Copy)]
pub struct ReadMembers<'r> {
    /// The members taken.
    pub names: &'r [&'r str],
    /// Members taken of which, when they are objects, only some members are taken: those.
    pub within: &'r [(&'r str, &'r [&'r str])],
}

impl<'r> ReadMembers<'r> {
    /// Whether the member `name` is taken.
    pub fn takes(self, name: &str) -> bool {
        self.names.contains(&name)
    }

    /// Of the member `name`, when taken in part, the members taken.
    pub fn within(self, name: &str) -> Option<&'r [&'r str]> {
        self.within
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, w)| *w)
    }
}

/// What a reader takes of each JSON string attribute, by name (see [`ReadMembers`]).
type Reader<'f, 'r> = &'f dyn Fn(&str) -> Option<ReadMembers<'r>>;

/// A local of a module instance, once evaluated.
#[derive(Debug)]
struct Local {
    /// `None` while moved to the one reader that read it whole (see
    /// [`Evaluator::take_local`]).
    value: Option<Value>,
    /// It was moved once: it is not moved again.
    taken: bool,
}

/// Evaluates expressions of a configuration's sources.
///
/// ```
/// # use std::collections::BTreeMap;
/// # let dir = tempfile::tempdir().unwrap();
/// # std::fs::write(dir.path().join("main.tf"), r#"
/// # variable "port" { default = 80 }
/// # resource "aws_ecs_task_definition" "app" {
/// #   container_definitions = jsonencode([{ name = "app", image = aws_ecr_repository.app.repository_url,
/// #     portMappings = [{ containerPort = var.port }] }])
/// # }
/// # "#).unwrap();
/// let sources = tfsource::Sources::load(dir.path()).unwrap();
/// let plan_variables = serde_json::json!({ "port": { "value": 8080 } });
/// let ev = tfsource::Evaluator::from_plan_variables(&sources, &plan_variables);
/// let defs = ev.attribute("aws_ecs_task_definition.app", "container_definitions").unwrap();
/// // The image is known only after apply, so the string is unknown, but its structure is there:
/// let tfsource::Value::Unknown(u) = &defs else { panic!() };
/// let json = u.json.as_deref().unwrap();
/// let port = &json.as_list().unwrap()[0].get("portMappings").unwrap().as_list().unwrap()[0];
/// assert_eq!(port.get("containerPort").unwrap().as_i64(), Some(8080));
/// assert_eq!(defs.refs()[0].to_string(), "aws_ecr_repository.app.repository_url");
/// ```
pub struct Evaluator<'s> {
    sources: &'s Sources,
    root_vars: BTreeMap<String, Value>,
    /// Instance keys of counted resources known from elsewhere (the plan), by address
    /// without key: used when `count`/`for_each` does not evaluate.
    known_instances: HashMap<String, Vec<Key>>,
    instances: RefCell<FastMap<String, Rc<Instance>>>,
    /// `for_each` values by (module instance, resource body) addresses; both live as long
    /// as the evaluator (instances are kept in `instances`, bodies in `sources`).
    for_each_values: RefCell<FastMap<(usize, usize), Rc<Value>>>,
    /// Parsed templates by the address of their expression, with the expression to check
    /// that the address still holds it: a template written in a module called 200 times is
    /// parsed once.
    templates: RefCell<FastMap<usize, (hcl::expr::TemplateExpr, Rc<Template>)>>,
    /// Variable defaults and `optional(...)` type defaults of the sources' modules,
    /// evaluated (and converted to their type) once per evaluator by the address of their
    /// expression (they may not reference anything, so their value is the same in every
    /// module instance): a module called 200 times has its defaults evaluated once.
    literals: RefCell<FastMap<usize, Value>>,
    /// `TYPE.NAME` values by (module instance, resource block) addresses, as
    /// [`Evaluator::resource_value`] makes them: a resource named by several expressions of
    /// an instance (or a root resource named by every module call) has its address written,
    /// and its `count`/`for_each` evaluated, once. Both addresses live as long as the
    /// evaluator, as for `for_each_values`.
    resource_values: RefCell<FastMap<(usize, usize), ResourceValue>>,
    /// The module instance and block of the address of each whole-resource unknown in
    /// `resource_values`, by the address's allocation (held there, so not reused): its
    /// attributes (`aws_ecr_repository.this.repository_url`) are looked up without
    /// taking the address apart again.
    resolved: RefCell<FastMap<usize, (Rc<Instance>, &'s Block)>>,
    /// A buffer to write a block name into for a lookup, without allocating each time.
    scratch: RefCell<String>,
    /// Attribute names as shared text, once each: `aws_iam_role.task.arn` in 200 module
    /// instances names `arn` with one allocation, not 200 (see [`Evaluator::get_attr`]).
    names: RefCell<FastMap<Arc<str>, ()>>,
    /// Each module's resource blocks by name, by module, and how often they were asked for
    /// before (see [`Evaluator::block`]).
    blocks: Vec<(Cell<u32>, std::cell::OnceCell<BlockIndex<'s>>)>,
    /// The hashing of the evaluator's per-module indexes: one seed, not one per index.
    seed: Seeded,
    /// The module instance of the resource address resolved last (see
    /// [`Evaluator::in_last_instance`]).
    last_instance: RefCell<Option<Rc<Instance>>>,
    /// [`Evaluator::reads_members_once`] of `dynamic` blocks' contents, by their address.
    reads_once: RefCell<FastMap<usize, bool>>,
    /// Each module's variable names, by module (see [`Instance::var`]).
    var_names: RefCell<FastMap<usize, Rc<[Box<str>]>>>,
    /// Whether some variable of the sources is declared sensitive (see
    /// [`Evaluator::written_attributes_reading`]), once asked.
    any_sensitive_variable: std::cell::OnceCell<bool>,
    depth: Cell<u32>,
    /// Set when an evaluation gave up at [`MAX_DEPTH`]: a value made then depends on how
    /// deep it was asked for, and is not cached.
    depth_hit: Cell<bool>,
}

/// A module's resource blocks by name (see [`Evaluator::block`]).
type BlockIndex<'s> = FastMap<&'s str, &'s Item<Block>>;

/// A resource address resolved: its module instance, block and instance key.
type Resolved<'s> = (Rc<Instance>, &'s Block, Option<Key>);

/// A `TYPE.NAME` value as [`Evaluator::resource_values`] keeps it.
enum ResourceValue {
    /// One instance, no key: the address, shared; the unknown naming it is made for each
    /// reader (a copy of a made one would cost as much).
    Single(Arc<str>),
    /// With `count` or `for_each`: the list or map of its instances.
    Counted(Value),
}

impl ResourceValue {
    fn value(&self) -> Value {
        match self {
            ResourceValue::Single(a) => Value::unknown_whole(a.clone()),
            ResourceValue::Counted(v) => v.clone(),
        }
    }
}

/// Variables in scope besides the module's: `count`, `each`, for-expression and dynamic
/// block iterators, `templatefile` variables.
#[derive(Clone)]
struct Scope {
    inst: Rc<Instance>,
    /// The names bound, latest first, shared: a scope (cloned for every for-expression
    /// element and block) copies a pointer, and binding a name adds one link.
    binds: Option<Rc<Bind>>,
    /// Inside `templatefile`: only `binds` are visible.
    template_only: bool,
}

/// One bound name and the names bound before it.
struct Bind {
    name: Name,
    value: Bound,
    outer: Option<Rc<Bind>>,
}

/// What a name is bound to.
enum Bound {
    Value(Value),
    Pair(Pair),
}

/// An iterator's `{ key = ..., value = ... }` (`each`, a `dynamic` block's): kept as its
/// two parts, made into an object only when read whole; `it.value.x` reads the part in
/// place.
struct Pair {
    key: Value,
    value: RefCell<Value>,
    /// Each member of `value` is read at most once (see
    /// [`Evaluator::reads_members_once`]): a member read is moved out, not copied.
    once: bool,
}

impl Pair {
    /// Reads `it.key...` or `it.value...` (`ops`: the traversal's steps after the name):
    /// `f` gets the part the plain steps walk to, and how many steps that took; `None`
    /// for other steps.
    fn read<T>(&self, ops: &[TraversalOperator], f: impl FnOnce(&Value, usize) -> T) -> Option<T> {
        let Some(TraversalOperator::GetAttr(n)) = ops.first() else {
            return None;
        };
        match n.as_str() {
            "key" => {
                let (part, used) = walk(&self.key, &ops[1..]);
                Some(f(part, used + 1))
            }
            "value" => {
                let value = self.value.borrow();
                let (part, used) = walk(&value, &ops[1..]);
                Some(f(part, used + 1))
            }
            _ => None,
        }
    }

    /// The part [`Pair::read`] reads as a value of its own, and the steps taken: a member
    /// of a value read once moved out (its further steps are the caller's), else a copy.
    fn part(&self, ops: &[TraversalOperator]) -> Option<(Value, usize)> {
        if let (true, [TraversalOperator::GetAttr(v), TraversalOperator::GetAttr(n), ..]) =
            (self.once, ops)
        {
            if let (Value::Map(m), "value") = (&mut *self.value.borrow_mut(), v.as_str()) {
                if let Some(member) = m.get_mut(n.as_str()) {
                    return Some((std::mem::replace(member, Value::Null), 2));
                }
            }
        }
        self.read(ops, |part, used| (part.clone(), used))
    }

    /// The object, whole.
    fn to_value(&self) -> Value {
        let mut m = BTreeMap::new();
        m.insert("key".to_string(), self.key.clone());
        m.insert("value".to_string(), self.value.borrow().clone());
        Value::Map(m)
    }
}

impl Bound {
    /// The value bound, whole.
    fn to_value(&self) -> Value {
        match self {
            Bound::Value(v) => v.clone(),
            Bound::Pair(p) => p.to_value(),
        }
    }
}

impl Drop for Bind {
    /// Unlinks the names bound before this one that nothing else holds, one at a time: a
    /// `templatefile` with many variables makes a long chain, which dropping recursively
    /// could overflow the stack.
    fn drop(&mut self) {
        let mut next = self.outer.take();
        while let Some(rc) = next {
            next = match Rc::try_unwrap(rc) {
                Ok(mut b) => b.outer.take(),
                Err(_) => None,
            };
        }
    }
}

/// A bound name: iterator and template variable names are short, and kept inline.
enum Name {
    Short(u8, [u8; 22]),
    Long(Box<str>),
}

impl Name {
    fn new(s: &str) -> Name {
        match u8::try_from(s.len()) {
            Ok(n) if usize::from(n) <= 22 => {
                let mut buf = [0u8; 22];
                buf[..s.len()].copy_from_slice(s.as_bytes());
                Name::Short(n, buf)
            }
            _ => Name::Long(s.into()),
        }
    }

    fn is(&self, s: &str) -> bool {
        match self {
            Name::Short(n, buf) => &buf[..usize::from(*n)] == s.as_bytes(),
            Name::Long(b) => &**b == s,
        }
    }
}

impl Scope {
    fn new(inst: Rc<Instance>) -> Scope {
        Scope {
            inst,
            binds: None,
            template_only: false,
        }
    }

    fn with(&self, name: &str, v: Value) -> Scope {
        let mut s = self.clone();
        s.bind(name, v);
        s
    }

    /// This scope with an iterator bound (see [`Pair`]); `once` as [`Pair::once`].
    fn with_pair(&self, name: &str, key: Value, value: Value, once: bool) -> Scope {
        let mut s = self.clone();
        let value = RefCell::new(value);
        s.bind_as(name, Bound::Pair(Pair { key, value, once }));
        s
    }

    /// Bind a name in this scope (a copy made for one element or block).
    fn bind(&mut self, name: &str, v: Value) {
        self.bind_as(name, Bound::Value(v));
    }

    fn bind_as(&mut self, name: &str, value: Bound) {
        self.binds = Some(Rc::new(Bind {
            name: Name::new(name),
            value,
            outer: self.binds.take(),
        }));
    }

    fn bound(&self, name: &str) -> Option<&Bound> {
        let mut b = self.binds.as_deref();
        while let Some(x) = b {
            if x.name.is(name) {
                return Some(&x.value);
            }
            b = x.outer.as_deref();
        }
        None
    }
}

impl<'s> Evaluator<'s> {
    /// An evaluator whose root module variables have these values (variables not given
    /// take their default, else are unknown).
    pub fn new(sources: &'s Sources, root_vars: BTreeMap<String, Value>) -> Self {
        Evaluator {
            sources,
            root_vars,
            known_instances: HashMap::new(),
            instances: RefCell::default(),
            for_each_values: RefCell::default(),
            templates: RefCell::default(),
            literals: RefCell::default(),
            resource_values: RefCell::default(),
            resolved: RefCell::default(),
            scratch: RefCell::default(),
            names: RefCell::default(),
            var_names: RefCell::default(),
            blocks: sources.modules.iter().map(|_| Default::default()).collect(),
            seed: Seeded::default(),
            last_instance: RefCell::default(),
            reads_once: RefCell::default(),
            any_sensitive_variable: std::cell::OnceCell::new(),
            depth: Cell::new(0),
            depth_hit: Cell::new(false),
        }
    }

    /// An evaluator with the root variables of a plan: its `variables` object
    /// (`{"name": {"value": ...}}`).
    pub fn from_plan_variables(sources: &'s Sources, variables: &serde_json::Value) -> Self {
        let vars = variables
            .as_object()
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| Some((k.clone(), Value::from_json(v.get("value")?))))
                    .collect()
            })
            .unwrap_or_default();
        Evaluator::new(sources, vars)
    }

    /// The instance keys of resources whose `count` or `for_each` the sources cannot
    /// evaluate (it reads a data source, a value known only to the plan), by address
    /// without key (`module.vpc.aws_subnet.private`), e.g. from the plan's instances:
    /// `aws_subnet.private[*].id` then gives one unknown per instance instead of one
    /// unknown for all.
    pub fn with_known_instances(mut self, instances: HashMap<String, Vec<Key>>) -> Self {
        self.known_instances = instances;
        self
    }

    pub fn sources(&self) -> &'s Sources {
        self.sources
    }

    /// The module instance at a path as it appears in plan addresses (`""` for the root,
    /// `module.svc["a"]`, `module.a.module.b[0]`), with its inputs evaluated from the
    /// calling module (recursively). `None` when the sources have no such module call.
    pub fn instance(&self, path: &str) -> Option<Rc<Instance>> {
        let steps = address::parse_module_path(path)?;
        self.instance_at(&steps)
    }

    /// The value of a resource instance's attribute as written in the sources
    /// (`network_configuration` gives a list of blocks, `dynamic` blocks expanded;
    /// `network_configuration[0].subnets` goes inside). `count.index` and `each.*` come
    /// from the address's instance key. `None` when the sources do not declare the
    /// address or the resource does not set the attribute.
    pub fn attribute(&self, address: &str, attr_path: &str) -> Option<Value> {
        let steps = address::parse_attr_path(attr_path)?;
        let first = match steps.first() {
            Some(address::PathStep::Name(n)) => n.clone(),
            _ => return None,
        };
        let (inst, block, key) = self.resource_block(address)?;
        if block.body.attr(&first).is_none() && !has_block(&block.body, &first) {
            // Not written: no need to bind the instance key (which evaluates `for_each`).
            return None;
        }
        let scope = self.bind_instance_key(Scope::new(inst), &block.body, key.as_ref());
        let mut v = if let Some(a) = block.body.attr(&first) {
            self.eval(&scope, &a.expr)
                .unwrap_or_else(|_| Value::unknown())
        } else if has_block(&block.body, &first) {
            self.nested_blocks(&scope, &block.body, &first)
                .unwrap_or_else(|_| Value::unknown())
        } else {
            return None;
        };
        for step in &steps[1..] {
            v = match step {
                address::PathStep::Name(n) => self.get_attr(v, n),
                address::PathStep::Index(k) => index(v, &key_value(k)),
            }
            .ok()?;
        }
        Some(v)
    }

    /// Several top-level attributes (or nested block kinds) of one resource instance, as
    /// [`Evaluator::attribute`] gives each: the names the resource writes, in the order
    /// given, with their values; names it does not write are left out. The address is
    /// resolved, and the instance key bound, once for all of them, and only when one of
    /// the names is written.
    pub fn attributes<'n>(
        &self,
        address: &str,
        names: impl IntoIterator<Item = &'n str>,
    ) -> Vec<(&'n str, Value)> {
        self.written_attributes(address, names).unwrap_or_default()
    }

    /// [`Evaluator::attributes`], or `None` when the address is not found (the sources do
    /// not declare it, or its module instance is not among them).
    pub fn written_attributes<'n>(
        &self,
        address: &str,
        names: impl IntoIterator<Item = &'n str>,
    ) -> Option<Vec<(&'n str, Value)>> {
        let (inst, block, key) = self.resource_block(address)?;
        Some(self.written_in(inst, block, key.as_ref(), names, None))
    }

    /// [`Evaluator::written_attributes`] for a reader that takes only some members of the
    /// objects in a JSON string attribute: `read(name)` gives them for such an attribute
    /// (`container_definitions`: the members of a container definition a model reads).
    /// Written as `jsonencode([...])` whose elements are object literals or locals that
    /// are (`jsonencode([local.container])`), the other members of those objects are not
    /// evaluated at all; the value is then that of the members kept (their references; a
    /// string that has nothing unknown left is known). Only where leaving members out
    /// cannot hide a sensitive value: no variable of the sources is declared sensitive
    /// (else every member is evaluated).
    // Kept out of line: profiles measure the evaluator's share of `check --source` by it.
    #[inline(never)]
    pub fn written_attributes_reading<'n, 'r>(
        &self,
        address: &str,
        names: impl IntoIterator<Item = &'n str>,
        read: Reader<'_, 'r>,
    ) -> Option<Vec<(&'n str, Value)>> {
        let (inst, block, key) = self.resource_block(address)?;
        let read = (!self.any_sensitive_variable()).then_some(read);
        Some(self.written_in(inst, block, key.as_ref(), names, read))
    }

    /// Whether some module of the sources declares a sensitive variable.
    fn any_sensitive_variable(&self) -> bool {
        *self.any_sensitive_variable.get_or_init(|| {
            self.sources.modules.iter().any(|m| {
                m.variables.values().any(|v| {
                    matches!(
                        v.node.body.attr("sensitive").map(|a| &a.expr),
                        Some(Expression::Bool(true))
                    )
                })
            })
        })
    }

    /// [`Evaluator::written_attributes`] of a resolved resource instance, with the members
    /// read of JSON string attributes when `read` is given (see
    /// [`Evaluator::written_attributes_reading`]).
    fn written_in<'n, 'r>(
        &self,
        inst: Rc<Instance>,
        block: &Block,
        key: Option<&Key>,
        names: impl IntoIterator<Item = &'n str>,
        read: Option<Reader<'_, 'r>>,
    ) -> Vec<(&'n str, Value)> {
        let body = &block.body;
        // The instance key is bound (its `for_each` evaluated) at the first name written,
        // before any is evaluated; not at all when none is.
        let mut inst = Some(inst);
        let mut scope = None;
        let mut out = Vec::new();
        for n in names {
            let attr = body.attr(n);
            if attr.is_none() && !has_block(body, n) {
                continue;
            }
            let scope = scope.get_or_insert_with(|| {
                let inst = inst.take().expect("bound once");
                self.bind_instance_key(Scope::new(inst), body, key)
            });
            let v = match (attr, read.and_then(|r| r(n))) {
                (Some(a), Some(members)) => self.eval_read(scope, &a.expr, members),
                (Some(a), None) => self.eval(scope, &a.expr),
                (None, _) => self.nested_blocks(scope, body, n),
            };
            out.push((n, v.unwrap_or_else(|_| Value::unknown())));
        }
        out
    }

    /// Every argument and nested block of a resource instance, evaluated: a map from
    /// names to values, nested blocks as lists of maps (`dynamic` blocks expanded).
    /// Meta-arguments (`count`, `for_each`, `provider`, `depends_on`, `lifecycle`) are left
    /// out. `None` when the sources do not declare the address.
    pub fn resource(&self, address: &str) -> Option<Value> {
        let (scope, block) = self.resource_scope(address)?;
        Some(
            self.eval_body(&scope, &block.body)
                .unwrap_or_else(|_| Value::unknown()),
        )
    }

    /// A `local` of a module instance.
    pub fn local(&self, module_path: &str, name: &str) -> Option<Value> {
        let inst = self.instance(module_path)?;
        self.module_of(&inst).locals.get(name)?;
        Some(
            self.local_value(&inst, name)
                .unwrap_or_else(|_| Value::unknown()),
        )
    }

    /// An `output` of a module instance.
    pub fn output(&self, module_path: &str, name: &str) -> Option<Value> {
        let inst = self.instance(module_path)?;
        self.module_of(&inst).outputs.get(name)?;
        Some(
            self.output_value(&inst, name)
                .unwrap_or_else(|_| Value::unknown()),
        )
    }

    /// Evaluate expression text in a module instance (`"local.ports[0]"`). `None` when the
    /// instance does not exist or the text is not an expression.
    pub fn expression(&self, module_path: &str, text: &str) -> Option<Value> {
        let inst = self.instance(module_path)?;
        let expr: Expression = text.parse().ok()?;
        let scope = Scope::new(inst);
        Some(
            self.eval(&scope, &expr)
                .unwrap_or_else(|_| Value::unknown()),
        )
    }

    // ---- instances -------------------------------------------------------------------

    fn module_of(&self, inst: &Instance) -> &'s Module {
        &self.sources.modules[inst.module]
    }

    fn instance_at(&self, steps: &[ModuleStep]) -> Option<Rc<Instance>> {
        let path = address::module_path(steps);
        if let Some(i) = self.instances.borrow().get(&path) {
            return Some(i.clone());
        }
        let inst = if steps.is_empty() {
            let module = *self.sources.by_key.get("")?;
            let vars = self.inputs(module, |name| self.root_vars.get(name).cloned());
            Instance {
                module,
                path: path.clone(),
                key: String::new(),
                var_names: self.var_names(module),
                vars,
                locals: RefCell::default(),
            }
        } else {
            let parent = self.instance_at(&steps[..steps.len() - 1])?;
            let step = steps.last().expect("not empty");
            let call = self.module_of(&parent).calls.get(&step.name)?;
            let key = address::module_key(steps);
            let module = *self.sources.by_key.get(&key)?;
            let mut scope = Scope::new(parent.clone());
            scope = self.bind_instance_key(scope, &call.node.body, step.key.as_ref());
            let args = &call.node.body;
            let vars = self.inputs(module, |name| {
                args.attr(name).map(|a| {
                    self.eval(&scope, &a.expr)
                        .unwrap_or_else(|_| Value::unknown())
                })
            });
            Instance {
                module,
                path: path.clone(),
                key,
                var_names: self.var_names(module),
                vars,
                locals: RefCell::default(),
            }
        };
        let inst = Rc::new(inst);
        self.instances.borrow_mut().insert(path, inst.clone());
        Some(inst)
    }

    /// A module's input values: given, else default, else unknown; sensitive variables
    /// are unknown and marked sensitive.
    fn inputs(&self, module: usize, given: impl Fn(&str) -> Option<Value>) -> Vec<Value> {
        let m = &self.sources.modules[module];
        let mut out = Vec::with_capacity(m.variables.len());
        let default_of = |d: &Expression, t: &Expression| self.literal(d, Some(t));
        for (name, var) in &m.variables {
            let body = &var.node.body;
            let sensitive = matches!(
                body.attr("sensitive").map(|a| &a.expr),
                Some(Expression::Bool(true))
            );
            let ty = body.attr("type").map(|a| &a.expr);
            let typed = |v: Value| match ty {
                Some(t) => funcs::convert_to_type(v, t, &default_of),
                None => v,
            };
            let v = if sensitive {
                Value::Unknown(Unknown {
                    refs: vec![Ref {
                        address: format!("var.{name}").into(),
                        attribute: "".into(),
                    }],
                    sensitive: true,
                    json: None,
                    exact: false,
                    not_null: false,
                })
            } else {
                match given(name) {
                    Some(Value::Null) | None => body
                        .attr("default")
                        .map(|a| self.literal(&a.expr, ty))
                        .unwrap_or_else(|| Value::unknown_whole(format!("var.{name}"))),
                    Some(v) => typed(v),
                }
            };
            out.push(v);
        }
        out
    }

    /// A module's variable names in order, once per evaluator (see [`Instance::var`]).
    fn var_names(&self, module: usize) -> Rc<[Box<str>]> {
        self.var_names
            .borrow_mut()
            .entry(module)
            .or_insert_with(|| {
                let m = &self.sources.modules[module];
                m.variables.keys().map(|k| k.as_str().into()).collect()
            })
            .clone()
    }

    /// Bind `count.index` or `each.key`/`each.value` for an instance key, evaluating the
    /// block's `for_each` in the scope.
    fn bind_instance_key(&self, scope: Scope, body: &Body, key: Option<&Key>) -> Scope {
        match key {
            Some(Key::Int(i)) if body.attr("count").is_some() => {
                let mut m = BTreeMap::new();
                m.insert("index".to_string(), Value::Number(*i as f64));
                scope.with("count", Value::Map(m))
            }
            Some(k) if body.attr("for_each").is_some() => {
                // Evaluated once per module instance and block, not once per resource
                // instance and attribute: that would grow with the square of the
                // collection.
                let cache_key = (
                    Rc::as_ptr(&scope.inst) as usize,
                    body as *const Body as usize,
                );
                let cached = self.for_each_values.borrow().get(&cache_key).cloned();
                let fe = match cached {
                    Some(v) => v,
                    None => {
                        let v = Rc::new(
                            self.eval(&scope, &body.attr("for_each").expect("checked").expr)
                                .unwrap_or_else(|_| Value::unknown()),
                        );
                        self.for_each_values
                            .borrow_mut()
                            .insert(cache_key, v.clone());
                        v
                    }
                };
                let kv = key_value(k);
                let key_s = kv.to_template_string().unwrap_or_default();
                let value = match &*fe {
                    Value::Map(m) => m.get(&key_s).cloned().unwrap_or_else(Value::unknown),
                    Value::List(_) => Value::String(key_s.clone()),
                    other => unknown_of([other]),
                };
                scope.with_pair("each", Value::String(key_s), value, false)
            }
            _ => scope,
        }
    }

    fn resource_scope(&self, address: &str) -> Option<(Scope, &'s Block)> {
        let (inst, block, key) = self.resource_block(address)?;
        let scope = self.bind_instance_key(Scope::new(inst), &block.body, key.as_ref());
        Some((scope, block))
    }

    /// The module instance, block and instance key of a resource address.
    fn resource_block(&self, address: &str) -> Option<Resolved<'s>> {
        if let Some(found) = self.in_last_instance(address) {
            return found;
        }
        // The instance's path is the start of the address: a known instance is found
        // without taking its module steps apart.
        let b = Borrowed::scan(address, |_, _| {})?;
        let known = self
            .instances
            .borrow()
            .get(&address[..b.module_end])
            .cloned();
        let inst = match known {
            Some(i) => i,
            None => {
                // Its module steps alone: the resource's parts are not copied.
                let mut steps = Vec::new();
                Borrowed::scan(address, |name, key| {
                    steps.push(ModuleStep {
                        name: name.to_string(),
                        key,
                    })
                })?;
                self.instance_at(&steps)?
            }
        };
        *self.last_instance.borrow_mut() = Some(inst.clone());
        let block = &self.block(inst.module, b.block_name)?.node;
        Some((inst, block, b.key))
    }

    /// [`Evaluator::resource_block`] of an address in the module instance of the one
    /// resolved last (the overlay asks for an instance's resources one after another): the
    /// instance's path is only compared, not read again and looked up. `None` for an
    /// address elsewhere.
    fn in_last_instance(&self, address: &str) -> Option<Option<Resolved<'s>>> {
        let inst = self.last_instance.borrow().clone()?;
        let rest = match inst.path.as_str() {
            "" => address,
            path => address.strip_prefix(path)?.strip_prefix('.')?,
        };
        let b = Borrowed::scan(rest, |_, _| {})?;
        if b.module_end != 0 {
            return None;
        }
        let block = self.block(inst.module, b.block_name).map(|i| &*i.node);
        Some(block.map(|block| (inst, block, b.key)))
    }

    /// A module's resource block by name (`TYPE.NAME`, `data.TYPE.NAME`). A module asked
    /// for often (one called many times) gets a hash index, made once, instead of a search
    /// of its sorted names by text; one asked a few times (its own copy per call) is not
    /// worth the index.
    fn block(&self, module: usize, name: &str) -> Option<&'s Item<Block>> {
        let m: &'s Module = &self.sources.modules[module];
        let (asked, index) = self.blocks.get(module)?;
        if let Some(index) = index.get() {
            return index.get(name).copied();
        }
        asked.set(asked.get() + 1);
        if asked.get() < INDEX_AFTER {
            return m.resources.get(name);
        }
        let index = index.get_or_init(|| {
            let mut index = FastMap::with_capacity_and_hasher(m.resources.len(), self.seed);
            index.extend(m.resources.iter().map(|(k, v)| (k.as_str(), v)));
            index
        });
        index.get(name).copied()
    }

    /// [`literal`] of an expression of the sources (a default) converted to its type,
    /// once per evaluator: a default belongs to one variable or `optional(...)`, so to one
    /// type.
    fn literal(&self, e: &Expression, ty: Option<&Expression>) -> Value {
        // The sources outlive the evaluator and are not changed: an address names one
        // expression for as long as the cache lives.
        let key = e as *const Expression as usize;
        if let Some(v) = self.literals.borrow().get(&key) {
            return v.clone();
        }
        let v = literal(e);
        let v = match ty {
            Some(t) => funcs::convert_to_type(v, t, &|d, t| self.literal(d, Some(t))),
            None => v,
        };
        self.literals.borrow_mut().insert(key, v.clone());
        v
    }

    // ---- bodies and blocks -------------------------------------------------------------

    fn eval_body(&self, scope: &Scope, body: &Body) -> R {
        let mut out = BTreeMap::new();
        for a in &body.attrs {
            if matches!(
                a.name.as_str(),
                "count" | "for_each" | "provider" | "depends_on"
            ) {
                continue;
            }
            // One argument the evaluator cannot settle does not hide the others.
            let v = self
                .eval(scope, &a.expr)
                .unwrap_or_else(|_| Value::unknown());
            out.insert(a.name.clone(), v);
        }
        let mut kinds: Vec<&str> = Vec::new();
        for b in &body.blocks {
            let kind = if b.kind == "dynamic" {
                match b.labels.first() {
                    Some(l) => l.as_str(),
                    None => continue,
                }
            } else {
                b.kind.as_str()
            };
            if kind == "lifecycle" || kinds.contains(&kind) {
                continue;
            }
            kinds.push(kind);
        }
        for kind in kinds {
            let v = self
                .nested_blocks(scope, body, kind)
                .unwrap_or_else(|_| Value::unknown());
            out.insert(kind.to_string(), v);
        }
        Ok(Value::Map(out))
    }

    /// The blocks of one kind in a body, static and `dynamic`, in source order.
    fn nested_blocks(&self, scope: &Scope, body: &Body, kind: &str) -> R {
        let mut items = Vec::new();
        let mut unknown: Vec<Value> = Vec::new();
        for b in &body.blocks {
            if b.kind == kind {
                items.push(self.eval_body(scope, &b.body)?);
            } else if b.kind == "dynamic" && b.labels.first().map(String::as_str) == Some(kind) {
                match self.expand_dynamic(scope, b)? {
                    // The one source of blocks so far: its list is the result's.
                    Value::List(v) if items.is_empty() => items = v,
                    Value::List(v) => items.extend(v),
                    other => unknown.push(other),
                }
            }
        }
        if unknown.is_empty() {
            Ok(Value::List(items))
        } else {
            Ok(unknown_of(&unknown))
        }
    }

    /// `dynamic "x" { for_each = ...; iterator = it; content { ... } }` → list of contents.
    fn expand_dynamic(&self, scope: &Scope, b: &Block) -> R {
        let label = b.labels.first().map_or("", String::as_str);
        let iter_name = match b.body.attr("iterator").map(|a| &a.expr) {
            Some(Expression::Variable(v)) => v.as_str(),
            _ => label,
        };
        let Some(content) = b.body.blocks_of("content").next() else {
            return Ok(Value::List(Vec::new()));
        };
        let coll = match b.body.attr("for_each") {
            Some(a) => self.eval(scope, &a.expr)?,
            None => return Err(Fail),
        };
        let pairs = match into_pairs(coll) {
            Ok(p) => p,
            Err(coll) => return Ok(unknown_of([&coll])),
        };
        let once = self.reads_members_once(&content.body, iter_name);
        let mut out = Vec::with_capacity(pairs.size_hint().0);
        for (k, v) in pairs {
            let s = scope.with_pair(iter_name, k, v, once);
            out.push(self.eval_body(&s, &content.body)?);
        }
        Ok(Value::List(out))
    }

    /// Whether a `dynamic` block's content reads its iterator `it` only as `it.key...` and
    /// `it.value.NAME...`, with a different NAME each time and none in a loop (a `for`
    /// expression or directive, after a splat, in a nested `dynamic` block): each member
    /// of the value is then read at most once, and can be moved out rather than copied.
    /// Once per content block.
    fn reads_members_once(&self, content: &Body, it: &str) -> bool {
        let key = content as *const Body as usize;
        if let Some(&once) = self.reads_once.borrow().get(&key) {
            return once;
        }
        let mut names = Vec::new();
        let once = self.body_reads_once(content, it, &mut names);
        self.reads_once.borrow_mut().insert(key, once);
        once
    }

    fn body_reads_once(&self, body: &Body, it: &str, names: &mut Vec<String>) -> bool {
        body.attrs
            .iter()
            .all(|a| self.expr_reads_once(&a.expr, it, names, false))
            && body
                .blocks
                .iter()
                .all(|b| b.kind != "dynamic" && self.body_reads_once(&b.body, it, names))
    }

    /// [`Evaluator::reads_members_once`] of an expression; `looped`: evaluated more than
    /// once.
    fn expr_reads_once(
        &self,
        e: &Expression,
        it: &str,
        names: &mut Vec<String>,
        looped: bool,
    ) -> bool {
        if let Expression::Traversal(t) = e {
            let of_it = matches!(&t.expr, Expression::Variable(v) if v.as_str() == it);
            if of_it && (looped || !member_read_once(&t.operators, names)) {
                return false;
            }
        }
        let mut each = |e: &Expression, looped: bool| self.expr_reads_once(e, it, names, looped);
        match e {
            Expression::Variable(v) => v.as_str() != it,
            Expression::Traversal(t) => {
                let base = match &t.expr {
                    // Checked above.
                    Expression::Variable(v) if v.as_str() == it => true,
                    other => each(other, looped),
                };
                let mut after_splat = looped;
                base && t.operators.iter().all(|op| match op {
                    TraversalOperator::Index(i) => each(i, after_splat),
                    TraversalOperator::AttrSplat | TraversalOperator::FullSplat => {
                        after_splat = true;
                        true
                    }
                    _ => true,
                })
            }
            Expression::Array(items) => items.iter().all(|i| each(i, looped)),
            Expression::Object(obj) => obj.iter().all(|(k, v)| {
                let key = match k {
                    ObjectKey::Expression(k) => each(k, looped),
                    _ => true,
                };
                key && each(v, looped)
            }),
            Expression::TemplateExpr(t) => match self.template(t) {
                Ok(tpl) => self.template_reads_once(tpl.elements(), it, names, looped),
                // Not evaluated: it fails first.
                Err(_) => true,
            },
            Expression::FuncCall(f) => f.args.iter().all(|a| each(a, looped)),
            Expression::Parenthesis(e) => each(e, looped),
            Expression::Conditional(c) => {
                each(&c.cond_expr, looped)
                    && each(&c.true_expr, looped)
                    && each(&c.false_expr, looped)
            }
            Expression::Operation(op) => match op.as_ref() {
                Operation::Unary(u) => each(&u.expr, looped),
                Operation::Binary(b) => each(&b.lhs_expr, looped) && each(&b.rhs_expr, looped),
            },
            Expression::ForExpr(f) => {
                each(&f.collection_expr, looped)
                    && f.key_expr.as_ref().is_none_or(|k| each(k, true))
                    && each(&f.value_expr, true)
                    && f.cond_expr.as_ref().is_none_or(|c| each(c, true))
            }
            _ => true,
        }
    }

    /// [`Evaluator::expr_reads_once`] of a template's elements.
    fn template_reads_once(
        &self,
        elems: &[Element],
        it: &str,
        names: &mut Vec<String>,
        looped: bool,
    ) -> bool {
        elems.iter().all(|el| match el {
            Element::Literal(_) => true,
            Element::Interpolation(i) => self.expr_reads_once(&i.expr, it, names, looped),
            Element::Directive(d) => match d.as_ref() {
                Directive::If(d) => {
                    self.expr_reads_once(&d.cond_expr, it, names, looped)
                        && self.template_reads_once(d.true_template.elements(), it, names, looped)
                        && d.false_template.as_ref().is_none_or(|f| {
                            self.template_reads_once(f.elements(), it, names, looped)
                        })
                }
                Directive::For(d) => {
                    self.expr_reads_once(&d.collection_expr, it, names, looped)
                        && self.template_reads_once(d.template.elements(), it, names, true)
                }
            },
        })
    }

    // ---- expressions -------------------------------------------------------------------

    fn guarded(&self, f: impl FnOnce() -> R) -> R {
        let d = self.depth.get();
        if d >= MAX_DEPTH {
            self.depth_hit.set(true);
            return Ok(Value::unknown());
        }
        self.depth.set(d + 1);
        let r = f();
        self.depth.set(d);
        r
    }

    fn eval(&self, scope: &Scope, e: &Expression) -> R {
        self.guarded(|| self.eval_inner(scope, e))
    }

    fn eval_inner(&self, scope: &Scope, e: &Expression) -> R {
        match e {
            Expression::Null => Ok(Value::Null),
            Expression::Bool(b) => Ok(Value::Bool(*b)),
            Expression::Number(n) => Ok(Value::Number(n.as_f64().unwrap_or(f64::NAN))),
            Expression::String(s) => Ok(Value::String(s.clone())),
            Expression::Array(items) => Ok(Value::List(
                items
                    .iter()
                    .map(|i| self.eval(scope, i))
                    .collect::<Result<_, _>>()?,
            )),
            Expression::Object(obj) => self.object(scope, obj, None),
            Expression::TemplateExpr(t) => {
                let tpl = self.template(t)?;
                self.eval_template(scope, &tpl)
            }
            Expression::Variable(v) => self.root_value(scope, v.as_str(), &[]).map(|(v, _)| v),
            Expression::Traversal(t) => {
                if let Expression::Variable(v) = &t.expr {
                    if let Some(r) = self.borrowed_traversal(scope, v.as_str(), &t.operators) {
                        return r;
                    }
                }
                let (base, used) = match &t.expr {
                    Expression::Variable(v) => self.root_value(scope, v.as_str(), &t.operators)?,
                    other => (self.eval(scope, other)?, 0),
                };
                self.apply_ops(scope, base, &t.operators[used..])
            }
            Expression::FuncCall(f) => self.call(scope, f),
            Expression::Parenthesis(e) => self.eval(scope, e),
            Expression::Conditional(c) => {
                let cond = self.eval(scope, &c.cond_expr)?;
                match cond.as_bool() {
                    Some(true) => self.eval(scope, &c.true_expr),
                    Some(false) => self.eval(scope, &c.false_expr),
                    None if cond.is_unknown() => {
                        let t = self.eval(scope, &c.true_expr)?;
                        let f = self.eval(scope, &c.false_expr)?;
                        if t == f && t.is_wholly_known() {
                            Ok(t)
                        } else {
                            Ok(unknown_of([&cond, &t, &f]))
                        }
                    }
                    None => Err(Fail),
                }
            }
            Expression::Operation(op) => self.operation(scope, op),
            Expression::ForExpr(f) => self.for_expr(scope, f),
            _ => Ok(Value::unknown()),
        }
    }

    /// An object literal; with `keep`, only the members it takes (and those whose name is
    /// computed) are evaluated.
    fn object(
        &self,
        scope: &Scope,
        obj: &hcl::expr::Object<ObjectKey, Expression>,
        keep: Option<ReadMembers<'_>>,
    ) -> R {
        let mut out = BTreeMap::new();
        let mut unknown_key = Vec::new();
        for (k, v) in obj.iter() {
            let mut within = None;
            let name = literal_key(k);
            if let (Some(keep), Some(name)) = (keep, name) {
                if !keep.takes(name) {
                    continue;
                }
                within = keep.within(name);
            }
            let key = match (name, k) {
                // A name is the key as it is: no value made of it first.
                (Some(name), _) => Ok(name.to_string()),
                (None, ObjectKey::Expression(other)) => Err(self.eval(scope, other)?),
                (None, _) => Err(Value::unknown()),
            };
            let value = match (within, v) {
                (Some(names), Expression::Object(o)) => {
                    let keep = ReadMembers { names, within: &[] };
                    self.guarded(|| self.object(scope, o, Some(keep)))?
                }
                _ => self.eval(scope, v)?,
            };
            let key = match key {
                Ok(k) => k,
                Err(Value::String(s)) => s,
                Err(key) => match key.to_template_string() {
                    Some(k) => k,
                    None if key.is_unknown() => {
                        unknown_key.push(key);
                        continue;
                    }
                    None => return Err(Fail),
                },
            };
            out.insert(key, value);
        }
        if unknown_key.is_empty() {
            Ok(Value::Map(out))
        } else {
            Ok(unknown_of(&unknown_key))
        }
    }

    /// `jsonencode([...])` with only the `members` of its objects evaluated (see
    /// [`Evaluator::written_attributes_reading`]); any other expression in full.
    fn eval_read(&self, scope: &Scope, e: &Expression, members: ReadMembers<'_>) -> R {
        let Expression::FuncCall(f) = e else {
            return self.eval(scope, e);
        };
        let plain = f.name.namespace.is_empty() && !f.expand_final;
        let (true, "jsonencode", [Expression::Array(items)]) =
            (plain, f.name.name.as_str(), f.args.as_slice())
        else {
            return self.eval(scope, e);
        };
        self.guarded(|| {
            let v = items
                .iter()
                .map(|i| self.object_read(scope, i, members))
                .collect::<Result<_, _>>()?;
            funcs::jsonencode(Value::List(v))
        })
    }

    /// An element of [`Evaluator::eval_read`]'s list: an object literal, or a local that is
    /// one and that nothing has read yet, with only `members` evaluated; anything else in
    /// full.
    fn object_read(&self, scope: &Scope, e: &Expression, members: ReadMembers<'_>) -> R {
        match e {
            Expression::Object(obj) => self.guarded(|| self.object(scope, obj, Some(members))),
            Expression::Traversal(t) if !scope.template_only => {
                let local = match (&t.expr, t.operators.as_slice()) {
                    (Expression::Variable(v), [TraversalOperator::GetAttr(n)])
                        if v.as_str() == "local" && scope.bound("local").is_none() =>
                    {
                        n.as_str()
                    }
                    _ => return self.eval(scope, e),
                };
                let inst = &scope.inst;
                let item = self.module_of(inst).locals.get(local);
                match item.map(|i| &i.node.expr) {
                    // Evaluated as the local is, in its module instance alone; not cached.
                    Some(Expression::Object(obj)) if !inst.locals.borrow().contains_key(local) => {
                        let s = Scope::new(inst.clone());
                        self.guarded(|| self.object(&s, obj, Some(members)))
                    }
                    _ => self.eval(scope, e),
                }
            }
            _ => self.eval(scope, e),
        }
    }

    /// A template expression parsed, once per evaluator.
    fn template(&self, t: &hcl::expr::TemplateExpr) -> Result<Rc<Template>, Fail> {
        let key = t as *const hcl::expr::TemplateExpr as usize;
        if let Some((expr, tpl)) = self.templates.borrow().get(&key) {
            if expr == t {
                return Ok(tpl.clone());
            }
        }
        let tpl = Rc::new(Template::from_expr(t).map_err(|_| Fail)?);
        self.templates
            .borrow_mut()
            .insert(key, (t.clone(), tpl.clone()));
        Ok(tpl)
    }

    fn eval_template(&self, scope: &Scope, tpl: &Template) -> R {
        let elems = tpl.elements();
        // `"${x}"` alone keeps x's type.
        if let [Element::Interpolation(i)] = elems {
            return self.eval(scope, &i.expr);
        }
        // Room for the literal text and short interpolations (a name, a port), so that the
        // string is not grown piece by piece.
        let room = elems
            .iter()
            .map(|e| match e {
                Element::Literal(s) => s.len(),
                _ => 16,
            })
            .sum();
        let mut out = String::with_capacity(room);
        let mut unknown: Vec<Value> = Vec::new();
        self.template_into(scope, elems, &mut out, &mut unknown)?;
        if unknown.is_empty() {
            Ok(Value::String(out))
        } else {
            // Terraform refuses to interpolate null: the string is never null.
            Ok(not_null(unknown_of(&unknown)))
        }
    }

    fn template_into(
        &self,
        scope: &Scope,
        elems: &[Element],
        out: &mut String,
        unknown: &mut Vec<Value>,
    ) -> Result<(), Fail> {
        for el in elems {
            match el {
                Element::Literal(s) => out.push_str(s),
                Element::Interpolation(i) => {
                    if self.append_in_place(scope, &i.expr, out) {
                        continue;
                    }
                    let v = self.eval(scope, &i.expr)?;
                    if !append_template_string(&v, out) {
                        if !v.is_unknown() {
                            return Err(Fail);
                        }
                        unknown.push(v);
                    }
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        let c = self.eval(scope, &d.cond_expr)?;
                        match c.as_bool() {
                            Some(true) => {
                                self.template_into(scope, d.true_template.elements(), out, unknown)?
                            }
                            Some(false) => {
                                if let Some(f) = &d.false_template {
                                    self.template_into(scope, f.elements(), out, unknown)?
                                }
                            }
                            None => unknown.push(unknown_of([&c])),
                        }
                    }
                    Directive::For(d) => {
                        let coll = self.eval(scope, &d.collection_expr)?;
                        let pairs = match into_pairs(coll) {
                            Ok(p) => p,
                            Err(coll) => {
                                unknown.push(unknown_of([&coll]));
                                continue;
                            }
                        };
                        for (k, v) in pairs {
                            let mut s = scope.clone();
                            if let Some(kv) = &d.key_var {
                                s.bind(kv.as_str(), k);
                            }
                            s.bind(d.value_var.as_str(), v);
                            self.template_into(&s, d.template.elements(), out, unknown)?;
                        }
                    }
                },
            }
        }
        Ok(())
    }

    /// An interpolation of a variable or bound name's primitive part (`${var.name}`,
    /// `${each.key}`) appended to `out` where it is stored, without copying it first;
    /// `false` (and nothing appended) for anything else, which the caller evaluates.
    fn append_in_place(&self, scope: &Scope, e: &Expression, out: &mut String) -> bool {
        let Expression::Traversal(t) = e else {
            return false;
        };
        let Expression::Variable(v) = &t.expr else {
            return false;
        };
        let ops = t.operators.as_slice();
        let mut append = |part: &Value, used: usize| {
            used == ops.len()
                && matches!(part, Value::String(_) | Value::Number(_) | Value::Bool(_))
                && append_template_string(part, out)
        };
        match scope.bound(v.as_str()) {
            Some(Bound::Value(x)) => {
                let (part, used) = walk(x, ops);
                append(part, used)
            }
            Some(Bound::Pair(p)) => p.read(ops, append).unwrap_or(false),
            None if scope.template_only || v.as_str() != "var" => false,
            None => {
                let Some(TraversalOperator::GetAttr(n)) = ops.first() else {
                    return false;
                };
                let Some(x) = scope.inst.var(n.as_str()) else {
                    return false;
                };
                let (part, used) = walk(x, &ops[1..]);
                append(part, used + 1)
            }
        }
    }

    /// `var.x.a[0]`, `local.x.a`, `each.value.a`: walks into the stored value by reference
    /// as far as plain attribute and literal index steps go, and clones only the part
    /// reached (a large variable or local read many times is not copied whole each time).
    /// `None` where the general path applies (an unset variable, a local not evaluated).
    fn borrowed_traversal(
        &self,
        scope: &Scope,
        name: &str,
        ops: &[TraversalOperator],
    ) -> Option<R> {
        if let Some(b) = scope.bound(name) {
            let (part, used) = match b {
                Bound::Value(v) => {
                    let (part, used) = walk(v, ops);
                    (part.clone(), used)
                }
                Bound::Pair(p) => p.part(ops)?,
            };
            return Some(self.apply_ops(scope, part, &ops[used..]));
        }
        if scope.template_only {
            return None;
        }
        let Some(TraversalOperator::GetAttr(n)) = ops.first() else {
            return None;
        };
        match name {
            "var" => {
                let v = scope.inst.var(n.as_str())?;
                let (part, used) = walk(v, &ops[1..]);
                Some(self.apply_ops(scope, part.clone(), &ops[1 + used..]))
            }
            "local" => {
                if ops.len() == 1 {
                    if let Some(v) = self.take_local(&scope.inst, n.as_str()) {
                        return Some(Ok(v));
                    }
                }
                if !local_cached(&scope.inst, n.as_str()) {
                    // Evaluates and caches it (or fails: the general path says so).
                    if self.cache_local(&scope.inst, n.as_str()).is_err() {
                        return None;
                    }
                }
                let (part, used) = {
                    let locals = scope.inst.locals.borrow();
                    let v = locals.get(n.as_str())?.value.as_ref()?;
                    let (part, used) = walk(v, &ops[1..]);
                    (part.clone(), used)
                };
                Some(self.apply_ops(scope, part, &ops[1 + used..]))
            }
            _ => None,
        }
    }

    /// The value a traversal starts from, and how many of its operators that consumed
    /// (`var.x` consumes one, `aws_x.y` one, `module.m.out` two).
    fn root_value(
        &self,
        scope: &Scope,
        name: &str,
        ops: &[TraversalOperator],
    ) -> Result<(Value, usize), Fail> {
        if let Some(b) = scope.bound(name) {
            return Ok((b.to_value(), 0));
        }
        if scope.template_only {
            return Err(Fail);
        }
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(id)) => Some(id.as_str()),
            _ => None,
        };
        let inst = &scope.inst;
        match name {
            "var" => {
                let n = attr(0).ok_or(Fail)?;
                let v = inst
                    .var(n)
                    .cloned()
                    .unwrap_or_else(|| Value::unknown_whole(format!("var.{n}")));
                Ok((v, 1))
            }
            "local" => Ok((self.local_value(inst, attr(0).ok_or(Fail)?)?, 1)),
            "path" => {
                let v = match attr(0).ok_or(Fail)? {
                    "module" => self.module_of(inst).rel_dir.clone(),
                    _ => ".".to_string(),
                };
                Ok((Value::String(v), 1))
            }
            "terraform" => Ok((Value::unknown_from("terraform", attr(0).unwrap_or("")), 1)),
            "self" | "count" | "each" => Ok((Value::unknown_whole(name), 0)),
            "module" => {
                let call = attr(0).ok_or(Fail)?;
                self.module_call_value(inst, call, &ops[1..])
                    .map(|(v, n)| (v, n + 1))
            }
            "data" => {
                let (t, n) = (attr(0).ok_or(Fail)?, attr(1).ok_or(Fail)?);
                Ok((self.resource_value(inst, &["data.", t, ".", n])?, 2))
            }
            rtype => {
                let n = attr(0).ok_or(Fail)?;
                Ok((self.resource_value(inst, &[rtype, ".", n])?, 1))
            }
        }
    }

    fn local_value(&self, inst: &Rc<Instance>, name: &str) -> R {
        if !local_cached(inst, name) {
            self.cache_local(inst, name)?;
        }
        inst.locals
            .borrow()
            .get(name)
            .and_then(|l| l.value.clone())
            .ok_or(Fail)
    }

    /// A local read whole (`local.container`, not `local.container.name`), for the first
    /// time in its instance: its value itself, moved out of the cache rather than copied
    /// (evaluated first if need be). Most locals are read once per module instance (a
    /// container definition, a list of subnets), and a copy of a large one cost as much
    /// as evaluating it. A local read again is evaluated again, and then kept and copied
    /// for every later reader, as any read in part is: at most one more evaluation.
    /// A primitive (a name made of a template) is copied as cheaply as it is moved, and
    /// is kept: read again, it is not evaluated again.
    /// `None` when it was taken before, or does not evaluate.
    fn take_local(&self, inst: &Rc<Instance>, name: &str) -> Option<Value> {
        if !inst.locals.borrow().contains_key(name) {
            self.cache_local(inst, name).ok()?;
        }
        let mut locals = inst.locals.borrow_mut();
        let local = locals.get_mut(name).filter(|l| !l.taken)?;
        if let Some(v @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) = &local.value {
            return Some(v.clone());
        }
        local.taken = true;
        local.value.take()
    }

    /// Evaluate a local of an instance into the instance's cache.
    fn cache_local(&self, inst: &Rc<Instance>, name: &str) -> Result<(), Fail> {
        let Some(item) = self.module_of(inst).locals.get(name) else {
            return Err(Fail);
        };
        let scope = Scope::new(inst.clone());
        let v = self.eval(&scope, &item.node.expr)?;
        let mut locals = inst.locals.borrow_mut();
        match locals.get_mut(name) {
            Some(local) => local.value = Some(v),
            None => {
                let local = Local {
                    value: Some(v),
                    taken: false,
                };
                locals.insert(name.to_string(), local);
            }
        }
        Ok(())
    }

    fn output_value(&self, inst: &Rc<Instance>, name: &str) -> R {
        let item = self.module_of(inst).outputs.get(name).ok_or(Fail)?;
        let value = item.node.body.attr("value").ok_or(Fail)?;
        let scope = Scope::new(inst.clone());
        self.eval(&scope, &value.expr)
    }

    /// `module.NAME...`: with an instance key and output name when the operators give
    /// them; otherwise an object (or list/map of objects) of every output.
    fn module_call_value(
        &self,
        inst: &Rc<Instance>,
        call: &str,
        ops: &[TraversalOperator],
    ) -> Result<(Value, usize), Fail> {
        let m = self.module_of(inst);
        let Some(c) = m.calls.get(call) else {
            return Err(Fail);
        };
        let steps_of = |key: Option<Key>| -> Option<Vec<ModuleStep>> {
            let mut steps = address::parse_module_path(&inst.path)?;
            steps.push(ModuleStep {
                name: call.to_string(),
                key,
            });
            Some(steps)
        };
        let repeated =
            c.node.body.attr("count").is_some() || c.node.body.attr("for_each").is_some();
        let unknown_call = || Value::unknown_whole(format!("{}module.{call}", prefix(&inst.path)));
        if !repeated {
            let Some(child) = steps_of(None).and_then(|s| self.instance_at(&s)) else {
                return Ok((unknown_call(), 0));
            };
            if let Some(TraversalOperator::GetAttr(out)) = ops.first() {
                return Ok((self.output_value(&child, out.as_str())?, 1));
            }
            return Ok((self.all_outputs(&child)?, 0));
        }
        if let (Some(TraversalOperator::Index(k)), Some(TraversalOperator::GetAttr(out))) =
            (ops.first(), ops.get(1))
        {
            let scope = Scope::new(inst.clone());
            let kv = self.eval(&scope, k)?;
            let key = match &kv {
                Value::Number(n) => Key::Int(*n as i64),
                Value::String(s) => Key::Str(s.clone()),
                other => return Ok((unknown_of([other]), 2)),
            };
            let Some(child) = steps_of(Some(key)).and_then(|s| self.instance_at(&s)) else {
                return Ok((unknown_call(), 2));
            };
            return Ok((self.output_value(&child, out.as_str())?, 2));
        }
        // Splats and whole-object uses: every instance's outputs.
        let scope = Scope::new(inst.clone());
        if let Some(count) = c.node.body.attr("count") {
            let n = self.eval(&scope, &count.expr)?;
            let Some(n) = n.as_i64() else {
                return Ok((unknown_of([&n]), 0));
            };
            let mut items = Vec::new();
            for i in 0..n.max(0) {
                let child = steps_of(Some(Key::Int(i)))
                    .and_then(|s| self.instance_at(&s))
                    .ok_or(Fail)?;
                items.push(self.all_outputs(&child)?);
            }
            return Ok((Value::List(items), 0));
        }
        let fe = self.eval(
            &scope,
            &c.node.body.attr("for_each").expect("repeated").expr,
        )?;
        let Some(pairs) = for_each_pairs(&fe) else {
            return Ok((unknown_of([&fe]), 0));
        };
        let mut out = BTreeMap::new();
        for (k, _) in pairs {
            let ks = k.to_template_string().unwrap_or_default();
            let child = steps_of(Some(Key::Str(ks.clone())))
                .and_then(|s| self.instance_at(&s))
                .ok_or(Fail)?;
            out.insert(ks, self.all_outputs(&child)?);
        }
        Ok((Value::Map(out), 0))
    }

    fn all_outputs(&self, child: &Rc<Instance>) -> R {
        let names: Vec<&String> = self.module_of(child).outputs.keys().collect();
        let mut out = BTreeMap::new();
        for n in names {
            out.insert(n.clone(), self.output_value(child, n)?);
        }
        Ok(Value::Map(out))
    }

    /// `TYPE.NAME` in a module instance: an unknown naming the resource (a list or map of
    /// them when `count`/`for_each` is known), whose attributes evaluate to the resource's
    /// own argument when it is written and known, else to an unknown from
    /// `ADDRESS.attr`.
    fn resource_value(&self, inst: &Rc<Instance>, block_name: &[&str]) -> R {
        // The address (`module.a.TYPE.NAME`) written once, into the scratch buffer; the
        // block's name is its end.
        let item = {
            let mut addr = self.scratch.borrow_mut();
            addr.clear();
            if !inst.path.is_empty() {
                addr.push_str(&inst.path);
                addr.push('.');
            }
            let name_start = addr.len();
            block_name.iter().for_each(|p| addr.push_str(p));
            let Some(item) = self.block(inst.module, &addr[name_start..]) else {
                return Ok(Value::unknown_whole(addr.as_str()));
            };
            item
        };
        let cache_key = (
            Rc::as_ptr(inst) as usize,
            item as *const Item<Block> as usize,
        );
        if let Some(v) = self.resource_values.borrow().get(&cache_key) {
            return Ok(v.value());
        }
        let body = &item.node.body;
        if body.attr("count").is_none() && body.attr("for_each").is_none() {
            // One instance, no key: its address is the instance's and block's; nothing to
            // evaluate, so nothing that could hit the depth limit.
            let address: Arc<str> = self.scratch.borrow().as_str().into();
            let block: &'s Block = &item.node;
            self.resolved
                .borrow_mut()
                .insert(address_key(&address), (inst.clone(), block));
            let v = Value::unknown_whole(address.clone());
            self.resource_values
                .borrow_mut()
                .insert(cache_key, ResourceValue::Single(address));
            return Ok(v);
        }
        let addr = self.scratch.borrow().clone();
        let hit_before = self.depth_hit.replace(false);
        let v = self.counted_resource_value(inst, item, &addr);
        let hit = self.depth_hit.get();
        self.depth_hit.set(hit_before || hit);
        let v = v?;
        if !hit {
            self.resource_values
                .borrow_mut()
                .insert(cache_key, ResourceValue::Counted(v.clone()));
        }
        Ok(v)
    }

    /// [`Evaluator::resource_value`] of a resource with `count` or `for_each` the
    /// instance's module declares, at `addr`.
    fn counted_resource_value(&self, inst: &Rc<Instance>, item: &Item<Block>, addr: &str) -> R {
        let scope = Scope::new(inst.clone());
        let body = &item.node.body;
        if let Some(count) = body.attr("count") {
            let n = self.eval(&scope, &count.expr)?;
            return Ok(match n.as_i64() {
                Some(n) => Value::List(
                    (0..n.max(0))
                        .map(|i| Value::unknown_whole(format!("{addr}[{i}]")))
                        .collect(),
                ),
                None => self.known_instances_of(addr),
            });
        }
        let fe = body.attr("for_each").ok_or(Fail)?;
        let v = self.eval(&scope, &fe.expr)?;
        Ok(match for_each_pairs(&v) {
            Some(pairs) => Value::Map(
                pairs
                    .into_iter()
                    .filter_map(|(k, _)| k.to_template_string())
                    .map(|k| {
                        let a = format!("{addr}{}", Key::Str(k.clone()));
                        (k, Value::unknown_whole(a))
                    })
                    .collect(),
            ),
            None => self.known_instances_of(addr),
        })
    }

    /// A counted resource whose `count`/`for_each` does not evaluate: its instances given
    /// by [`Evaluator::with_known_instances`] (a list for integer keys, a map for string
    /// keys), else one unknown standing for every instance (`ADDR[*]`).
    fn known_instances_of(&self, addr: &str) -> Value {
        let one = |k: &Key| Value::unknown_whole(format!("{addr}{k}"));
        match self.known_instances.get(addr).map(Vec::as_slice) {
            Some(keys @ [Key::Int(_), ..]) => {
                let mut ints: Vec<i64> = keys
                    .iter()
                    .filter_map(|k| match k {
                        Key::Int(i) => Some(*i),
                        Key::Str(_) => None,
                    })
                    .collect();
                ints.sort_unstable();
                Value::List(ints.into_iter().map(|i| one(&Key::Int(i))).collect())
            }
            Some(keys @ [Key::Str(_), ..]) => Value::Map(
                keys.iter()
                    .filter_map(|k| match k {
                        Key::Str(s) => Some((s.clone(), one(k))),
                        Key::Int(_) => None,
                    })
                    .collect(),
            ),
            _ => Value::unknown_whole(format!("{addr}[*]")),
        }
    }

    /// A resource reference's attribute: the argument as written when known.
    /// `None` for an address that is not a resource's (`var.x`).
    fn resource_attr(&self, address: &Arc<str>, attr: &str) -> Option<Value> {
        // Checked first: these need no look-up at all.
        if address.ends_with("[*]") || matches!(attr, "id" | "arn") {
            return None;
        }
        let resolved = self.resolved.borrow().get(&address_key(address)).cloned();
        match &resolved {
            // Not written: nothing to evaluate (most attributes read of a resource are
            // those known only after apply).
            Some((_, block)) if !writes(&block.body, attr) => return None,
            None if !is_resource_address(address) => return None,
            _ => {}
        }
        // `attr` is one name (a traversal step): [`Evaluator::attribute`] without taking a
        // path apart.
        let v = self.guarded(|| {
            let written = match resolved {
                Some((inst, block)) => Some(self.written_in(inst, block, None, [attr], None)),
                None => self.written_attributes(address, [attr]),
            };
            Ok(match written.and_then(|w| w.into_iter().next()) {
                Some((_, v)) => v,
                None => Value::unknown(),
            })
        });
        v.ok().filter(Value::is_wholly_known)
    }

    /// The member `name` of a value; of an unknown, the unknown one step further.
    fn get_attr(&self, v: Value, name: &str) -> R {
        match v {
            Value::Map(mut m) => m.remove(name).ok_or(Fail),
            Value::Unknown(u) => Ok(extend_unknown(u, ".", name, None, || {
                self.shared_name(name)
            })),
            _ => Err(Fail),
        }
    }

    /// `name` as shared text, allocated once per evaluator (see [`Evaluator::names`]).
    fn shared_name(&self, name: &str) -> Arc<str> {
        if let Some((a, _)) = self.names.borrow().get_key_value(name) {
            return a.clone();
        }
        let a: Arc<str> = name.into();
        self.names.borrow_mut().insert(a.clone(), ());
        a
    }

    fn apply_ops(&self, scope: &Scope, mut v: Value, ops: &[TraversalOperator]) -> R {
        for (i, op) in ops.iter().enumerate() {
            v = match op {
                TraversalOperator::GetAttr(id) => {
                    if let Value::Unknown(u) = &v {
                        if let [r] = u.refs.as_slice() {
                            if r.attribute.is_empty() && u.json.is_none() {
                                if let Some(known) = self.resource_attr(&r.address, id.as_str()) {
                                    v = known;
                                    continue;
                                }
                            }
                        }
                    }
                    self.get_attr(v, id.as_str())?
                }
                TraversalOperator::Index(e) => {
                    let k = self.eval(scope, e)?;
                    if k.is_unknown() {
                        return Ok(unknown_of([&v, &k]));
                    }
                    index(v, &k)?
                }
                TraversalOperator::LegacyIndex(n) => index(v, &Value::Number(*n as f64))?,
                TraversalOperator::AttrSplat | TraversalOperator::FullSplat => {
                    let rest = &ops[i + 1..];
                    return match v {
                        Value::Null => Ok(Value::List(Vec::new())),
                        Value::List(items) => Ok(Value::List(
                            items
                                .into_iter()
                                .map(|x| self.apply_ops(scope, x, rest))
                                .collect::<Result<_, _>>()?,
                        )),
                        Value::Unknown(_) => self.apply_ops(scope, v, rest),
                        other => Ok(Value::List(vec![self.apply_ops(scope, other, rest)?])),
                    };
                }
            };
        }
        Ok(v)
    }

    fn operation(&self, scope: &Scope, op: &Operation) -> R {
        match op {
            Operation::Unary(u) => {
                let v = self.eval(scope, &u.expr)?;
                if v.is_unknown() {
                    return Ok(v);
                }
                match u.operator {
                    UnaryOperator::Neg => Ok(Value::Number(-v.as_f64().ok_or(Fail)?)),
                    UnaryOperator::Not => Ok(Value::Bool(!v.as_bool().ok_or(Fail)?)),
                }
            }
            Operation::Binary(b) => {
                let l = self.eval(scope, &b.lhs_expr)?;
                use BinaryOperator as B;
                // Short circuits that hold whatever the other side is.
                match (b.operator, l.as_bool()) {
                    (B::And, Some(false)) => return Ok(Value::Bool(false)),
                    (B::Or, Some(true)) => return Ok(Value::Bool(true)),
                    _ => {}
                }
                let r = self.eval(scope, &b.rhs_expr)?;
                if matches!(b.operator, B::And | B::Or) {
                    if let (Some(false), B::And) | (Some(true), B::Or) = (r.as_bool(), b.operator) {
                        return Ok(Value::Bool(b.operator == B::Or));
                    }
                }
                if !l.is_wholly_known() || !r.is_wholly_known() {
                    return Ok(unknown_of([&l, &r]));
                }
                let num = |v: &Value| v.as_f64().ok_or(Fail);
                Ok(match b.operator {
                    B::Eq => Value::Bool(equal(&l, &r)),
                    B::NotEq => Value::Bool(!equal(&l, &r)),
                    B::Less => Value::Bool(num(&l)? < num(&r)?),
                    B::LessEq => Value::Bool(num(&l)? <= num(&r)?),
                    B::Greater => Value::Bool(num(&l)? > num(&r)?),
                    B::GreaterEq => Value::Bool(num(&l)? >= num(&r)?),
                    B::Plus => Value::Number(num(&l)? + num(&r)?),
                    B::Minus => Value::Number(num(&l)? - num(&r)?),
                    B::Mul => Value::Number(num(&l)? * num(&r)?),
                    B::Div => {
                        let d = num(&r)?;
                        if d == 0.0 {
                            return Err(Fail);
                        }
                        Value::Number(num(&l)? / d)
                    }
                    B::Mod => {
                        let d = num(&r)?;
                        if d == 0.0 {
                            return Err(Fail);
                        }
                        Value::Number(num(&l)? % d)
                    }
                    B::And => Value::Bool(l.as_bool().ok_or(Fail)? && r.as_bool().ok_or(Fail)?),
                    B::Or => Value::Bool(l.as_bool().ok_or(Fail)? || r.as_bool().ok_or(Fail)?),
                })
            }
        }
    }

    fn for_expr(&self, scope: &Scope, f: &ForExpr) -> R {
        let coll = self.eval(scope, &f.collection_expr)?;
        let pairs = match into_pairs(coll) {
            Ok(p) => p,
            Err(coll) => return Ok(unknown_of([&coll])),
        };
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Value> = BTreeMap::new();
        for (k, v) in pairs {
            let mut s = scope.clone();
            if let Some(kv) = &f.key_var {
                s.bind(kv.as_str(), k);
            }
            s.bind(f.value_var.as_str(), v);
            if let Some(c) = &f.cond_expr {
                let c = self.eval(&s, c)?;
                match c.as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None if c.is_unknown() => return Ok(unknown_of([&c])),
                    None => return Err(Fail),
                }
            }
            let value = self.eval(&s, &f.value_expr)?;
            match &f.key_expr {
                None => list.push(value),
                Some(ke) => {
                    let key = self.eval(&s, ke)?;
                    let Some(key) = key.to_template_string() else {
                        return if key.is_unknown() {
                            Ok(unknown_of([&key]))
                        } else {
                            Err(Fail)
                        };
                    };
                    if f.grouping {
                        match map.entry(key).or_insert_with(|| Value::List(Vec::new())) {
                            Value::List(g) => g.push(value),
                            _ => unreachable!("grouping entries are lists"),
                        }
                    } else if map.insert(key, value).is_some() {
                        return Err(Fail); // duplicate key without `...`
                    }
                }
            }
        }
        Ok(if f.key_expr.is_some() {
            Value::Map(map)
        } else {
            Value::List(list)
        })
    }

    fn call(&self, scope: &Scope, f: &hcl::expr::FuncCall) -> R {
        let name = f.name.name.as_str();
        if !f.name.namespace.is_empty() {
            return Ok(Value::unknown());
        }
        match name {
            "try" => {
                for a in &f.args {
                    if let Ok(v) = self.eval(scope, a) {
                        return Ok(v);
                    }
                }
                return Err(Fail);
            }
            "can" => {
                let a = f.args.first().ok_or(Fail)?;
                return Ok(match self.eval(scope, a) {
                    Ok(v) if v.is_unknown() => unknown_of([&v]),
                    Ok(_) => Value::Bool(true),
                    Err(_) => Value::Bool(false),
                });
            }
            _ => {}
        }
        let mut args: Vec<Value> = f
            .args
            .iter()
            .map(|a| self.eval(scope, a))
            .collect::<Result<_, _>>()?;
        if f.expand_final {
            match args.pop() {
                Some(Value::List(rest)) => args.extend(rest),
                Some(other) => return Ok(unknown_of([&other])),
                None => return Err(Fail),
            }
        }
        let cx = funcs::Context {
            root_dir: &self.sources.root_dir,
            template: &|text: &str, vars: BTreeMap<String, Value>| {
                let tpl: Template = text.parse().map_err(|_| Fail)?;
                let mut s = Scope {
                    inst: scope.inst.clone(),
                    binds: None,
                    template_only: true,
                };
                for (k, v) in vars {
                    s.bind(&k, v);
                }
                self.eval_template(&s, &tpl)
            },
        };
        funcs::call(name, args, &cx)
    }
}

/// The name of an object member written as a name or a literal string (`name = ...`,
/// `"name" = ...`; `(var.x) = ...` arrives as a variable too); `None` for a computed one.
fn literal_key(k: &ObjectKey) -> Option<&str> {
    match k {
        ObjectKey::Identifier(id) => Some(id.as_str()),
        ObjectKey::Expression(Expression::Variable(v)) => Some(v.as_str()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.as_str()),
        _ => None,
    }
}

/// Whether an iterator's traversal (`ops`: its steps after the name) reads its key, or a
/// member of its value not read before (noted in `names`); anything else (the iterator or
/// its value whole, a member read again) is not a read once.
fn member_read_once(ops: &[TraversalOperator], names: &mut Vec<String>) -> bool {
    match ops {
        [TraversalOperator::GetAttr(k), ..] if k.as_str() == "key" => true,
        [TraversalOperator::GetAttr(v), TraversalOperator::GetAttr(n), ..]
            if v.as_str() == "value" =>
        {
            if names.iter().any(|x| x == n.as_str()) {
                return false;
            }
            names.push(n.to_string());
            true
        }
        _ => false,
    }
}

/// Appends a primitive's template string ([`Value::to_template_string`]) to `out`;
/// `false` for null, collections and unknowns.
fn append_template_string(v: &Value, out: &mut String) -> bool {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&crate::value::number_string(*n)),
        _ => return false,
    }
    true
}

/// Whether a local's value is in its instance's cache (evaluated, and not taken).
fn local_cached(inst: &Instance, name: &str) -> bool {
    inst.locals
        .borrow()
        .get(name)
        .is_some_and(|l| l.value.is_some())
}

/// Whether a body writes an argument or nested blocks of this name.
fn writes(body: &Body, name: &str) -> bool {
    body.attr(name).is_some() || has_block(body, name)
}

fn has_block(body: &Body, kind: &str) -> bool {
    body.blocks_of(kind).next().is_some() || body.dynamic_of(kind).next().is_some()
}

/// A variable's default, which may not reference anything.
fn literal(e: &Expression) -> Value {
    let sources = Sources::default();
    let ev = Evaluator::new(&sources, BTreeMap::new());
    let inst = Rc::new(Instance {
        module: 0,
        path: String::new(),
        key: String::new(),
        var_names: Rc::from(Vec::new()),
        vars: Vec::new(),
        locals: RefCell::default(),
    });
    let scope = Scope {
        inst,
        binds: None,
        template_only: true,
    };
    ev.eval(&scope, e).unwrap_or_else(|_| Value::unknown())
}

/// `module.a.` for a module path, `` for the root.
fn prefix(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}.")
    }
}

/// The key of an address in [`Evaluator::resolved`]: where its text is allocated.
fn address_key(a: &Arc<str>) -> usize {
    Arc::as_ptr(a) as *const u8 as usize
}

fn is_resource_address(a: &str) -> bool {
    !(a.starts_with("var.") || a.starts_with("local.")) && Borrowed::scan(a, |_, _| {}).is_some()
}

fn key_value(k: &Key) -> Value {
    match k {
        Key::Int(i) => Value::Number(*i as f64),
        Key::Str(s) => Value::String(s.clone()),
    }
}

/// (key, value) pairs of a list (index keys) or map; `None` for an unknown.
pub(crate) fn collection_pairs(v: &Value) -> Option<Vec<(Value, Value)>> {
    match v {
        Value::List(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| (Value::Number(i as f64), x.clone()))
                .collect(),
        ),
        Value::Map(m) => Some(
            m.iter()
                .map(|(k, x)| (Value::String(k.clone()), x.clone()))
                .collect(),
        ),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

/// [`collection_pairs`] of a value the caller owns: its elements are moved, not copied,
/// one at a time (no list of pairs is made); the value back when it has no pairs (an
/// unknown).
fn into_pairs(v: Value) -> Result<Pairs, Value> {
    match v {
        Value::List(items) => Ok(Pairs::List(items.into_iter().enumerate())),
        Value::Map(m) => Ok(Pairs::Map(m.into_iter())),
        Value::Null => Ok(Pairs::List(Vec::new().into_iter().enumerate())),
        other => Err(other),
    }
}

/// The (key, value) pairs of an owned list or map (see [`into_pairs`]).
enum Pairs {
    List(std::iter::Enumerate<std::vec::IntoIter<Value>>),
    Map(std::collections::btree_map::IntoIter<String, Value>),
}

impl Iterator for Pairs {
    type Item = (Value, Value);

    fn next(&mut self) -> Option<(Value, Value)> {
        match self {
            Pairs::List(it) => it.next().map(|(i, x)| (Value::Number(i as f64), x)),
            Pairs::Map(it) => it.next().map(|(k, x)| (Value::String(k), x)),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Pairs::List(it) => it.size_hint(),
            Pairs::Map(it) => it.size_hint(),
        }
    }
}

/// (key, value) pairs of a `for_each` value: a set's (list's) elements are their own keys.
fn for_each_pairs(v: &Value) -> Option<Vec<(Value, Value)>> {
    match v {
        Value::List(items) => Some(items.iter().map(|x| (x.clone(), x.clone())).collect()),
        other => collection_pairs(other),
    }
}

/// Terraform equality: numbers by value, otherwise structural.
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    a == b
}

/// Follows attribute and literal index steps into a value by reference while they land
/// on a present key or element (exactly what [`get_attr`] and [`index`] would give);
/// returns the part reached and how many steps it took.
fn walk<'v>(mut v: &'v Value, ops: &[TraversalOperator]) -> (&'v Value, usize) {
    let mut used = 0;
    for op in ops {
        let next = match (op, v) {
            (TraversalOperator::GetAttr(id), Value::Map(m)) => m.get(id.as_str()),
            (TraversalOperator::LegacyIndex(i), Value::List(items)) => {
                usize::try_from(*i).ok().and_then(|i| items.get(i))
            }
            _ => None,
        };
        match next {
            Some(n) => {
                v = n;
                used += 1;
            }
            None => break,
        }
    }
    (v, used)
}

fn index(v: Value, k: &Value) -> R {
    match v {
        Value::List(mut items) => {
            let i = k.as_i64().ok_or(Fail)?;
            if i < 0 || i as usize >= items.len() {
                return Err(Fail);
            }
            Ok(items.swap_remove(i as usize))
        }
        Value::Map(mut m) => m.remove(&k.to_template_string().ok_or(Fail)?).ok_or(Fail),
        Value::Unknown(u) => {
            let step = match k {
                Value::Number(n) => format!("[{}]", *n as i64),
                Value::String(s) => format!("{}", Key::Str(s.clone())),
                _ => return Ok(Value::Unknown(u)),
            };
            let key = match k {
                Value::Number(n) => Some(Key::Int(*n as i64)),
                Value::String(s) => Some(Key::Str(s.clone())),
                _ => None,
            };
            Ok(extend_unknown(u, "", &step, key, || step.as_str().into()))
        }
        _ => Err(Fail),
    }
}

/// Walk into an unknown: `[*]` instance keys become the key given; otherwise the step
/// (`sep` then `step`: `.` and a name, or nothing and `[0]`) extends the attribute path of
/// its one reference; `step_text` gives the step as the whole path (a first name), shared
/// where the caller can.
fn extend_unknown(
    mut u: Unknown,
    sep: &str,
    step: &str,
    key: Option<Key>,
    step_text: impl FnOnce() -> Arc<str>,
) -> Value {
    if let Some(j) = u.json.take() {
        // An unknown JSON string is still a string: walking into it is an error in
        // Terraform; keep it unknown.
        let _ = j;
        u.exact = false;
    }
    // A step into a value made of several references is not one of them.
    u.exact &= u.refs.len() == 1;
    // A part of a value that is not null may itself be null.
    u.not_null = false;
    if let [r] = u.refs.as_mut_slice() {
        if r.attribute.is_empty() && r.address.ends_with("[*]") {
            if let Some(k) = key {
                let base = &r.address[..r.address.len() - 3];
                r.address = format!("{base}{k}").into();
                return Value::Unknown(u);
            }
        }
        // A path starts with its first name, without the separator.
        r.attribute = if sep == "." && r.attribute.is_empty() {
            step_text()
        } else {
            let mut a = String::with_capacity(r.attribute.len() + sep.len() + step.len());
            a.push_str(&r.attribute);
            a.push_str(sep);
            a.push_str(step);
            a.into()
        };
    }
    Value::Unknown(u)
}
