//! Type-specific values for what the real provider computes on create: ids and ARNs in each
//! type's real format, names from `name_prefix`, addresses, revisions, and the blocks the
//! provider fills when they are omitted.

use std::collections::BTreeMap;

use super::Ctx;
use crate::codec::{object, Value};

mod more;

pub(crate) use more::{hosted_zone_id, name_servers};

/// A planned object being completed: writes only where the value is unknown.
struct Obj<'m, 'c, 'w> {
    m: &'m mut BTreeMap<String, Value>,
    ctx: &'c Ctx<'w>,
}

impl Obj<'_, '_, '_> {
    fn unknown(&self, k: &str) -> bool {
        self.m.get(k).is_some_and(Value::is_unknown)
    }

    /// The known string value of `k`, or "".
    fn s(&self, k: &str) -> String {
        self.m
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    }

    fn get(&self, k: &str) -> Value {
        self.m.get(k).cloned().unwrap_or(Value::Null)
    }

    fn set(&mut self, k: &str, v: impl Into<Value>) {
        if self.unknown(k) {
            self.m.insert(k.to_owned(), v.into());
        }
    }

    fn set_str(&mut self, k: &str, v: impl Into<String>) {
        self.set(k, Value::String(v.into()));
    }

    /// Resolves a name attribute: the known value, else `name_prefix` + a unique suffix, else
    /// `fallback` + the suffix.
    fn name(&mut self, key: &str, prefix_key: &str, fallback: &str) -> String {
        if self.unknown(key) {
            let prefix = self.s(prefix_key);
            let prefix = if prefix.is_empty() {
                fallback.to_owned()
            } else {
                prefix
            };
            let name = format!("{prefix}{}", self.ctx.ids.unique_suffix(key));
            self.m.insert(key.to_owned(), Value::String(name));
        }
        if self.unknown(prefix_key) {
            self.m.insert(prefix_key.to_owned(), Value::string(""));
        }
        self.s(key)
    }
}

fn strings(items: &[String]) -> Value {
    Value::List(items.iter().map(|s| Value::string(s.clone())).collect())
}

/// The last `/`-separated part of an ARN or the value itself (cluster ARN → cluster name).
fn last_segment(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

/// Fills the type's identity attributes (only where unknown).
pub fn identity(ctx: &Ctx, m: &mut BTreeMap<String, Value>) {
    let mut o = Obj { m, ctx };
    let ids = &ctx.ids;
    if o.unknown("tags_all") {
        let tags = o.get("tags");
        if let Some(all) = ctx.provider.merged_tags(&tags) {
            o.set(
                "tags_all",
                Value::Map(
                    all.into_iter()
                        .map(|(k, v)| (k, Value::String(v)))
                        .collect(),
                ),
            );
        }
    }
    o.set_str("region", ctx.region);
    match ctx.type_name {
        "aws_vpc" => {
            let id = ids.ec2("vpc");
            o.set_str("arn", ctx.arn("ec2", &format!("vpc/{id}")));
            o.set_str("id", id);
            o.set_str("default_security_group_id", ids.ec2("sg"));
            let rtb = ids.ec2("rtb");
            o.set_str("default_route_table_id", rtb.clone());
            o.set_str("main_route_table_id", rtb);
            o.set_str("default_network_acl_id", ids.ec2("acl"));
            o.set_str("dhcp_options_id", ids.ec2("dopt"));
            o.set("enable_dns_hostnames", false);
            o.set("enable_network_address_usage_metrics", false);
            // An Amazon-provided IPv6 block (a /56) when one was asked for.
            let ipv6 = o.get("assign_generated_ipv6_cidr_block").as_bool() == Some(true)
                || !o.s("ipv6_ipam_pool_id").is_empty();
            if ipv6 {
                let h = ids.hex("ipv6", 6);
                o.set_str(
                    "ipv6_cidr_block",
                    format!("2600:1f18:{}:{}00::/56", &h[..4], &h[4..]),
                );
                o.set_str(
                    "ipv6_association_id",
                    format!("vpc-cidr-assoc-0{}", ids.hex("ipv6-assoc", 16)),
                );
                o.set_str("ipv6_cidr_block_network_border_group", ctx.region);
            }
            if o.unknown("cidr_block") {
                // From an IPAM pool: a /16 (or the requested netmask) in 10.0.0.0/8.
                let len = o.get("ipv4_netmask_length").as_i64().unwrap_or(16);
                o.set_str(
                    "cidr_block",
                    format!("10.{}.0.0/{len}", ids.below("cidr", 256)),
                );
            }
        }
        "aws_subnet" => {
            let id = ids.ec2("subnet");
            o.set_str("arn", ctx.arn("ec2", &format!("subnet/{id}")));
            o.set_str("id", id);
            let zones = ctx.world.zones(ctx.region);
            if o.unknown("availability_zone") {
                let az_id = o.s("availability_zone_id");
                let by_id = zones
                    .iter()
                    .find(|z| crate::world::zone_id(z) == az_id)
                    .cloned();
                let pick = by_id.unwrap_or_else(|| {
                    zones
                        .get(ids.below("az", zones.len() as u64) as usize)
                        .cloned()
                        .unwrap_or_default()
                });
                o.set_str("availability_zone", pick);
            }
            let az = o.s("availability_zone");
            o.set_str("availability_zone_id", crate::world::zone_id(&az));
            o.set_str("private_dns_hostname_type_on_launch", "ip-name");
            if !o.s("ipv6_cidr_block").is_empty() {
                o.set_str(
                    "ipv6_cidr_block_association_id",
                    format!("subnet-cidr-assoc-0{}", ids.hex("ipv6-assoc", 16)),
                );
            }
        }
        "aws_internet_gateway" => {
            let id = ids.ec2("igw");
            o.set_str("arn", ctx.arn("ec2", &format!("internet-gateway/{id}")));
            o.set_str("id", id);
        }
        "aws_nat_gateway" => {
            o.set_str("id", ids.ec2("nat"));
            o.set_str("network_interface_id", ids.ec2("eni"));
            o.set_str("association_id", ids.ec2("eipassoc"));
            o.set_str("private_ip", ids.private_ip("private_ip"));
            let public = o.s("connectivity_type") != "private";
            o.set_str(
                "public_ip",
                if public {
                    ids.public_ip("public_ip")
                } else {
                    String::new()
                },
            );
        }
        "aws_eip" => {
            let id = ids.ec2("eipalloc");
            let ip = ids.public_ip("public_ip");
            o.set_str("arn", ctx.arn("ec2", &format!("elastic-ip/{id}")));
            o.set_str("allocation_id", id.clone());
            o.set_str("id", id);
            o.set_str(
                "public_dns",
                format!("ec2-{}.compute-1.amazonaws.com", ip.replace('.', "-")),
            );
            o.set_str("public_ip", ip);
            o.set_str("domain", "vpc");
            o.set("vpc", true);
            o.set_str("network_border_group", ctx.region);
            o.set_str("public_ipv4_pool", "amazon");
        }
        "aws_route_table" => {
            let id = ids.ec2("rtb");
            o.set_str("arn", ctx.arn("ec2", &format!("route-table/{id}")));
            o.set_str("id", id);
        }
        "aws_route" => {
            let rtb = o.s("route_table_id");
            o.set_str("id", format!("r-{rtb}{}", ids.digits("id", 10)));
            o.set_str("origin", "CreateRoute");
            o.set_str("state", "active");
        }
        "aws_route_table_association" => o.set_str("id", ids.ec2("rtbassoc")),
        "aws_security_group" | "aws_default_security_group" => {
            let id = ids.ec2("sg");
            o.set_str("arn", ctx.arn("ec2", &format!("security-group/{id}")));
            o.set_str("id", id);
            if ctx.type_name == "aws_default_security_group" {
                o.set_str("name", "default");
                o.set_str("description", "default VPC security group");
            } else {
                o.name("name", "name_prefix", "terraform-");
            }
        }
        "aws_security_group_rule" => {
            o.set_str("id", format!("sgrule-{}", ids.digits("id", 10)));
            o.set_str("security_group_rule_id", ids.ec2("sgr"));
        }
        "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => {
            let id = ids.ec2("sgr");
            o.set_str("arn", ctx.arn("ec2", &format!("security-group-rule/{id}")));
            o.set_str("security_group_rule_id", id.clone());
            o.set_str("id", id);
        }
        "aws_vpc_endpoint" => {
            let id = ids.ec2("vpce");
            o.set_str("arn", ctx.arn("ec2", &format!("vpc-endpoint/{id}")));
            o.set_str("id", id);
            let gateway = o.s("vpc_endpoint_type") == "Gateway";
            o.set_str(
                "prefix_list_id",
                if gateway {
                    ids.ec2("pl")
                } else {
                    String::new()
                },
            );
            o.set_str("state", "available");
            o.set_str("ip_address_type", "ipv4");
            o.set("private_dns_enabled", !gateway);
            o.set_str("service_region", ctx.region);
            o.set_str(
                "policy",
                r#"{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}],"Version":"2008-10-17"}"#,
            );
        }
        "aws_instance" => {
            let id = ids.ec2("i");
            o.set_str("arn", ctx.arn("ec2", &format!("instance/{id}")));
            o.set_str("id", id);
            o.set_str("primary_network_interface_id", ids.ec2("eni"));
            let ip = ids.private_ip("private_ip");
            o.set_str(
                "private_dns",
                format!(
                    "ip-{}.{}.compute.internal",
                    ip.replace('.', "-"),
                    ctx.region
                ),
            );
            o.set_str("private_ip", ip);
            o.set_str("instance_state", "running");
            o.set_str("instance_type", "t3.micro");
            o.set_str("tenancy", "default");
            o.set_str("instance_initiated_shutdown_behavior", "stop");
            o.set_str("ami", format!("ami-0{}", ids.hex("ami", 16)));
            if o.unknown("availability_zone") || o.unknown("subnet_id") {
                let subnets = ctx.world.subnets(ctx.region);
                let pick = subnets.get(ids.below("subnet", subnets.len().max(1) as u64) as usize);
                o.set_str("subnet_id", pick.map(|s| s.id.clone()).unwrap_or_default());
                let az = pick
                    .map(|s| s.availability_zone.clone())
                    .unwrap_or_default();
                o.set_str("availability_zone", az);
            }
        }
        "aws_launch_template" => {
            let id = ids.ec2("lt");
            o.set_str("arn", ctx.arn("ec2", &format!("launch-template/{id}")));
            o.set_str("id", id);
            o.name("name", "name_prefix", "terraform-");
            // Each change makes a new version; the default follows it when asked to.
            let prior_latest = ctx.prior.get("latest_version").as_i64().unwrap_or(0);
            o.set("latest_version", prior_latest + 1);
            let latest = o.get("latest_version").as_i64().unwrap_or(1);
            o.set("default_version", latest);
        }
        "aws_launch_configuration" => {
            let name = o.name("name", "name_prefix", "terraform-");
            let arn = ctx.arn(
                "autoscaling",
                &format!(
                    "launchConfiguration:{}:launchConfigurationName/{name}",
                    ids.uuid("arn")
                ),
            );
            o.set_str("arn", arn);
            o.set_str("id", name);
        }
        "aws_autoscaling_group" => {
            let name = o.name("name", "name_prefix", "terraform-");
            let arn = ctx.arn(
                "autoscaling",
                &format!(
                    "autoScalingGroup:{}:autoScalingGroupName/{name}",
                    ids.uuid("arn")
                ),
            );
            o.set_str("arn", arn);
            o.set_str("id", name);
            o.set("default_cooldown", 300);
            let min = o.get("min_size").as_i64().unwrap_or(0);
            o.set("desired_capacity", min);
            o.set_str("health_check_type", "EC2");
            o.set_str(
                "service_linked_role_arn",
                ctx.global_arn(
                    "iam",
                    "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
                ),
            );
        }
        "aws_ecs_cluster" => {
            let name = o.s("name");
            let arn = ctx.arn("ecs", &format!("cluster/{name}"));
            o.set_str("arn", arn.clone());
            o.set_str("id", arn);
        }
        "aws_ecs_service" => {
            // Omitted: the default cluster, stored "in the same format" as configured (a
            // name, as the provider's read does for a non-ARN configuration).
            o.set_str("cluster", "default");
            let cluster = last_segment(&o.s("cluster")).to_owned();
            let name = o.s("name");
            let arn = ctx.arn("ecs", &format!("service/{cluster}/{name}"));
            o.set_str("arn", arn.clone());
            o.set_str("id", arn);
            // Omitted: AWS answers EC2 unless a capacity provider strategy (the service's or
            // the cluster's default, which the stand-in cannot see) applies; the provider then
            // stores "". "" is what a reader takes as "derive it from the strategies".
            o.set_str("launch_type", "");
            let on_fargate_providers =
                o.get("capacity_provider_strategy")
                    .as_list()
                    .is_some_and(|l| {
                        l.iter().any(|i| {
                            i.get("capacity_provider")
                                .as_str()
                                .is_some_and(|p| p.starts_with("FARGATE"))
                        })
                    });
            let fargate = o.s("launch_type") == "FARGATE" || on_fargate_providers;
            o.set_str("platform_version", if fargate { "LATEST" } else { "" });
            // Omitted: ECS reports its service-linked role, which the provider stores as
            // "/path/name" (roleNameFromARN in internal/service/ecs/service.go).
            o.set_str(
                "iam_role",
                "/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
            );
            o.set_str("availability_zone_rebalancing", "DISABLED");
            o.set("triggers", Value::Map(BTreeMap::new()));
        }
        "aws_ecs_task_definition" => {
            let family = o.s("family");
            // A replacement registers the next revision; a new one its place in the family
            // among the create plan's task definitions (revisions.rs), else 1.
            let revision = match ctx
                .private
                .get("prior_revision")
                .and_then(serde_json::Value::as_i64)
            {
                Some(r) => r + 1,
                None => ctx
                    .task_definitions
                    .and_then(|t| t.revision(&Value::Map(o.m.clone())))
                    .unwrap_or(1),
            };
            o.set("revision", revision);
            let rev = o.get("revision").as_i64().unwrap_or(revision);
            let (arn, arn_without_revision) = ctx.task_definition_arns(&family, rev);
            o.set_str("arn", arn);
            o.set_str("arn_without_revision", arn_without_revision);
            o.set_str("id", family);
            // ECS leaves networkMode out of DescribeTaskDefinition when the task definition
            // did not set one (the OS default applies), and the provider stores that as "".
            o.set_str("network_mode", "");
            o.set("enable_fault_injection", false);
        }
        "aws_ecs_capacity_provider" => {
            let name = o.s("name");
            let arn = ctx.arn("ecs", &format!("capacity-provider/{name}"));
            o.set_str("arn", arn.clone());
            o.set_str("id", arn);
        }
        "aws_ecs_cluster_capacity_providers" => {
            let c = o.s("cluster_name");
            o.set_str("id", c);
        }
        "aws_ecs_account_setting_default" => {
            let n = o.s("name");
            o.set_str("id", n);
            o.set_str("principal_arn", ctx.global_arn("iam", "root"));
        }
        "aws_lb" => {
            let name = o.name("name", "name_prefix", "tf-lb-");
            let kind = match o.s("load_balancer_type").as_str() {
                "network" => "net",
                "gateway" => "gwy",
                _ => "app",
            };
            let suffix = format!("{kind}/{name}/{}", ids.hex("arn", 16));
            let arn = ctx.arn("elasticloadbalancing", &format!("loadbalancer/{suffix}"));
            o.set_str("arn", arn.clone());
            o.set_str("id", arn);
            o.set_str("arn_suffix", suffix);
            let internal = o.get("internal").as_bool() == Some(true);
            let dns = format!(
                "{}{name}-{}.{}.elb.amazonaws.com",
                if internal { "internal-" } else { "" },
                ids.digits("dns", 10),
                ctx.region
            );
            o.set_str("dns_name", dns);
            o.set_str("zone_id", elb_zone(ctx.region));
            o.set("internal", false);
            o.set_str("ip_address_type", "ipv4");
            let subnet_vpc = first_subnet_vpc(ctx, &o.get("subnets"));
            o.set_str("vpc_id", subnet_vpc);
            o.set_str(
                "enforce_security_group_inbound_rules_on_private_link_traffic",
                "",
            );
        }
        "aws_lb_target_group" => {
            let name = o.name("name", "name_prefix", "tf-");
            let suffix = format!("targetgroup/{name}/{}", ids.hex("arn", 16));
            let arn = ctx.arn("elasticloadbalancing", &suffix);
            o.set_str("arn", arn.clone());
            o.set_str("id", arn);
            o.set_str("arn_suffix", suffix);
            let http = matches!(o.s("protocol").as_str(), "HTTP" | "HTTPS");
            o.set_str("protocol_version", if http { "HTTP1" } else { "" });
            o.set_str("ip_address_type", "ipv4");
            o.set_str(
                "load_balancing_algorithm_type",
                if http { "round_robin" } else { "" },
            );
            o.set_str(
                "load_balancing_anomaly_mitigation",
                if http { "off" } else { "" },
            );
            o.set_str(
                "load_balancing_cross_zone_enabled",
                "use_load_balancer_configuration",
            );
            o.set_str(
                "preserve_client_ip",
                if o.s("target_type") == "ip" {
                    "false"
                } else {
                    ""
                },
            );
            o.set("connection_termination", false);
            // A configured health_check leaves some attributes to AWS: its defaults per
            // protocol (HTTP(S): matcher 200, path /, 5 s timeout; others: none, 10 s).
            let hc_http = http || o.s("protocol").is_empty();
            if let Some(Value::List(checks)) = o.m.get_mut("health_check") {
                for hc in checks.iter_mut() {
                    let Value::Map(h) = hc else { continue };
                    let hc_proto = h
                        .get("protocol")
                        .and_then(Value::as_str)
                        .unwrap_or("HTTP")
                        .to_owned();
                    let web = hc_http && matches!(hc_proto.as_str(), "HTTP" | "HTTPS");
                    for (k, v) in [
                        ("matcher", Value::string(if web { "200" } else { "" })),
                        ("path", Value::string(if web { "/" } else { "" })),
                        ("timeout", Value::int(if web { 5 } else { 10 })),
                    ] {
                        if h.get(k).is_some_and(Value::is_unknown) {
                            h.insert(k.to_owned(), v);
                        }
                    }
                }
            }
        }
        "aws_lb_listener" | "aws_lb_listener_rule" => {
            let (lb_name, lb_hex) = listener_parts(ctx.type_name, &o);
            let arn = if ctx.type_name == "aws_lb_listener" {
                ctx.arn(
                    "elasticloadbalancing",
                    &format!("listener/app/{lb_name}/{lb_hex}/{}", ids.hex("arn", 16)),
                )
            } else {
                let listener = o.s("listener_arn");
                let base = listener
                    .split(":listener/")
                    .nth(1)
                    .unwrap_or("app/lb/0/0")
                    .to_owned();
                o.set("priority", 1 + ids.below("priority", 999) as i64);
                ctx.arn(
                    "elasticloadbalancing",
                    &format!("listener-rule/{base}/{}", ids.hex("arn", 16)),
                )
            };
            o.set_str("arn", arn.clone());
            o.set_str("id", arn);
            let port = o.get("port").as_i64();
            let https = !o.s("certificate_arn").is_empty() || port == Some(443);
            o.set_str("protocol", if https { "HTTPS" } else { "HTTP" });
            o.set_str(
                "ssl_policy",
                if https {
                    "ELBSecurityPolicy-2016-08"
                } else {
                    ""
                },
            );
        }
        "aws_elb" => {
            let name = o.name("name", "name_prefix", "tf-lb-");
            o.set_str(
                "arn",
                ctx.arn("elasticloadbalancing", &format!("loadbalancer/{name}")),
            );
            o.set_str("id", name.clone());
            o.set_str(
                "dns_name",
                format!(
                    "{name}-{}.{}.elb.amazonaws.com",
                    ids.digits("dns", 10),
                    ctx.region
                ),
            );
            o.set_str("zone_id", elb_zone(ctx.region));
            o.set_str(
                "source_security_group",
                format!("{}/default_elb_{}", ctx.account, ids.hex("sg", 8)),
            );
            o.set_str("source_security_group_id", ids.ec2("sg"));
        }
        "aws_service_discovery_private_dns_namespace" | "aws_service_discovery_http_namespace" => {
            let id = format!(
                "ns-{}",
                ids.chars("id", 16, b"abcdefghijklmnopqrstuvwxyz234567")
            );
            o.set_str(
                "arn",
                ctx.arn("servicediscovery", &format!("namespace/{id}")),
            );
            o.set_str("id", id);
            o.set_str(
                "hosted_zone",
                format!(
                    "Z0{}",
                    ids.chars("zone", 19, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                ),
            );
            let n = o.s("name");
            o.set_str("http_name", n);
        }
        "aws_service_discovery_service" => {
            let id = format!(
                "srv-{}",
                ids.chars("id", 16, b"abcdefghijklmnopqrstuvwxyz234567")
            );
            o.set_str("arn", ctx.arn("servicediscovery", &format!("service/{id}")));
            o.set_str("id", id);
            let dns = o.get("dns_config");
            let ns = dns
                .as_list()
                .and_then(|l| l.first())
                .map(|d| d.get("namespace_id").clone());
            let has_dns = ns.is_some();
            o.set(
                "namespace_id",
                ns.filter(Value::is_known).unwrap_or(Value::string("")),
            );
            o.set_str("type", if has_dns { "DNS_HTTP" } else { "HTTP" });
        }
        "aws_cloudwatch_log_group" => {
            let name = o.name("name", "name_prefix", "terraform-");
            o.set_str("arn", ctx.arn("logs", &format!("log-group:{name}")));
            o.set_str("id", name);
            o.set_str("log_group_class", "STANDARD");
            o.set("deletion_protection_enabled", false);
        }
        "aws_iam_role" | "aws_iam_policy" | "aws_iam_instance_profile" => {
            let name = o.name("name", "name_prefix", "terraform-");
            let path = match o.s("path") {
                p if p.is_empty() => "/".to_owned(),
                p => p,
            };
            let (word, unique) = match ctx.type_name {
                "aws_iam_role" => ("role", "AROA"),
                "aws_iam_policy" => ("policy", "ANPA"),
                _ => ("instance-profile", "AIPA"),
            };
            let arn = ctx.global_arn("iam", &format!("{word}{path}{name}"));
            o.set_str("arn", arn.clone());
            o.set_str(
                "id",
                if ctx.type_name == "aws_iam_policy" {
                    arn
                } else {
                    name
                },
            );
            o.set_str(
                if ctx.type_name == "aws_iam_policy" {
                    "policy_id"
                } else {
                    "unique_id"
                },
                ids.iam_unique(unique),
            );
            o.set("attachment_count", 0);
        }
        "aws_iam_role_policy" => {
            let name = o.name("name", "name_prefix", "terraform-");
            let role = o.s("role");
            o.set_str("id", format!("{role}:{name}"));
        }
        "aws_iam_role_policy_attachment" => {
            let role = o.s("role");
            o.set_str("id", format!("{role}-{}", ids.unique_suffix("id")));
        }
        "aws_ecr_repository" => {
            let name = o.s("name");
            o.set_str("arn", ctx.arn("ecr", &format!("repository/{name}")));
            o.set_str(
                "repository_url",
                format!(
                    "{}.dkr.ecr.{}.amazonaws.com/{name}",
                    ctx.account, ctx.region
                ),
            );
            o.set_str("id", name);
        }
        "aws_secretsmanager_secret" => {
            let name = o.name("name", "name_prefix", "terraform-");
            let arn = ctx.arn(
                "secretsmanager",
                &format!(
                    "secret:{name}-{}",
                    ids.chars(
                        "arn",
                        6,
                        b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    )
                ),
            );
            o.set_str("arn", arn.clone());
            o.set_str("id", arn);
        }
        "aws_secretsmanager_secret_version" => {
            let secret = o.s("secret_id");
            let version = ids.uuid("version");
            o.set_str("arn", secret.clone());
            o.set_str("id", format!("{secret}|{version}"));
            o.set_str("version_id", version);
            o.set("version_stages", strings(&["AWSCURRENT".to_owned()]));
        }
        "aws_ssm_parameter" => {
            let name = o.s("name");
            let res = if name.starts_with('/') {
                format!("parameter{name}")
            } else {
                format!("parameter/{name}")
            };
            o.set_str("arn", ctx.arn("ssm", &res));
            o.set_str("id", name);
            o.set("version", 1);
            o.set_str("tier", "Standard");
            o.set_str("data_type", "text");
        }
        "aws_kms_key" => {
            let key = ids.uuid("key");
            o.set_str("arn", ctx.arn("kms", &format!("key/{key}")));
            o.set_str("key_id", key.clone());
            o.set_str("id", key);
            o.set("multi_region", false);
            let rotation = o.get("enable_key_rotation").as_bool() == Some(true);
            o.set("rotation_period_in_days", if rotation { 365 } else { 0 });
            let policy = format!(
                r#"{{"Id":"key-default-1","Statement":[{{"Action":"kms:*","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{}:root"}},"Resource":"*","Sid":"Enable IAM User Permissions"}}],"Version":"2012-10-17"}}"#,
                ctx.account
            );
            o.set_str("policy", policy);
        }
        "aws_appautoscaling_target" => {
            let res = o.s("resource_id");
            o.set_str("id", res);
            o.set_str(
                "arn",
                ctx.arn(
                    "application-autoscaling",
                    &format!("scalable-target/0ec5{}", ids.hex("arn", 28)),
                ),
            );
            o.set_str(
                "role_arn",
                ctx.global_arn(
                    "iam",
                    "role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService",
                ),
            );
        }
        "aws_appautoscaling_policy" => {
            let name = o.s("name");
            let res = o.s("resource_id");
            o.set_str(
                "arn",
                ctx.arn(
                    "autoscaling",
                    &format!(
                        "scalingPolicy:{}:resource/{res}:policyName/{name}",
                        ids.uuid("arn")
                    ),
                ),
            );
            o.set_str("id", name);
            o.set("alarm_arns", Value::List(Vec::new()));
        }
        "aws_db_instance" => {
            let ident = o.name("identifier", "identifier_prefix", "terraform-");
            let port = match o.s("engine").as_str() {
                e if e.contains("postgres") => 5432,
                e if e.contains("sqlserver") => 1433,
                e if e.contains("oracle") => 1521,
                _ => 3306,
            };
            o.set("port", port);
            let port = o.get("port").as_i64().unwrap_or(port);
            let address = format!(
                "{ident}.c{}.{}.rds.amazonaws.com",
                ids.chars("host", 11, b"abcdefghijklmnopqrstuvwxyz0123456789"),
                ctx.region
            );
            o.set_str("endpoint", format!("{address}:{port}"));
            o.set_str("address", address);
            o.set_str("arn", ctx.arn("rds", &format!("db:{ident}")));
            let rid = format!(
                "db-{}",
                ids.chars("id", 26, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            );
            o.set_str("resource_id", rid.clone());
            o.set_str("id", rid);
            o.set_str("hosted_zone_id", "Z2R2ITUGPM61AM");
            o.set_str("status", "available");
        }
        "aws_elasticache_cluster" => {
            let id = o.s("cluster_id");
            o.set_str("arn", ctx.arn("elasticache", &format!("cluster:{id}")));
            o.set_str("id", id.clone());
            let memcached = o.s("engine") == "memcached";
            o.set("port", if memcached { 11211 } else { 6379 });
            let host = format!(
                "{id}.{}.0001.{}.cache.amazonaws.com",
                ids.hex("host", 6),
                crate::world::region_short(ctx.region)
            );
            o.set_str(
                "cluster_address",
                if memcached {
                    host.clone()
                } else {
                    String::new()
                },
            );
            o.set_str(
                "configuration_endpoint",
                if memcached {
                    format!("{host}:11211")
                } else {
                    String::new()
                },
            );
        }
        "aws_codedeploy_app" => {
            let name = o.s("name");
            let app_id = ids.uuid("app");
            o.set_str("arn", ctx.arn("codedeploy", &format!("application:{name}")));
            o.set_str("application_id", app_id.clone());
            o.set_str("id", format!("{app_id}:{name}"));
            o.set_str("compute_platform", "Server");
        }
        "aws_codedeploy_deployment_group" => {
            let app = o.s("app_name");
            let group = o.s("deployment_group_name");
            let id = ids.uuid("group");
            o.set_str(
                "arn",
                ctx.arn("codedeploy", &format!("deploymentgroup:{app}/{group}")),
            );
            o.set_str("deployment_group_id", id.clone());
            o.set_str("id", id);
            o.set_str("compute_platform", "ECS");
        }
        _ => {
            more::identity(&mut o);
        }
    }
    if o.unknown("id") {
        let t = ctx.type_name.trim_start_matches("aws_").replace('_', "-");
        o.set_str("id", format!("{t}-{}", ids.hex("id", 16)));
    }
}

/// The LB name and hash of a listener's load balancer ARN.
fn listener_parts(type_name: &str, o: &Obj) -> (String, String) {
    let arn = if type_name == "aws_lb_listener" {
        o.s("load_balancer_arn")
    } else {
        String::new()
    };
    let parts: Vec<&str> = arn.split('/').collect();
    if parts.len() >= 4 {
        (
            parts[parts.len() - 2].to_owned(),
            parts[parts.len() - 1].to_owned(),
        )
    } else {
        ("lb".to_owned(), o.ctx.ids.hex("lb", 16))
    }
}

/// The VPC of the first of `subnets` the world knows, or "".
fn first_subnet_vpc(ctx: &Ctx, subnets: &Value) -> String {
    let world = ctx.world.subnets(ctx.region);
    subnets
        .strings()
        .iter()
        .find_map(|id| world.iter().find(|s| &s.id == id).map(|s| s.vpc_id.clone()))
        .unwrap_or_default()
}

/// Elastic Load Balancing's hosted zone id per region (ALB/CLB), as AWS publishes them.
fn elb_zone(region: &str) -> &'static str {
    match region {
        "us-east-1" => "Z35SXDOTRQ7X7K",
        "us-east-2" => "Z3AADJGX6KTTL2",
        "us-west-1" => "Z368ELLRRE2KJ0",
        "us-west-2" => "Z1H1FL5HABSF5",
        "eu-west-1" => "Z32O12XQLNTSW2",
        "eu-west-2" => "ZHURV8PSTC4K8",
        "eu-central-1" => "Z215JYRZR1TBD5",
        "ap-southeast-1" => "Z1LMS91P8CMLE5",
        "ap-southeast-2" => "Z1GM3OXH4ZPM65",
        "ap-northeast-1" => "Z14GRHDCWA56QT",
        _ => "Z35SXDOTRQ7X7K",
    }
}

/// What the provider stores for an Optional+Computed block left unknown in the plan (a block
/// path of the type); `None`: empty.
pub fn block_when_unknown(ctx: &Ctx, path: &str) -> Option<Value> {
    let one = |v: Value| Some(Value::List(vec![v]));
    match (ctx.type_name, path) {
        ("aws_ecs_service", "deployment_configuration") => one(object([
            ("strategy", Value::string("ROLLING")),
            ("bake_time_in_minutes", Value::string("0")),
        ])),
        ("aws_lb_target_group", "health_check") => one(object([
            ("enabled", Value::Bool(true)),
            ("healthy_threshold", Value::int(3)),
            ("interval", Value::int(30)),
            ("matcher", Value::string("200")),
            ("path", Value::string("/")),
            ("port", Value::string("traffic-port")),
            ("protocol", Value::string("HTTP")),
            ("timeout", Value::int(5)),
            ("unhealthy_threshold", Value::int(3)),
        ])),
        ("aws_lb_target_group", "stickiness") => one(object([
            ("enabled", Value::Bool(false)),
            ("type", Value::string("lb_cookie")),
            ("cookie_duration", Value::int(86400)),
            ("cookie_name", Value::string("")),
        ])),
        ("aws_launch_template", "metadata_options") => one(object([
            ("http_endpoint", Value::string("enabled")),
            ("http_tokens", Value::string("optional")),
            ("http_put_response_hop_limit", Value::int(1)),
            ("http_protocol_ipv6", Value::string("disabled")),
            ("instance_metadata_tags", Value::string("disabled")),
        ])),
        ("aws_ecs_cluster", "setting") => one(object([
            ("name", Value::string("containerInsights")),
            ("value", Value::string("disabled")),
        ])),
        ("aws_ecs_task_set", "scale") => one(object([
            ("unit", Value::string("PERCENT")),
            ("value", Value::int(100)),
        ])),
        ("aws_efs_file_system", "protection") => one(object([(
            "replication_overwrite",
            Value::string("ENABLED"),
        )])),
        // New buckets are encrypted with SSE-S3 and have ACLs disabled (bucket owner
        // enforced): the owner's canonical user holds FULL_CONTROL.
        ("aws_s3_bucket", "server_side_encryption_configuration") => one(object([(
            "rule",
            Value::List(vec![object([
                (
                    "apply_server_side_encryption_by_default",
                    Value::List(vec![object([
                        ("kms_master_key_id", Value::string("")),
                        ("sse_algorithm", Value::string("AES256")),
                    ])]),
                ),
                ("bucket_key_enabled", Value::Bool(false)),
            ])]),
        )])),
        ("aws_s3_bucket", "grant") => one(object([
            ("id", Value::string(ctx.ids.hex("canonical-user", 64))),
            (
                "permissions",
                Value::List(vec![Value::string("FULL_CONTROL")]),
            ),
            ("type", Value::string("CanonicalUser")),
            ("uri", Value::string("")),
        ])),
        ("aws_s3_bucket", "versioning") => one(object([
            ("enabled", Value::Bool(false)),
            ("mfa_delete", Value::Bool(false)),
        ])),
        ("aws_acm_certificate", "options") => one(object([
            (
                "certificate_transparency_logging_preference",
                Value::string("ENABLED"),
            ),
            ("export", Value::string("DISABLED")),
        ])),
        ("aws_ecs_capacity_provider", "auto_scaling_group_provider.managed_scaling") => {
            one(object([
                ("instance_warmup_period", Value::int(300)),
                ("maximum_scaling_step_size", Value::int(10000)),
                ("minimum_scaling_step_size", Value::int(1)),
                ("status", Value::string("DISABLED")),
                ("target_capacity", Value::int(100)),
            ]))
        }
        _ => None,
    }
}
