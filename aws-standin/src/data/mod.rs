//! `ReadDataSource`: wholly known, plausible answers, from the scenario's world.json where it
//! says something (see [`crate::world`]) and derived from the arguments otherwise.

pub mod filters;
pub mod policy;

use std::collections::BTreeMap;

use crate::apply::fill::fill_block;
use crate::apply::ids::Ids;
use crate::apply::Ctx;
use crate::codec::json::from_json;
use crate::codec::{msgpack, object, Value};
use crate::defaults::{Default, Defaults};
use crate::provider_config::ProviderConfig;
use crate::schema::{Block, Schema};
use crate::version::AwsVersion;
use crate::world::{self, World};
use filters::{filters, matches};

/// What reading needs besides the request.
pub struct Reader<'a> {
    pub version: AwsVersion,
    pub provider: &'a ProviderConfig,
    pub world: &'a World,
    /// SDK defaults; a data source's are under `data.TYPE`.
    pub defaults: &'a Defaults,
}

/// A data source object being answered: writes only attributes the configuration left null.
struct D<'m, 'c, 'w> {
    m: &'m mut BTreeMap<String, Value>,
    ctx: &'c Ctx<'w>,
}

impl D<'_, '_, '_> {
    fn open(&self, k: &str) -> bool {
        self.m.get(k).is_none_or(|v| v.is_null() || v.is_unknown())
    }

    fn s(&self, k: &str) -> Option<String> {
        self.m
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    }

    fn set(&mut self, k: &str, v: Value) {
        if self.open(k) {
            self.m.insert(k.to_owned(), v);
        }
    }

    fn str(&mut self, k: &str, v: impl Into<String>) {
        self.set(k, Value::String(v.into()));
    }

    fn tags(&self) -> BTreeMap<String, String> {
        self.m
            .get("tags")
            .and_then(Value::string_map)
            .unwrap_or_default()
    }
}

fn strings<S: AsRef<str>>(items: &[S]) -> Value {
    Value::List(items.iter().map(|s| Value::string(s.as_ref())).collect())
}

fn string_map(m: &BTreeMap<String, String>) -> Value {
    Value::Map(
        m.iter()
            .map(|(k, v)| (k.clone(), Value::string(v.clone())))
            .collect(),
    )
}

/// Every computed attribute the configuration left null becomes unknown, so that the
/// generic filling of [`fill_block`] completes what the type-specific code does not set.
fn open_computed(block: &Block, v: &mut Value) {
    let Value::Map(m) = v else { return };
    for (name, attr) in &block.attributes {
        let cur = m.entry(name.clone()).or_insert(Value::Null);
        if attr.computed && cur.is_null() {
            *cur = Value::UNKNOWN;
        }
    }
}

/// The SDK `Default:` values of attributes the configuration left null, in nested blocks too
/// (a data source's configuration is diffed like a resource's before it is read).
fn apply_defaults(defaults: &Defaults, key: &str, block: &Block, prefix: &str, v: &mut Value) {
    let Value::Map(m) = v else { return };
    let join = |name: &str| {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        }
    };
    for (name, attr) in &block.attributes {
        let cur = m.entry(name.clone()).or_insert(Value::Null);
        if cur.is_null() {
            if let Some(Default::Value(j)) = defaults.get(key, &join(name)) {
                if let Ok(d) = from_json(j, &attr.ty) {
                    *cur = d;
                }
            }
        }
    }
    for (name, nb) in &block.block_types {
        let path = join(name);
        match m.get_mut(name) {
            Some(Value::List(items)) => {
                for item in items {
                    apply_defaults(defaults, key, &nb.block, &path, item);
                }
            }
            Some(item @ Value::Map(_)) => apply_defaults(defaults, key, &nb.block, &path, item),
            _ => {}
        }
    }
}

impl Reader<'_> {
    /// The data source's state, or an error message (e.g. nothing matched).
    pub fn read(&self, type_name: &str, schema: &Schema, config: &Value) -> Result<Value, String> {
        let encoded = msgpack::encode(config, &schema.ty).unwrap_or_default();
        let region = crate::apply::region_of(config, self.provider);
        let ctx = Ctx::new(
            type_name,
            &[b"data", type_name.as_bytes(), &encoded],
            &region,
            self.world,
            self.provider,
            self.version,
        );
        let mut state = match config {
            Value::Map(_) => config.clone(),
            _ => Value::Map(BTreeMap::new()),
        };
        open_computed(&schema.block, &mut state);
        let key = format!("data.{type_name}");
        apply_defaults(self.defaults, &key, &schema.block, "", &mut state);
        if let Value::Map(m) = &mut state {
            let mut d = D { m, ctx: &ctx };
            d.str("region", region.clone());
            answer(&mut d)?;
        }
        fill_block(&ctx, &schema.block, "", &mut state, false);
        Ok(state)
    }
}

fn answer(d: &mut D) -> Result<(), String> {
    let ctx = d.ctx;
    let region = ctx.region.to_owned();
    let account = ctx.account.to_owned();
    match ctx.type_name {
        "aws_availability_zones" => {
            let exclude_names =
                d.m.get("exclude_names")
                    .map(Value::strings)
                    .unwrap_or_default();
            let exclude_ids =
                d.m.get("exclude_zone_ids")
                    .map(Value::strings)
                    .unwrap_or_default();
            let zones: Vec<String> = ctx
                .world
                .zones(&region)
                .into_iter()
                .filter(|z| !exclude_names.contains(z) && !exclude_ids.contains(&world::zone_id(z)))
                .collect();
            let ids: Vec<String> = zones.iter().map(|z| world::zone_id(z)).collect();
            d.set("names", strings(&zones));
            d.set("zone_ids", strings(&ids));
            d.set("group_names", strings(std::slice::from_ref(&region)));
            d.str("id", region);
        }
        "aws_caller_identity" => {
            d.str("account_id", account.clone());
            d.str("arn", format!("arn:aws:iam::{account}:user/aws-standin"));
            d.str("user_id", ctx.ids.iam_unique("AIDA"));
            d.str("id", account);
        }
        "aws_region" => {
            let name = d.s("region").or_else(|| d.s("name")).unwrap_or(region);
            d.str("name", name.clone());
            d.str("region", name.clone());
            d.str("endpoint", format!("ec2.{name}.amazonaws.com"));
            d.str("description", region_description(&name));
            d.str("id", name);
        }
        "aws_partition" => {
            d.str("partition", "aws");
            d.str("dns_suffix", "amazonaws.com");
            d.str("reverse_dns_prefix", "com.amazonaws");
            d.str("id", "aws");
        }
        "aws_vpc" | "aws_vpcs" => vpcs(d)?,
        "aws_subnet" | "aws_subnets" => subnets(d)?,
        "aws_ssm_parameter" => {
            let name = d.s("name").unwrap_or_default();
            let value = ctx
                .world
                .ssm_parameters
                .get(&name)
                .cloned()
                .unwrap_or_else(|| ssm_default(ctx, &name));
            let res = if name.starts_with('/') {
                format!("parameter{name}")
            } else {
                format!("parameter/{name}")
            };
            d.str("arn", ctx.arn("ssm", &res));
            d.str("type", "String");
            d.str("insecure_value", value.clone());
            d.str("value", value);
            d.set("version", Value::int(1));
            d.str("id", name);
        }
        "aws_ami" => {
            let owner_hint = d.m.get("owners").map(Value::strings).unwrap_or_default();
            let names: Vec<String> = filters(&Value::Map(d.m.clone()))
                .into_iter()
                .filter(|f| f.name == "name")
                .flat_map(|f| f.values)
                .collect();
            let pattern = names
                .first()
                .cloned()
                .unwrap_or_else(|| "amzn2-ami-ecs-hvm-*-x86_64-ebs".into());
            let name = pattern.replace('*', "2025.01.01").replace('?', "0");
            let arm = name.contains("arm64") || name.contains("aarch64");
            let id = format!("ami-0{}", ctx.ids.hex("ami", 16));
            d.str("arn", ctx.arn("ec2", &format!("image/{id}")));
            d.str("image_id", id.clone());
            d.str("id", id);
            d.str("name", name.clone());
            d.str("architecture", if arm { "arm64" } else { "x86_64" });
            d.str(
                "owner_id",
                owner_hint
                    .first()
                    .filter(|o| o.chars().all(|c| c.is_ascii_digit()))
                    .cloned()
                    .unwrap_or_else(|| "591542846629".into()),
            );
            d.str("image_owner_alias", "amazon");
            d.str("image_location", format!("amazon/{name}"));
            d.str("image_type", "machine");
            d.str("root_device_name", "/dev/xvda");
            d.str("root_device_type", "ebs");
            d.str("virtualization_type", "hvm");
            d.str("hypervisor", "xen");
            d.str("state", "available");
            d.str("platform_details", "Linux/UNIX");
            d.str("usage_operation", "RunInstances");
            d.str("sriov_net_support", "simple");
            d.set("ena_support", Value::Bool(true));
            d.set("public", Value::Bool(true));
            d.set(
                "state_reason",
                object([
                    ("code", Value::string("UNSET")),
                    ("message", Value::string("UNSET")),
                ]),
            );
            d.set("tags", Value::Map(BTreeMap::new()));
        }
        "aws_iam_policy_document" => {
            let doc = policy::document(&Value::Map(d.m.clone()))?;
            d.str("json", policy::pretty(&doc));
            d.str("minified_json", policy::minified(&doc));
            d.str(
                "id",
                crate::apply::ids::Ids::new(&[doc.to_string().as_bytes()]).digits("id", 10),
            );
        }
        "aws_ecs_cluster" => {
            let name = d.s("cluster_name").unwrap_or_default();
            let found = ctx.world.clusters.iter().find(|c| c.name == name);
            let arn = found
                .and_then(|c| c.arn.clone())
                .unwrap_or_else(|| ctx.arn("ecs", &format!("cluster/{name}")));
            let insights = found
                .and_then(|c| c.container_insights.clone())
                .unwrap_or_else(|| "disabled".into());
            d.str("arn", arn.clone());
            d.str("id", arn);
            d.str("status", "ACTIVE");
            d.set(
                "setting",
                Value::List(vec![object([
                    ("name", Value::string("containerInsights")),
                    ("value", Value::string(insights)),
                ])]),
            );
            d.set(
                "tags",
                string_map(&found.map(|c| c.tags.clone()).unwrap_or_default()),
            );
        }
        "aws_lb" => {
            let want_name = d.s("name");
            let want_arn = d.s("arn");
            let found = ctx.world.load_balancers.iter().find(|lb| {
                want_name.as_deref() == Some(lb.name.as_str())
                    || (want_arn.is_some() && lb.arn == want_arn)
            });
            let name = found
                .map(|l| l.name.clone())
                .or(want_name)
                .or_else(|| {
                    want_arn
                        .as_deref()
                        .and_then(|a| a.split('/').nth(2))
                        .map(str::to_owned)
                })
                .unwrap_or_else(|| "lb".into());
            let kind = found
                .and_then(|l| l.load_balancer_type.clone())
                .unwrap_or_else(|| "application".into());
            let short = match kind.as_str() {
                "network" => "net",
                "gateway" => "gwy",
                _ => "app",
            };
            let suffix = format!("{short}/{name}/{}", ctx.ids.hex("arn", 16));
            let arn = found
                .and_then(|l| l.arn.clone())
                .or(want_arn)
                .unwrap_or_else(|| {
                    ctx.arn("elasticloadbalancing", &format!("loadbalancer/{suffix}"))
                });
            let arn_suffix = arn
                .split(":loadbalancer/")
                .nth(1)
                .unwrap_or(&suffix)
                .to_owned();
            let vpc = found
                .and_then(|l| l.vpc_id.clone())
                .or_else(|| ctx.world.default_vpc().map(|v| v.id))
                .unwrap_or_default();
            let subnets: Vec<String> = match found {
                Some(l) if !l.subnets.is_empty() => l.subnets.clone(),
                _ => ctx
                    .world
                    .subnets(&region)
                    .iter()
                    .filter(|s| s.vpc_id == vpc)
                    .map(|s| s.id.clone())
                    .collect(),
            };
            let internal = found.is_some_and(|l| l.internal);
            d.str("name", name.clone());
            d.str("arn", arn.clone());
            d.str("id", arn);
            d.str("arn_suffix", arn_suffix);
            d.str("load_balancer_type", kind);
            d.set("internal", Value::Bool(internal));
            d.str("vpc_id", vpc);
            d.set("subnets", strings(&subnets));
            d.set(
                "security_groups",
                strings(&found.map(|l| l.security_groups.clone()).unwrap_or_default()),
            );
            d.str(
                "dns_name",
                format!(
                    "{}{name}-{}.{region}.elb.amazonaws.com",
                    if internal { "internal-" } else { "" },
                    ctx.ids.digits("dns", 10)
                ),
            );
            d.str("ip_address_type", "ipv4");
            d.set("idle_timeout", Value::int(60));
            d.set("enable_http2", Value::Bool(true));
            d.set("client_keep_alive", Value::int(3600));
            d.str("desync_mitigation_mode", "defensive");
            d.str("xff_header_processing_mode", "append");
            d.set(
                "tags",
                string_map(&found.map(|l| l.tags.clone()).unwrap_or_default()),
            );
        }
        "aws_lb_target_group" => {
            let want_name = d.s("name");
            let want_arn = d.s("arn");
            let found = ctx.world.target_groups.iter().find(|tg| {
                want_name.as_deref() == Some(tg.name.as_str())
                    || (want_arn.is_some() && tg.arn == want_arn)
            });
            let name = found
                .map(|t| t.name.clone())
                .or(want_name)
                .or_else(|| {
                    want_arn
                        .as_deref()
                        .and_then(|a| a.split('/').nth(1))
                        .map(str::to_owned)
                })
                .unwrap_or_else(|| "tg".into());
            let suffix = format!("targetgroup/{name}/{}", ctx.ids.hex("arn", 16));
            let arn = found
                .and_then(|t| t.arn.clone())
                .or(want_arn)
                .unwrap_or_else(|| ctx.arn("elasticloadbalancing", &suffix));
            let arn_suffix = arn.rsplit(':').next().unwrap_or(&suffix).to_owned();
            let protocol = found
                .and_then(|t| t.protocol.clone())
                .unwrap_or_else(|| "HTTP".into());
            let http = matches!(protocol.as_str(), "HTTP" | "HTTPS");
            let hc_port = found
                .and_then(|t| t.health_check_port.clone())
                .unwrap_or_else(|| "traffic-port".into());
            let hc_path = found
                .and_then(|t| t.health_check_path.clone())
                .unwrap_or_else(|| if http { "/".into() } else { String::new() });
            d.str("name", name);
            d.str("arn", arn.clone());
            d.str("id", arn);
            d.str("arn_suffix", arn_suffix);
            d.str(
                "target_type",
                found
                    .and_then(|t| t.target_type.clone())
                    .unwrap_or_else(|| "instance".into()),
            );
            d.set("port", Value::int(found.and_then(|t| t.port).unwrap_or(80)));
            d.str("protocol", protocol.clone());
            d.str("protocol_version", if http { "HTTP1" } else { "" });
            d.str(
                "vpc_id",
                found
                    .and_then(|t| t.vpc_id.clone())
                    .or_else(|| ctx.world.default_vpc().map(|v| v.id))
                    .unwrap_or_default(),
            );
            d.str("deregistration_delay", "300");
            d.str("load_balancing_algorithm_type", "round_robin");
            d.str("load_balancing_anomaly_mitigation", "off");
            d.str(
                "load_balancing_cross_zone_enabled",
                "use_load_balancer_configuration",
            );
            d.set(
                "load_balancer_arns",
                strings(
                    &found
                        .map(|t| t.load_balancer_arns.clone())
                        .unwrap_or_default(),
                ),
            );
            d.set(
                "health_check",
                Value::List(vec![object([
                    ("enabled", Value::Bool(true)),
                    ("healthy_threshold", Value::int(5)),
                    ("interval", Value::int(30)),
                    ("matcher", Value::string(if http { "200" } else { "" })),
                    ("path", Value::string(hc_path)),
                    ("port", Value::string(hc_port)),
                    (
                        "protocol",
                        Value::string(if http { protocol.as_str() } else { "TCP" }),
                    ),
                    ("timeout", Value::int(5)),
                    ("unhealthy_threshold", Value::int(2)),
                ])]),
            );
            d.set(
                "stickiness",
                Value::List(vec![object([
                    ("cookie_duration", Value::int(86400)),
                    ("cookie_name", Value::string("")),
                    ("enabled", Value::Bool(false)),
                    ("type", Value::string("lb_cookie")),
                ])]),
            );
            d.set(
                "tags",
                string_map(&found.map(|t| t.tags.clone()).unwrap_or_default()),
            );
        }
        "aws_security_group" => {
            let all = ctx.world.security_groups.clone();
            let cfg = Value::Map(d.m.clone());
            let fs = filters(&cfg);
            let tags = d.tags();
            let id = d.s("id");
            let name = d.s("name");
            let vpc = d.s("vpc_id");
            let found = all.iter().find(|sg| {
                id.as_deref().is_none_or(|i| i == sg.id)
                    && name.as_deref().is_none_or(|n| n == sg.name)
                    && vpc.as_deref().is_none_or(|v| v == sg.vpc_id)
                    && matches(*sg, &fs, &tags)
            });
            let (id, name, vpc, description, tags) = match found {
                Some(sg) => (
                    sg.id.clone(),
                    sg.name.clone(),
                    sg.vpc_id.clone(),
                    sg.description.clone().unwrap_or_default(),
                    sg.tags.clone(),
                ),
                None => {
                    let vpc = vpc
                        .or_else(|| ctx.world.default_vpc().map(|v| v.id))
                        .unwrap_or_default();
                    (
                        id.unwrap_or_else(|| ctx.ids.ec2("sg")),
                        name.unwrap_or_else(|| "default".into()),
                        vpc,
                        "Managed by Terraform".into(),
                        tags,
                    )
                }
            };
            d.str("arn", ctx.arn("ec2", &format!("security-group/{id}")));
            d.str("id", id);
            d.str("name", name);
            d.str("vpc_id", vpc);
            d.str("description", description);
            d.set("tags", string_map(&tags));
        }
        "aws_route_table" => route_table(d),
        "aws_secretsmanager_secret" => {
            let want_name = d.s("name");
            let want_arn = d.s("arn");
            let found = ctx.world.secrets.iter().find(|s| {
                want_name.as_deref() == Some(s.name.as_str())
                    || (want_arn.is_some() && s.arn == want_arn)
            });
            let name = found
                .map(|s| s.name.clone())
                .or(want_name)
                .or_else(|| {
                    want_arn
                        .as_deref()
                        .and_then(|a| a.rsplit(':').next())
                        .map(|n| n.rsplit_once('-').map_or(n, |(a, _)| a).to_owned())
                })
                .unwrap_or_default();
            let arn = found
                .and_then(|s| s.arn.clone())
                .or(want_arn)
                .unwrap_or_else(|| {
                    ctx.arn(
                        "secretsmanager",
                        &format!(
                            "secret:{name}-{}",
                            ctx.ids.chars(
                                "arn",
                                6,
                                b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                            )
                        ),
                    )
                });
            d.str("name", name);
            d.str("arn", arn.clone());
            d.str("id", arn);
            d.str("created_date", "2025-01-01T00:00:00Z");
            d.str("last_changed_date", "2025-01-01T00:00:00Z");
            d.set("tags", Value::Map(BTreeMap::new()));
        }
        "aws_ecr_repository" => {
            let name = d.s("name").unwrap_or_default();
            let registry = d.s("registry_id").unwrap_or(account);
            d.str("arn", ctx.arn("ecr", &format!("repository/{name}")));
            d.str(
                "repository_url",
                format!("{registry}.dkr.ecr.{region}.amazonaws.com/{name}"),
            );
            d.str("registry_id", registry);
            d.str("image_tag_mutability", "MUTABLE");
            d.set(
                "image_scanning_configuration",
                Value::List(vec![object([("scan_on_push", Value::Bool(false))])]),
            );
            d.set(
                "encryption_configuration",
                Value::List(vec![object([
                    ("encryption_type", Value::string("AES256")),
                    ("kms_key", Value::string("")),
                ])]),
            );
            d.set("most_recent_image_tags", strings(&["latest"]));
            d.str("id", name);
            d.set("tags", Value::Map(BTreeMap::new()));
        }
        "aws_ecs_task_definition" => task_definition(d),
        "aws_iam_role" => {
            let name = d.s("name").unwrap_or_default();
            let found = ctx.world.iam_roles.iter().find(|r| r.name == name);
            let path = found
                .and_then(|r| r.path.clone())
                .unwrap_or_else(|| "/".into());
            let arn = found
                .and_then(|r| r.arn.clone())
                .unwrap_or_else(|| ctx.global_arn("iam", &format!("role{path}{name}")));
            let trust = found.and_then(|r| r.assume_role_policy.clone()).unwrap_or_else(|| {
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into()
            });
            d.str("arn", arn);
            d.str("path", path);
            d.str("assume_role_policy", trust);
            d.str("create_date", "2025-01-01T00:00:00Z");
            d.set("max_session_duration", Value::int(3600));
            d.str("unique_id", ctx.ids.iam_unique("AROA"));
            d.str("id", name);
            d.set("tags", Value::Map(BTreeMap::new()));
        }
        "aws_kms_alias" => {
            let name = d.s("name").unwrap_or_default();
            let key = ctx
                .world
                .kms_aliases
                .iter()
                .find(|a| a.name == name)
                .map(|a| a.target_key_id.clone())
                .unwrap_or_else(|| ctx.ids.uuid("key"));
            d.str("arn", ctx.arn("kms", &name));
            d.str("target_key_arn", ctx.arn("kms", &format!("key/{key}")));
            d.str("target_key_id", key);
            d.str("id", name);
        }
        "aws_lb_listener" => {
            let want_arn = d.s("arn");
            let lb_arn = d.s("load_balancer_arn").or_else(|| {
                // listener/app/NAME/LBHEX/HEX -> loadbalancer/app/NAME/LBHEX
                want_arn.as_deref().map(|a| {
                    let a = a.replacen(":listener/", ":loadbalancer/", 1);
                    a.rsplit_once('/')
                        .map_or(a.clone(), |(head, _)| head.to_owned())
                })
            });
            let lb_arn = lb_arn.unwrap_or_else(|| {
                ctx.arn(
                    "elasticloadbalancing",
                    &format!("loadbalancer/app/lb/{}", ctx.ids.hex("lb", 16)),
                )
            });
            let port = d.m.get("port").and_then(Value::as_i64).unwrap_or(80);
            let arn = want_arn.unwrap_or_else(|| {
                let base = lb_arn.split(":loadbalancer/").nth(1).unwrap_or("app/lb/0");
                ctx.arn(
                    "elasticloadbalancing",
                    &format!("listener/{base}/{}", ctx.ids.hex("arn", 16)),
                )
            });
            let https = port == 443;
            d.str("arn", arn.clone());
            d.str("id", arn);
            d.str("load_balancer_arn", lb_arn);
            d.set("port", Value::int(port));
            d.str("protocol", if https { "HTTPS" } else { "HTTP" });
            d.str(
                "ssl_policy",
                if https {
                    "ELBSecurityPolicy-TLS13-1-2-2021-06"
                } else {
                    ""
                },
            );
            d.set("tags", Value::Map(BTreeMap::new()));
        }
        "aws_acm_certificate" => {
            let domain = d.s("domain").unwrap_or_default();
            let arn = ctx.arn("acm", &format!("certificate/{}", ctx.ids.uuid("arn")));
            d.str("arn", arn.clone());
            d.str("id", arn);
            d.str("status", "ISSUED");
            d.str("domain", domain);
            d.set("tags", Value::Map(BTreeMap::new()));
        }
        "aws_route53_zone" => {
            let zone = d
                .s("zone_id")
                .unwrap_or_else(|| crate::apply::resources::hosted_zone_id(&ctx.ids));
            let name = d
                .s("name")
                .unwrap_or_else(|| "example.com".into())
                .trim_end_matches('.')
                .to_owned();
            let servers = crate::apply::resources::name_servers(&ctx.ids);
            d.str("arn", format!("arn:aws:route53:::hostedzone/{zone}"));
            d.str("id", zone.clone());
            d.str("zone_id", zone);
            d.str("name", name);
            d.set("private_zone", Value::Bool(false));
            d.str("comment", "");
            d.str("caller_reference", ctx.ids.uuid("caller"));
            d.set("name_servers", strings(&servers));
            d.str("primary_name_server", servers[0].clone());
            d.set("resource_record_set_count", Value::int(2));
            d.set("tags", Value::Map(BTreeMap::new()));
        }
        _ => {}
    }
    Ok(())
}

fn region_description(region: &str) -> String {
    let known: &[(&str, &str)] = &[
        ("us-east-1", "US East (N. Virginia)"),
        ("us-east-2", "US East (Ohio)"),
        ("us-west-1", "US West (N. California)"),
        ("us-west-2", "US West (Oregon)"),
        ("eu-west-1", "Europe (Ireland)"),
        ("eu-west-2", "Europe (London)"),
        ("eu-west-3", "Europe (Paris)"),
        ("eu-central-1", "Europe (Frankfurt)"),
        ("eu-north-1", "Europe (Stockholm)"),
        ("ap-southeast-1", "Asia Pacific (Singapore)"),
        ("ap-southeast-2", "Asia Pacific (Sydney)"),
        ("ap-northeast-1", "Asia Pacific (Tokyo)"),
        ("ap-south-1", "Asia Pacific (Mumbai)"),
    ];
    known
        .iter()
        .find(|(r, _)| *r == region)
        .map_or_else(|| region.to_owned(), |(_, d)| (*d).to_owned())
}

/// An SSM parameter the world does not list: the ECS-optimized AMI parameters answer an AMI
/// id (or, for `.../recommended`, the JSON document AWS publishes); others a placeholder.
fn ssm_default(ctx: &Ctx, name: &str) -> String {
    let ami = format!(
        "ami-0{}",
        Ids::new(&[b"ssm", name.trim_end_matches("/image_id").as_bytes()]).hex("ami", 16)
    );
    if name.starts_with("/aws/service/") && name.ends_with("/image_id") {
        return ami;
    }
    if name.starts_with("/aws/service/ecs/optimized-ami/") && name.ends_with("/recommended") {
        let os = if name.contains("amazon-linux-2023") {
            "Amazon Linux 2023"
        } else {
            "Amazon Linux 2"
        };
        return serde_json::json!({
            "ecs_agent_version": "1.89.0",
            "ecs_runtime_version": "Docker version 25.0.8",
            "image_id": ami,
            "image_name": "amzn-ami-ecs-optimized",
            "os": os,
            "schema_version": 1,
            "source_image_name": "amzn-ami-minimal"
        })
        .to_string();
    }
    if name.starts_with("/aws/service/") {
        return ami;
    }
    format!("value-{}", ctx.ids.hex("ssm", 8))
}

fn vpcs(d: &mut D) -> Result<(), String> {
    let ctx = d.ctx;
    let cfg = Value::Map(d.m.clone());
    let fs = filters(&cfg);
    let tags = d.tags();
    let id = d.s("id");
    let cidr = d.s("cidr_block");
    let default = cfg.get("default").as_bool();
    let all = ctx.world.vpcs();
    let found: Vec<&world::Vpc> = all
        .iter()
        .filter(|v| {
            id.as_deref().is_none_or(|i| i == v.id)
                && cidr.as_deref().is_none_or(|c| c == v.cidr_block)
                && default.is_none_or(|want| want == v.default)
                && matches(*v, &fs, &tags)
        })
        .collect();
    if ctx.type_name == "aws_vpcs" {
        let ids: Vec<String> = found.iter().map(|v| v.id.clone()).collect();
        d.set("ids", strings(&ids));
        d.str("id", ctx.region);
        return Ok(());
    }
    let v = match found.as_slice() {
        [v] => *v,
        [] => return Err("no matching EC2 VPC found".into()),
        _ => return Err("multiple EC2 VPCs matched; use additional constraints to reduce matches to a single EC2 VPC".into()),
    };
    d.str("id", v.id.clone());
    d.str("arn", ctx.arn("ec2", &format!("vpc/{}", v.id)));
    d.str("cidr_block", v.cidr_block.clone());
    d.set("default", Value::Bool(v.default));
    d.set("tags", string_map(&v.tags));
    d.str("state", "available");
    d.str("instance_tenancy", "default");
    d.set("enable_dns_support", Value::Bool(true));
    d.set("enable_dns_hostnames", Value::Bool(true));
    d.set("enable_network_address_usage_metrics", Value::Bool(false));
    let ids = Ids::new(&[v.id.as_bytes()]);
    d.str("main_route_table_id", ids.ec2("rtb"));
    d.str("dhcp_options_id", ids.ec2("dopt"));
    d.str("owner_id", ctx.account);
    d.str(
        "ipv6_cidr_block",
        v.ipv6_cidr_block.clone().unwrap_or_default(),
    );
    d.set(
        "cidr_block_associations",
        Value::List(vec![object([
            (
                "association_id",
                Value::string(format!("vpc-cidr-assoc-0{}", ids.hex("assoc", 16))),
            ),
            ("cidr_block", Value::string(v.cidr_block.clone())),
            ("state", Value::string("associated")),
        ])]),
    );
    Ok(())
}

fn subnets(d: &mut D) -> Result<(), String> {
    let ctx = d.ctx;
    let cfg = Value::Map(d.m.clone());
    let fs = filters(&cfg);
    let tags = d.tags();
    let all = ctx.world.subnets(ctx.region);
    let arg = |k: &str| {
        cfg.get(k)
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let (id, vpc, cidr, az, az_id) = (
        arg("id"),
        arg("vpc_id"),
        arg("cidr_block"),
        arg("availability_zone"),
        arg("availability_zone_id"),
    );
    let default_for_az = cfg.get("default_for_az").as_bool();
    let found: Vec<&world::Subnet> = all
        .iter()
        .filter(|s| {
            id.as_deref().is_none_or(|x| x == s.id)
                && vpc.as_deref().is_none_or(|x| x == s.vpc_id)
                && cidr.as_deref().is_none_or(|x| x == s.cidr_block)
                && az.as_deref().is_none_or(|x| x == s.availability_zone)
                && az_id
                    .as_deref()
                    .is_none_or(|x| x == world::zone_id(&s.availability_zone))
                && default_for_az.is_none_or(|x| x == s.default_for_az)
                && matches(*s, &fs, &tags)
        })
        .collect();
    if ctx.type_name == "aws_subnets" {
        let ids: Vec<String> = found.iter().map(|s| s.id.clone()).collect();
        d.set("ids", strings(&ids));
        d.str("id", ctx.region);
        return Ok(());
    }
    let s = match found.as_slice() {
        [s] => *s,
        [] => return Err("no matching EC2 Subnet found".into()),
        _ => return Err("multiple EC2 Subnets matched; use additional constraints to reduce matches to a single EC2 Subnet".into()),
    };
    d.str("id", s.id.clone());
    d.str("arn", ctx.arn("ec2", &format!("subnet/{}", s.id)));
    d.str("vpc_id", s.vpc_id.clone());
    d.str("cidr_block", s.cidr_block.clone());
    d.str("availability_zone", s.availability_zone.clone());
    d.str("availability_zone_id", world::zone_id(&s.availability_zone));
    d.set(
        "map_public_ip_on_launch",
        Value::Bool(s.map_public_ip_on_launch),
    );
    d.set("default_for_az", Value::Bool(s.default_for_az));
    d.set("tags", string_map(&s.tags));
    d.str("state", "available");
    d.str("owner_id", ctx.account);
    d.str(
        "ipv6_cidr_block",
        s.ipv6_cidr_block.clone().unwrap_or_default(),
    );
    d.str("private_dns_hostname_type_on_launch", "ip-name");
    let usable = s
        .cidr_block
        .split_once('/')
        .and_then(|(_, p)| p.parse::<u32>().ok())
        .filter(|p| *p <= 32)
        .map_or(0, |p| (1i64 << (32 - p)) - 5);
    d.set(
        "available_ip_address_count",
        Value::int(s.available_ip_address_count.unwrap_or(usable)),
    );
    Ok(())
}

fn route_table(d: &mut D) {
    let ctx = d.ctx;
    let cfg = Value::Map(d.m.clone());
    let fs = filters(&cfg);
    let tags = d.tags();
    let subnet = d.s("subnet_id");
    let rt_id = d.s("route_table_id");
    let vpc = d.s("vpc_id");
    let found = ctx.world.route_tables.iter().find(|rt| {
        subnet
            .as_deref()
            .is_none_or(|s| rt.subnet_ids.iter().any(|x| x == s))
            && rt_id.as_deref().is_none_or(|i| i == rt.id)
            && vpc.as_deref().is_none_or(|v| v == rt.vpc_id)
            && matches(*rt, &fs, &tags)
    });
    let route_keys = [
        "carrier_gateway_id",
        "cidr_block",
        "core_network_arn",
        "destination_prefix_list_id",
        "egress_only_gateway_id",
        "gateway_id",
        "instance_id",
        "ipv6_cidr_block",
        "local_gateway_id",
        "nat_gateway_id",
        "network_interface_id",
        "odb_network_arn",
        "transit_gateway_id",
        "vpc_endpoint_id",
        "vpc_peering_connection_id",
    ];
    let route = |r: &BTreeMap<String, String>| {
        object(
            route_keys
                .iter()
                .map(|k| (*k, Value::string(r.get(*k).cloned().unwrap_or_default()))),
        )
    };
    let (id, vpc_id, routes, subnets, main) = match found {
        Some(rt) => (
            rt.id.clone(),
            rt.vpc_id.clone(),
            rt.routes.iter().map(route).collect(),
            rt.subnet_ids.clone(),
            rt.main,
        ),
        None => {
            let vpc_id = vpc
                .or_else(|| {
                    let s = subnet.as_deref()?;
                    ctx.world
                        .subnets(ctx.region)
                        .into_iter()
                        .find(|x| x.id == s)
                        .map(|x| x.vpc_id)
                })
                .or_else(|| ctx.world.default_vpc().map(|v| v.id))
                .unwrap_or_default();
            let igw = BTreeMap::from([
                ("cidr_block".to_owned(), "0.0.0.0/0".to_owned()),
                (
                    "gateway_id".to_owned(),
                    Ids::new(&[vpc_id.as_bytes()]).ec2("igw"),
                ),
            ]);
            (
                rt_id.unwrap_or_else(|| ctx.ids.ec2("rtb")),
                vpc_id,
                vec![route(&igw)],
                subnet.into_iter().collect(),
                false,
            )
        }
    };
    let assoc: Vec<Value> = if subnets.is_empty() && main {
        vec![object([
            ("gateway_id", Value::string("")),
            ("main", Value::Bool(true)),
            (
                "route_table_association_id",
                Value::string(Ids::new(&[id.as_bytes()]).ec2("rtbassoc")),
            ),
            ("route_table_id", Value::string(id.clone())),
            ("subnet_id", Value::string("")),
        ])]
    } else {
        subnets
            .iter()
            .map(|s| {
                object([
                    ("gateway_id", Value::string("")),
                    ("main", Value::Bool(false)),
                    (
                        "route_table_association_id",
                        Value::string(Ids::new(&[id.as_bytes(), s.as_bytes()]).ec2("rtbassoc")),
                    ),
                    ("route_table_id", Value::string(id.clone())),
                    ("subnet_id", Value::string(s.clone())),
                ])
            })
            .collect()
    };
    d.str("arn", ctx.arn("ec2", &format!("route-table/{id}")));
    d.str("route_table_id", id.clone());
    d.str("id", id);
    d.str("vpc_id", vpc_id);
    d.str("owner_id", ctx.account);
    d.set("routes", Value::List(routes));
    d.set("associations", Value::List(assoc));
    d.str("subnet_id", "");
    d.str("gateway_id", "");
    d.set("tags", Value::Map(BTreeMap::new()));
}

fn task_definition(d: &mut D) {
    let ctx = d.ctx;
    let want = d.s("task_definition").unwrap_or_default();
    let spec = want
        .rsplit("task-definition/")
        .next()
        .unwrap_or(&want)
        .to_owned();
    let (family, rev) = match spec.split_once(':') {
        Some((f, r)) => (f.to_owned(), r.parse::<i64>().ok()),
        None => (spec.clone(), None),
    };
    let found = ctx
        .world
        .task_definitions
        .iter()
        .find(|t| t.family == family && (rev.is_none() || t.revision == rev));
    let revision = rev.or_else(|| found.and_then(|t| t.revision)).unwrap_or(1);
    let containers = match found.and_then(|t| t.container_definitions.clone()) {
        Some(serde_json::Value::String(s)) => s,
        Some(v) => v.to_string(),
        None => "[]".to_owned(),
    };
    d.str("family", family.clone());
    d.set("revision", Value::int(revision));
    let (arn, arn_without_revision) = ctx.task_definition_arns(&family, revision);
    d.str("arn", arn.clone());
    d.str("arn_without_revision", arn_without_revision);
    d.str("id", arn);
    d.str(
        "network_mode",
        found
            .and_then(|t| t.network_mode.clone())
            // Omitted in DescribeTaskDefinition when the definition never set a mode.
            .unwrap_or_default(),
    );
    d.str("container_definitions", containers);
    d.set(
        "requires_compatibilities",
        strings(
            &found
                .map(|t| t.requires_compatibilities.clone())
                .unwrap_or_default(),
        ),
    );
    d.str("cpu", found.and_then(|t| t.cpu.clone()).unwrap_or_default());
    d.str(
        "memory",
        found.and_then(|t| t.memory.clone()).unwrap_or_default(),
    );
    d.str(
        "task_role_arn",
        found
            .and_then(|t| t.task_role_arn.clone())
            .unwrap_or_default(),
    );
    d.str(
        "execution_role_arn",
        found
            .and_then(|t| t.execution_role_arn.clone())
            .unwrap_or_default(),
    );
    d.str("status", "ACTIVE");
}
