//! The provider schema the stand-in serves: the committed subset of the real `hashicorp/aws`
//! schema (`schema/aws-<version>.json`, cut by `schema/cut.py`), parsed into blocks and
//! attributes, and turned into tfplugin6 messages.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::codec::Type;
use crate::pb;
use crate::version::AwsVersion;

/// An attribute of a block.
#[derive(Debug, Clone)]
pub struct Attribute {
    pub ty: Type,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub deprecated: bool,
}

impl Attribute {
    /// Optional and Computed: the provider fills it when the configuration omits it.
    pub fn optional_computed(&self) -> bool {
        self.optional && self.computed
    }

    /// Computed only: never set in configuration.
    pub fn computed_only(&self) -> bool {
        self.computed && !self.optional && !self.required
    }
}

/// How a nested block's instances are collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    Single,
    Group,
    List,
    Set,
    Map,
}

#[derive(Debug, Clone)]
pub struct NestedBlock {
    pub nesting: Nesting,
    pub block: Block,
    pub min_items: i64,
    pub max_items: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Block {
    pub attributes: BTreeMap<String, Attribute>,
    pub block_types: BTreeMap<String, NestedBlock>,
    pub deprecated: bool,
}

impl Block {
    /// The object type of this block's values.
    pub fn implied_type(&self) -> Type {
        let mut attrs: BTreeMap<String, Type> = self
            .attributes
            .iter()
            .map(|(k, a)| (k.clone(), a.ty.clone()))
            .collect();
        for (k, nb) in &self.block_types {
            let inner = nb.block.implied_type();
            let t = match nb.nesting {
                Nesting::Single | Nesting::Group => inner,
                Nesting::List => Type::List(Box::new(inner)),
                Nesting::Set => Type::Set(Box::new(inner)),
                Nesting::Map => Type::Map(Box::new(inner)),
            };
            attrs.insert(k.clone(), t);
        }
        Type::Object(attrs)
    }

    fn from_json(j: &Json, path: &str) -> Result<Block, String> {
        let mut block = Block {
            deprecated: j.get("deprecated").and_then(Json::as_bool).unwrap_or(false),
            ..Block::default()
        };
        if let Some(attrs) = j.get("attributes").and_then(Json::as_object) {
            for (name, a) in attrs {
                let flag = |k: &str| a.get(k).and_then(Json::as_bool).unwrap_or(false);
                let ty = Type::from_json(a.get("type").unwrap_or(&Json::Null))
                    .map_err(|e| format!("{path}.{name}: {e}"))?;
                block.attributes.insert(
                    name.clone(),
                    Attribute {
                        ty,
                        required: flag("required"),
                        optional: flag("optional"),
                        computed: flag("computed"),
                        sensitive: flag("sensitive"),
                        deprecated: flag("deprecated"),
                    },
                );
            }
        }
        if let Some(blocks) = j.get("block_types").and_then(Json::as_object) {
            for (name, b) in blocks {
                let nesting = match b.get("nesting_mode").and_then(Json::as_str) {
                    Some("single") => Nesting::Single,
                    Some("group") => Nesting::Group,
                    Some("list") => Nesting::List,
                    Some("set") => Nesting::Set,
                    Some("map") => Nesting::Map,
                    other => return Err(format!("{path}.{name}: nesting mode {other:?}")),
                };
                let inner = Block::from_json(
                    b.get("block").unwrap_or(&Json::Null),
                    &format!("{path}.{name}"),
                )?;
                block.block_types.insert(
                    name.clone(),
                    NestedBlock {
                        nesting,
                        block: inner,
                        min_items: b.get("min_items").and_then(Json::as_i64).unwrap_or(0),
                        max_items: b.get("max_items").and_then(Json::as_i64).unwrap_or(0),
                    },
                );
            }
        }
        Ok(block)
    }

    fn to_proto(&self, version: i64) -> pb::schema::Block {
        use pb::schema::nested_block::NestingMode;
        pb::schema::Block {
            version,
            attributes: self
                .attributes
                .iter()
                .map(|(name, a)| pb::schema::Attribute {
                    name: name.clone(),
                    r#type: a.ty.to_json().to_string().into_bytes(),
                    required: a.required,
                    optional: a.optional,
                    computed: a.computed,
                    sensitive: a.sensitive,
                    deprecated: a.deprecated,
                    ..Default::default()
                })
                .collect(),
            block_types: self
                .block_types
                .iter()
                .map(|(name, nb)| pb::schema::NestedBlock {
                    type_name: name.clone(),
                    block: Some(nb.block.to_proto(0)),
                    nesting: match nb.nesting {
                        Nesting::Single => NestingMode::Single,
                        Nesting::Group => NestingMode::Group,
                        Nesting::List => NestingMode::List,
                        Nesting::Set => NestingMode::Set,
                        Nesting::Map => NestingMode::Map,
                    } as i32,
                    min_items: nb.min_items,
                    max_items: nb.max_items,
                })
                .collect(),
            deprecated: self.deprecated,
            ..Default::default()
        }
    }
}

/// A resource, data source or provider schema.
#[derive(Debug, Clone)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
    /// `block.implied_type()`, computed once.
    pub ty: Type,
}

impl Schema {
    pub fn new(version: i64, block: Block) -> Schema {
        let ty = block.implied_type();
        Schema { version, block, ty }
    }

    fn from_json(j: &Json, path: &str) -> Result<Schema, String> {
        let version = j.get("version").and_then(Json::as_i64).unwrap_or(0);
        let block = Block::from_json(j.get("block").unwrap_or(&Json::Null), path)?;
        Ok(Schema::new(version, block))
    }

    pub fn to_proto(&self) -> pb::Schema {
        pb::Schema {
            version: self.version,
            block: Some(self.block.to_proto(self.version)),
        }
    }
}

/// Everything the provider serves for one version.
#[derive(Debug, Clone)]
pub struct ProviderSchema {
    pub version: AwsVersion,
    pub provider: Schema,
    pub provider_meta: Schema,
    pub resources: BTreeMap<String, Schema>,
    pub data_sources: BTreeMap<String, Schema>,
}

const SCHEMA_6_47_0: &str = include_str!("../../schema/aws-6.47.0.json");
const SCHEMA_5_100_0: &str = include_str!("../../schema/aws-5.100.0.json");

impl ProviderSchema {
    /// The committed schema of `version`.
    pub fn load(version: AwsVersion) -> Result<ProviderSchema, String> {
        let text = match version {
            AwsVersion::V6_47_0 => SCHEMA_6_47_0,
            AwsVersion::V5_100_0 => SCHEMA_5_100_0,
        };
        let j: Json = serde_json::from_str(text).map_err(|e| format!("schema {version}: {e}"))?;
        let provider = Schema::from_json(&j["provider"], "provider")?;
        let mut resources = BTreeMap::new();
        for (name, s) in j["resource_schemas"]
            .as_object()
            .ok_or("no resource_schemas")?
        {
            resources.insert(name.clone(), Schema::from_json(s, name)?);
        }
        let mut data_sources = BTreeMap::new();
        for (name, s) in j["data_source_schemas"]
            .as_object()
            .ok_or("no data_source_schemas")?
        {
            data_sources.insert(name.clone(), Schema::from_json(s, name)?);
        }
        Ok(ProviderSchema {
            version,
            provider,
            provider_meta: provider_meta(),
            resources,
            data_sources,
        })
    }

    /// The `GetProviderSchema` answer.
    pub fn to_proto(&self) -> pb::get_provider_schema::Response {
        pb::get_provider_schema::Response {
            provider: Some(self.provider.to_proto()),
            resource_schemas: self
                .resources
                .iter()
                .map(|(k, s)| (k.clone(), s.to_proto()))
                .collect(),
            data_source_schemas: self
                .data_sources
                .iter()
                .map(|(k, s)| (k.clone(), s.to_proto()))
                .collect(),
            functions: Default::default(),
            diagnostics: Vec::new(),
            provider_meta: Some(self.provider_meta.to_proto()),
            server_capabilities: Some(pb::ServerCapabilities {
                plan_destroy: false,
                get_provider_schema_optional: false,
                move_resource_state: false,
            }),
        }
    }
}

/// `provider_meta "aws" { user_agent = [...] }`, which terraform-aws-modules declare; the
/// real provider's meta schema has this one attribute.
fn provider_meta() -> Schema {
    let mut block = Block::default();
    block.attributes.insert(
        "user_agent".into(),
        Attribute {
            ty: Type::List(Box::new(Type::String)),
            required: false,
            optional: true,
            computed: false,
            sensitive: false,
            deprecated: false,
        },
    );
    Schema::new(0, block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_versions_load_with_the_types_they_have() {
        for v in [AwsVersion::V5_100_0, AwsVersion::V6_47_0] {
            let s = ProviderSchema::load(v).unwrap();
            for t in [
                "aws_ecs_service",
                "aws_ecs_task_definition",
                "aws_subnet",
                "aws_lb_target_group",
            ] {
                assert!(s.resources.contains_key(t), "{v}: {t}");
            }
            for t in [
                "aws_subnets",
                "aws_iam_policy_document",
                "aws_availability_zones",
            ] {
                assert!(s.data_sources.contains_key(t), "{v}: {t}");
            }
            assert!(s.provider.block.attributes.contains_key("region"));
            assert!(s.provider.block.block_types.contains_key("default_tags"));
            let svc = &s.resources["aws_ecs_service"].block;
            assert_eq!(
                svc.attributes.contains_key("region"),
                v.major() >= 6,
                "{v}: region"
            );
            assert!(svc.attributes["launch_type"].optional_computed());
            assert_eq!(svc.block_types["load_balancer"].nesting, Nesting::Set);
        }
    }

    #[test]
    fn proto_schema_has_json_types_and_nesting() {
        let s = ProviderSchema::load(AwsVersion::V6_47_0).unwrap();
        let resp = s.to_proto();
        let svc = resp.resource_schemas["aws_ecs_service"]
            .block
            .as_ref()
            .unwrap();
        let tags = svc.attributes.iter().find(|a| a.name == "tags").unwrap();
        assert_eq!(tags.r#type, br#"["map","string"]"#);
        let lb = svc
            .block_types
            .iter()
            .find(|b| b.type_name == "load_balancer")
            .unwrap();
        assert_eq!(
            lb.nesting,
            pb::schema::nested_block::NestingMode::Set as i32
        );
        let meta = resp.provider_meta.unwrap().block.unwrap();
        assert_eq!(meta.attributes[0].name, "user_agent");
    }
}
