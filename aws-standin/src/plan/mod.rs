//! `PlanResourceChange` as the real (SDKv2) AWS provider answers it.
//!
//! Create (no prior state), from the configuration:
//! - configured values as given, except that a set attribute holding an unknown element is
//!   wholly unknown, and an Optional+Computed collection configured empty is unknown;
//! - an omitted attribute: unknown when Computed (Optional+Computed or Computed-only), else
//!   its SDK default (`defaults`), else, inside a set-nested block, what the SDK's diff of a
//!   set element leaves (`""` for strings, an empty list/set; numbers and bools stay null),
//!   else null (list-nested blocks and top level);
//! - an omitted block: unknown when the defaults mark it Optional+Computed, else empty;
//! - `tags_all` = provider `default_tags` merged with `tags` (unknown when either is unknown,
//!   or when the merge is empty on create); `region` (6.x) = the provider's region;
//! - StateFuncs ([`state_funcs`]): `user_data` of instances and launch configurations is
//!   planned as its SHA-1 and `container_definitions` re-encoded, as the provider stores them.
//!
//! Update (prior state), from Terraform's proposed new state (configuration plus prior
//! values of computed attributes): the same rules without turning anything unknown, except
//! `tags_all` when the tags change; Optional+Computed collections and blocks configured empty
//! keep their prior values; an attribute the configuration omits keeps a stored zero value
//! (`""`, 0, false, empty: the SDK's diff sees no change from zero to unset); a set block
//! equivalent to the stored one (as [`sdk_equivalent`] judges) keeps the stored elements; and
//! a planned state equivalent to the prior one is the prior state itself, as SDKv2's
//! PlanResourceChange returns it. When an attribute that forces replacement ([`force_new`])
//! changes, the resource is planned afresh as on create and the attribute is listed in
//! `requires_replace`.

pub mod force_new;
pub mod state_funcs;

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::codec::compare::{equal, sdk_equivalent};
use crate::codec::json::from_json;
use crate::codec::{Type, Value};
use crate::defaults::{Default, Defaults};
use crate::provider_config::ProviderConfig;
use crate::schema::{Attribute, Block, Nesting, Schema};
use crate::version::AwsVersion;

/// What the planner needs besides the request.
pub struct Planner<'a> {
    pub version: AwsVersion,
    pub defaults: &'a Defaults,
    pub provider: &'a ProviderConfig,
}

/// A planned change.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub state: Value,
    /// Top-level attributes whose change forces replacement.
    pub requires_replace: Vec<String>,
    /// Opaque data handed back to `ApplyResourceChange` (JSON).
    pub private: Vec<u8>,
}

impl Planner<'_> {
    /// Plans `type_name` given the prior state (null on create), Terraform's proposed new
    /// state (null on destroy) and the configuration.
    pub fn plan(
        &self,
        type_name: &str,
        schema: &Schema,
        prior: &Value,
        proposed: &Value,
        config: &Value,
    ) -> Planned {
        if proposed.is_null() {
            return Planned {
                state: Value::Null,
                requires_replace: Vec::new(),
                private: Vec::new(),
            };
        }
        if prior.is_null() {
            let state = self.create(type_name, schema, config);
            return Planned {
                state,
                requires_replace: Vec::new(),
                private: Vec::new(),
            };
        }
        let walk = Walk {
            planner: self,
            type_name,
            create: false,
        };
        let mut state = walk.block(&schema.block, "", proposed, prior, false);
        self.top_level(&schema.block, &mut state, prior, false);
        state_funcs::apply(type_name, &schema.block, config, false, &mut state);
        if sdk_equivalent(prior, &state, &schema.ty) {
            // terraform-plugin-sdk's PlanResourceChange: "check if the provider as produced
            // something we think is 'equivalent' to the prior state and just return the
            // prior state itself if so" (hcl2shim.ValuesSDKEquivalent).
            state = prior.clone();
        }
        special::update(type_name, prior, &mut state);
        let requires_replace = replace_paths(type_name, &schema.block, prior, &state);
        if requires_replace.is_empty() {
            return Planned {
                state,
                requires_replace,
                private: Vec::new(),
            };
        }
        let state = self.create(type_name, schema, config);
        let private = special::replacement_private(type_name, prior);
        Planned {
            state,
            requires_replace,
            private,
        }
    }

    fn create(&self, type_name: &str, schema: &Schema, config: &Value) -> Value {
        let walk = Walk {
            planner: self,
            type_name,
            create: true,
        };
        let mut state = walk.block(&schema.block, "", config, &Value::Null, false);
        self.top_level(&schema.block, &mut state, &Value::Null, true);
        state_funcs::apply(type_name, &schema.block, config, true, &mut state);
        state
    }

    fn top_level(&self, block: &Block, state: &mut Value, prior: &Value, create: bool) {
        let Value::Map(obj) = state else { return };
        if block.attributes.contains_key("tags_all") {
            let tags = obj.get("tags").cloned().unwrap_or(Value::Null);
            let v = match self.provider.merged_tags(&tags) {
                None => Value::UNKNOWN,
                Some(all) if !all.is_empty() => string_map(all),
                Some(_) if create => Value::UNKNOWN,
                Some(_) => {
                    let prior_all = prior.get("tags_all");
                    let tags_changed =
                        !equal(prior.get("tags"), &tags, &Type::Map(Box::new(Type::String)));
                    if prior_all.is_empty_collection() && !tags_changed {
                        prior_all.clone()
                    } else if prior_all.is_null() && !tags_changed {
                        Value::Map(BTreeMap::new())
                    } else {
                        Value::UNKNOWN
                    }
                }
            };
            obj.insert("tags_all".into(), v);
        }
        if block.attributes.contains_key("region") && self.version.major() >= 6 {
            let r = obj.get("region").cloned().unwrap_or(Value::Null);
            if r.is_null() || r.is_unknown() && create {
                obj.insert("region".into(), Value::string(self.provider.region.clone()));
            }
        }
    }
}

fn string_map(m: BTreeMap<String, String>) -> Value {
    Value::Map(m.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
}

struct Walk<'p, 'a> {
    planner: &'p Planner<'a>,
    type_name: &'p str,
    create: bool,
}

impl Walk<'_, '_> {
    fn default(&self, path: &str) -> Option<&Default> {
        self.planner
            .defaults
            .get(crate::aliases::canonical(self.type_name), path)
    }

    /// Plans the object `v` of `block`. `prior` is the prior object it updates (null on create,
    /// and inside set blocks, whose elements cannot be paired).
    fn block(&self, block: &Block, prefix: &str, v: &Value, prior: &Value, in_set: bool) -> Value {
        if v.is_unknown() {
            return v.clone();
        }
        let mut out = BTreeMap::new();
        for (name, attr) in &block.attributes {
            let path = join(prefix, name);
            let mut planned = self.attribute(attr, &path, v.get(name), in_set);
            // An Optional+Computed collection configured empty keeps what the provider stored
            // (Terraform proposes the configuration's empty value).
            let p = prior.get(name);
            if !self.create
                && attr.optional_computed()
                && planned.is_empty_collection()
                && !p.is_null()
            {
                planned = p.clone();
            }
            // An omitted attribute whose stored value is its zero value keeps it: the SDK's
            // diffString compares the old value with the type's zero for an unset one
            // ("" == "", 0 == 0) and plans no change. (Apply stores zeros for every unset
            // attribute of a nested block element.)
            if !self.create
                && planned.is_null()
                && !p.is_null()
                && sdk_equivalent(&Value::Null, p, &attr.ty)
            {
                planned = p.clone();
            }
            out.insert(name.clone(), planned);
        }
        for (name, nb) in &block.block_types {
            let path = join(prefix, name);
            let cur = v.get(name);
            let optional_computed = matches!(self.default(&path), Some(Default::Computed));
            let p = prior.get(name);
            if !self.create
                && optional_computed
                && (cur.is_null() || cur.is_empty_collection())
                && !p.is_null()
            {
                // An omitted Optional+Computed block keeps what the provider stored.
                out.insert(name.clone(), p.clone());
                continue;
            }
            let computed = self.create && optional_computed;
            let prior_at = |i: usize| -> &Value {
                match (nb.nesting, p) {
                    (Nesting::List, Value::List(items)) => items.get(i).unwrap_or(&Value::Null),
                    _ => &Value::Null,
                }
            };
            let mut planned = match nb.nesting {
                Nesting::List | Nesting::Set => match cur {
                    Value::Unknown(_) => cur.clone(),
                    Value::List(items) if !items.is_empty() => {
                        let nested_in_set = in_set || nb.nesting == Nesting::Set;
                        Value::List(
                            items
                                .iter()
                                .enumerate()
                                .map(|(n, i)| {
                                    self.block(&nb.block, &path, i, prior_at(n), nested_in_set)
                                })
                                .collect(),
                        )
                    }
                    _ if computed => Value::UNKNOWN,
                    _ => Value::List(Vec::new()),
                },
                Nesting::Single | Nesting::Group => match cur {
                    Value::Null if computed => Value::UNKNOWN,
                    Value::Null if nb.nesting == Nesting::Single => Value::Null,
                    _ => self.block(&nb.block, &path, cur, p, in_set),
                },
                Nesting::Map => match cur {
                    Value::Map(items) => Value::Map(
                        items
                            .iter()
                            .map(|(k, i)| {
                                (k.clone(), self.block(&nb.block, &path, i, p.get(k), in_set))
                            })
                            .collect(),
                    ),
                    Value::Unknown(_) => cur.clone(),
                    _ => Value::Map(BTreeMap::new()),
                },
            };
            // An unchanged set keeps the stored elements: the SDK's diffSet compares the
            // elements' hash codes (computed over zero-filled values) and diffs nothing when
            // they match.
            if !self.create
                && nb.nesting == Nesting::Set
                && !p.is_null()
                && sdk_equivalent(&planned, p, &Type::Set(Box::new(nb.block.implied_type())))
            {
                planned = p.clone();
            }
            out.insert(name.clone(), planned);
        }
        Value::Map(out)
    }

    fn attribute(&self, attr: &Attribute, path: &str, cur: &Value, in_set: bool) -> Value {
        match cur {
            Value::Unknown(_) => cur.clone(),
            Value::Null => {
                if attr.computed {
                    return if self.create {
                        Value::UNKNOWN
                    } else {
                        Value::Null
                    };
                }
                if let Some(Default::Value(j)) = self.default(path) {
                    if let Ok(v) = from_json(j, &attr.ty) {
                        return v;
                    }
                }
                if in_set {
                    zero_value(&attr.ty)
                } else {
                    Value::Null
                }
            }
            Value::List(items) if attr.ty.is_set() && items.iter().any(|i| i.is_unknown()) => {
                Value::UNKNOWN
            }
            v if self.create && attr.optional_computed() && v.is_empty_collection() => {
                Value::UNKNOWN
            }
            Value::List(items) if matches!(&attr.ty, Type::Set(e) if matches!(**e, Type::Object(_))) =>
            {
                // Objects of a set attribute (blocks in attribute mode, e.g. security group
                // ingress) get the SDK's zero values for unset attributes.
                let Some(Type::Object(attrs)) = attr.ty.element() else {
                    return cur.clone();
                };
                Value::List(items.iter().map(|o| zero_fill(o, attrs)).collect())
            }
            v => v.clone(),
        }
    }
}

/// What the SDK plans for an unset attribute inside a set element on create. A set's
/// elements are diffed with `all` set (schemaMap.diffSet), so each unset attribute gets an
/// attribute diff from "" to ""; `InstanceDiff.applySingleAttrDiff` keeps that as `""` only
/// for strings ("this can only be a valid empty string"), and diffList/diffSet record a count
/// of 0 for collections. Numbers and bools stay null. Real plans in the workspace's shared
/// realplans agree: `load_balancer.elb_name` and `aws_elb` `listener.ssl_certificate_id` are
/// `""`, `aws_launch_configuration` `ebs_block_device.no_device` and `aws_cognito_user_pool`
/// `schema.developer_only_attribute` (bools) are null. (List-nested blocks are diffed without
/// `all`: their unset attributes are null, as the same plans show for
/// `block_device_mappings.ebs.kms_key_id` or `default_action.target_group_arn`.)
fn zero_value(ty: &Type) -> Value {
    match ty {
        Type::String => Value::string(""),
        Type::List(_) | Type::Set(_) => Value::List(Vec::new()),
        _ => Value::Null,
    }
}

/// Objects of an attribute-mode set (`ingress`/`egress` of security groups, `route` of route
/// tables): unset strings and collections as in set blocks, and `self`, their only bool,
/// `false` (its SDK Default).
fn zero_fill(obj: &Value, attrs: &BTreeMap<String, Type>) -> Value {
    let Value::Map(m) = obj else {
        return obj.clone();
    };
    let mut out = m.clone();
    for (k, t) in attrs {
        if out.get(k).is_none_or(Value::is_null) {
            let zero = match t {
                Type::Bool => Value::Bool(false),
                t => zero_value(t),
            };
            out.insert(k.clone(), zero);
        }
    }
    Value::Map(out)
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The top-level attributes and blocks whose change forces replacement.
fn replace_paths(type_name: &str, block: &Block, prior: &Value, planned: &Value) -> Vec<String> {
    use force_new::ForceNew;
    let Some(rule) = force_new::rule(crate::aliases::canonical(type_name)) else {
        return Vec::new();
    };
    let implied = block.implied_type();
    let Type::Object(types) = implied else {
        return Vec::new();
    };
    let candidates: Vec<&String> = match rule {
        ForceNew::Attrs(names) => types
            .keys()
            .filter(|k| names.contains(&k.as_str()))
            .collect(),
        ForceNew::AllExcept(except) => types
            .keys()
            .filter(|k| !except.contains(&k.as_str()) && !force_new::NEVER.contains(&k.as_str()))
            .filter(|k| block.attributes.get(*k).is_none_or(|a| !a.computed_only()))
            .collect(),
    };
    candidates
        .into_iter()
        .filter(|k| !equal(prior.get(k), planned.get(k), &types[*k]))
        .filter(|k| !(prior.get(k).is_null() && planned.get(k).is_empty_collection()))
        .filter(|k| !(prior.get(k).is_empty_collection() && planned.get(k).is_null()))
        .cloned()
        .collect()
}

mod special {
    //! Type-specific planning.

    use crate::codec::compare::equal;
    use crate::codec::Value;

    /// In-place updates that change computed values.
    pub fn update(type_name: &str, prior: &Value, state: &mut Value) {
        if type_name == "aws_launch_template" {
            // Any change makes a new template version.
            let Value::Map(obj) = state else { return };
            let changed = obj.iter().any(|(k, v)| {
                !matches!(
                    k.as_str(),
                    "latest_version" | "default_version" | "tags" | "tags_all"
                ) && !same(prior.get(k), v)
            });
            if changed {
                obj.insert("latest_version".into(), Value::UNKNOWN);
                if obj.get("update_default_version").and_then(Value::as_bool) == Some(true) {
                    obj.insert("default_version".into(), Value::UNKNOWN);
                }
            }
        }
    }

    fn same(a: &Value, b: &Value) -> bool {
        a == b
            || (a.is_wholly_known()
                && b.is_wholly_known()
                && equal(a, b, &crate::codec::json::infer_type(a)))
    }

    /// What a replacement's apply needs from the prior object.
    pub fn replacement_private(type_name: &str, prior: &Value) -> Vec<u8> {
        if type_name == "aws_ecs_task_definition" {
            if let Some(rev) = prior.get("revision").as_i64() {
                return serde_json::json!({ "prior_revision": rev })
                    .to_string()
                    .into_bytes();
            }
        }
        Vec::new()
    }
}

/// Reads the JSON `private` data a plan handed to apply.
pub fn read_private(bytes: &[u8]) -> Json {
    serde_json::from_slice(bytes).unwrap_or(Json::Null)
}
