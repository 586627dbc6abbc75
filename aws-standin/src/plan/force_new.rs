//! Which changes force the real provider to replace a resource (SDKv2 `ForceNew: true`).
//!
//! The schema documents do not record ForceNew, so this table is written from the provider's
//! resource code and documentation ("forces new resource"); only top-level attributes and
//! blocks are listed, and types missing here are updated in place. Sources: the workspace's
//! shared terraform-aws/README.md for aws_ecs_task_definition (wholly ForceNew except tags,
//! skip_destroy, track_latest); aws_ecs_task_set from its resource code
//! (internal/service/ecs/task_set.go: every argument ForceNew but scale, tags, force_delete
//! and the wait settings); the others believed from the provider documentation, not
//! verified against real plans. Aliases (`aws_alb*`) follow their `aws_lb*` type.

/// The replacement rule of a type.
pub enum ForceNew {
    /// These top-level attributes or blocks force replacement when they change.
    Attrs(&'static [&'static str]),
    /// Every top-level attribute or block except these (and Computed-only ones) forces it.
    AllExcept(&'static [&'static str]),
}

/// Never force replacement: provider-side bookkeeping.
pub const NEVER: &[&str] = &["tags", "tags_all", "timeouts", "id", "region"];

pub fn rule(type_name: &str) -> Option<ForceNew> {
    use ForceNew::{AllExcept, Attrs};
    Some(match type_name {
        "aws_ecs_task_definition" => {
            AllExcept(&["tags", "tags_all", "skip_destroy", "track_latest"])
        }
        "aws_launch_configuration" => AllExcept(&["tags", "tags_all"]),
        "aws_security_group_rule" => AllExcept(&["description"]),
        "aws_ecs_service" => Attrs(&[
            "name",
            "cluster",
            "iam_role",
            "launch_type",
            "scheduling_strategy",
            "deployment_controller",
        ]),
        "aws_ecs_cluster" => Attrs(&["name"]),
        "aws_ecs_capacity_provider" => Attrs(&["name"]),
        "aws_ecs_cluster_capacity_providers" => Attrs(&["cluster_name"]),
        "aws_ecs_account_setting_default" => Attrs(&["name"]),
        "aws_autoscaling_group" => Attrs(&["name", "name_prefix"]),
        "aws_launch_template" => Attrs(&["name", "name_prefix"]),
        "aws_instance" => Attrs(&[
            "ami",
            "availability_zone",
            "subnet_id",
            "private_ip",
            "key_name",
            "placement_group",
            "tenancy",
            "host_id",
            "network_interface",
            "associate_public_ip_address",
            "ebs_block_device",
            "ephemeral_block_device",
            "launch_template",
        ]),
        "aws_vpc" => Attrs(&[
            "cidr_block",
            "instance_tenancy",
            "ipv4_ipam_pool_id",
            "ipv4_netmask_length",
        ]),
        "aws_subnet" => Attrs(&[
            "vpc_id",
            "cidr_block",
            "availability_zone",
            "availability_zone_id",
            "ipv6_native",
            "outpost_arn",
        ]),
        "aws_internet_gateway" => Attrs(&[]),
        "aws_nat_gateway" => Attrs(&[
            "allocation_id",
            "subnet_id",
            "connectivity_type",
            "private_ip",
        ]),
        "aws_eip" => Attrs(&[
            "domain",
            "vpc",
            "address",
            "customer_owned_ipv4_pool",
            "network_border_group",
            "public_ipv4_pool",
            "ipam_pool_id",
        ]),
        "aws_route_table" => Attrs(&["vpc_id"]),
        "aws_route" => Attrs(&[
            "route_table_id",
            "destination_cidr_block",
            "destination_ipv6_cidr_block",
            "destination_prefix_list_id",
        ]),
        "aws_route_table_association" => Attrs(&["subnet_id", "gateway_id"]),
        "aws_security_group" => Attrs(&["name", "name_prefix", "vpc_id", "description"]),
        "aws_default_security_group" => Attrs(&["vpc_id"]),
        "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => {
            Attrs(&["security_group_id"])
        }
        "aws_vpc_endpoint" => Attrs(&[
            "vpc_id",
            "service_name",
            "vpc_endpoint_type",
            "auto_accept",
            "service_region",
        ]),
        "aws_lb" => Attrs(&[
            "name",
            "name_prefix",
            "internal",
            "load_balancer_type",
            "customer_owned_ipv4_pool",
        ]),
        "aws_lb_listener" => Attrs(&["load_balancer_arn"]),
        "aws_lb_listener_rule" => Attrs(&["listener_arn"]),
        "aws_lb_target_group" => Attrs(&[
            "name",
            "name_prefix",
            "port",
            "protocol",
            "protocol_version",
            "target_type",
            "vpc_id",
            "ip_address_type",
        ]),
        "aws_elb" => Attrs(&["name", "name_prefix", "internal", "subnets"]),
        "aws_service_discovery_private_dns_namespace" => Attrs(&["name", "vpc"]),
        "aws_service_discovery_http_namespace" => Attrs(&["name"]),
        "aws_service_discovery_service" => {
            Attrs(&["name", "namespace_id", "health_check_custom_config", "type"])
        }
        "aws_cloudwatch_log_group" => Attrs(&["name", "name_prefix", "log_group_class"]),
        "aws_iam_role" => Attrs(&["name", "name_prefix"]),
        "aws_iam_role_policy" => Attrs(&["name", "name_prefix", "role"]),
        "aws_iam_role_policy_attachment" => Attrs(&["role", "policy_arn"]),
        "aws_iam_policy" => Attrs(&["name", "name_prefix", "path"]),
        "aws_iam_instance_profile" => Attrs(&["name", "name_prefix", "path"]),
        "aws_ecr_repository" => Attrs(&["name", "encryption_configuration"]),
        "aws_secretsmanager_secret" => Attrs(&["name", "name_prefix"]),
        "aws_secretsmanager_secret_version" => Attrs(&["secret_id", "secret_binary"]),
        "aws_ssm_parameter" => Attrs(&["name"]),
        "aws_kms_key" => Attrs(&[
            "customer_master_key_spec",
            "key_usage",
            "custom_key_store_id",
            "multi_region",
            "xks_key_id",
        ]),
        "aws_appautoscaling_target" => {
            Attrs(&["resource_id", "scalable_dimension", "service_namespace"])
        }
        "aws_appautoscaling_policy" => Attrs(&[
            "name",
            "resource_id",
            "scalable_dimension",
            "service_namespace",
        ]),
        "aws_db_instance" => Attrs(&[
            "identifier",
            "identifier_prefix",
            "engine",
            "db_name",
            "username",
            "availability_zone",
            "storage_encrypted",
            "kms_key_id",
            "character_set_name",
        ]),
        "aws_elasticache_cluster" => Attrs(&[
            "cluster_id",
            "engine",
            "port",
            "subnet_group_name",
            "availability_zone",
        ]),
        "aws_codedeploy_app" => Attrs(&["name", "compute_platform"]),
        "aws_codedeploy_deployment_group" => Attrs(&["app_name"]),
        "aws_ecs_task_set" => AllExcept(&[
            "scale",
            "tags",
            "tags_all",
            "force_delete",
            "wait_until_stable",
            "wait_until_stable_timeout",
        ]),
        "aws_ecs_tag" => Attrs(&["resource_arn", "key"]),
        "aws_lb_target_group_attachment" => AllExcept(&[]),
        "aws_sqs_queue" => Attrs(&["name", "name_prefix", "fifo_queue"]),
        "aws_efs_file_system" => Attrs(&[
            "availability_zone_name",
            "creation_token",
            "encrypted",
            "kms_key_id",
            "performance_mode",
        ]),
        "aws_egress_only_internet_gateway" => Attrs(&["vpc_id"]),
        "aws_kinesis_firehose_delivery_stream" => Attrs(&["name", "destination"]),
        "aws_ram_resource_share_accepter" => Attrs(&["share_arn"]),
        "aws_network_interface" => Attrs(&["subnet_id", "interface_type", "private_ip"]),
        "aws_vpc_ipv6_cidr_block_association" => AllExcept(&[]),
        "aws_s3_bucket" => Attrs(&[
            "bucket",
            "bucket_prefix",
            "bucket_namespace",
            "object_lock_enabled",
        ]),
        "aws_route53_zone" => Attrs(&["name", "delegation_set_id"]),
        "aws_route53_record" => Attrs(&["zone_id", "name", "type"]),
        "aws_acm_certificate" => Attrs(&[
            "domain_name",
            "subject_alternative_names",
            "validation_method",
            "key_algorithm",
            "certificate_authority_arn",
        ]),
        "aws_cloudwatch_metric_alarm" => Attrs(&["alarm_name"]),
        "aws_placement_group" => AllExcept(&["tags", "tags_all"]),
        "aws_autoscaling_policy" => Attrs(&["autoscaling_group_name", "name"]),
        "aws_iam_service_linked_role" => Attrs(&["aws_service_name", "custom_suffix"]),
        _ => return None,
    })
}
