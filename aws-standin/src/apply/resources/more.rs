//! Identities of the types served for scenario writers beyond the ECS core: task sets and
//! tags, target group attachments, SQS, EFS, egress-only gateways, Firehose, RAM share
//! accepters, ENIs, VPC IPv6 associations, S3, Route 53, ACM, CloudWatch alarms, placement
//! groups, Auto Scaling policies and service-linked roles. Formats follow each service's
//! documented ARN and id shapes; values only AWS decides are plausible constants.

use super::{last_segment, strings, Obj};
use crate::apply::ids::Ids;
use crate::codec::{object, Value};

/// Fills `o` when its type is one of these.
pub(super) fn identity(o: &mut Obj) {
    let ctx = o.ctx;
    let ids = &ctx.ids;
    match ctx.type_name {
        "aws_ecs_task_set" => {
            let cluster = last_segment(&o.s("cluster")).to_owned();
            let service = last_segment(&o.s("service")).to_owned();
            let set_id = format!("ecs-svc/{}", ids.digits("task_set_id", 19));
            o.set_str(
                "arn",
                ctx.arn("ecs", &format!("task-set/{cluster}/{service}/{set_id}")),
            );
            o.set_str("id", format!("{set_id},{service},{cluster}"));
            o.set_str("task_set_id", set_id);
            o.set_str("external_id", "");
            o.set_str("launch_type", "");
            let fargate = o.s("launch_type") == "FARGATE";
            o.set_str("platform_version", if fargate { "1.4.0" } else { "" });
            o.set_str("status", "ACTIVE");
            o.set_str("stability_status", "STEADY_STATE");
        }
        "aws_ecs_tag" => {
            let id = format!("{},{}", o.s("resource_arn"), o.s("key"));
            o.set_str("id", id);
        }
        "aws_lb_target_group_attachment" => {
            // id.PrefixedUniqueId(targetGroupARN + "-")
            let id = format!("{}-{}", o.s("target_group_arn"), ids.unique_suffix("id"));
            o.set_str("id", id);
        }
        "aws_sqs_queue" => {
            let fifo = o.get("fifo_queue").as_bool() == Some(true);
            let mut name = o.name("name", "name_prefix", "terraform-");
            if fifo && !name.ends_with(".fifo") {
                name.push_str(".fifo");
                o.m.insert("name".into(), Value::string(name.clone()));
            }
            let url = format!(
                "https://sqs.{}.amazonaws.com/{}/{name}",
                ctx.region, ctx.account
            );
            o.set_str("arn", ctx.arn("sqs", &name));
            o.set_str("url", url.clone());
            o.set_str("id", url);
            o.set_str("deduplication_scope", if fifo { "queue" } else { "" });
            o.set_str("fifo_throughput_limit", if fifo { "perQueue" } else { "" });
            o.set("kms_data_key_reuse_period_seconds", Value::int(300));
            // SQS-managed encryption is on for new queues unless a KMS key is given.
            let kms = !o.s("kms_master_key_id").is_empty();
            o.set("sqs_managed_sse_enabled", Value::Bool(!kms));
        }
        "aws_efs_file_system" => {
            let id = ids.ec2("fs");
            o.set_str(
                "arn",
                ctx.arn("elasticfilesystem", &format!("file-system/{id}")),
            );
            o.set_str("dns_name", format!("{id}.efs.{}.amazonaws.com", ctx.region));
            o.set_str("id", id);
            o.set_str(
                "creation_token",
                format!("terraform-{}", ids.unique_suffix("creation_token")),
            );
            o.set("encrypted", Value::Bool(false));
            o.set_str("performance_mode", "generalPurpose");
            let name = o.get("tags").get("Name").as_str().unwrap_or("").to_owned();
            o.set_str("name", name);
            o.set("number_of_mount_targets", Value::int(0));
            o.set(
                "size_in_bytes",
                Value::List(vec![object([
                    ("value", Value::int(6144)),
                    ("value_in_ia", Value::int(0)),
                    ("value_in_standard", Value::int(6144)),
                ])]),
            );
        }
        "aws_egress_only_internet_gateway" => {
            o.set_str("id", ids.ec2("eigw"));
        }
        "aws_kinesis_firehose_delivery_stream" => {
            let name = o.s("name");
            let arn = ctx.arn("firehose", &format!("deliverystream/{name}"));
            o.set_str("arn", arn.clone());
            o.set_str("id", arn);
            o.set_str("version_id", "1");
            o.set_str("destination_id", "destinationId-000000000001");
        }
        "aws_ram_resource_share_accepter" => {
            let share = o.s("share_arn");
            let share_id = last_segment(&share).to_owned();
            let sender = share.split(':').nth(4).unwrap_or("").to_owned();
            o.set_str("id", share.clone());
            o.set_str(
                "invitation_arn",
                ctx.arn(
                    "ram",
                    &format!("resource-share-invitation/{}", ids.uuid("invitation")),
                ),
            );
            o.set_str("receiver_account_id", ctx.account);
            o.set_str("sender_account_id", sender);
            o.set_str("share_id", format!("rs-{share_id}"));
            o.set_str("share_name", "shared");
            o.set_str("status", "ACCEPTED");
            o.set("resources", Value::List(Vec::new()));
        }
        "aws_network_interface" => {
            let id = ids.ec2("eni");
            o.set_str("arn", ctx.arn("ec2", &format!("network-interface/{id}")));
            o.set_str("id", id);
            let h = ids.hex("mac", 10);
            o.set_str(
                "mac_address",
                format!(
                    "02:{}:{}:{}:{}:{}",
                    &h[0..2],
                    &h[2..4],
                    &h[4..6],
                    &h[6..8],
                    &h[8..10]
                ),
            );
            let ip = subnet_address(o, &o.s("subnet_id"));
            o.set_str("private_ip", ip.clone());
            let ip = o.s("private_ip");
            o.set("private_ips", strings(std::slice::from_ref(&ip)));
            o.set("private_ip_list", strings(std::slice::from_ref(&ip)));
            o.set("private_ips_count", Value::int(0));
            o.set_str(
                "private_dns_name",
                format!(
                    "ip-{}.{}.compute.internal",
                    ip.replace('.', "-"),
                    ctx.region
                ),
            );
            o.set_str("interface_type", "interface");
            o.set("security_groups", strings(&[ids.ec2("sg")]));
            o.set_str("outpost_arn", "");
        }
        "aws_vpc_ipv6_cidr_block_association" => {
            o.set_str("id", format!("vpc-cidr-assoc-0{}", ids.hex("id", 16)));
            let h = ids.hex("ipv6", 6);
            o.set_str(
                "ipv6_cidr_block",
                format!("2600:1f18:{}:{}00::/56", &h[..4], &h[4..]),
            );
            let pool = !o.s("ipv6_ipam_pool_id").is_empty();
            o.set("assign_generated_ipv6_cidr_block", Value::Bool(!pool));
            o.set_str("ip_source", "amazon");
            o.set_str("ipv6_address_attribute", "public");
            o.set_str("ipv6_pool", if pool { "" } else { "Amazon" });
        }
        "aws_s3_bucket" => {
            // Generated names: id.PrefixedUniqueId lower-cased (S3 names are lower case).
            let bucket = o
                .name("bucket", "bucket_prefix", "terraform-")
                .to_lowercase();
            o.m.insert("bucket".into(), Value::string(bucket.clone()));
            o.set_str("arn", format!("arn:aws:s3:::{bucket}"));
            o.set_str("id", bucket.clone());
            o.set_str("bucket_domain_name", format!("{bucket}.s3.amazonaws.com"));
            o.set_str(
                "bucket_regional_domain_name",
                format!("{bucket}.s3.{}.amazonaws.com", ctx.region),
            );
            o.set_str("bucket_region", ctx.region);
            o.set_str("hosted_zone_id", s3_zone(ctx.region));
            o.set_str("request_payer", "BucketOwner");
            o.set("object_lock_enabled", Value::Bool(false));
            o.set_str("acl", "private");
        }
        "aws_route53_zone" => {
            let zone = hosted_zone_id(ids);
            o.set_str("arn", format!("arn:aws:route53:::hostedzone/{zone}"));
            o.set_str("id", zone.clone());
            o.set_str("zone_id", zone);
            let servers = name_servers(ids);
            o.set_str("primary_name_server", servers[0].clone());
            o.set("name_servers", strings(&servers));
            o.set("enable_accelerated_recovery", Value::Bool(false));
        }
        "aws_route53_record" => {
            let name = o.s("name").trim_end_matches('.').to_lowercase();
            let mut id = format!("{}_{name}_{}", o.s("zone_id"), o.s("type"));
            let set_id = o.s("set_identifier");
            if !set_id.is_empty() {
                id = format!("{id}_{set_id}");
            }
            o.set_str("id", id);
            o.set_str("fqdn", name);
            o.set("allow_overwrite", Value::Bool(false));
        }
        "aws_acm_certificate" => {
            let arn = ctx.arn("acm", &format!("certificate/{}", ids.uuid("arn")));
            o.set_str("arn", arn.clone());
            o.set_str("id", arn);
            let imported = !o.s("certificate_body").is_empty();
            let private = !o.s("certificate_authority_arn").is_empty();
            o.set_str("validation_method", if imported { "NONE" } else { "EMAIL" });
            let method = o.s("validation_method");
            let domain = o.s("domain_name");
            if o.unknown("subject_alternative_names") {
                o.set(
                    "subject_alternative_names",
                    strings(std::slice::from_ref(&domain)),
                );
            }
            let mut domains = vec![domain.clone()];
            for san in o.get("subject_alternative_names").strings() {
                if !domains.contains(&san) {
                    domains.push(san);
                }
            }
            let dns = method == "DNS";
            let options: Vec<Value> = domains
                .iter()
                .filter(|_| dns)
                .map(|d| {
                    let base = d.trim_start_matches("*.");
                    object([
                        ("domain_name", Value::string(d.clone())),
                        (
                            "resource_record_name",
                            Value::string(format!("_{}.{base}.", ids.hex(&format!("n{d}"), 32))),
                        ),
                        ("resource_record_type", Value::string("CNAME")),
                        (
                            "resource_record_value",
                            Value::string(format!(
                                "_{}.{}.acm-validations.aws.",
                                ids.hex(&format!("v{d}"), 32),
                                ids.chars(&format!("z{d}"), 10, b"abcdefghijklmnopqrstuvwxyz")
                            )),
                        ),
                    ])
                })
                .collect();
            o.set("domain_validation_options", Value::List(options));
            o.set_str(
                "type",
                if imported {
                    "IMPORTED"
                } else if private {
                    "PRIVATE"
                } else {
                    "AMAZON_ISSUED"
                },
            );
            let issued = imported || private;
            o.set_str(
                "status",
                if issued {
                    "ISSUED"
                } else {
                    "PENDING_VALIDATION"
                },
            );
            o.set_str("key_algorithm", "RSA_2048");
            o.set_str("renewal_eligibility", "INELIGIBLE");
            o.set("pending_renewal", Value::Bool(false));
            let emails: Vec<String> = if method == "EMAIL" {
                [
                    "admin",
                    "administrator",
                    "hostmaster",
                    "postmaster",
                    "webmaster",
                ]
                .iter()
                .map(|u| format!("{u}@{}", domain.trim_start_matches("*.")))
                .collect()
            } else {
                Vec::new()
            };
            o.set("validation_emails", strings(&emails));
        }
        "aws_cloudwatch_metric_alarm" => {
            let name = o.s("alarm_name");
            o.set_str("arn", ctx.arn("cloudwatch", &format!("alarm:{name}")));
            o.set_str("id", name);
            o.set_str("evaluate_low_sample_count_percentiles", "");
        }
        "aws_placement_group" => {
            let name = o.s("name");
            o.set_str("arn", ctx.arn("ec2", &format!("placement-group/{name}")));
            o.set_str("id", name);
            o.set_str("placement_group_id", ids.ec2("pg"));
            let strategy = o.s("strategy");
            o.set(
                "partition_count",
                Value::int(if strategy == "partition" { 2 } else { 0 }),
            );
            o.set_str(
                "spread_level",
                if strategy == "spread" { "rack" } else { "" },
            );
        }
        "aws_autoscaling_policy" => {
            let name = o.s("name");
            let asg = o.s("autoscaling_group_name");
            o.set_str(
                "arn",
                ctx.arn(
                    "autoscaling",
                    &format!(
                        "scalingPolicy:{}:autoScalingGroupName/{asg}:policyName/{name}",
                        ids.uuid("arn")
                    ),
                ),
            );
            o.set_str("id", name);
            let step = o.s("policy_type") == "StepScaling";
            o.set_str("metric_aggregation_type", if step { "Average" } else { "" });
        }
        "aws_iam_service_linked_role" => {
            let service = o.s("aws_service_name");
            let mut name = service_linked_role_name(&service);
            let suffix = o.s("custom_suffix");
            if !suffix.is_empty() {
                name = format!("{name}_{suffix}");
            }
            let path = format!("/aws-service-role/{service}/");
            let arn = ctx.global_arn("iam", &format!("role{path}{name}"));
            o.set_str("arn", arn.clone());
            o.set_str("id", arn);
            o.set_str("name", name);
            o.set_str("path", path);
            o.set_str("unique_id", ids.iam_unique("AROA"));
        }
        _ => {}
    }
}

/// A Route 53 hosted zone id: `Z0` and 19 upper-case letters and digits.
pub(crate) fn hosted_zone_id(ids: &Ids) -> String {
    format!(
        "Z0{}",
        ids.chars("zone", 19, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    )
}

/// The four Route 53 name servers of a zone's delegation set (one per top-level domain).
pub(crate) fn name_servers(ids: &Ids) -> [String; 4] {
    let n = 1 + ids.below("ns", 2000) as i64;
    [
        format!("ns-{n}.awsdns-{:02}.org", n % 64),
        format!("ns-{}.awsdns-{:02}.co.uk", n + 512, (n + 7) % 64),
        format!("ns-{}.awsdns-{:02}.com", n + 1024, (n + 13) % 64),
        format!("ns-{}.awsdns-{:02}.net", n + 1536, (n + 29) % 64),
    ]
}

/// An address for an interface in subnet `id`: inside its CIDR when the world knows the
/// subnet, else in 10.0.0.0/8.
fn subnet_address(o: &Obj, id: &str) -> String {
    let ctx = o.ctx;
    let cidr = ctx
        .world
        .subnets(ctx.region)
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.cidr_block.clone());
    let Some((base, len)) = cidr.as_deref().and_then(|c| c.split_once('/')) else {
        return ctx.ids.private_ip("private_ip");
    };
    let (Ok(addr), Ok(len)) = (base.parse::<std::net::Ipv4Addr>(), len.parse::<u32>()) else {
        return ctx.ids.private_ip("private_ip");
    };
    let size = 1u64 << (32 - len.min(32));
    // AWS reserves the first four addresses and the last one of a subnet.
    let offset = 4 + ctx.ids.below("private_ip", size.saturating_sub(5).max(1)) as u32;
    std::net::Ipv4Addr::from(u32::from(addr).wrapping_add(offset)).to_string()
}

/// The role name IAM gives a service's service-linked role (AWS documentation, "Services
/// that work with IAM": the ECS, Auto Scaling, ELB and Application Auto Scaling ones);
/// others `AWSServiceRoleFor` + the service's first label capitalized.
fn service_linked_role_name(service: &str) -> String {
    match service {
        "ecs.amazonaws.com" => "AWSServiceRoleForECS".into(),
        "autoscaling.amazonaws.com" => "AWSServiceRoleForAutoScaling".into(),
        "elasticloadbalancing.amazonaws.com" => "AWSServiceRoleForElasticLoadBalancing".into(),
        "ecs.application-autoscaling.amazonaws.com" => {
            "AWSServiceRoleForApplicationAutoScaling_ECSService".into()
        }
        "spot.amazonaws.com" => "AWSServiceRoleForEC2Spot".into(),
        other => {
            let label = other.split('.').next().unwrap_or(other);
            let mut c = label.chars();
            let cap = c
                .next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default();
            format!("AWSServiceRoleFor{cap}")
        }
    }
}

/// The Route 53 hosted zone of S3 website endpoints per region (AWS General Reference,
/// "Amazon S3 website endpoints").
fn s3_zone(region: &str) -> &'static str {
    match region {
        "us-east-2" => "Z2O1EMRO9K5GLX",
        "us-west-1" => "Z2F56UZL2M1ACD",
        "us-west-2" => "Z3BJ6K6RIION7M",
        "eu-west-1" => "Z1BKCTXD74EZPE",
        "eu-west-2" => "Z3GKZC51ZF0DB4",
        "eu-west-3" => "Z3R1K369G5AVDG",
        "eu-central-1" => "Z21DNDUVLTQW6Q",
        "eu-north-1" => "Z3BAZG2TWCNX0D",
        "ap-south-1" => "Z11RGJOFQNVJUP",
        "ap-southeast-1" => "Z3O0J2DXBE1FTB",
        "ap-southeast-2" => "Z1WCIGYICN2BYD",
        "ap-northeast-1" => "Z2M4EHUR26P7ZW",
        "sa-east-1" => "Z7KQH4QJS55SO",
        _ => "Z3AQBSTGFYJSTF",
    }
}
