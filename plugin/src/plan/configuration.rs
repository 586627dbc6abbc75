//! The plan's `configuration` section: the unevaluated configuration, module by module
//! (plan-format.md §7). It is what lets ecsnet follow `var.x` and `module.m.out` to the
//! resource an attribute was set from when the value itself is unknown at plan time.
//!
//! Parsing is lenient: a malformed expression is treated as "no information" rather than
//! failing the whole plan, because the planned values remain usable without it.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::references::ParsedRefs;
use super::{is_interesting, Mode};

/// The configuration section (root module and everything it calls).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Configuration {
    pub root: ModuleConfig,
    /// False when the plan had no `configuration` section (hand-trimmed files).
    pub present: bool,
}

/// One module's configuration (shared by all of its instances).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModuleConfig {
    /// Resource blocks keyed by module-relative address (`aws_ecs_service.api`,
    /// `data.aws_subnet.all`). Expressions are kept only for [`super::INTERESTING_TYPES`].
    pub resources: BTreeMap<String, ConfigResource>,
    pub module_calls: BTreeMap<String, ModuleCall>,
    pub variables: BTreeMap<String, ConfigVariable>,
    pub outputs: BTreeMap<String, ConfigOutput>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConfigResource {
    pub address: String,
    pub mode: Mode,
    pub type_: String,
    pub name: String,
    /// The resource body: argument → expression, nested blocks nested.
    pub expressions: Block,
    pub count: Option<Expression>,
    pub for_each: Option<Expression>,
}

impl ConfigResource {
    /// Whether the block creates several instances (`count` or `for_each`).
    pub fn is_multi_instance(&self) -> bool {
        self.count.is_some() || self.for_each.is_some()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModuleCall {
    pub source: String,
    /// Input variable name → expression given by the caller.
    pub expressions: BTreeMap<String, Expression>,
    pub count: Option<Expression>,
    pub for_each: Option<Expression>,
    pub module: ModuleConfig,
}

impl ModuleCall {
    pub fn is_multi_instance(&self) -> bool {
        self.count.is_some() || self.for_each.is_some()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigVariable {
    pub default: Option<Value>,
    pub sensitive: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigOutput {
    pub expression: Option<Expression>,
    pub sensitive: bool,
}

/// An unevaluated expression: a constant, or the references it reads (longest first, as
/// Terraform writes them, not de-duplicated). Both empty for e.g. `jsonencode([...])`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expression {
    pub constant_value: Option<Value>,
    pub references: Vec<String>,
    /// `references` as reference following walks them, parsed on first use: a module's
    /// input or output expression is followed again for every resource that reads it.
    /// Expressions are read-only once parsed (nothing edits `references` afterwards).
    parsed: ParsedOnce,
}

/// A lazily filled cache derived from the expression's own fields: it takes no part in
/// comparisons. Boxed so that the many expressions never followed stay small.
#[derive(Clone, Default)]
struct ParsedOnce(OnceLock<Box<ParsedRefs>>);

impl PartialEq for ParsedOnce {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for ParsedOnce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ParsedOnce")
    }
}

impl Expression {
    /// The references parsed into distinct traversals (see [`ParsedRefs`]), once.
    pub(crate) fn parsed(&self) -> &ParsedRefs {
        self.parsed
            .0
            .get_or_init(|| Box::new(ParsedRefs::new(&self.references)))
    }

    /// Whether the expression reads only `local.*`, `each.*` or `count.*`: the plan's
    /// configuration then hides what it comes from (a local, a `for_each` value), which only
    /// the sources can say. False for a constant or an expression without references.
    pub fn reads_only_locals_or_iterators(&self) -> bool {
        self.constant_value.is_none()
            && !self.references.is_empty()
            && self.references.iter().all(|r| {
                ["local.", "each.", "count."]
                    .iter()
                    .any(|p| r.starts_with(p))
            })
    }
}

/// A block's expressions: argument name → expression or nested block(s).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block(pub BTreeMap<String, ExprNode>);

#[derive(Debug, Clone, PartialEq)]
pub enum ExprNode {
    Expr(Expression),
    /// A single or group nested block, or a map of blocks keyed by label.
    Block(Block),
    /// A list or set of nested blocks.
    List(Vec<Block>),
}

impl Block {
    /// The expression at a dotted path (`network_configuration.0.subnets`). Numeric segments
    /// index nested block lists; an index 0 on a single block and a name on a one-element
    /// list are both tolerated so that value paths and configuration paths line up.
    pub fn lookup(&self, dotted: &str) -> Option<&Expression> {
        let segs: Vec<&str> = dotted.split('.').filter(|s| !s.is_empty()).collect();
        let mut block = self;
        let mut i = 0;
        while i < segs.len() {
            let node = block.0.get(segs[i])?;
            i += 1;
            match node {
                ExprNode::Expr(e) => return (i == segs.len()).then_some(e),
                ExprNode::Block(b) => {
                    if segs.get(i) == Some(&"0") && !b.0.contains_key("0") {
                        i += 1;
                    }
                    block = b;
                }
                ExprNode::List(list) => match segs.get(i).map(|s| s.parse::<usize>()) {
                    Some(Ok(n)) => {
                        i += 1;
                        block = list.get(n)?;
                    }
                    _ if list.len() == 1 => block = &list[0],
                    _ => return None,
                },
            }
        }
        None
    }
}

impl Expression {
    /// Lenient reading of an expression object. `None` when `v` is not an object.
    fn from_value(v: &Value) -> Option<Expression> {
        let o = v.as_object()?;
        let references = match o.get("references") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|r| r.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        Some(Expression {
            constant_value: o.get("constant_value").cloned(),
            references,
            parsed: ParsedOnce::default(),
        })
    }

    /// Whether an object looks like an expression (only `constant_value` / `references`)
    /// rather than a nested block whose members are expressions.
    fn looks_like(o: &serde_json::Map<String, Value>) -> bool {
        o.is_empty()
            || (o.keys().all(|k| k == "constant_value" || k == "references")
                && o.get("references").is_none_or(Value::is_array))
    }
}

impl Block {
    fn from_value(v: &Value) -> Block {
        let mut out = BTreeMap::new();
        if let Some(o) = v.as_object() {
            for (k, v) in o {
                if let Some(node) = ExprNode::from_value(v) {
                    out.insert(k.clone(), node);
                }
            }
        }
        Block(out)
    }
}

impl ExprNode {
    fn from_value(v: &Value) -> Option<ExprNode> {
        match v {
            Value::Object(o) if Expression::looks_like(o) => {
                Expression::from_value(v).map(ExprNode::Expr)
            }
            Value::Object(_) => Some(ExprNode::Block(Block::from_value(v))),
            Value::Array(a) => Some(ExprNode::List(a.iter().map(Block::from_value).collect())),
            _ => None,
        }
    }
}

// ---- deserialization ----------------------------------------------------------------------

#[derive(Deserialize)]
struct RawConfiguration<'a> {
    #[serde(borrow, default)]
    root_module: Option<RawModule<'a>>,
}

#[derive(Deserialize)]
struct RawModule<'a> {
    #[serde(borrow, default)]
    resources: Option<Vec<RawResource<'a>>>,
    #[serde(borrow, default)]
    module_calls: Option<BTreeMap<String, RawModuleCall<'a>>>,
    #[serde(default)]
    variables: Option<BTreeMap<String, Value>>,
    #[serde(default)]
    outputs: Option<BTreeMap<String, Value>>,
}

#[derive(Deserialize)]
struct RawResource<'a> {
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    mode: Option<String>,
    #[serde(rename = "type", default)]
    type_: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(borrow, default)]
    expressions: Option<&'a RawValue>,
    #[serde(default)]
    count_expression: Option<Value>,
    #[serde(default)]
    for_each_expression: Option<Value>,
}

#[derive(Deserialize)]
struct RawModuleCall<'a> {
    #[serde(default)]
    source: Option<Value>,
    #[serde(default)]
    expressions: Option<Value>,
    #[serde(default)]
    count_expression: Option<Value>,
    #[serde(default)]
    for_each_expression: Option<Value>,
    #[serde(borrow, default)]
    module: Option<RawModule<'a>>,
}

/// Parse the raw `configuration` section. Errors are serde_json errors (with positions).
pub(crate) fn parse(raw: &str) -> Result<Configuration, serde_json::Error> {
    let rc: RawConfiguration = serde_json::from_str(raw)?;
    let root = match rc.root_module {
        Some(m) => convert_module(m)?,
        None => ModuleConfig::default(),
    };
    Ok(Configuration {
        root,
        present: true,
    })
}

fn convert_module(m: RawModule<'_>) -> Result<ModuleConfig, serde_json::Error> {
    let mut out = ModuleConfig::default();
    for r in m.resources.unwrap_or_default() {
        let type_ = r.type_.unwrap_or_default();
        let name = r.name.unwrap_or_default();
        let mode = match r.mode.as_deref() {
            Some("data") => Mode::Data,
            _ => Mode::Managed,
        };
        let address = r.address.unwrap_or_else(|| match mode {
            Mode::Data => format!("data.{type_}.{name}"),
            Mode::Managed => format!("{type_}.{name}"),
        });
        // Only ECS-relevant bodies are parsed: the rest is never read and can be large.
        let expressions = match r.expressions {
            Some(raw) if is_interesting(&type_) => {
                let v: Value = serde_json::from_str(raw.get())?;
                Block::from_value(&v)
            }
            _ => Block::default(),
        };
        let count = r.count_expression.as_ref().and_then(Expression::from_value);
        let for_each = r
            .for_each_expression
            .as_ref()
            .and_then(Expression::from_value);
        out.resources.insert(
            address.clone(),
            ConfigResource {
                address,
                mode,
                type_,
                name,
                expressions,
                count,
                for_each,
            },
        );
    }
    for (name, call) in m.module_calls.unwrap_or_default() {
        let mut expressions = BTreeMap::new();
        if let Some(Value::Object(o)) = &call.expressions {
            for (k, v) in o {
                if let Some(e) = Expression::from_value(v) {
                    expressions.insert(k.clone(), e);
                }
            }
        }
        let module = match call.module {
            Some(m) => convert_module(m)?,
            None => ModuleConfig::default(),
        };
        out.module_calls.insert(
            name,
            ModuleCall {
                source: call
                    .source
                    .as_ref()
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                expressions,
                count: call
                    .count_expression
                    .as_ref()
                    .and_then(Expression::from_value),
                for_each: call
                    .for_each_expression
                    .as_ref()
                    .and_then(Expression::from_value),
                module,
            },
        );
    }
    for (name, v) in m.variables.unwrap_or_default() {
        out.variables.insert(
            name,
            ConfigVariable {
                default: v.get("default").cloned(),
                sensitive: v.get("sensitive").and_then(Value::as_bool).unwrap_or(false),
            },
        );
    }
    for (name, v) in m.outputs.unwrap_or_default() {
        out.outputs.insert(
            name,
            ConfigOutput {
                expression: v.get("expression").and_then(Expression::from_value),
                sensitive: v.get("sensitive").and_then(Value::as_bool).unwrap_or(false),
            },
        );
    }
    Ok(out)
}
